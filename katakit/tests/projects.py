"""The harness's test projects: this harness (katakit/, conftest.py, pyproject.toml) with a few tiny katas of
its own and a stand-in `keras`, so that no harness test pays for TensorFlow where it does not need it.

The katas, each a curriculum entry, its specs, its stub and its reference:
  demo   2 steps, 3 specs; the learner's screens, the warm runner, `make check` (with hints and a README, and
         their zh-CN editions and titles)
  alpha  10 points, 4 specs (one a Hypothesis spec); the grader's golden cases (katakit/tests/scenarios/)
  beta   6 points, 3 specs and one the specs skip
  gamma  10 points, 3 specs checking with assert, numpy.testing and pytest.fail; the attacks and the intake
conftest.py builds projects from them (`build`); the tests import the sources they write over a stub.
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


def write(path: Path, text: str) -> Path:
    """`text`, dedented, as the file `path` (its folders made)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")
    return path


FAKE_KERAS = """
    \"\"\"Stands in for keras in the harness's tests: the fake katas never touch it, so the harness only seeds
    each spec with it, and a warm server starts in a moment instead of importing TensorFlow.\"\"\"
    from types import SimpleNamespace

    utils = SimpleNamespace(set_random_seed=lambda seed: None)
    config = SimpleNamespace(disable_interactive_logging=lambda: None)
"""

CURRICULUM = {
    "demo": """
        [[kata]]
        name = "demo"
        title = "A demo kata"
        title_zh = "一个演示练习"
        tutorial = "none"
        points = 10

          [[kata.steps]]
          id = "first"
          title = "First things"
          title_zh = "第一件事"
          functions = ["double"]

          [[kata.steps]]
          id = "second"
          title = "Second things"
          title_zh = "第二件事"
          functions = ["shout"]
    """,
    "alpha": """
        [[kata]]
        name = "alpha"
        title = "Alpha"
        tutorial = "a fixture"
        points = 10

          [[kata.steps]]
          id = "add"
          title = "Add"
          functions = ["add"]

          [[kata.steps]]
          id = "count"
          title = "Count"
          functions = ["count_to"]
    """,
    "beta": """
        [[kata]]
        name = "beta"
        title = "Beta"
        tutorial = "a fixture"
        points = 6

          [[kata.steps]]
          id = "words"
          title = "Words"
          functions = ["words"]
    """,
    "gamma": """
        [[kata]]
        name = "gamma"
        title = "Gamma"
        tutorial = "a fixture"
        points = 10

          [[kata.steps]]
          id = "sum"
          title = "Sum"
          functions = ["total", "double"]
    """,
}

SPECS = {
    "demo": """
        import pytest

        from katakit.loader import kata

        demo = kata("demo")


        @pytest.mark.step("second")
        def test_shout_capitalises():
            assert demo.shout("hi") == "HI", f"step 2: shout('hi') must be 'HI', got {demo.shout('hi')!r}"


        @pytest.mark.step("first")
        def test_double_doubles():
            assert demo.double(2) == 4, f"step 1: double(2) must be 4, got {demo.double(2)!r}"


        @pytest.mark.step("first")
        def test_double_handles_zero():
            assert demo.double(0) == 0
    """,
    "alpha": """
        import pytest
        from hypothesis import given
        from hypothesis import strategies as st

        from katakit.loader import kata

        alpha = kata("alpha")


        @pytest.mark.step("add")
        def test_add_small():
            assert alpha.add(2, 3) == 5, "step 1: add(2, 3) must be 5"


        @pytest.mark.step("add")
        @given(st.integers(0, 9), st.integers(0, 9))
        def test_add_any(a, b):
            assert alpha.add(a, b) == a + b, f"step 1: add({a}, {b}) must be {a + b}"


        @pytest.mark.step("count")
        def test_count_to_three():
            assert alpha.count_to(3) == [1, 2, 3], "step 2: count_to(3) must be [1, 2, 3]"


        @pytest.mark.step("count")
        def test_count_to_zero():
            assert alpha.count_to(0) == [], "step 2: count_to(0) must be []"
    """,
    "beta": """
        import pytest

        from katakit.loader import kata

        beta = kata("beta")


        @pytest.mark.step("words")
        def test_words_split():
            assert beta.words("a b") == ["a", "b"], "step 1: words('a b') must be ['a', 'b']"


        @pytest.mark.step("words")
        def test_words_empty():
            assert beta.words("") == [], "step 1: words('') must be []"


        @pytest.mark.step("words")
        def test_words_needs_data_not_shipped():
            pytest.skip("the data set for this spec is not shipped")


        @pytest.mark.step("words")
        def test_words_strips():
            assert beta.words(" a ") == ["a"], "step 1: words(' a ') must be ['a']"
    """,
    "gamma": """
        import numpy as np
        import pytest

        from katakit.loader import kata

        gamma = kata("gamma")


        @pytest.mark.step("sum")
        def test_total_adds():
            assert gamma.total([1, 2]) == 3, "total([1, 2]) must be 3"


        @pytest.mark.step("sum")
        def test_double_doubles_each():
            np.testing.assert_array_equal(gamma.double([1, 2]), [2, 4], err_msg="double([1, 2]) must be [2, 4]")


        @pytest.mark.step("sum")
        def test_total_of_nothing_is_zero():
            if gamma.total([]) != 0:
                pytest.fail("total([]) must be 0")
    """,
}

