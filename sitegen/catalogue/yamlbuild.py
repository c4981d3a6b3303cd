"""Plain values from libyaml's parse events, in one pass with an explicit stack.

No recursion, so no depth can crash it; tags, aliases, merge keys, duplicate keys,
a second document and nesting deeper than MAX_DEPTH are refused where they start.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import yaml

from sitegen.catalogue.yamlerrors import escape_error
from sitegen.catalogue.yamltypes import (
    DEEP_HINT,
    DEEP_MESSAGE,
    MAX_DEPTH,
    MAX_DIGITS,
    Lines,
    Loaded,
    Plain,
    YamlError,
)
from sitegen.core.model import quote

_NULL_TAG, _STR_TAG = "tag:yaml.org,2002:null", "tag:yaml.org,2002:str"
_SEQ_TAG, _MAP_TAG = "tag:yaml.org,2002:seq", "tag:yaml.org,2002:map"
_NULLS = {"", "~", "null", "Null", "NULL"}
_SURROGATE = re.compile("[\ud800-\udfff]")
# A key written as a list or mapping (`? [a, b]: x`, `{a: b}: x`): no field has such a name.
_KEY_MESSAGE = "keys must be plain words, not a list or mapping"
_KEY_HINT = ("write the field's name and a colon, such as `title:`; if the brackets or braces "
             "are part of the name, put the whole key in quotes")


@dataclass
class _Open:
    """A list or mapping being filled, and for a mapping the key waiting for its value."""

    value: list | dict
    path: tuple
    key: str | None = None


class Builder:
    """Plain values from parse events, depth-first, with an explicit stack."""

    def __init__(self, loaded: Loaded, lines: Lines) -> None:
        self.loaded, self.lines = loaded, lines
        self.stack: list[_Open] = []
        self.documents = 0
        # The last quoted value and where it went: a syntax error may be its unclosed quote.
        self.quoted: tuple[yaml.ScalarEvent, tuple] | None = None
        self.escaped = "\\" in lines.text  # only an escape can make a surrogate
        self.handlers: dict[type, Callable[[Any], None]] = {
            yaml.ScalarEvent: self._scalar, yaml.MappingStartEvent: self._open,
            yaml.SequenceStartEvent: self._open, yaml.MappingEndEvent: self._close,
            yaml.SequenceEndEvent: self._close, yaml.AliasEvent: self._alias,
            yaml.DocumentStartEvent: self._document,
        }

    def run(self, loader: Any) -> None:
        handlers = self.handlers
        for event in iter(loader.get_event, None):
            handler = handlers.get(type(event))
            if handler:
                handler(event)

    def _line(self, event: yaml.Event) -> int:
        return self.lines.of(event.start_mark)

    def _document(self, event: yaml.DocumentStartEvent) -> None:
        self.documents += 1
        if self.documents > 1:
            raise YamlError(self._line(event), (), "a second YAML document starts here; a file "
                            "holds one", "remove the `---` line and what follows it")

    def _alias(self, event: yaml.AliasEvent) -> None:
        raise YamlError(self._line(event), self._path(),
                        "anchors and aliases (&, *) are not allowed", "write the value out in full")

    def _close(self, event: yaml.CollectionEndEvent) -> None:
        self.stack.pop()

    def next_path(self) -> tuple:
        """Where the next value goes: that of a value the parser stopped inside."""
        return self._path()

    def _path(self) -> tuple:
        """Where the next value goes."""
        if not self.stack:
            return ()
        top = self.stack[-1]
        if top.key is not None:
            return (*top.path, top.key)
        return (*top.path, len(top.value)) if isinstance(top.value, list) else top.path

    def _tag(self, event: yaml.ScalarEvent | yaml.CollectionStartEvent) -> None:
        """Refuse an anchor (`&name`: only an alias would use it) and any tag (`!!str`)."""
        if event.anchor is not None:
            raise YamlError(self._line(event), self._path(),
                            "anchors and aliases (&, *) are not allowed",
                            f"remove `&{event.anchor}` and write each value out in full")
        if event.tag is not None and event.tag != "!":
            raise YamlError(self._line(event), self._path(),
                            f"tag {quote(event.tag)} is not allowed",
                            "remove the tag: only plain values, lists and mappings are read")

    def _place(self, value: Any, event: yaml.NodeEvent) -> None:
        path = self._path()
        self.loaded.lines.setdefault(path, self._line(event))
        if not self.stack:
            self.loaded.data = value
            return
        top = self.stack[-1]
        if isinstance(top.value, list):
            top.value.append(value)
        else:
            top.value[top.key] = value
            top.key = None

    def _open(self, event: yaml.CollectionStartEvent) -> None:
        if self._awaits_key():
            raise YamlError(self._line(event), self.stack[-1].path, _KEY_MESSAGE, _KEY_HINT)
        self._tag(event)
        if len(self.stack) >= MAX_DEPTH:
            raise YamlError(self._line(event), self._path(), DEEP_MESSAGE, DEEP_HINT)
        value: list | dict = [] if isinstance(event, yaml.SequenceStartEvent) else {}
        path = self._path()
        self._place(value, event)
        self.stack.append(_Open(value, path))

    def _awaits_key(self) -> bool:
        return bool(self.stack) and self.stack[-1].key is None \
            and isinstance(self.stack[-1].value, dict)

    def _scalar(self, event: yaml.ScalarEvent) -> None:
        if self.escaped and _SURROGATE.search(event.value):
            raise escape_error(self.lines, self._line(event), self._path())
        if event.style in ("'", '"'):
            self.quoted = (event, self._path())
        if self._awaits_key():
            self._key(event)
            return
        self._tag(event)
        plain = not event.style and len(event.value) <= MAX_DIGITS  # libyaml: '', not None
        if plain and event.value in _NULLS and event.tag in (None, "!", _NULL_TAG):
            self._place(None, event)
        else:
            self._place(Plain(event.value) if plain else event.value, event)

    def _key(self, event: yaml.ScalarEvent) -> None:
        top, line = self.stack[-1], self._line(event)
        if event.tag == "tag:yaml.org,2002:merge":
            raise YamlError(line, top.path, "merge keys (<<) are not allowed",
                            "write the keys out in full")
        self._tag(event)
        key = str(event.value)
        if key in top.value:
            first = self.loaded.lines[(*top.path, key)]
            raise YamlError(line, (*top.path, key), "duplicate key",
                            f"{quote(key)} is already set on line {first}; keep one")
        self.loaded.lines[(*top.path, key)] = line
        top.key = key
