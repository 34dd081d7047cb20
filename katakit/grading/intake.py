"""What comes in from a submission: regular files only, never through a link, within caps.

The copy runs in the trusted parent, with the instructor's rights, so it must never read what the
submission points at. Every folder is opened relative to its parent with O_NOFOLLOW, and every file
with O_NOFOLLOW and checked again with fstat once open: a link swapped in between is refused, not
followed. Not copied (each named in the result):

- symbolic links, FIFOs, sockets and devices;
- a hard link to a file outside the submission: a regular file with more names (st_nlink) than the
  submission holds for it; hard links inside the submission are plain copies;
- compiled extensions (.so, .pyd) and .pth files: code Python would run that no screen can read;
- whatever lies past the caps (size and number of entries of the folder), or deeper than MAX_DEPTH.

Python's own leftovers (__pycache__, *.pyc) and pytest's and Hypothesis's caches are skipped quietly.
"""

from __future__ import annotations

import errno
import fnmatch
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

MAX_MB = 50.0
MAX_FILES = 2000
MAX_DEPTH = 16  # folders below katas/ (a kata needs one)
MAX_PATH = 1024  # characters of a path in the submission
QUIET = ("__pycache__", "*.pyc", ".pytest_cache", ".hypothesis")
COMPILED = (".so", ".pyd", ".pth")
CHUNK = 1 << 20
OPEN_FILE = os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC  # a FIFO must not block the grader
OPEN_FOLDER = os.O_RDONLY | os.O_NOFOLLOW | os.O_DIRECTORY | os.O_CLOEXEC
CODE = ("a compiled extension", "a .pth file (Python runs it at start-up)")  # refusals that are tampering
KINDS = {stat.S_IFLNK: "a symbolic link", stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFSOCK: "a socket",
         stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}


@dataclass(frozen=True)
class Caps:
    mb: float = MAX_MB  # bytes of all the files copied together
    files: int = MAX_FILES  # entries (files and folders) looked at

    @property
    def bytes(self) -> int:
        return int(self.mb * 1024 * 1024)


CAPS = Caps()


@dataclass
class Intake:
    refused: dict[str, str] = field(default_factory=dict)  # path in the submission -> what it is
    notes: list[str] = field(default_factory=list)  # one line each, for the report
    size: int = 0  # bytes copied

    def verdict(self, wanted: str) -> str:
        """Why the file `wanted` (a path in the submission) was not copied, as the kata's verdict; '' if it was
        copied or never there."""
        for path, what in self.refused.items():
            if wanted == path or wanted.startswith(f"{path}/"):
                thing = "file" if wanted == path else "folder"
                if what.startswith("a "):
                    return f"{path} is {what}: submit the {thing} itself"
                return f"{wanted} was not copied: {what}"
        return ""


def quiet(name: str) -> bool:
    return any(fnmatch.fnmatch(name, pattern) for pattern in QUIET)


def take(source: Path, dest: Path, name: str = "katas", caps: Caps = CAPS, first: Iterable[str] = ()) -> Intake:
    """Copy the folder `source` (known in the submission as `name`) to `dest`, regular files only.
    `first`: paths (as in the submission) to copy before the rest, so that the caps spare them."""
    result = Intake()
    dest.mkdir(parents=True, exist_ok=True)
    try:
        top = os.open(source, OPEN_FOLDER)
    except OSError as error:
        result.refused[name] = _why(source, error)
        return result
    try:
        files = _Walk(name, caps, result).run(top)
        order = {path: index for index, path in enumerate(first)}
        files.sort(key=lambda f: (order.get(f[0], len(order)), f[0]))
        _copy_all(top, name, files, dest, caps, result)
    finally:
        os.close(top)
    summarize(result, name)
    return result


def take_file(source: Path, shown: str, dest: Path, budget: int) -> Intake:
    """Copy one file (a learner's loose <kata>.py) to `dest`, if it is a regular file of at most `budget`
    bytes; `shown`: its path in the submission."""
    result = Intake()
    try:
        parent = os.open(source.parent, OPEN_FOLDER)
    except OSError as error:
        result.refused[shown] = _why(source.parent, error)
        return result
    try:
        info = os.stat(source.name, dir_fd=parent, follow_symlinks=False)
        what = _refusal(source.name, info, 1) or ("" if info.st_size <= budget else "past the cap on size")
        if what:
            result.refused[shown] = what
        else:
            dest.parent.mkdir(parents=True, exist_ok=True)
            _copy(parent, source.name, info, dest, budget, shown, result)
    finally:
        os.close(parent)
    return result


def _why(path: Path, error: OSError) -> str:
    if os.path.islink(path):
        return "a symbolic link"
    return f"unreadable ({error.strerror})"


def _refusal(name: str, info: os.stat_result, names_inside: int) -> str:
    kind = stat.S_IFMT(info.st_mode)
    if kind in KINDS:
        return KINDS[kind]
    if stat.S_ISREG(info.st_mode) and name.lower().endswith(COMPILED):
        return "a .pth file (Python runs it at start-up)" if name.endswith(".pth") else "a compiled extension"
    if stat.S_ISREG(info.st_mode) and info.st_nlink > names_inside:
        return "a hard link to a file outside the submission"
    return ""


