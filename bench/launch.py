"""Runs one command and reports its wall time, peak memory and exit code: the harness's
measuring process (bench/harness.py), started fresh for every command measured.

Run: python -I -S bench/launch.py REPORT COMMAND [ARG...]

It has one child, the command, and reads that child's peak resident set size from
`os.wait4`. It is small on purpose: on Linux a new process inherits, through fork
and exec, the peak of the process that started it, so the command must be started
by a process smaller than itself (the benchmark's own process, having written a
catalogue of 50,000 papers, is not). Standard library only, no site packages.
"""

import os
import sys
import time


def main(report: str, command: list[str]) -> int:
    """Run `command`, then write "seconds maxrss exitcode" to `report`."""
    start = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - start
    with open(report, "w", encoding="utf-8") as out:
        out.write(f"{seconds!r} {usage.ru_maxrss} {os.waitstatus_to_exitcode(status)}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2:]))
