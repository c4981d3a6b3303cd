"""`diff`'s lines about the taxonomy: topics and families new, removed and renamed (an id
that gave way to a new id of the same name), their changed rules, and changed settings."""

from __future__ import annotations

from sitegen.core.model import LABEL_NOUNS
from sitegen.site.mdsafe import code, md


def _items(data: dict, kind: str) -> dict[str, dict]:
    """A taxonomy's topics or families by id (the first of a repeated id)."""
    items: dict[str, dict] = {}
    for item in data.get(kind) or []:
        items.setdefault(item["id"], item)
    return items


def _renamed_ids(before: dict, after: dict) -> dict[str, str]:
    """Ids that disappeared while a new id took over the same name."""
    renamed: dict[str, str] = {}
    for old in sorted(before.keys() - after.keys()):
        twin = next((new for new in sorted(after.keys() - before.keys())
                     if after[new]["name"] == before[old]["name"]
                     and new not in renamed.values()), None)
        if twin:
            renamed[old] = twin
    return renamed


def _label_changes(noun: str, before: dict[str, dict], after: dict[str, dict]) -> list[str]:
    """Lines for new, removed and renamed topics (or families) and their changed rules."""
    renamed = _renamed_ids(before, after)
    lines = [f"- new {noun} {code(i)}: {md(after[i]['name'])}"
             for i in sorted(after.keys() - before.keys()) if i not in renamed.values()]
    lines += [f"- removed {noun} {code(i)}: {md(before[i]['name'])}"
              for i in sorted(before.keys() - after.keys()) if i not in renamed]
    lines += [f"- {noun} id {code(old)} renamed to {code(new)}: {md(after[new]['name'])}"
              for old, new in renamed.items()]
    for i in sorted(before.keys() & after.keys()):
        old, new = before[i], after[i]
        if old["name"] != new["name"]:
            lines.append(f"- {noun} {code(i)} renamed: {md(old['name'])} → {md(new['name'])}")
        keys = [k for k in sorted((old.keys() | new.keys()) - {"id", "name"})
                if old.get(k) != new.get(k)]
        if keys:
            lines.append(f"- {noun} {code(i)}: {', '.join(map(code, keys))} changed")
    return lines


def taxonomy_changes(old: dict, new: dict) -> list[str]:
    """New, removed and renamed topics and families, then other rule or setting changes."""
    lines = []
    for kind, noun in LABEL_NOUNS.items():
        lines += _label_changes(noun, _items(old, kind), _items(new, kind))
    settings = old.get("settings") or {}, new.get("settings") or {}
    keys = [k for k in sorted(settings[0].keys() | settings[1].keys())
            if settings[0].get(k) != settings[1].get(k)]
    if keys:
        lines.append(f"- settings: {', '.join(map(code, keys))} changed")
    return lines