class _Walk:
    """The regular files under a folder opened without following a link: (path in the submission, parts,
    stat) each; whatever else goes to the intake's refusals. It stops at the cap on entries."""

    def __init__(self, shown: str, caps: Caps, result: Intake):
        self.shown, self.caps, self.result = shown, caps, result
        self.entries = 0
        self.names: dict[tuple[int, int], int] = {}  # (device, inode) -> names it has in the submission
        self.files: list[tuple[str, tuple[str, ...], os.stat_result]] = []

    def run(self, top: int) -> list:
        self.folder(top, ())
        kept = []
        for path, parts, info in self.files:  # a file with more names than the submission holds: linked outside
            what = _refusal(parts[-1], info, self.names[(info.st_dev, info.st_ino)])
            if what:
                self.result.refused[path] = what
            else:
                kept.append((path, parts, info))
        return kept

    def folder(self, folder: int, parts: tuple[str, ...]) -> bool:
        """Walk one open folder; False once the cap on entries is reached."""
        with os.scandir(folder) as listing:
            names = sorted(entry.name for entry in listing)
        for name in (n for n in names if not quiet(n)):
            path = "/".join((self.shown, *parts, name))
            self.entries += 1
            if self.entries > self.caps.files:
                self.result.notes.append(f"{self.shown}/ holds more than {self.caps.files:,} files and folders "
                                         f"(the cap, --max-files): nothing from {path} on was copied")
                return False
            if len(path) > MAX_PATH:
                self.result.refused[path[:80] + "..."] = f"a path longer than {MAX_PATH:,} characters"
                continue
            try:
                info = os.stat(name, dir_fd=folder, follow_symlinks=False)
            except OSError as error:
                self.result.refused[path] = f"unreadable ({error.strerror})"
                continue
            if stat.S_ISDIR(info.st_mode) and not self.inner(folder, name, path, (*parts, name)):
                return False
            if stat.S_ISDIR(info.st_mode):
                continue
            what = _refusal(name, info, info.st_nlink)  # hard links: counted once the walk is done
            if what:
                self.result.refused[path] = what
                continue
            self.files.append((path, (*parts, name), info))
            self.names[(info.st_dev, info.st_ino)] = self.names.get((info.st_dev, info.st_ino), 0) + 1
        return True

    def inner(self, folder: int, name: str, path: str, parts: tuple[str, ...]) -> bool:
        if len(parts) > MAX_DEPTH:
            self.result.refused[path] = f"deeper than {MAX_DEPTH} folders"
            return True
        try:
            inner = os.open(name, OPEN_FOLDER, dir_fd=folder)
        except OSError as error:  # ELOOP: a link swapped in since the stat
            self.result.refused[path] = "a symbolic link" if error.errno == errno.ELOOP else \
                f"unreadable ({error.strerror})"
            return True
        try:
            return self.folder(inner, parts)
        finally:
            os.close(inner)


def _copy_all(top: int, shown: str, files: list, dest: Path, caps: Caps, result: Intake) -> None:
    budget = caps.bytes
    for index, (path, parts, info) in enumerate(files):
        if info.st_size > budget - result.size:
            left = files[index:]
            result.notes.append(f"{shown}/ holds more than {caps.mb:g} MB (the cap, --max-mb): {len(left)} file(s) "
                                f"from {path} on were not copied")
            for rest, _, _ in left:
                result.refused[rest] = f"past the cap of {caps.mb:g} MB for {shown}/"
            return
        folder = _open_folders(top, parts[:-1])
        if folder is None:
            result.refused[path] = "a symbolic link or gone by the time it was copied"
            continue
        try:
            target = dest.joinpath(*parts)
            target.parent.mkdir(parents=True, exist_ok=True)
            _copy(folder, parts[-1], info, target, budget - result.size, path, result)
        except OSError as error:
            result.refused[path] = f"cannot be copied ({error.strerror})"
        finally:
            if folder != top:
                os.close(folder)


def _open_folders(top: int, parts: tuple[str, ...]) -> int | None:
    """The folder at `parts` under `top`, opened one name at a time, never through a link; None if one is."""
    folder = top
    for name in parts:
        try:
            inner = os.open(name, OPEN_FOLDER, dir_fd=folder)
        except OSError:
            inner = None
        if folder != top:
            os.close(folder)
        if inner is None:
            return None
        folder = inner
    return folder


def _copy(folder: int, name: str, info: os.stat_result, target: Path, budget: int, shown: str,
          result: Intake) -> None:
    """Copy one file opened without following a link, at most `budget` bytes of it."""
    try:
        fd = os.open(name, OPEN_FILE, dir_fd=folder)
    except OSError as error:  # ELOOP: a link swapped in since the walk
        result.refused[shown] = "a symbolic link" if error.errno == errno.ELOOP else f"unreadable ({error.strerror})"
        return
    try:
        now = os.fstat(fd)
        if (now.st_dev, now.st_ino) != (info.st_dev, info.st_ino) or not stat.S_ISREG(now.st_mode) \
                or now.st_nlink > info.st_nlink:
            result.refused[shown] = "changed while it was copied"
            return
        copied = 0
        with open(target, "wb") as out:
            while chunk := os.read(fd, CHUNK):
                copied += len(chunk)
                if copied > budget:  # it grew past the cap while it was read
                    break
                out.write(chunk)
        if copied > budget:
            target.unlink()
            result.refused[shown] = "grew past the cap while it was copied"
            return
        result.size += copied
    finally:
        os.close(fd)


def summarize(result: Intake, shown: str) -> None:
    """One line naming what was not copied (but what the caps already said)."""
    refused = [(path, what) for path, what in result.refused.items() if not what.startswith("past the cap")]
    if refused:
        listed = ", ".join(f"{path} ({what})" for path, what in refused[:5])
        more = f" and {len(refused) - 5} more" if len(refused) > 5 else ""
        result.notes.append(f"not copied from {shown}/ (regular files only): {listed}{more}")
