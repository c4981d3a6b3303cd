"""The names of the temporary files a run writes beside a file before renaming them over
it: `.NAME.` + 8 characters + `.tmp`. The writer (`site.output`) makes them; a run killed
while writing leaves them behind, and the next run that writes there removes them. Whatever
reads a folder tells them apart by name, so that a leftover (or a file another run is
writing at that moment) is never taken for content."""

from __future__ import annotations

import re
from collections.abc import Iterable

SUFFIX = ".tmp"


def prefix_for(name: str) -> str:
    """What the temporary files for `name` start with (8 random characters follow)."""
    return f".{name}."


def temporary_files(endings: Iterable[str]) -> re.Pattern[str]:
    """The temporary files' names for the names that end with one of these endings (`x.yaml`,
    or `.yaml` for every YAML file): only those of what a run writes, never another
    program's."""
    choices = "|".join(sorted(map(re.escape, endings)))
    return re.compile(rf"\..*(?:{choices})\.[a-z0-9_]{{8}}{re.escape(SUFFIX)}")


def is_temporary(name: str, ending: str) -> bool:
    """Whether `name` is a temporary file of a file whose name ends with `ending`."""
    return temporary_files([ending]).fullmatch(name) is not None
