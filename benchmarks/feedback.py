"""Save -> verdict: how long `make watch` takes to show a verdict after a kata file is saved, warm and cold.

    .venv/bin/python benchmarks/feedback.py [--saves 12] [--kata first_network]

In a scratch copy of the project (your katas/ are never touched), `python -m katakit watch KATA` runs
as a learner runs it, once on the warm runner and once with `--cold`. The benchmark saves the kata's
untouched stub again and again (a comment changes each time; the first failing step trains nothing),
and times each save until the watch screen's last line. It prints the median, min and max of both.
"""

from __future__ import annotations

import argparse
import os
import selectors
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from katakit import manifest, workspace  # noqa: E402
from katakit.paths import ROOT  # noqa: E402

SETTLE = 1.0  # s after a verdict before the next save, so that each save is one event


def measure(kata: manifest.Kata, saves: int, cold: bool) -> list[float]:
    root = workspace.make(ROOT / "katas")
    try:
        stub = kata.stub(root)
        original = stub.read_text(encoding="utf-8")
        command = [sys.executable, "-m", "katakit", "watch", kata.name, *(["--cold"] if cold else [])]
        watch = subprocess.Popen(command, cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                 env={**os.environ, "PYTHONUNBUFFERED": "1"}, start_new_session=True)
        lines = Lines(watch.stdout)
        lines.wait_for("next:", timeout=300)  # the first run, before any save
        times = []
        for number in range(saves):
            time.sleep(SETTLE)
            saved = time.monotonic()
            stub.write_text(f"{original}\n# save {number}\n", encoding="utf-8")
            lines.wait_for("next:", timeout=300)
            times.append(time.monotonic() - saved)
        watch.terminate()
        watch.wait(timeout=30)
        return times
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)


class Lines:
    """The watch's output, read as it comes."""

    def __init__(self, stream):
        self.stream, self.buffer = stream, b""
        self.selector = selectors.DefaultSelector()
        self.selector.register(stream, selectors.EVENT_READ)

    def wait_for(self, text: str, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if text.encode() in self.buffer:
                self.buffer = self.buffer.split(text.encode(), 1)[1]
                return
            if self.selector.select(timeout=0.05):
                chunk = os.read(self.stream.fileno(), 65536)
                if not chunk:
                    raise SystemExit(f"the watch ended before showing {text!r}")
                self.buffer += chunk
        raise SystemExit(f"no {text!r} on the watch's screen after {timeout:g} s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--saves", type=int, default=12, help="saves per runner (default: 12)")
    parser.add_argument("--kata", default="first_network", help="the kata whose stub is saved")
    args = parser.parse_args()
    kata = manifest.kata(args.kata)
    print(f"save -> verdict for {kata.name}'s untouched stub, {args.saves} saves each "
          f"(load average {os.getloadavg()[0]:.2f})")
    for cold in (False, True):
        times = measure(kata, args.saves, cold)
        print(f"  {'cold' if cold else 'warm'}: median {statistics.median(times):.2f} s, min {min(times):.2f} s, "
              f"max {max(times):.2f} s  ({', '.join(f'{t:.2f}' for t in times)})", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
