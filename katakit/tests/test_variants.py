"""Variants of the reference solutions, and what the specs must say about each.

The rows live in katakit/tests/variants/<kata>.py, one module per kata. A row is (kata, name, replacements,
expectation):
- replacements: (old, new) pairs applied to solutions/<kata>/<kata>.py; each `old` must occur once;
- expectation: PASSES (every spec that runs passes: a correct solution written another way), noted(fragment)
  (so it does, and a spec's outcome carries a note holding the fragment: a Keras 2 idiom that still works), or
  (step id, fragment): the first failing spec is of that step and its learner message holds the fragment.
The variant becomes the kata's file in a scratch project (katakit.workspace), and only the specs of
the steps concerned run there: the steps of the functions the replacements touch, and the expected
step. Each row costs one pytest process (TensorFlow's import, ~6 s), so a row tests one thing.
"""

from __future__ import annotations

import ast
import os

import pytest

from katakit import manifest, workspace
from katakit.outcome import Kind
from katakit.paths import ROOT
from katakit.run import runners, warm
from katakit.tests import variants
from katakit.tests.variants import PASSES, passes

SHARD = "KATAKIT_VARIANTS_SHARD"  # "i/n": this process runs every n-th row from the i-th (make check runs n at once)
VARIANTS = variants.rows()
if os.environ.get(SHARD):
    _index, _count = map(int, os.environ[SHARD].split("/"))
    VARIANTS = VARIANTS[_index::_count]


def variant_id(row):
    return f"{row[0]}: {row[1]}"


def mutated(kata: manifest.Kata, replacements) -> tuple[str, set[str]]:
    """The reference with the replacements made, and the public functions whose source they touch."""
    text = kata.solution().read_text(encoding="utf-8")
    tree = ast.parse(text)
    spans = [(node.name, node.lineno, node.end_lineno) for node in tree.body
             if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]
    touched = set()
    for old, new in replacements:
        assert text.count(old) == 1, f"{kata.name}: {old!r} must occur once in the reference, found {text.count(old)}"
        line = text[:text.index(old)].count("\n") + 1
        touched |= {name for name, first, last in spans if first <= line <= last}
        text = text.replace(old, new)
    return text, touched


def spec_names(kata: manifest.Kata, steps: set[str], root=ROOT) -> set[str]:
    """The names of the specs tagged with one of `steps`: in the kata's spec file and the modules it imports."""
    paths = [kata.spec(root)]
    tree = ast.parse(paths[0].read_text(encoding="utf-8"))
    paths += [root / f"{node.module.replace('.', '/')}.py" for node in tree.body
              if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("tests.")]
    return {
        node.name
        for path in paths for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.FunctionDef)
        for marker in node.decorator_list
        if isinstance(marker, ast.Call) and ast.unparse(marker.func) == "pytest.mark.step"
        and marker.args[0].value in steps
    }


@pytest.mark.parametrize("row", VARIANTS, ids=variant_id)
def test_every_replacement_applies_once(row):
    name, _, replacements, expectation = row
    kata = manifest.kata(name)
    _, touched = mutated(kata, replacements)
    assert touched, f"{variant_id(row)}: the replacements touch no public function of the reference"
    assert passes(expectation) or kata.step(expectation[0])


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """One warm server for every row: each row is a fork, not a fresh TensorFlow import."""
    with warm.Server(tmp_path_factory.mktemp("warm")) as running:
        yield running


@pytest.mark.parametrize("row", VARIANTS, ids=variant_id)
def test_variant(row, tmp_path, server):
    name, _, replacements, expectation = row
    kata = manifest.kata(name)
    text, touched = mutated(kata, replacements)
    steps = {kata.step_of_function(function).id for function in touched}
    steps |= set() if passes(expectation) else {expectation[0]}
    root = workspace.make(ROOT / "katas", tmp_path)
    kata.stub(root).write_text(text, encoding="utf-8")
    selected = " or ".join(sorted(spec_names(kata, steps, root)))
    run = runners.run_katas([kata], learner=True, root=root, extra=("-k", selected), runner=runners.make(server))
    outcomes = run.outcomes
    assert outcomes, f"no spec of the steps {sorted(steps)} ran:\n{run.output[-2000:]}"
    failed = [o for o in outcomes if not o.passed and o.kind not in (Kind.NOT_RUN, Kind.SKIPPED_BY_SPECS)]
    if passes(expectation):
        assert not failed, "a correct variant failed:\n" + "\n".join(f"  {o.nodeid}: {o.message}" for o in failed)
        assert all(o.passed for o in outcomes), [(o.nodeid, o.kind) for o in outcomes]
        notes = [o.notes for o in outcomes if o.notes]
        if expectation != PASSES:
            assert any(expectation[1] in note for note in notes), f"no spec's note holds {expectation[1]!r}: {notes}"
        return
    step, fragment = expectation
    assert failed, f"every spec of the steps {sorted(steps)} passed; expected a failure at step {step!r}"
    first = failed[0]
    assert first.step == step, (
        f"the first failing spec, {first.nodeid}, is of step {first.step!r}, not {step!r}: {first.message}")
    assert fragment in first.message, f"{first.nodeid}'s learner message lacks {fragment!r}:\n{first.message}"
    assert not first.message.rstrip().endswith(":"), f"{first.nodeid}'s message ends with a colon:\n{first.message}"
