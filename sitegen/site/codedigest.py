"""A digest of the code that makes the site: what a build's kept results were made by.

Templates and static files are left out where a caller tracks them one by one (see
`reads`); the Python version and the installed libraries' versions count too, since a
new Jinja or markdown-it may render the same template differently.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys

from sitegen.site.paths import SITE, STATIC, TEMPLATES

PACKAGE = SITE.parent
TRACKED_APART = (TEMPLATES, STATIC)  # each page's reads say which of these it used


@functools.cache
def code_digest(*folders: str) -> str:
    """A digest of every file under these folders (or these files) of the package (all of
    it when none is named, but for the templates and static files), names and bytes,
    compiled bytecode left out, and of the Python and library versions."""
    digest = hashlib.sha256(sys.version.encode("utf-8"))
    for name in _libraries():
        digest.update(f"{len(name)}:{name}".encode())
    for folder in folders or ("",):
        named = PACKAGE / folder
        for path in [named] if named.is_file() else sorted(named.rglob("*")):
            if (path.is_file() and "__pycache__" not in path.parts
                    and not any(path.is_relative_to(apart) for apart in TRACKED_APART)):
                relative = path.relative_to(PACKAGE).as_posix().encode("utf-8")
                data = path.read_bytes()
                digest.update(b"%d:%s%d:" % (len(relative), relative, len(data)) + data)
    return digest.hexdigest()


@functools.cache
def _libraries() -> list[str]:
    """The installed distributions, by the names of their metadata folders, which hold their
    versions ("jinja2-3.1.6.dist-info"): read from the folders' listings, as reading every
    distribution's metadata file costs a tenth of a second. This package's own are left out:
    its files are digested byte for byte, and the folder a source checkout holds
    ("sitegen.egg-info") is on the path only when Python runs from that checkout (`python
    -m sitegen`), which would make the same code's digest differ from the `sitegen` command's."""
    found = []
    for folder in sys.path:
        try:
            names = os.listdir(folder or ".")
        except OSError:  # a zip file, or a folder that is gone
            continue
        found += [name for name in names if name.endswith((".dist-info", ".egg-info"))
                  and _distribution(name) != PACKAGE.name]
    return sorted(found)


def _distribution(metadata_folder: str) -> str:
    """The distribution a metadata folder describes: "jinja2" for "jinja2-3.1.6.dist-info",
    "sitegen" for "sitegen.egg-info" (names normalised as the packaging rules say)."""
    name = metadata_folder.rsplit(".", 1)[0].split("-", 1)[0]
    return name.lower().replace("-", "_").replace(".", "_")
