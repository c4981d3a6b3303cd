"""Safe YAML in: any YAML text to plain values, or an error with its line.

Loading reads libyaml's parse events and builds plain values from them in one
pass with an explicit stack (no recursion, so no depth can crash it), so that
it can: refuse tags (nothing is ever constructed or executed), refuse aliases
(no alias bombs), refuse nesting deeper than any content file needs, report
duplicate keys, keep every plain scalar as the text a person typed (``NO`` and
``2401.10010`` stay strings) and remember the line of every value, counted as
editors count lines, for error messages.
"""

from __future__ import annotations

import yaml

from sitegen.catalogue.yamlbuild import Builder
from sitegen.catalogue.yamlerrors import escape_error, syntax_error, unreadable
from sitegen.catalogue.yamltypes import MAX_DEPTH, Lines, Loaded, Plain, YamlError

__all__ = ["MAX_DEPTH", "Loaded", "Plain", "YamlError", "load"]

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load(text: str) -> Loaded:
    """Parse one YAML document safely; raise YamlError with a line on any problem."""
    lines = Lines(text)
    loaded = Loaded(None)
    builder = Builder(loaded, lines)
    try:
        _parse(builder)
    except yaml.MarkedYAMLError as error:
        raise syntax_error(error, lines, builder.quoted, builder.next_path()) from None
    except yaml.reader.ReaderError as error:
        raise unreadable(lines, error) from None
    except yaml.YAMLError as error:
        raise YamlError(1, (), f"invalid YAML: {error}") from None
    return loaded


def _parse(builder: Builder) -> None:
    loader = _Loader(builder.lines.text)
    try:
        builder.run(loader)
    except (ValueError, OverflowError):  # the pure-Python scanner's chr() of a huge escape
        raise escape_error(builder.lines, builder.lines.of(loader.get_mark())) from None
    finally:
        loader.dispose()
