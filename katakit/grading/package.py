"""`make autograder`: the Gradescope autograder zip, holding only what grading needs.

The harness, the specs, the data, the untouched stubs (the base for learners who upload single files),
the manifest and the pinned requirements, with setup.sh and run_autograder at the root of the zip, as
Gradescope wants them. Never the reference solutions, reproduce/, benchmarks/, reports/, the harness's
own tests or .git: nothing in the zip can hand a learner the answers.
"""

from __future__ import annotations

import argparse
import sys
import zipfile
from pathlib import Path

from katakit.paths import ROOT

INCLUDED = ("katakit", "tests", "data", "katas", "autograder", "conftest.py", "pyproject.toml", "curriculum.toml",
            "requirements.txt", "requirements-grading.txt")
EXCLUDED_PARTS = {"__pycache__", ".pytest_cache", ".hypothesis"}
EXCLUDED_FOLDERS = (Path("katakit") / "tests",)
AT_THE_ROOT = ("autograder/setup.sh", "autograder/run_autograder")  # where Gradescope looks for them


def files(root: Path = ROOT) -> list[Path]:
    """Every file the zip holds, relative to `root`."""
    found = []
    for name in INCLUDED:
        path = root / name
        candidates = sorted(path.rglob("*")) if path.is_dir() else [path]
        for file in candidates:
            relative = file.relative_to(root)
            if (file.is_file() and not EXCLUDED_PARTS & set(relative.parts) and file.suffix != ".pyc"
                    and not any(relative.is_relative_to(folder) for folder in EXCLUDED_FOLDERS)):
                found.append(relative)
    return found


def build(out: Path, root: Path = ROOT) -> list[str]:
    """Write the zip; the names it holds."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for relative in files(root):
            _add(archive, root / relative, str(relative))
        for name in AT_THE_ROOT:
            _add(archive, root / name, Path(name).name)
        return archive.namelist()


def _add(archive: zipfile.ZipFile, path: Path, name: str) -> None:
    info = zipfile.ZipInfo.from_file(path, name)
    with path.open("rb") as file:
        archive.writestr(info, file.read(), zipfile.ZIP_DEFLATED)  # keeps the executable bits


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m katakit.grading.package", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("out", type=Path, metavar="OUT.zip", help="where the zip goes (`make autograder`: here)")
    out = parser.parse_args(argv).out
    try:
        names = build(out)
    except OSError as error:
        print(f"cannot write {out}: {error.strerror}", file=sys.stderr)
        return 2
    print(f"{out}: {len(names)} files, {out.stat().st_size / 1024:.0f} KB; upload it as the autograder "
          "(README.md, 'As a Gradescope autograder')")
    return 0


if __name__ == "__main__":
    sys.exit(main())
