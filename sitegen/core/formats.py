"""String formats the schemas name beyond JSON Schema's own, checked in Python by both
validators (sitegen/schema.py): what a regular expression says badly."""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from urllib.parse import SplitResult, urlsplit

# Where a URL's path may not hold a part (between slashes) that is '.' or '..', written
# plainly or percent-encoded as browsers read it, or a % that starts no escape.
_DOT_PART = re.compile(r"(?:\.|%2e){1,2}", re.IGNORECASE)
_BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def _web_url(value: str) -> bool:
    """The `web-url` format of site.schema.json: what its URL patterns cannot say well. The
    URL parses as a browser reads it (see `_parsed`), each % starts an escape, and no part
    of its path is empty, '.' or '..': with `https://host//evil.example/` every link of the
    site would lead to evil.example."""
    parts = _parsed(value)
    if parts is None:
        return False
    inner = parts.path.split("/")[1:]
    if inner and not inner[-1]:
        inner.pop()  # the path ends with '/'
    return (not _BAD_ESCAPE.search(parts.path)
            and not any(not part or _DOT_PART.fullmatch(part) for part in inner))


def _link_url(value: str) -> bool:
    """The `link-url` format of a paper's links: the address parses as a browser reads it,
    so that the link leads somewhere, and names no user before its host: a reader of
    `https://github.com@evil.example/` would take evil.example for github.com."""
    parts = _parsed(value)
    return parts is not None and "@" not in parts.netloc


def _parsed(value: str) -> SplitResult | None:
    """The URL's parts if it parses as a browser reads it: an IPv6 host is an address, a
    port (if any) is 1 to 65535."""
    try:
        parts = urlsplit(value)
        port = parts.port
        if parts.netloc.startswith("["):
            ipaddress.IPv6Address(parts.hostname or "")
    except ValueError:
        return None
    return None if port == 0 else parts


def _text_only(check: Callable[[str], bool]) -> Callable[[object], bool]:
    """A format as JSON Schema applies one: it says nothing of a value that is not text
    (the value's `type` does), so such a value passes it."""
    return lambda value: not isinstance(value, str) or check(value)


# The formats the schemas use beyond JSON Schema's, by name, for both validators.
FORMATS = {"web-url": _text_only(_web_url), "link-url": _text_only(_link_url)}
FORMAT_HINTS = {
    "web-url": "a port is 1 to 65535, an [IPv6] host is an address, each % starts an escape "
               "such as %20, and no part of the path is empty, '.' or '..'",
    "link-url": "write the address as a browser reads it: a port is 1 to 65535, an [IPv6] "
                "host is an address, and no user name (user@) comes before the host",
}
