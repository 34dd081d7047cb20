"""How much memory each reference solution needs while its specs run, counted as the grader counts it: the
anonymous and shared memory in RAM of the kata's process and every process below it (katakit/run/tree.py).

    .venv/bin/python benchmarks/memory.py [--kata NAME ...]

Each kata's specs run against its reference in one pytest process (`pytest --solutions`), watched every
0.05 s; the script prints the kata's peak and, largest first, the peak during each spec that went past
TensorFlow's start-up. Compare the peak with the grader's limit (`--memory-limit-gb`, 4 GB: GiB in fact) and
with a platform's (PrairieLearn's default grader: 2 GiB). This file is also the pytest plugin that tells the
watcher which spec is running (`-p benchmarks.memory`).
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from katakit import env, manifest  # noqa: E402
from katakit.paths import ROOT  # noqa: E402
from katakit.run import tree  # noqa: E402

RUNNING = "KATAKIT_MEMORY_RUNNING"  # the file where the plugin writes the running spec's name
POLL = 0.05  # s
SHOWN = 0.5 * 2**30  # bytes: specs below it only hold what TensorFlow's start-up does, and are not listed


def pytest_runtest_logstart(nodeid, location):
    """Plugin hook: the spec starting now, for the watcher (written whole, then renamed: never read half-written)."""
    running = Path(os.environ[RUNNING])
    running.with_suffix(".new").write_text(nodeid.split("::", 1)[-1], encoding="utf-8")
    running.with_suffix(".new").replace(running)


def measure(kata: manifest.Kata) -> tuple[int, dict[str, int], str]:
    """(the peak in bytes, the peak during each spec, pytest's last line) of the kata's specs on its reference."""
    with tempfile.TemporaryDirectory() as scratch:
        running = Path(scratch) / "running"
        running.write_text("(start-up)", encoding="utf-8")
        command = [sys.executable, "-m", "pytest", "-q", "--solutions", "-p", "benchmarks.memory",
                   str(kata.spec(ROOT).relative_to(ROOT))]
        process = subprocess.Popen(command, cwd=ROOT, env={**os.environ, **env.variables(), RUNNING: str(running)},
                                   stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        peaks: dict[str, int] = {}

        def watch():
            while process.poll() is None:
                spec, held = running.read_text(encoding="utf-8"), tree.held(process.pid)
                peaks[spec] = max(peaks.get(spec, 0), held)
                time.sleep(POLL)

        watcher = threading.Thread(target=watch)
        watcher.start()
        output = process.communicate()[0]
        watcher.join()
    return max(peaks.values(), default=0), peaks, (output.strip().splitlines() or [""])[-1]


def gigabytes(held: int) -> str:
    return f"{held / 1e9:.2f} GB ({held / 2**30:.2f} GiB)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--kata", action="append", default=[], help="only these katas (default: all ten)")
    args = parser.parse_args()
    for kata in [manifest.kata(name) for name in args.kata] or manifest.katas():
        peak, peaks, summary = measure(kata)
        print(f"{kata.name}: peak {gigabytes(peak)}; {summary}", flush=True)
        for spec, held in sorted(peaks.items(), key=lambda item: -item[1]):
            if held >= SHOWN:
                print(f"    {gigabytes(held)}  {spec}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
