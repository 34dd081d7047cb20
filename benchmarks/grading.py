"""How long grading one solved submission takes: in the sandbox against --no-sandbox, warm against cold.

    .venv/bin/python benchmarks/grading.py [--rounds 2] [--kata NAME ...]

The submission is the reference solutions as katas/. Each round grades it once per setting, the settings
interleaved so that the machine's load falls on all of them alike; the script prints each run's wall time
and score, and the median per setting.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from katakit.paths import ROOT  # noqa: E402

SETTINGS = {
    "sandboxed, warm": [],
    "--no-sandbox, warm": ["--no-sandbox"],
    "sandboxed, cold": ["--cold"],
    "--no-sandbox, cold": ["--no-sandbox", "--cold"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--kata", action="append", default=[], help="only these katas (default: all ten)")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="katas-bench-"))
    shutil.copytree(ROOT / "solutions", scratch / "solved" / "katas")
    times: dict[str, list[float]] = {name: [] for name in SETTINGS}
    print(f"grading the references as a submission, {args.rounds} round(s) (load average {os.getloadavg()[0]:.2f})")
    try:
        for round_number in range(args.rounds):
            for name, flags in SETTINGS.items():
                out = scratch / "out"
                started = time.monotonic()
                done = subprocess.run([sys.executable, "-m", "katakit.grade", "--submission", str(scratch / "solved"),
                                       "--out", str(out), *flags, *(f"--kata={k}" for k in args.kata)],
                                      cwd=ROOT, capture_output=True, text=True)
                seconds = time.monotonic() - started
                if done.returncode != 0:
                    print(done.stdout[-2000:], done.stderr[-2000:])
                    return 1
                results = json.loads((out / "results.json").read_text())
                times[name].append(seconds)
                print(f"  round {round_number + 1}, {name:<20} {seconds:6.1f} s  score {results['score']:g} / "
                      f"{results['max_score']:g}", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    print("median:")
    for name, values in times.items():
        print(f"  {name:<20} {statistics.median(values):6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
