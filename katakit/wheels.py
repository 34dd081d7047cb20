"""Every pin has a wheel on every platform and Python that README.md promises (a stage of `make check`).

pip evaluates environment markers against the interpreter it runs in, even with --platform, so each
platform's requirements are first reduced here with its own markers, then resolved by pip as binary
wheels for that platform's exact tags (pip does not expand a tag to the older ones it is compatible
with). It needs the package registry: where it cannot be reached, the check is not run.

    python -m katakit.wheels [--requirements FILE]   every pair, one line each
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.requirements import Requirement  # pytest's own dependency, so always installed with it

from katakit.paths import ROOT

PYTHONS = ("3.11", "3.12", "3.13")  # TensorFlow 2.21's; README.md, "Start"
FILES = ("requirements.txt", "requirements-dev.txt")  # the learner's, and the grader's and contributor's on top
PIP = ("--disable-pip-version-check", "--retries", "1", "--timeout", "30")


@dataclass(frozen=True)
class Platform:
    name: str
    markers: dict[str, str]
    tags: tuple[str, ...]  # every wheel tag a machine of this platform installs, oldest baseline first


def _manylinux(arch: str, oldest: int) -> tuple[str, ...]:
    """glibc 2.28 is the newest baseline we require (Debian 10, Ubuntu 20.04, Ubuntu on WSL)."""
    legacy = {"x86_64": ("manylinux1", "manylinux2010", "manylinux2014"), "aarch64": ("manylinux2014",)}[arch]
    return (*(f"{name}_{arch}" for name in legacy), *(f"manylinux_2_{v}_{arch}" for v in range(oldest, 29)))


def _macos_arm64() -> tuple[str, ...]:
    """macOS 12 (Monterey) is the oldest that TensorFlow 2.21's arm64 wheel installs on."""
    return (*(f"macosx_10_{v}_universal2" for v in range(9, 16)),
            *(f"macosx_{v}_0_{arch}" for v in (11, 12) for arch in ("arm64", "universal2")))


def _linux(machine: str) -> dict[str, str]:
    return {"sys_platform": "linux", "platform_system": "Linux", "os_name": "posix", "platform_machine": machine}


PLATFORMS = (
    Platform("Linux x86_64", _linux("x86_64"), _manylinux("x86_64", 5)),
    Platform("Linux aarch64", _linux("aarch64"), _manylinux("aarch64", 17)),
    Platform("macOS arm64", {"sys_platform": "darwin", "platform_system": "Darwin", "os_name": "posix",
                             "platform_machine": "arm64"}, _macos_arm64()),
)


class Offline(Exception):
    """The package registry cannot be reached from here."""


def pins(path: Path, platform: Platform, python: str) -> list[str]:
    """The requirements of `path` (and the files it includes with -r) that apply on `platform` and `python`."""
    environment = {**platform.markers, "python_version": python, "python_full_version": f"{python}.0",
                   "implementation_name": "cpython", "platform_python_implementation": "CPython"}
    found = []
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found += pins(path.parent / line[3:].strip(), platform, python)
        elif line:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate(environment):
                requirement.marker = None
                found.append(str(requirement))
    return found


def resolve(requirements: list[str], platform: Platform, python: str) -> list[str]:
    """What is wrong: [] when pip finds a wheel for every pin and every dependency, else one line naming
    the platform, the Python and the package without a wheel."""
    with tempfile.TemporaryDirectory(prefix="katas-wheels-") as folder:
        listed = Path(folder) / "requirements.txt"
        listed.write_text("\n".join(requirements) + "\n")
        argv = [sys.executable, "-m", "pip", "install", *PIP, "--dry-run", "--ignore-installed", "--quiet",
                "--only-binary=:all:", "--implementation", "cp", "--python-version", python,
                *(arg for tag in platform.tags for arg in ("--platform", tag)),
                "--report", str(Path(folder) / "report.json"), "-r", str(listed)]
        done = subprocess.run(argv, capture_output=True, text=True)
        if done.returncode == 0:
            return []
    missing = [line.rsplit("for ", 1)[-1] for line in done.stderr.splitlines() if "No matching distribution" in line]
    why = f"no wheel for {', '.join(missing)}" if missing else _last_error(done.stderr)
    return [f"{platform.name}, Python {python}: {why}"]


def _last_error(stderr: str) -> str:
    errors = [line for line in stderr.splitlines() if line.startswith("ERROR")]
    return (errors or stderr.strip().splitlines() or ["pip failed"])[-1]


@cache
def registry_problem() -> str:
    """'' when pip reaches the package registry, else why not (asked once per process)."""
    argv = [sys.executable, "-m", "pip", "index", "versions", *PIP, "--retries", "0", "--timeout", "10", "pip"]
    try:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=60)
    except subprocess.TimeoutExpired:
        return "the package registry did not answer within 60 s"
    if done.returncode != 0 or "Available versions" not in done.stdout:
        return f"the package registry cannot be reached ({_last_error(done.stderr)})"
    return ""


def check(platform: Platform, python: str, files=FILES, root: Path = ROOT) -> list[str]:
    """One platform and Python, every file together (so their pins must agree too); Offline when pip
    cannot reach the registry."""
    problem = registry_problem()
    if problem:
        raise Offline(problem)
    return resolve([pin for name in files for pin in pins(root / name, platform, python)], platform, python)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m katakit.wheels", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--requirements", action="append", type=Path,
                        help=f"a requirements file (default: {' and '.join(FILES)})")
    args = parser.parse_args(argv)
    files = [str(path.resolve()) for path in args.requirements] if args.requirements else FILES
    failed = 0
    for platform in PLATFORMS:
        for python in PYTHONS:
            try:
                bad = check(platform, python, files)
            except Offline as error:
                print(f"not run: {error}")
                return 0
            failed += bool(bad)
            print(*(bad or [f"{platform.name}, Python {python}: every pin has a wheel"]), sep="\n", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
