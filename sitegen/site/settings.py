"""The site's settings as every template sees them: title, addresses, edit links."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from sitegen.catalogue.load import ValidCatalogue
from sitegen.catalogue.schema import valid_value, value_hint
from sitegen.core.model import SiteConfig
from sitegen.search.fingerprint import search_fingerprint
from sitegen.site.paths import TEMPLATES


@dataclass(frozen=True)
class Site:
    """What every template may use about the site."""

    title: str
    description: str
    base_url: str  # absolute, ends with "/"
    prefix: str  # path part of base_url, ends with "/"
    updated: str  # newest date in the catalogue (YYYY-MM-DD)
    templates: Path
    search_version: str  # changes whenever the search data would
    live_reload: bool = False
    about: bool = False  # whether there is an about page (content/pages/about.md) to link to


def site_settings(catalogue: ValidCatalogue, base_url: str, live_reload: bool = False) -> Site:
    """The settings of a valid catalogue's site; `base_url` (if given) overrides
    site.yaml's."""
    base = normalise_base_url(base_url or catalogue.site.base_url)
    papers = list(catalogue.papers.values())
    return Site(title=catalogue.site.title, description=catalogue.site.description,
                base_url=base, prefix=urlsplit(base).path,
                updated=max((p.added for p in papers), default="1970-01-01"),
                templates=TEMPLATES,
                search_version=search_fingerprint(papers, catalogue.taxonomy),
                live_reload=live_reload, about="about" in catalogue.pages)


def normalise_base_url(url: str) -> str:
    """An absolute http(s) URL ending with '/', by site.yaml's rules for `base_url`
    (checked again here for `--base-url`), or ValueError."""
    if not valid_value("site", "base_url", url):
        raise ValueError(f"base URL must be an absolute http(s) URL, not {url!r} "
                         f"(hint: {value_hint('site', 'base_url', url)})")
    return url if url.endswith("/") else url + "/"


def edit_base(site: SiteConfig) -> str:
    """Where 'Edit this paper' links point: site.yaml's repository, else GITHUB_REPOSITORY
    (used only if it makes a repository URL site.yaml would accept). The repository's path
    has no dot parts and the branch is a valid git branch name, percent-encoded, so a link
    never leaves `{repository}/edit/{branch}/`."""
    repository = site.repository
    if not repository and os.environ.get("GITHUB_REPOSITORY"):
        repository = f"https://github.com/{os.environ['GITHUB_REPOSITORY']}"
        if not valid_value("site", "repository", repository):
            return ""
    if not repository:
        return ""
    return f"{repository.rstrip('/')}/edit/{quote(site.branch, safe='/')}/"
