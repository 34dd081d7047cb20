"""The harness's test projects: this harness (katakit/, conftest.py, pyproject.toml) with a few tiny katas of
its own (katakit/tests/fixture_katas.py) and a stand-in `keras`, so that no harness test pays for TensorFlow
where it does not need it; and the helpers that run katakit and the grader in them. conftest.py builds
projects (`build`); the tests import the sources they write over a stub from fixture_katas.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

from katakit import manifest
from katakit.outcome import Reader, SpecOutcome
from katakit.paths import ROOT
from katakit.run import follow, launch, runners
from katakit.tests.fixture_katas import CURRICULUM, EXTRAS, FAKE_KERAS, REFERENCE_TIMES, SOLUTIONS, SPECS, STUBS


def write(path: Path, text: str) -> Path:
    """`text`, dedented, as the file `path` (its folders made)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


def curriculum(katas: tuple[str, ...]) -> str:
    """curriculum.toml listing `katas`, in this order."""
    return "\n".join(textwrap.dedent(CURRICULUM[kata]) for kata in katas)


def records(*katas: str) -> tuple[manifest.Kata, ...]:
    """The manifest's records of `katas`, numbered as in the curriculum.toml `build` writes for them."""
    with tempfile.TemporaryDirectory() as folder:
        path = write(Path(folder) / "curriculum.toml", curriculum(katas))
        return manifest.katas(path)


def build(base: Path, katas: tuple[str, ...], *, git: bool = False, venv: bool = False) -> Path:
    """base/project: this harness with `katas` (their stubs in katas/, references in solutions/), and
    base/fakes, the stand-in keras (`fakes`). `git`: the project is a repository with one commit; `venv`: a
    .venv in it links to this interpreter's (as a checkout's does, its reference one folder up)."""
    root = base / "project"
    shutil.copytree(ROOT / "katakit", root / "katakit", ignore=shutil.ignore_patterns("tests", "__pycache__", "*.pyc"))
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, root / name)
    write(root / "curriculum.toml", curriculum(katas))
    for kata in katas:
        write(root / "tests" / f"test_{kata}.py", SPECS[kata])
        write(root / "katas" / kata / f"{kata}.py", STUBS[kata])
        write(root / "solutions" / kata / f"{kata}.py", SOLUTIONS[kata])
        for name, text in EXTRAS.get(kata, {}).items():
            write(root / "katas" / kata / name, text)
    write(root / "tests" / "spec_times.json", json.dumps(
        {spec: seconds for spec, seconds in REFERENCE_TIMES.items() if spec.split("::")[0][11:-3] in katas}))
    write(base / "fakes" / "keras" / "__init__.py", FAKE_KERAS)
    if venv:
        (root / ".venv").symlink_to(Path(sys.prefix).resolve())
    if git:
        commit(root, "curriculum.toml", "tests", "katas", "solutions")
    return root


def slow_demo(root: Path) -> None:
    """The demo kata's stub with a step 1 that trains with the tutorial's epochs=5000 default and sleeps 30 s,
    and reference times of 0.02 s for every spec: a spec past its time limit."""
    write(root / "katas" / "demo" / "demo.py", STUBS["demo"].replace("def double(x):", "def double(x, epochs=5000):")
          .replace('raise NotImplementedError("Step 1 (First things): return twice x")',
                   "import time\n    time.sleep(30)\n    return 2 * x"))
    times = {f"tests/test_demo.py::{name}": 0.02 for name in ("test_double_doubles", "test_double_handles_zero",
                                                              "test_shout_capitalises")}
    (root / "tests" / "spec_times.json").write_text(json.dumps(times))


def commit(folder: Path, *paths: str) -> None:
    """`paths` (all of it by default) committed in `folder`, a new repository."""
    git = ["git", "-c", "user.name=t", "-c", "user.email=t@t", "-C", str(folder)]
    for command in (["init", "-q"], ["add", *(paths or ["-A"])], ["commit", "-qm", "fixture"]):
        subprocess.run([*git, *command], check=True, capture_output=True)


