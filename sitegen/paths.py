"""Where the project's own files are: templates, static files, vendored browser libraries."""

from __future__ import annotations

from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TEMPLATES = PROJECT / "templates"
STATIC = PROJECT / "static"
# Browser libraries from the npm registry (pinned in package-lock.json), copied into the site.
VENDORED = {"lunr.min.js": PROJECT / "node_modules" / "lunr" / "lunr.min.js"}
# Scripts served as one file, in this order: fewer requests before the search page is ready.
BUNDLES = {"search.js": ("lunr.min.js", "search-index.js", "search-page.js")}
