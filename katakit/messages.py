"""What a learner reads when a spec fails: the spec's sentence first, and where in their file it broke."""

from __future__ import annotations

from pathlib import Path

import pytest

from katakit import idioms, loader, manifest

# Taken now: the kata's code runs later, and may replace pytest.fail or builtins.AssertionError.
Failed, Assertion = pytest.fail.Exception, AssertionError
OUTPUT_CAP = 2000  # characters kept per message and per section of captured output


def cap(text: str, limit: int = OUTPUT_CAP) -> str:
    if len(text) <= limit:
        return text
    return text[:limit] + f"\n... [{len(text) - limit} more characters cut]"


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


def todo(kata: manifest.Kata, excinfo) -> str:
    """A stub's NotImplementedError, said in one line: where the TODO is and which step."""
    where = kata_frame(kata, excinfo) or f"{loader.source()}/{kata.name}/{kata.name}.py"
    return f"TODO {where}: {excinfo.value}"


def sentence(kata: manifest.Kata, excinfo, longrepr) -> str:
    """The spec's own sentence for an assertion or pytest.fail; for an error, the error and its line."""
    if isinstance(longrepr, str):
        return longrepr
    if excinfo is None:
        return str(longrepr or "")
    if excinfo.errisinstance(Assertion):
        return sentence_first(str(excinfo.value).split("\nassert ")[0]).strip() or "an assertion failed"
    if excinfo.errisinstance(Failed):  # pytest.fail(...): the message is the teaching text
        return str(excinfo.value)
    where = kata_frame(kata, excinfo)
    text = f"{excinfo.typename}: {excinfo.value}"
    explained = idioms.explain(excinfo.value)
    if explained:
        text = f"{explained}\n  ({text})"
    return f"{text}\n  raised at {where}" if where else text


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
    return "\n".join([*said, *(f"  {line}" for line in kept), *([f"  ... ({more} more lines)"] if more else [])])
