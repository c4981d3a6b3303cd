"""A digest of the package's own files: what a build's cached results were made by."""

from __future__ import annotations

import functools
import hashlib

from sitegen.site.paths import SITE

PACKAGE = SITE.parent


@functools.cache
def code_digest(*folders: str) -> str:
    """A digest of every file under these folders of the package (all of it when none is
    named), names and bytes, compiled bytecode left out."""
    digest = hashlib.sha256()
    for folder in folders or ("",):
        for path in sorted((PACKAGE / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                relative = path.relative_to(PACKAGE).as_posix().encode("utf-8")
                data = path.read_bytes()
                digest.update(b"%d:%s%d:" % (len(relative), relative, len(data)) + data)
    return digest.hexdigest()
