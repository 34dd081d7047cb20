"""A run's processes as its parent sees them: the memory they hold, for the grader's memory limit, and
how to stop them all.

A run's tree is its first process and every process below it (psutil). Orphans stay in it: the kata's
process is a child subreaper (katakit/run/processes.py), so a process that a kata's child leaves behind is
adopted by the kata's process, not by init.

The memory counted is what only RAM can hold: anonymous and shared memory (RssAnon + RssShmem in
/proc/PID/status), summed over the tree. The pages of files that a process maps (TensorFlow's libraries,
0.35 GB in every process that imports it) are left out: the kernel can drop them and read them again.
/proc/PID/status costs microseconds to read; a proportional share (Pss, smaps_rollup) costs ~10 ms for a
TensorFlow process, too much to poll twenty times a second.
"""

from __future__ import annotations

import contextlib

import psutil

HELD = ("RssAnon:", "RssShmem:")  # kB


def members(pid: int) -> list[psutil.Process]:
    """`pid` and every process below it ([] once it has ended)."""
    try:
        root = psutil.Process(pid)
        return [root, *root.children(recursive=True)]
    except psutil.Error:
        return []


def held(pid: int) -> int:
    """Bytes of memory that `pid` and the processes below it hold in RAM (see above), summed over them."""
    return sum(sum(int(line.split()[1]) for line in _status(process.pid, HELD)) * 1024
               for process in members(pid))


def kill(pid: int) -> None:
    """SIGKILL to `pid` and every process below it, even those that left its process group or session."""
    for process in members(pid):
        with contextlib.suppress(psutil.Error):
            process.kill()


def host_pid(ancestor: int, inner: int) -> int | None:
    """The pid, as this process sees it, of the process below `ancestor` whose pid is `inner` in its own
    pid namespace (a warm server inside bubblewrap knows its children by those); None if there is none."""
    for process in members(ancestor)[1:]:
        nspid = _status(process.pid, ("NSpid:",))
        if nspid and nspid[0].split()[-1] == str(inner):  # the last field: the innermost namespace
            return process.pid
    return None


def _status(pid: int, keys: tuple[str, ...]) -> list[str]:
    """The lines of /proc/PID/status that start with one of `keys` ([] once the process has ended)."""
    try:
        with open(f"/proc/{pid}/status", encoding="ascii", errors="replace") as status:
            return [line for line in status if line.startswith(keys)]
    except OSError:
        return []
