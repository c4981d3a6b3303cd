"""The one place that writes to disk: every file goes to a temporary path, then is renamed."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path


def write_atomic(path: Path, data: bytes) -> None:
    """Replace a file in one step: readers see the old bytes or the new, never a mix."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def write_files(files: dict[Path, bytes]) -> list[Path]:
    """Write the files whose bytes differ from what is on disk; return those written."""
    changed = [path for path, data in sorted(files.items()) if _differs(path, data)]
    for path in changed:
        write_atomic(path, files[path])
    return changed


def remove_file(path: Path) -> None:
    path.unlink(missing_ok=True)


def _differs(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() != data
    except FileNotFoundError:
        return True


def write_site(files: dict[str, bytes], out: Path) -> None:
    """Replace a whole output directory: build it beside the old one, then swap.

    A failed build leaves the previous output untouched, and files of pages that
    no longer exist do not survive the swap.
    """
    out = out.resolve()
    _refuse_to_replace_other_things(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(dir=out.parent, prefix=f".{out.name}.new-"))
    try:
        for directory in sorted({str(Path(relative).parent) for relative in files}):
            (staging / directory).mkdir(parents=True, exist_ok=True)
        for relative, data in files.items():
            with open(staging / relative, "wb") as stream:
                stream.write(data)
        staging.chmod(0o755)
        retired = out.parent / f".{out.name}.old-{os.getpid()}"
        if out.exists():
            os.replace(out, retired)
        os.replace(staging, out)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)


def _refuse_to_replace_other_things(out: Path) -> None:
    """Only an empty directory or an earlier build may be replaced: never, say, `content/`."""
    if not out.exists():
        return
    if not out.is_dir():
        raise FileExistsError(f"{out} exists and is not a directory")
    entries = list(out.iterdir())
    if entries and not ((out / "index.html").is_file() and (out / "sitemap.xml").is_file()):
        raise FileExistsError(f"refusing to replace {out}: it is not empty and not a built "
                              "site; choose another --out")
