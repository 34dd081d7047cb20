"""The learner's commands: test, progress, hint, reset, compare (see `make help`; watch is in watch.py)."""

from __future__ import annotations

import difflib
import json
import shutil
import sys
import time

from katakit import lang, manifest, structure
from katakit.learner import progress, screen, specs
from katakit.messages import document, say
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
    reused = {} if (kata or fresh) else {k.name: progress.checked_at(k) for k in katas  # a message is in one language
                                         if progress.cached(k) and progress.language_of(k) == lang.current()}
    results = {name: progress.cached(manifest.kata(name)) for name in reused}
    stale = [k for k in katas if k.name not in reused]
    if reused:
        print(say("test.reused", count=len(reused)))
    if stale:
        print(say("test.running", katas=", ".join(k.name for k in stale)), flush=True)
    try:
        results.update(specs.run(stale) if stale else {})
    except KeyboardInterrupt:  # Ctrl-C
        print(say("test.stopped"))
        return 130
    except specs.NoOutcomes as error:
        print(error.output[-3000:])
        print(say("test.no_outcomes", error=error))
        return 2
    ordered = {k.name: results[k.name] for k in katas}
    print("\n".join(screen.learner_screen(ordered, reused)))
    return 0 if all(progress.is_done(t) for t in ordered.values()) else 1


def results(katas) -> dict[str, list[SpecOutcome]]:
    """Every kata's outcomes: from the last run where nothing it depends on changed, else by running it now."""
    stale = [k for k in katas if progress.cached(k) is None]
    if stale:
        never = sum(progress.checked_at(k) is None for k in stale)
        parts = [say("check.never", count=never) if never else "",
                 say("check.changed", count=len(stale) - never) if len(stale) > never else ""]
        print(say("check.checking", count=len(stale), parts=say("check.and").join(p for p in parts if p)), flush=True)
        try:
            specs.run(stale)
        except specs.NoOutcomes as error:
            print(error.output[-3000:])
            raise SystemExit(say("check.no_outcomes", error=error)) from None
    return {k.name: progress.cached(k) or [] for k in katas}


def show_progress(_kata=None) -> int:
    """Every kata as its last run left it. It never runs a spec, so it answers at once: a kata changed since its
    last run (or never run) says which `make test` to run."""
    katas = manifest.katas()
    outcome = {kata.name: progress.cached(kata) for kata in katas}
    print(say("progress.title"))
    print(say("progress.language") + "\n")
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
            print(say("hint.all_done"))
            return 0
    tests = results([kata])[kata.name]
    failure = progress.first_failure(tests)
    if failure is None:
        print(say("hint.kata_done", kata=kata.name))
        return 0
    step = kata.step(failure.step)
    hints = hint_sections(kata).get(step.id) or [say("hint.none_written")]
    state = _load_json(HINT_STATE)
    key = f"{kata.name}:{step.id}"
    shown = min(state.get(key, 0), len(hints) - 1)
    print(say("hint.header", kata=kata.name, number=step.number, total=len(kata.steps),
              title=step.title_in(lang.current()), shown=shown + 1, count=len(hints)))
    print(hints[shown].strip())
    if shown + 1 < len(hints):
        print(say("hint.again", kata=kata.name))
    else:
        print(say("hint.last", kata=kata.name))
    state[key] = shown + 1
    HINT_STATE.parent.mkdir(exist_ok=True)
    HINT_STATE.write_text(json.dumps(state), encoding="utf-8")
    return 0


def hint_sections(kata: manifest.Kata) -> dict[str, list[str]]:
    """HINTS.md (HINTS.zh-CN.md in Chinese, where it exists) as {step id: [hint, next hint, ...]}: `## <step id>`
    sections, hints split by `---` lines (both files have the same: katakit/tests/test_translations.py)."""
    sections: dict[str, list[str]] = {}
    current = None
    path = kata.folder() / document("HINTS.md")
    path = path if path.is_file() else kata.folder() / "HINTS.md"
    for line in path.read_text(encoding="utf-8").splitlines():
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
        print(say("reset.no_history", path=path.relative_to(ROOT)))
        return 1
    if path.exists():
        if path.read_text(encoding="utf-8") == pristine:
            print(say("reset.already", path=path.relative_to(ROOT)))
            return 0
        backup = BACKUPS / kata.name / f"{time.strftime('%Y%m%d-%H%M%S')}-{path.name}"
        backup.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, backup)
        print(say("reset.saved", backup=backup.relative_to(ROOT)))
    path.write_text(pristine, encoding="utf-8")
    print(say("reset.done", path=path.relative_to(ROOT)))
    return 0


def compare(kata: manifest.Kata) -> int:
    """Once a kata is solved, show how the reference differs from your file."""
    tests = results([kata])[kata.name]
    if not progress.is_done(tests):
        solved = progress.steps_solved(kata, tests)
        print(say("compare.not_solved", kata=kata.name, solved=solved, total=len(kata.steps)))
        return 1
    if not kata.solution().exists():  # a course's copy without solutions/ (README, "For instructors")
        print(say("compare.no_reference", kata=kata.name))
        return 0
    mine = kata.stub().read_text(encoding="utf-8").splitlines(keepends=True)
    reference = kata.solution().read_text(encoding="utf-8").splitlines(keepends=True)
    diff = list(difflib.unified_diff(mine, reference, say("compare.yours", kata=kata.name),
                                     say("compare.reference", kata=kata.name)))
    if not diff:
        print(say("compare.same", kata=kata.name))
    sys.stdout.writelines(diff)
    return 0


def _load_json(path) -> dict:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
