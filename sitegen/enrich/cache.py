"""Responses kept on disk, so that a run asks the service nothing an earlier run was told.

One file per address (named by its SHA-256), written beside its place and renamed over
it: a run stopped at any moment leaves whole files or none. Only answers that parsed are
kept; a failure is asked again next time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path


class ResponseCache:
    """Bodies by the address they answered, under `folder` (None: nothing is kept)."""

    def __init__(self, folder: Path | None):
        self.folder = folder

    def _path(self, url: str) -> Path | None:
        if self.folder is None:
            return None
        digest = hashlib.sha256(url.encode("utf-8")).hexdigest()
        return self.folder / digest[:2] / f"{digest}.xml"

    def get(self, url: str) -> bytes | None:
        path = self._path(url)
        try:
            return path.read_bytes() if path else None
        except FileNotFoundError:
            return None

    def put(self, url: str, body: bytes) -> None:
        path = self._path(url)
        if path is None:
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".", suffix=".tmp")
        try:
            with os.fdopen(handle, "wb") as file:
                file.write(body)
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
