"""`make notebook [KATA=name]`: JupyterLab on the project, where a kata's .py file opens as a notebook.

Jupytext reads katas/<kata>/<kata>.py as one cell per `# %%` line and saves back to that file
(jupytext.toml), so `make test` sees exactly what the notebook saved. katakit/jupyter/ makes the
notebook the default way to open a .py file; `%load_ext katakit` then gives `%kata` (katakit/magic.py).
No browser is started: the address to open is printed, and Ctrl-C stops the server.
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys

from katakit import env, manifest
from katakit.messages import say
from katakit.paths import ROOT

JUPYTER_CONFIG = ROOT / "katakit" / "jupyter"
CHECKPOINTS = ROOT / ".progress" / "notebook-checkpoints"  # Jupyter's own backups, out of katas/


def command(kata: manifest.Kata | None, port: int) -> list[str]:
    page = kata.stub().relative_to(ROOT).as_posix() if kata else "katas"
    return [sys.executable, "-m", "jupyterlab", "--no-browser", f"--port={port}",
            f"--ServerApp.root_dir={ROOT}", f"--LabApp.default_url=/lab/tree/{page}",
            f"--FileCheckpoints.checkpoint_dir={CHECKPOINTS}",
            "--log-level=ERROR",  # quiet, but for the address to open: Jupyter logs that as critical
            *(["--allow-root"] if os.name == "posix" and os.geteuid() == 0 else [])]  # containers, CI


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="make notebook", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kata", nargs="?", help="open this kata's file (default: the katas folder)")
    parser.add_argument("--port", type=int, default=8888, help="the first port to try (default 8888)")
    args = parser.parse_args(argv)
    kata = None
    if args.kata:
        try:
            kata = manifest.kata(args.kata)
        except KeyError:
            parser.exit(2, say("main.no_kata", name=args.kata, katas=", ".join(k.name for k in manifest.katas()))
                        + "\n")
    variables = {**os.environ, **env.variables(), "JUPYTER_CONFIG_PATH": str(JUPYTER_CONFIG),
                 "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}
    print(say("notebook.starting"), flush=True)
    # A session of its own: Ctrl-C reaches this process only, which then stops Jupyter the clean way.
    CHECKPOINTS.mkdir(parents=True, exist_ok=True)
    server = subprocess.Popen(command(kata, args.port), cwd=ROOT, env=variables, stdin=subprocess.DEVNULL,
                              start_new_session=True)
    for stop in (signal.SIGTERM, signal.SIGHUP) if os.name == "posix" else ():
        signal.signal(stop, _interrupt)  # `kill`, a closed terminal: the same clean stop as Ctrl-C
    try:
        return server.wait()
    except KeyboardInterrupt:
        print(say("notebook.stopping"), flush=True)
        server.terminate()  # SIGTERM: Jupyter shuts its kernels down, then exits
        try:
            server.wait(timeout=30)
        except (KeyboardInterrupt, subprocess.TimeoutExpired):  # a second Ctrl-C, or a hung kernel
            server.kill()
            server.wait()
        print(say("notebook.stopped"))
        return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


if __name__ == "__main__":
    sys.exit(main())
