"""What a kata's process does to itself before pytest runs, whether it was started afresh (cold.py) or
forked from the warm server (warm.py): die with its parent, adopt its orphans, no core dumps, an optional
limit on the size of any file it writes, and in a container sandbox no network and an unprivileged user."""

from __future__ import annotations

import contextlib
import ctypes
import os
import resource
import signal
import sys

CLONE_NEWNET = 0x40000000
PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36


def die_with_parent() -> None:
    """Linux only: elsewhere (a learner's Mac) a run is ended by its process group instead."""
    if sys.platform == "linux":
        ctypes.CDLL(None).prctl(PR_SET_PDEATHSIG, signal.SIGKILL)


def adopt_orphans() -> None:
    """A process that a descendant of this one leaves behind becomes this one's child, not init's: it stays
    in this process's tree, whose memory the grader limits and which it kills (katakit/run/tree.py)."""
    ctypes.CDLL(None).prctl(PR_SET_CHILD_SUBREAPER, 1)


def confine(setup: dict, file_limit: int | None) -> None:
    """`setup` is the sandbox's (sandbox.Sandbox.setup): uid, gid, home, unshare_net."""
    die_with_parent()
    adopt_orphans()
    limits = [(resource.RLIMIT_CORE, 0)] + ([(resource.RLIMIT_FSIZE, file_limit)] if file_limit else [])
    for which, value in limits:
        with contextlib.suppress(OSError, ValueError):
            resource.setrlimit(which, (value, value))
    if setup.get("unshare_net") and ctypes.CDLL(None, use_errno=True).unshare(CLONE_NEWNET) != 0:
        print("katakit: no network namespace here: the kata keeps the container's network", file=sys.stderr)
    if "uid" in setup:
        os.setgroups([])
        os.setgid(setup["gid"])
        os.setuid(setup["uid"])
        os.environ["HOME"] = setup["home"]
        die_with_parent()  # a change of user clears the death signal: set it again