STUBS = {
    "demo": '''
        # %% Setup
        # %% Step 1: First things
        def double(x):
            """Step 1, first things: twice x."""
            raise NotImplementedError("Step 1 (First things): return twice x")


        # %% Step 2: Second things
        def shout(text):
            """Step 2, second things: text in capitals."""
            raise NotImplementedError("Step 2 (Second things): return text.upper()")
    ''',
    "alpha": '''
        def add(a, b):
            """Step 1: a + b."""
            raise NotImplementedError("Step 1 (Add): return a + b")


        def count_to(n):
            """Step 2: [1, ..., n]."""
            raise NotImplementedError("Step 2 (Count): return [1, ..., n]")
    ''',
    "beta": '''
        def words(text):
            """Step 1: the words of text."""
            raise NotImplementedError("Step 1 (Words): split the text")
    ''',
    "gamma": '''
        def total(values):
            """Step 1, sum: the sum of values."""
            raise NotImplementedError("Step 1 (Sum): add the values")


        def double(values):
            """Step 1, sum: each value twice."""
            raise NotImplementedError("Step 1 (Sum): double each value")
    ''',
}

SOLUTIONS = {
    "demo": '''
        # %% Setup
        # %% Step 1: First things
        def double(x):
            """Step 1, first things: twice x."""
            return 2 * x


        # %% Step 2: Second things
        def shout(text):
            """Step 2, second things: text in capitals."""
            return text.upper()
    ''',
    "alpha": '''
        def add(a, b):
            """Step 1: a + b."""
            return a + b


        def count_to(n):
            """Step 2: [1, ..., n]."""
            return list(range(1, n + 1))
    ''',
    "beta": '''
        def words(text):
            """Step 1: the words of text."""
            return text.split()
    ''',
    "gamma": '''
        def total(values):
            """Step 1, sum: the sum of values."""
            return sum(values)


        def double(values):
            """Step 1, sum: each value twice."""
            return [2 * v for v in values]
    ''',
}

# The sources as files hold them: dedented, from their first line.
SPECS, STUBS, SOLUTIONS = ({kata: textwrap.dedent(text).lstrip() for kata, text in table.items()}
                           for table in (SPECS, STUBS, SOLUTIONS))

# 3 of alpha's 4 specs pass (count_to is right only for 0).
PARTIAL_ALPHA = '''
    def add(a, b):
        """Step 1: a + b."""
        return a + b


    def count_to(n):
        """Step 2: [1, ..., n]."""
        return []
'''

# What else a kata's folder holds (the learner's screens read the hints and the README).
EXTRAS = {
    "demo": {
        "HINTS.md": """
            # Hints

            ## first
            Multiply.
            ---
            `return 2 * x`

            ## second
            A str method.
        """,
        "HINTS.zh-CN.md": """
            # 提示

            ## first
            做乘法。
            ---
            `return 2 * x`

            ## second
            一个 str 方法。
        """,
        "README.md": "# demo",
        "README.zh-CN.md": "# 演示",
    },
}

# Each spec's time against its reference (tests/spec_times.json): the time limits when none is given.
REFERENCE_TIMES = {"tests/test_alpha.py::test_add_small": 0.01, "tests/test_alpha.py::test_add_any": 0.05,
                   "tests/test_alpha.py::test_count_to_three": 0.4, "tests/test_alpha.py::test_count_to_zero": 0.01}


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
