"""Which request paths the preview server refuses before it looks up any file."""

from __future__ import annotations

import re
from http import HTTPStatus
from urllib.parse import unquote_to_bytes

MAX_PATH = 4096  # characters in a request's path; none of the site's is nearly as long
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def refusal_of(target: str) -> tuple[HTTPStatus, str] | None:
    """Why a request's path is refused before any file is looked up, or None. Browsers
    send no control characters, backslashes, dot segments or broken UTF-8: such a path is
    made by hand, and gets a 400 rather than some file's answer."""
    path = target.split("?", 1)[0].split("#", 1)[0]
    if len(path) > MAX_PATH:
        return HTTPStatus.REQUEST_URI_TOO_LONG, f"paths are at most {MAX_PATH} characters"
    try:
        text = unquote_to_bytes(path).decode("utf-8")
    except UnicodeDecodeError:
        return HTTPStatus.BAD_REQUEST, "the path is not UTF-8"
    if not text.startswith("/"):
        return HTTPStatus.BAD_REQUEST, "the path must start with /"
    if "\\" in text or _CONTROL.search(text):
        return HTTPStatus.BAD_REQUEST, "the path holds a backslash or a control character"
    if any(part in (".", "..") for part in text.split("/")):
        return HTTPStatus.BAD_REQUEST, "the path holds a . or .. segment"
    return None
