"""Variants of the reference solutions, and what the specs must say about each.

The rows live in katakit/tests/variants/<kata>.py, one module per kata. A row is (kata, name, replacements,
expectation):
- replacements: (old, new) pairs applied to solutions/<kata>/<kata>.py; each `old` must occur once;
- expectation: PASSES (every spec that runs passes: a correct solution written another way), noted(fragment)
  (so it does, and a spec's outcome carries a note holding the fragment: a Keras 2 idiom that still works), or
  (step id, fragment): the first failing spec is of that step and its learner message holds the fragment.
The variant becomes the kata's file in a scratch project (katakit.workspace), and only the specs of
the steps concerned run there: the steps of the functions the replacements touch, and the expected
step. Each row is a run forked from one warm server, a row per core at once, each in a scratch project of
its own that the next row reuses with the kata's folder put back.
"""

from __future__ import annotations

import ast
import os
import queue
import shutil
from concurrent.futures import ThreadPoolExecutor

import pytest

from katakit import manifest, workspace
from katakit.grading import intake
from katakit.outcome import Kind
from katakit.paths import ROOT
from katakit.run import follow, runners, warm
from katakit.tests import variants
from katakit.tests.variants import PASSES, passes

VARIANTS = variants.rows()
if os.environ.get(variants.KATAS):
    VARIANTS = [row for row in VARIANTS if row[0] in os.environ[variants.KATAS].split(",")]


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


def spec_names(kata: manifest.Kata, steps: set[str]) -> set[str]:
    """The names of the specs tagged with one of `steps`: in the kata's spec file and the modules it imports."""
    paths = [kata.spec(ROOT)]
    tree = ast.parse(paths[0].read_text(encoding="utf-8"))
    paths += [ROOT / f"{node.module.replace('.', '/')}.py" for node in tree.body
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
def runs(request, tmp_path_factory):
    """Every selected row's steps and run, started in order, a row per core at once, all forked from one warm
    server: a row's spec waits for its own run. Each worker reuses a scratch project."""
    rows = [item.callspec.params["row"] for item in request.session.items
            if item.module is request.module and item.originalname == "test_variant"]
    jobs = int(os.environ.get(variants.JOBS) or os.cpu_count() or 1)
    projects = queue.SimpleQueue()
    for index in range(min(jobs, len(rows))):
        projects.put(workspace.make(ROOT / "katas", tmp_path_factory.mktemp(f"project{index}")))
    with warm.Server(tmp_path_factory.mktemp("warm")) as server, ThreadPoolExecutor(jobs) as pool:
        found = {}
        for row in rows:  # parsed here, in one thread: CPython 3.11's ast.parse is not (python/cpython#106905)
            name, _, replacements, expectation = row
            kata = manifest.kata(name)
            text, touched = mutated(kata, replacements)
            steps = {kata.step_of_function(function).id for function in touched}
            steps |= set() if passes(expectation) else {expectation[0]}
            found[variant_id(row)] = steps, pool.submit(run_variant, kata, text, spec_names(kata, steps), projects,
                                                        runners.make(server))
        yield found
        pool.shutdown(cancel_futures=True)  # pytest stopped early (-x, Ctrl-C): no row left to start


def run_variant(kata: manifest.Kata, text: str, specs: set[str], projects: queue.SimpleQueue,
                runner) -> follow.Finished:
    """The variant's `specs` in learner mode, in a free scratch project whose kata folder is put back after."""
    root = projects.get()
    try:
        kata.stub(root).write_text(text, encoding="utf-8")
        return runners.run_katas([kata], learner=True, root=root, extra=("-k", " or ".join(sorted(specs))),
                                 runner=runner)
    finally:  # the kata's folder as workspace.make copied it: no variant, no bytecode a `python -m` spec left
        folder = root / "katas" / kata.name
        shutil.rmtree(folder)
        intake.take(ROOT / "katas" / kata.name, folder, name=f"katas/{kata.name}")
        projects.put(root)


@pytest.mark.parametrize("row", VARIANTS, ids=variant_id)
def test_variant(row, runs):
    steps, started = runs[variant_id(row)]
    run = started.result()
    expectation = row[3]
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
