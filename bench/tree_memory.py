"""Wall time, CPU and the peak memory of a command's whole process tree, as RSS and as PSS.

    python3 bench/tree_memory.py OUT.json COMMAND [ARG …]

Runs COMMAND and, until it ends, polls its process tree: the summed RSS every 50 ms
(bench/scale.py's measure) and the summed PSS every 0.5 s, from /proc/<pid>/smaps_rollup. A
page shared by a forked worker and its parent counts once in each RSS but is split between them
in PSS, so PSS is what a build of many forked workers needs. Writes OUT.json: the exit code, wall
seconds, CPU seconds of the whole tree (user + system, from wait4), both peaks in MiB and a
timeline (seconds, RSS MiB, PSS MiB) every 0.5 s; and OUT.json.stderr, the command's stderr with
the second each line arrived. Every ~30 s, OUT.json.partial holds what is known so far, for a run
that is cut short. Prints the summary. Linux only.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from scale import _tree_rss_kib, tree_pids  # noqa: E402  (the summed RSS, as every bench/scale.py table has it)

PSS_EVERY = 10  # polls of RSS (50 ms each) for one poll of PSS
PARTIAL_EVERY = 600  # polls between two writes of OUT.json.partial


def pss_kib(pids: list[int]) -> int:
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as handle:
                for line in handle:
                    if line.startswith("Pss:"):
                        total += int(line.split()[1])
                        break
        except OSError:
            pass  # ended meanwhile
    return total


def main() -> int:
    if len(sys.argv) < 3:
        print(__doc__)
        return 2
    out, command = Path(sys.argv[1]), sys.argv[2:]
    page_kib = os.sysconf("SC_PAGE_SIZE") // 1024
    started = time.perf_counter()
    proc = subprocess.Popen(command, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    with open(f"{out}.stderr", "w", encoding="utf-8") as log:

        def read_err() -> None:
            assert proc.stderr is not None
            for raw in proc.stderr:
                log.write(f"{time.perf_counter() - started:9.1f} {raw.decode('utf-8', 'replace')}")
                log.flush()

        def read_out() -> None:
            assert proc.stdout is not None
            proc.stdout.read()

        readers = [threading.Thread(target=read_err), threading.Thread(target=read_out)]
        for reader in readers:
            reader.start()
        peak_rss = peak_pss = polls = 0
        timeline: list[tuple[float, int, int]] = []
        while True:  # wait4, not poll: its rusage holds the CPU time of the whole (reaped) tree
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            rss = _tree_rss_kib(proc.pid, page_kib)
            peak_rss = max(peak_rss, rss)
            if polls % PSS_EVERY == 0:
                pss = pss_kib(tree_pids(proc.pid))
                peak_pss = max(peak_pss, pss)
                timeline.append((round(time.perf_counter() - started, 1), rss // 1024, pss // 1024))
            if polls % PARTIAL_EVERY == 0:
                partial = {"partial": True, "peak_rss_mib": peak_rss // 1024, "peak_pss_mib": peak_pss // 1024}
                Path(f"{out}.partial").write_text(json.dumps({**partial, "timeline": timeline}), encoding="utf-8")
            polls += 1
            time.sleep(0.05)
        wall = time.perf_counter() - started
        for reader in readers:
            reader.join()
    result = {
        "command": command,
        "code": os.waitstatus_to_exitcode(status),
        "wall": round(wall, 1),
        "cpu": round(usage.ru_utime + usage.ru_stime, 1),
        "peak_rss_mib": peak_rss // 1024,
        "peak_pss_mib": peak_pss // 1024,
    }
    out.write_text(json.dumps({**result, "timeline": timeline}), encoding="utf-8")
    print(result)
    return 0


if __name__ == "__main__":
    sys.exit(main())
