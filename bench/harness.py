"""Running one command to measure it: its wall time and its own peak memory.

The one way bench/ measures memory: every command is started by a fresh, small
measuring process (bench/launch.py) whose only child it is, and that process reads
the command's peak resident set size from `os.wait4`, for that child alone. (On
Linux that is the largest single process among the command and the processes it
forked and waited for: a build's forked writers share its pages.) Not
`resource.getrusage(RUSAGE_CHILDREN)`, the largest over every child waited for so
far; and not `os.wait4` of a child started by the benchmark itself: a process
started by a large one inherits its peak.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from bench import ROOT

SITEGEN = [sys.executable, "-m", "sitegen"]
LAUNCH = [sys.executable, "-I", "-S", str(Path(__file__).with_name("launch.py"))]


class StepFailed(Exception):
    """A step that could not be measured; its message is the reason shown in the report."""


@dataclass(frozen=True)
class Run:
    seconds: float
    peak_mib: float  # of this command's process alone
    stdout: str


def timed(args: list[str], timeout: float) -> Run:
    """Wall time and peak memory of one command in a fresh process; StepFailed on failure.

    The disk is synced first, so that writing back what earlier steps wrote (a
    large catalogue, an earlier build) is not billed to this command.
    """
    with tempfile.TemporaryDirectory() as scratch:
        report = Path(scratch) / "report"
        os.sync()
        stdout, stderr, code = _launch([*LAUNCH, str(report), *args], timeout)
        said = report.read_text(encoding="utf-8").split() if report.exists() else []
    if code != 0 or len(said) != 3:  # the command could not be started
        raise StepFailed(failure_reason(stderr, code))
    seconds, maxrss, exit_code = float(said[0]), int(said[1]), int(said[2])
    if exit_code != 0:
        raise StepFailed(failure_reason(stderr, exit_code))
    return Run(seconds, peak_mib(maxrss), stdout)


def _launch(command: list[str], timeout: float) -> tuple[str, str, int]:
    """Run the measuring process in a session of its own, killing it and the command
    (its process group) if they outlive `timeout`; its output and exit code."""
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               cwd=ROOT, env=env, text=True, start_new_session=True)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.communicate()
        raise StepFailed(f"timed out after {timeout:.0f} s") from None
    return stdout, stderr, process.returncode


def peak_mib(maxrss: int) -> float:
    """ru_maxrss in MiB: kibibytes on Linux, bytes on macOS."""
    return maxrss / (2**20 if sys.platform == "darwin" else 1024)


def failure_reason(stderr: str, code: int) -> str:
    """The command's last line of error output, with how it ended."""
    lines = [line.strip() for line in stderr.splitlines() if line.strip()]
    last = lines[-1] if lines else "no message"
    if code < 0 or code > 128:
        signum = -code if code < 0 else code - 128
        with_signal = signal.Signals(signum).name if signum in signal.Signals._value2member_map_ \
            else f"signal {signum}"
        return f"killed by {with_signal} (out of memory?): {last[:160]}"
    return f"exit {code}: {last[:160]}"
