"""What a learner reads when a spec fails, composed here once: the step's label, the spec's sentence, where
in their file it broke; capped once (katakit.outcome.cap), in the learner's language (katakit/messages.py: the
spec's own sentence stays as the spec wrote it). Screens and reports print it as they get it."""

from __future__ import annotations

from pathlib import Path

import pytest

from katakit import idioms, loader, manifest, structure
from katakit.messages import say, step_label
from katakit.outcome import Kind, cap
from katakit.plugin import collect, limits

# Taken now: the kata's code runs later, and may replace pytest.fail or builtins.AssertionError. These carry
# a spec's own sentence (an assertion, pytest.fail).
Failed, Assertion = pytest.fail.Exception, AssertionError


def message(item, kind: Kind, excinfo, report, failures: int) -> str:
    """The learner's message for a phase of a spec that did not pass: the step's label, then the spec's
    sentence (a TODO and a skip say theirs alone; a timeout says how long the reference needs)."""
    kata, step = item.stash[collect.KATA], item.stash[collect.STEP]
    text = sentence(kata, excinfo, report.longrepr)
    if report.skipped and isinstance(report.longrepr, tuple):
        text = report.longrepr[2]
    elif kind == Kind.TIMEOUT and limits.REFERENCE in item.stash:
        text = too_slow(item, excinfo)
    elif kind != Kind.TODO:
        text = say("spec.sentence", label=step_label(step), sentence=text)  # the specs write only the sentence
    if failures > 1:
        text += say("spec.hypothesis_more", count=failures)
    return cap(text)


def detail(report) -> str:
    """The original error and its traceback, for whoever wants more than the message."""
    return cap(str(report.longrepr or ""))


def harness_failed(item, error) -> str:
    """pytest itself failed around the spec: the kata broke something it relies on."""
    return cap(say("spec.harness_failed", label=step_label(item.stash[collect.STEP]), error=error))


def tampered(what: str) -> str:
    return cap(f"tampered: {what}")


def too_slow(item, excinfo) -> str:
    """A learner's spec that ran past its limit: how long the reference needs, and the usual cause."""
    kata, step, reference = item.stash[collect.KATA], item.stash[collect.STEP], item.stash[limits.REFERENCE]
    needs = say("spec.reference_needs", seconds=reference) if reference is not None else say("spec.reference_quicker")
    functions = say("spec.or").join(step.functions) or say("spec.your_code")
    where = kata_frame(kata, excinfo)
    epochs = _tutorial_epochs(kata, step, item.config.rootpath)
    example = say("spec.epochs_example", epochs=epochs) if epochs else ""
    return (say("spec.too_slow", label=step_label(step), limit=limits.limit(item), needs=needs, functions=functions,
                example=example) + (say("spec.it_was_at", where=where) if where else ""))


def _tutorial_epochs(kata: manifest.Kata, step: manifest.Step, root: Path) -> str:
    """The default of `epochs` in the kata's file (the tutorial's number): that of the step's functions, else that
    of the kata's first function that has one; '' when none has."""
    path = kata.solution(root) if loader.source() == "solutions" else kata.stub(root)
    try:
        functions = structure.public_functions(path)
    except (OSError, SyntaxError, ValueError):
        return ""
    for name in dict.fromkeys([*step.functions, *functions]):
        default = structure.defaults(functions[name]).get("epochs") if name in functions else None
        if default is not None:
            return default
    return ""


def kata_frame(kata: manifest.Kata, excinfo) -> str:
    """'katas/<kata>/<kata>.py:LINE in function()' of the innermost frame in the kata's file, or ''."""
    for entry in reversed(excinfo.traceback if excinfo else []):
        path = Path(str(entry.path))
        if path.name == f"{kata.name}.py" and path.parent.name == kata.name:
            return f"{loader.source()}/{kata.name}/{kata.name}.py:{entry.lineno + 1} in {entry.name}()"
    return ""


def first_failure(excinfo):
    """Hypothesis reports several distinct failures of one spec as an ExceptionGroup ("Hypothesis found 4
    distinct failures"), which says nothing: the learner reads one failure as if it were the only one, a
    spec's own sentence (an assertion) before an error from deep inside."""
    if excinfo is None or not isinstance(excinfo.value, BaseExceptionGroup) or not _failures(excinfo.value):
        return excinfo
    first = min(_failures(excinfo.value), key=lambda error: not isinstance(error, (Assertion, Failed)))
    return pytest.ExceptionInfo.from_exc_info((type(first), first, first.__traceback__ or excinfo.tb))


def failures(excinfo) -> int:
    """How many failures `excinfo` holds: those of a group, else 1."""
    return len(_failures(excinfo.value)) if excinfo is not None and isinstance(excinfo.value, BaseExceptionGroup) \
        else 1


def _failures(group: BaseExceptionGroup) -> list[BaseException]:
    return [leaf for error in group.exceptions
            for leaf in (_failures(error) if isinstance(error, BaseExceptionGroup) else [error])]


def todo(kata: manifest.Kata, step: manifest.Step, excinfo) -> str:
    """A stub's NotImplementedError, said in one line: where the TODO is and which step (the stub's English
    TODO names it; the Chinese says it first in Chinese)."""
    where = kata_frame(kata, excinfo) or f"{loader.source()}/{kata.name}/{kata.name}.py"
    return say("spec.todo", where=where, todo=excinfo.value, label=step_label(step))


def sentence(kata: manifest.Kata, excinfo, longrepr) -> str:
    """The spec's own sentence for an assertion or pytest.fail; for an error, the error and its line."""
    if isinstance(longrepr, str):
        return longrepr
    if excinfo is None:
        return str(longrepr or "")
    if excinfo.errisinstance(Assertion):
        return sentence_first(str(excinfo.value).split("\nassert ")[0]).strip() or say("spec.assertion_failed")
    if excinfo.errisinstance(Failed):  # pytest.fail(...): the message is the teaching text
        return str(excinfo.value)
    where = kata_frame(kata, excinfo)
    text = f"{excinfo.typename}: {excinfo.value}"
    explained = idioms.explain(excinfo.value)
    if explained:
        text = f"{explained}\n  ({text})"
    return say("spec.raised_at", text=text, where=where) if where else text


NUMPY_HEADERS = ("Not equal to tolerance", "Arrays are not equal", "Arrays are not almost equal", "Items are not equal")
DETAIL_LINES = 6  # lines of numpy's comparison kept under the sentence


def sentence_first(text: str) -> str:
    """numpy.testing's failures put the spec's err_msg after a header and before the arrays: the sentence
    goes first, then a few lines of the comparison (long arrays cut)."""
    lines = text.strip("\n").splitlines()
    if not lines or not lines[0].startswith(NUMPY_HEADERS):
        return text
    rest = lines[1:]
    start = next((i for i, line in enumerate(rest) if line.startswith(("Mismatch", "(shapes", " x:", " ACTUAL",
                                                                       "Max ", "x and y"))), len(rest))
    said, comparison = rest[:start], [lines[0], *rest[start:]]
    if not said:
        return text
    kept = [line if len(line) <= 100 else line[:97] + "..." for line in comparison[:DETAIL_LINES]]
    more = len(comparison) - len(kept)
    return "\n".join([*said, *(f"  {line}" for line in kept), *([say("spec.more_lines", more=more)] if more else [])])
