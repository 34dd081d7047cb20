"""The learner's commands: test, progress, hint, reset, compare (see `make help`; watch is in watch.py)."""

from __future__ import annotations

import difflib
import json
import shutil
import sys
import time

from katakit import manifest, structure
from katakit.learner import progress, screen, specs
from katakit.outcome import SpecOutcome
from katakit.paths import ROOT

HINT_STATE = ROOT / ".progress" / "hints.json"
BACKUPS = ROOT / ".katas-backup"


def test(kata: manifest.Kata | None, fresh: bool = False) -> int:  # noqa: PT028 -- not a spec
    """Run the specs against katas/, each kata stopping at its first failing spec, and show where you are.

    With no kata, a kata whose file and specs are unchanged since its last run keeps that run's
    verdict (`fresh` reruns everything). Exit status 0 when every kata of the run is done.
    """
    katas = [kata] if kata else list(manifest.katas())
    reused = {} if (kata or fresh) else {k.name: progress.checked_at(k) for k in katas if progress.cached(k)}
    results = {name: progress.cached(manifest.kata(name)) for name in reused}
    stale = [k for k in katas if k.name not in reused]
    if reused:
        print(f"{len(reused)} kata(s) unchanged since their last run keep that verdict (FRESH=1 reruns them)")
    if stale:
        print(f"running the specs of {', '.join(k.name for k in stale)}...", flush=True)
    try:
        results.update(specs.run(stale) if stale else {})
    except KeyboardInterrupt:  # Ctrl-C
        print("\nstopped")
        return 130
    except specs.NoOutcomes as error:
        print(error.output[-3000:])
        print(f"{error}: the output of the run is above")
        return 2
    ordered = {k.name: results[k.name] for k in katas}
    print("\n".join(screen.learner_screen(ordered, reused)))
    return 0 if all(progress.is_done(t) for t in ordered.values()) else 1


def results(katas) -> dict[str, list[SpecOutcome]]:
    """Every kata's outcomes: from the last run where nothing it depends on changed, else by running it now."""
    stale = [k for k in katas if progress.cached(k) is None]
    if stale:
        never = sum(progress.checked_at(k) is None for k in stale)
        parts = [f"{never} not checked yet" if never else "", f"{len(stale) - never} changed since their last run"
                 if len(stale) > never else ""]
        print(f"checking {len(stale)} kata(s): {' and '.join(p for p in parts if p)}...", flush=True)
        try:
            specs.run(stale)
        except specs.NoOutcomes as error:
            print(error.output[-3000:])
            raise SystemExit(f"{error} (output above)") from None
    return {k.name: progress.cached(k) or [] for k in katas}


def show_progress(_kata=None) -> int:
    """Every kata as its last run left it. It never runs a spec, so it answers at once: a kata changed since its
    last run (or never run) says which `make test` to run."""
    katas = manifest.katas()
    outcome = {kata.name: progress.cached(kata) for kata in katas}
    print("keras-katas: your progress\n")
    for kata in katas:
        tests = outcome[kata.name]
        print(screen.status_line(kata, tests) if tests is not None
              else screen.unchecked_line(kata, changed=progress.checked_at(kata) is not None))
    print()
    for line in screen.footer(outcome, progress.next_kata(outcome)):
        print(line)
    return 0


def hint(kata: manifest.Kata | None) -> int:
    """The next hint for the first failing step (each call reveals one more, where a step has several)."""
    if kata is None:
        kata = progress.next_kata(results(manifest.katas()))
        if kata is None:
            print("every kata is done: no hint needed")
            return 0
    tests = results([kata])[kata.name]
    failure = progress.first_failure(tests)
    if failure is None:
        print(f"{kata.name} is done. Compare with the reference: make compare KATA={kata.name}")
        return 0
    step = kata.step(failure.step)
    hints = hint_sections(kata).get(step.id) or ["(no hint written for this step: see the kata's README.md)"]
    state = _load_json(HINT_STATE)
    key = f"{kata.name}:{step.id}"
    shown = min(state.get(key, 0), len(hints) - 1)
    print(f"{kata.name}, step {step.number} of {len(kata.steps)} ({step.title}): hint {shown + 1} of {len(hints)}\n")
    print(hints[shown].strip())
    if shown + 1 < len(hints):
        print(f"\n(run `make hint KATA={kata.name}` again for the next hint)")
    else:
        print(f"\n(that is the last hint for this step: katas/{kata.name}/README.md has the rest)")
    state[key] = shown + 1
    HINT_STATE.parent.mkdir(exist_ok=True)
    HINT_STATE.write_text(json.dumps(state), encoding="utf-8")
    return 0


def hint_sections(kata: manifest.Kata) -> dict[str, list[str]]:
    """HINTS.md as {step id: [hint, next hint, ...]}: `## <step id>` sections, hints split by `---` lines."""
    sections: dict[str, list[str]] = {}
    current = None
    for line in (kata.folder() / "HINTS.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("## "):
            current = line[3:].strip()
            sections[current] = [""]
        elif current and line.strip() == "---":
            sections[current].append("")
        elif current:
            sections[current][-1] += line + "\n"
    return {step: [h for h in hints if h.strip()] for step, hints in sections.items()}


def reset(kata: manifest.Kata) -> int:
    """Restore the untouched stub from git history; the current file goes to .katas-backup/ first."""
    path = kata.stub()
    pristine = structure.pristine_stub(kata)
    if pristine is None:
        print(f"cannot find the original {path.relative_to(ROOT)} in git history: is this a git clone?")
        return 1
    if path.exists():
        if path.read_text(encoding="utf-8") == pristine:
            print(f"{path.relative_to(ROOT)} is already the untouched stub")
            return 0
        backup = BACKUPS / kata.name / f"{time.strftime('%Y%m%d-%H%M%S')}-{path.name}"
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, backup)
        print(f"your version is saved as {backup.relative_to(ROOT)}")
    path.write_text(pristine, encoding="utf-8")
    print(f"{path.relative_to(ROOT)} is the untouched stub again")
    return 0


def compare(kata: manifest.Kata) -> int:
    """Once a kata is solved, show how the reference differs from your file."""
    tests = results([kata])[kata.name]
    if not progress.is_done(tests):
        solved = progress.steps_solved(kata, tests)
        print(f"{kata.name} is not solved yet ({solved}/{len(kata.steps)} steps): the reference is offered once "
              f"it is. Keep going: make test KATA={kata.name}")
        return 1
    if not kata.solution().exists():  # a course's copy without solutions/ (README, "For instructors")
        print(f"{kata.name} is solved. This copy holds no reference solutions (no solutions/{kata.name}/), so "
              "there is nothing to compare with: ask whoever gave you the katas.")
        return 0
    mine = kata.stub().read_text(encoding="utf-8").splitlines(keepends=True)
    reference = kata.solution().read_text(encoding="utf-8").splitlines(keepends=True)
    diff = list(difflib.unified_diff(mine, reference, f"yours: katas/{kata.name}/{kata.name}.py",
                                     f"reference: solutions/{kata.name}/{kata.name}.py"))
    if not diff:
        print(f"your katas/{kata.name}/{kata.name}.py is the same as the reference, line for line")
    sys.stdout.writelines(diff)
    return 0


def _load_json(path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
