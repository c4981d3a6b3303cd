"""Where the package's own files are: templates, static files, vendored browser libraries.

Templates and static files are package data, inside `sitegen/site/`, so an installed
`sitegen` finds them as a checkout does. The browser libraries come from the npm
registry (pinned in package-lock.json): building the package copies them into
`sitegen/site/vendor/` (see setup.py); a checkout reads them from `node_modules/`.
"""

from __future__ import annotations

from pathlib import Path

SITE = Path(__file__).resolve().parent
TEMPLATES = SITE / "templates"
STATIC = SITE / "static"
VENDOR = SITE / "vendor"
CHECKOUT = SITE.parent.parent
# Each browser library the site serves: its name in the site, and its file in node_modules.
VENDORED = {"lunr.min.js": Path("lunr", "lunr.min.js")}
# Scripts served as one file, in this order: fewer requests before the search page is ready.
BUNDLES = {"search.js": ("lunr.min.js", "search-index.js", "search-words.js",
                         "search-sequence.js", "search-rank.js", "search-page.js")}


def vendored_source(name: str) -> Path:
    """Where a browser library is read from: the package's copy, else the checkout's."""
    packaged = VENDOR / name
    return packaged if packaged.exists() else CHECKOUT / "node_modules" / VENDORED[name]
