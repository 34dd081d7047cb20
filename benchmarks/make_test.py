"""`make test` with every kata solved and one file touched: reusing unchanged katas' verdicts, against FRESH=1.

    .venv/bin/python benchmarks/make_test.py [--touch update_ensemble]

In a scratch copy of the project whose katas/ are the references, `python -m katakit test` runs once to
record every verdict; then one kata file is touched (a comment added) and `make test` runs again, first
reusing the other nine katas' verdicts, then with --fresh (every kata rerun, as before the change).
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from katakit import manifest, workspace  # noqa: E402
from katakit.paths import ROOT  # noqa: E402


def timed(root: Path, *args: str) -> float:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "katakit", "test", *args], cwd=root, capture_output=True, text=True)
    if "every kata is done" not in done.stdout:
        raise SystemExit(f"make test did not find every kata done:\n{done.stdout[-3000:]}")
    return time.monotonic() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--touch", default="update_ensemble", help="the kata whose file is touched")
    args = parser.parse_args()
    root = workspace.make(ROOT / "solutions")
    try:
        print(f"make test, all ten katas solved (load average {os.getloadavg()[0]:.2f})")
        print(f"  first run, every kata:             {timed(root):6.1f} s")
        stub = manifest.kata(args.touch).stub(root)
        stub.write_text(stub.read_text() + "\n# touched\n")
        print(f"  {args.touch} touched, reusing the rest: {timed(root):6.1f} s")
        stub.write_text(stub.read_text() + "# touched again\n")
        print(f"  {args.touch} touched, FRESH=1:          {timed(root, '--fresh'):6.1f} s")
    finally:
        shutil.rmtree(root.parent, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
