"""The site's static files: the package's own and the vendored browser libraries,
with the scripts of a bundle joined into one file."""

from __future__ import annotations

from pathlib import Path

from sitegen.site.paths import BUNDLES, CHECKOUT, STATIC, VENDORED, vendored_source


def assets() -> dict[str, bytes]:
    """The site's static files and the vendored browser libraries, by name, with the files
    of a bundle joined into it (statements separated, whatever their last line)."""
    files = {p.relative_to(STATIC).as_posix(): p.read_bytes()
             for p in sorted(STATIC.rglob("*")) if p.is_file()}
    for name in VENDORED:
        source = vendored_source(name)
        try:
            files[name] = source.read_bytes()
        except FileNotFoundError:
            raise MissingAsset(source) from None
    for name, parts in BUNDLES.items():
        files[name] = b"\n;\n".join(files.pop(part) for part in parts)
    return files


class MissingAsset(FileNotFoundError):
    def __init__(self, source: Path):
        shown = source.relative_to(CHECKOUT) if source.is_relative_to(CHECKOUT) else source
        super().__init__(f"{shown} is missing: run `npm ci` "
                         "(./dev.sh does it) to install the browser libraries")
