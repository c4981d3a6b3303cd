"""Figures as the reports show them: values with their units, targets, verdicts."""

from __future__ import annotations

import html

from bench.metrics import BY_KEY, FAILED, MET, METRICS, MISSED, TARGETS, UNMEASURED, verdict


def number(value: float, unit: str = "") -> str:
    """A value as the report shows it, with three significant digits or so."""
    if unit in ("files", "pages"):
        return f"{value:,.0f}"
    if unit == "MiB" and value >= 1024:
        return f"{value / 1024:.2f} GiB"
    if unit == "KB" and value >= 1000:
        return f"{value / 1000:.2f} MB"
    digits = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    shown = f"{value:,.{digits}f}"
    return with_unit(shown, unit)


def with_unit(shown: str, unit: str) -> str:
    """"2.40x", "8.5%", "0.30 s": ratios and shares take no space before their unit."""
    return f"{shown}{unit}" if unit in ("", "x", "%") else f"{shown} {unit}"


def target_text(papers: int, key: str) -> str:
    """The issue's target as the issue writes it: "≤ 0.8 s", "≤ 1 GiB", "≤ 2 MB"."""
    target = TARGETS.get(papers, {}).get(key)
    if target is None:
        return "—"
    unit = BY_KEY[key].unit
    if unit == "MiB" and target >= 1024:
        return f"≤ {target / 1024:g} GiB"
    if unit == "KB" and target >= 1000:
        return f"≤ {target / 1000:g} MB"
    return "≤ " + with_unit(f"{target:g}", unit)


def cell(result: dict, key: str) -> str:
    """One size's figure for a Markdown table: the value, why it failed, or a dash."""
    if key in result.get("failures", {}):
        return f"failed: {escape(result['failures'][key])}"
    value = result.get("values", {}).get(key)
    return "—" if value is None else number(value, BY_KEY[key].unit)


def escape(text: str) -> str:
    """Text safe inside a Markdown table cell."""
    return html.escape(text, quote=False).replace("|", "\\|").replace("\n", " ")


def mark(status: str) -> str:
    """A verdict as the Markdown report shows it."""
    return {MET: "✅ met", MISSED: "❌ **missed**", FAILED: "❌ **failed**",
            UNMEASURED: "not measured"}.get(status, status or "no target")


def plain_table(results: dict[int, dict]) -> str:
    """The results for a terminal: one line per metric, one column per size."""
    sizes = sorted(results)
    rows = [["metric", *[f"{n:,}" for n in sizes]]]
    for metric in METRICS:
        row = [f"{metric.label} ({metric.unit})"]
        for n in sizes:
            status = verdict(results[n], metric.key)
            text = cell(results[n], metric.key).replace("\\|", "|")
            row.append(f"{text} [{status}]" if status else text)
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip()
                     for r in rows)
