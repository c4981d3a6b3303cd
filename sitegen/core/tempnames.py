"""The names of the temporary files a run writes beside a file before renaming them over
it: `.NAME.` + 8 characters + `.tmp`. The writer (`site.output`) makes them; a run killed
while writing leaves them behind, and the next run that writes there removes them. Whatever
reads a folder tells them apart by name, so that a leftover (or a file another run is
writing at that moment) is never taken for content.

Editors and file browsers leave files of their own beside the files a person opens (a
swap file while a file is open, a backup, a lock, a folder's view settings): those are
never content either (`is_editor_leftover`). The content tree passes over them, and the
preview's watcher does not rebuild for them, by the same test: were the two to differ, a
file the build refuses could appear or go without the preview seeing it."""

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


# Names editors and file browsers give the files they keep beside the files they open
_LEFTOVER_NAMES = frozenset({".DS_Store", "Thumbs.db", "desktop.ini"})
# Vim's swap files: `.NAME.swp`, then `.swo` ... `.swa` while that one is taken
_SWAP = re.compile(r"\..+\.sw[a-p]")


def is_editor_leftover(name: str) -> bool:
    """Whether `name` is a file an editor or a file browser keeps beside the files it opens:
    Vim's swap files, backups (`NAME~`), Emacs's locks (`.#NAME`) and auto-saves (`#NAME#`),
    JetBrains' safe-write copies (`NAME___jb_tmp___`), flycheck's copies (`flycheck_NAME`),
    and macOS's and Windows' folder settings."""
    return (name in _LEFTOVER_NAMES or name.endswith(("~", "___jb_tmp___", "___jb_old___"))
            or name.startswith((".#", "flycheck_"))
            or (len(name) > 2 and name[0] == name[-1] == "#")
            or _SWAP.fullmatch(name) is not None)
