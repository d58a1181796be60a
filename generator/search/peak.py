"""Run a command and report its peak memory: `python peak.py LOG COMMAND...`.

Prints {"code": exit code, "peak_kib": peak resident memory} as JSON; the command's output goes
to LOG. Run as a fresh interpreter (bundle.py), so the measurement is the command's own: Linux
counts a process's resident memory at fork in its child's peak, and a child forked from the
build process would report the build's size. This small process is what the command forks from.
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys


def main(log: str, command: list[str]) -> None:
    with open(log, "wb") as sink:
        code = subprocess.call(command, stdin=subprocess.DEVNULL, stdout=sink, stderr=subprocess.STDOUT)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(json.dumps({"code": code, "peak_kib": peak}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
