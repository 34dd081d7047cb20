"""The surface check of `make check` (d) catches what it is there to catch."""

import textwrap

import pytest

from katakit import manifest, structure

KATA = manifest.Kata(1, "demo", "Demo", "a tutorial", 10, (
    manifest.Step(1, "load", "Load the data", ("load",)),
))

SOLUTION = '''\
# %% Setup
"""The demo kata."""


# %% Step 1: Load the data
def load(path):
    """Step 1, load the data."""
    return path
'''
GOOD_STUB = '''\
# %% Setup
"""The demo kata."""


# %% Step 1: Load the data
def load(path):
    """Step 1, load the data."""
    # TODO: read it
    raise NotImplementedError("Step 1 (Load the data): read the file")
'''
UNMARKED_STEP = GOOD_STUB.replace("# %% Step 1: Load the data\n", "")


def problems(tmp_path, stub, solution=SOLUTION):
    for folder, text in (("katas", stub), ("solutions", solution)):
        (tmp_path / folder / "demo").mkdir(parents=True)
        (tmp_path / folder / "demo" / "demo.py").write_text(textwrap.dedent(text))
    return structure.problems_of(KATA, KATA.stub(tmp_path), KATA.solution(tmp_path))


def test_a_matching_todo_stub_passes(tmp_path):
    assert problems(tmp_path, GOOD_STUB) == []


@pytest.mark.parametrize(("stub", "complaint"), [
    (GOOD_STUB.replace("(path)", "(path, extra)"), "signature differs"),
    (GOOD_STUB.replace("Step 1, load the data.", "Load it."), "docstrings differ"),
    (GOOD_STUB.replace('raise NotImplementedError("Step 1 (Load the data): read the file")', "return path"),
     "stub body must be only"),
    (GOOD_STUB.replace("Step 1 (Load the data)", "Step 2 (Fit)"), "must start with 'Step 1 (Load the data): '"),
    (GOOD_STUB.replace("def load", "def loader"), "public functions differ"),
    (UNMARKED_STEP, "stub: missing cell marker(s) ['# %% Step 1: Load the data']"),
    (UNMARKED_STEP + "# %% Step 1: Load the data\n", "load (step 1) is in the cell `# %% Setup`"),
    (GOOD_STUB.replace("# %% Setup\n", "") + "# %% Setup\n", "in this order"),
    ("\n" + GOOD_STUB, "must be line 1"),
])
def test_a_stub_that_drifts_from_its_reference_is_reported(tmp_path, stub, complaint):
    found = problems(tmp_path, stub)
    assert any(complaint in p for p in found), found


def test_a_reference_without_the_stub_s_cell_markers_is_reported(tmp_path):
    found = problems(tmp_path, GOOD_STUB, solution=SOLUTION.replace("# %% Step 1: Load the data\n", ""))
    assert found == ["reference: missing cell marker(s) ['# %% Step 1: Load the data']: "
                     "one `# %% Step N: Title` per step of curriculum.toml"], found


def test_a_docstring_naming_the_wrong_step_is_reported(tmp_path):
    found = problems(tmp_path, GOOD_STUB.replace("Step 1, load", "Step 2, load"),
                     SOLUTION.replace("Step 1, load", "Step 2, load"))
    assert found == ["load: the docstring begins 'Step 2', but curriculum.toml puts it in step 1 (Load the data)"]
