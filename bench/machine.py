"""What the figures were measured on: the machine, and which code."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
import platform
import shutil
import subprocess
from pathlib import Path

from bench import ROOT

MEASURED = ("sitegen",)  # the folders whose code is measured, templates and static files included


def code_fingerprint(root: Path = ROOT) -> str:
    """A short hash of what is measured, to tell runs apart."""
    digest = hashlib.sha256()
    for folder in MEASURED:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict[str, str]:
    """The CPU, memory, system and tool versions, and when."""
    return {
        "cpu": _proc_field("/proc/cpuinfo", "model name") or platform.processor() or "unknown",
        "cores": str(os.cpu_count()),
        "ram": _ram() or "unknown",
        "os": platform.platform(),
        "python": platform.python_version(),
        "chromium": _version(["/usr/bin/chromium", "--version"], "Chromium"),
        "hugo": _version(["hugo", "version"], "hugo") if shutil.which("hugo") else "not installed",
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
    }


def _proc_field(path: str, name: str) -> str:
    """The value of the first `name: value` line of a /proc file ("" if none)."""
    try:
        with open(path, encoding="utf-8") as info:
            for line in info:
                if line.startswith(name) and ":" in line:
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return ""


def _ram() -> str:
    total = _proc_field("/proc/meminfo", "MemTotal:").split()
    return f"{int(total[0]) / 2**20:.1f} GiB" if total else ""


def _version(command: list[str], starts: str) -> str:
    try:
        out = subprocess.run(command, capture_output=True, text=True, timeout=60).stdout
    except (OSError, subprocess.SubprocessError):
        return "not found"
    lines = [line.strip() for line in out.splitlines() if line.strip().startswith(starts)]
    return lines[0] if lines else "unknown"