def fakes(root: Path) -> str:
    """The folder, beside a project `build` made, whose stand-in keras goes first on PYTHONPATH."""
    return str(root.parent / "fakes")


def environ(root: Path, **more: str) -> dict[str, str]:
    """This process's environment for a run in the project `root`: its stand-in keras, no seeding of keras."""
    return {**os.environ, "KATAS_SEED_KERAS": "0", "PYTHONPATH": fakes(root), **more}


def katakit(root: Path, *args: str, **more: str) -> subprocess.CompletedProcess:
    """`python -m katakit ARGS` in the project `root`; `more`: environment variables (KATAS_LANG="zh-CN")."""
    return subprocess.run([sys.executable, "-m", "katakit", *args], cwd=root, capture_output=True, text=True,
                          env=environ(root, **more), timeout=120)


def grader(root: Path, *args: str, spec_timeout: float | None = 2, **more: str) -> subprocess.CompletedProcess:
    """`python -m katakit.grade ARGS` in the project `root` (from its .venv if it has one, as in a checkout),
    with outputs capped at 5 MB; `spec_timeout` None: each spec's own limit, from its reference's time."""
    python = root / ".venv" / "bin" / "python"
    flat = [f"--spec-timeout={spec_timeout:g}"] if spec_timeout else []
    return subprocess.run([str(python) if python.exists() else sys.executable, "-m", "katakit.grade", *flat,
                           "--output-limit-mb=5", *args], cwd=root, env=environ(root, PWD=str(root), **more),
                          capture_output=True, text=True, timeout=900)


SCENARIOS = Path(__file__).parent / "scenarios"


def placeholders(world: dict, out: Path) -> dict[str, str]:
    """What a case's @MARKS@ stand for (scenarios/README.md); @CASE@ in a value: the case's name."""
    found = {"@OUT@": str(out / "@CASE@"), "@PROJECT@": str(world["project"])}
    if "home" in world:
        found.update({"@HOME@": str(world["home"]), "@PORT@": str(world["port"])})
    return found


def place(case: Path, target: Path, places: dict[str, str]) -> Path:
    """The submission of the scenario folder `case` as target/<case>, its placeholders filled in."""
    for source in case.rglob("*"):
        if source.is_file() and source.name != "expected.json":
            text = source.read_text(encoding="utf-8")
            for mark, value in places.items():
                text = text.replace(mark, value.replace("@CASE@", case.name))
            write(target / case.name / source.relative_to(case), text)
    return target / case.name


def unguarded(roots: dict[str, Path], kata: str, scratch: Path) -> dict[str, list[SpecOutcome]]:
    """{name: outcomes} of `kata`'s specs in each project of `roots`, each in a cold process with neither the
    guard nor a sealed stream (the protections the controls switch off); the processes run side by side."""
    requests = {name: launch.request(root, [f"tests/test_{kata}.py"], scratch / name,
                                     environ={"KATAS_SEED_KERAS": "0"}) for name, root in roots.items()}
    for folder in (scratch / name for name in roots):
        folder.mkdir(parents=True)
    started = {name: runners.COLD.start(request) for name, request in requests.items()}
    for name, request in requests.items():
        follow.finish(request, started[name], timeout=120)
    return {name: list(Reader(request.outcomes).update().outcomes.values()) for name, request in requests.items()}


def processes_with(token: str) -> list[int]:
    """The processes whose environment carries KATAS_TEST_TOKEN=`token`: a test gives the token to what it
    starts (the grader and the watch pass it on to every process of theirs, sandboxed or not)."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and f"KATAS_TEST_TOKEN={token}".encode() in (entry / "environ").read_bytes():
                found.append(int(entry.name))
        except OSError:
            continue
    return found
