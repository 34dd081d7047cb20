"""PrairieLearn's results.json, from one grading of a kata a learner uploaded: the external grader's entrypoint.

PrairieLearn runs a question's external grader (its info.json's externalGradingOptions: image, entrypoint,
serverFilesCourse, timeout of at most 600 s, enableNetworking) in a container that sees /grade/student (the
uploaded files), /grade/tests, /grade/serverFilesCourse and /grade/data/data.json. The grader writes
/grade/results/results.json, at most 1 MB, and exits 0:

    {"gradable": true, "score": 0..1, "message": ..., "output": ...,
     "tests": [{"name", "description", "points", "max_points", "message", "output"}, ...]}

(per-test points show only when every test has both). A submission that could not be graded through no fault
of its own is `"gradable": false`, which costs the learner no attempt.

Each question of `make prairielearn` grades one kata: /grade/student/<kata>.py over the untouched stubs, with
the harness in /grade/serverFilesCourse/keras-katas, as `make grade` does (one kata at a time: the grader has
0.9 of a CPU). Its score is the kata's share of specs passed; each spec is one test, worth an equal share of
the kata's points.

Time and memory of grading a reference solution (warm runner, bubblewrap) on PrairieLearn's default grader, 0.9 CPU
and 2 GiB: in a cgroup of 0.9 CPU, first_network took 33 s (0.43 GB at most) and vgg16_classify, the slowest, 51 s.
vgg16_classify's specs hold one VGG16 at a time, so with the grader's own limit at 2 GiB (--memory-limit-gb 2)
its reference passes every spec, its processes peaking at 1.9 GB; counted as a cgroup counts them (pages shared
after a fork once, the warm server included), the container holds 1.9 GB, plus 0.2 GB of mapped files.
TIMEOUT gives the slowest about six times its time; the grading itself stops TOTAL_TIMEOUT seconds in, so that a
submission that hangs still gets its results.

    python -m katakit.grading.platforms.prairielearn KATA [--grade /grade]   # autograder/prairielearn runs it
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from katakit import manifest
from katakit.grading import reports, verdicts
from katakit.grading.model import Grade, KataResult
from katakit.grading.platforms import common
from katakit.run import sandbox

TIMEOUT = 300  # s: the questions' externalGradingOptions.timeout (PrairieLearn allows at most 600)
TOTAL_TIMEOUT = TIMEOUT - 30.0  # s for the grading: Python's start and the results' writing fit in the rest
LIMIT = 1_000_000  # bytes of results.json (PrairieLearn: "limited to 1 MB")


def results(grade: Grade) -> dict:
    """results.json for a grading of one kata."""
    (result,) = grade.katas
    kata, counted = result.kata, result.counted
    passed = sum(s.passed for s in counted)
    return {
        "gradable": True,
        "score": result.score / kata.points if kata.points else 0.0,
        "message": (f"{passed} of {len(counted)} specs passed: {result.score:.2f} / {kata.points:g} points."
                    if counted else f"No spec ran: {result.note or 'the grading stopped first.'}"),
        "output": "\n".join([*grade.notes, *reports.table(grade), "",
                             f"sandbox: {grade.sandbox}; Hypothesis seed {grade.seed}",
                             "`make test` runs the same specs step by step."]),
        "tests": tests(result),
    }


def tests(result: KataResult) -> list[dict]:
    """One test per spec that carries points (a skip of the specs' own carries none, and shows as 0 of 0)."""
    kata = result.kata
    if not result.specs:
        return [{"name": "no spec ran", "description": kata.title, "points": 0, "max_points": kata.points,
                 "message": (result.note or "no spec ran.").splitlines()[0], "output": result.note}]
    share = result.spec_points()
    found = []
    for spec in result.specs:
        step = kata.step(spec.step) if spec.step else None
        worth = round(share, 6) if spec.counted else 0
        text = spec.message or verdicts.word(spec.kind)
        found.append({"name": spec.name, "description": step.label if step else kata.title,
                      "points": worth if spec.passed else 0, "max_points": worth,
                      "message": text.splitlines()[0], "output": text})
    return found


def fit(found: dict, limit: int = LIMIT) -> str:
    """results.json as text of at most `limit` bytes: the longest messages and outputs are cut first."""
    text = json.dumps(found)
    cap = max([len(found["output"]), *(len(t["output"]) for t in found["tests"])])
    while len(text.encode("utf-8")) > limit and cap > 0:
        cap //= 2
        shorter = [{**t, "message": _cut(t["message"], cap), "output": _cut(t["output"], cap)}
                   for t in found["tests"]]
        found = {**found, "output": _cut(found["output"], cap), "tests": shorter}
        text = json.dumps(found)
    if len(text.encode("utf-8")) > limit:  # more tests than fit even bare: the score, and no list
        text = json.dumps({**found, "output": "", "tests": [],
                           "message": found["message"] + " (too many specs to list within 1 MB)"})
    return text


def _cut(text: str, cap: int) -> str:
    return text if len(text) <= cap else text[:cap] + " [...]"


def not_gradable(why: str) -> dict:
    """A submission this grader could not grade, through no fault of the learner's: no attempt is spent."""
    return {"gradable": False, "score": 0.0, "message": why, "format_errors": [why], "output": "", "tests": []}


def grade_question(kata_name: str, grade_root: Path, total: float) -> dict:
    try:
        kata = manifest.kata(kata_name)
    except KeyError as error:
        return not_gradable(f"this question's grader is set up wrong: {error.args[0]}")
    student = grade_root / "student"
    if not (student / f"{kata.name}.py").is_file():
        return not_gradable(f"no {kata.name}.py was submitted: upload your katas/{kata.name}/{kata.name}.py.")
    try:
        box = common.pick_sandbox()
    except sandbox.Unavailable as error:
        return not_gradable(f"the grader cannot isolate the kata here: {error}")
    print(f"grading {student}/{kata.name}.py within {total:.0f} s; sandbox: {box.description}", flush=True)
    return results(common.grade_submission(student, (kata,), total=total, jobs=1, box=box))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m katakit.grading.platforms.prairielearn", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kata", help="the question's kata")
    parser.add_argument("--grade", type=Path, default=Path("/grade"), metavar="DIR",
                        help="PrairieLearn's job folder (default: /grade)")
    parser.add_argument("--total-timeout", type=float, default=TOTAL_TIMEOUT, metavar="S",
                        help=f"time limit of the grading (default: {TOTAL_TIMEOUT:g} s)")
    args = parser.parse_args(argv)
    try:
        found = grade_question(args.kata, args.grade, args.total_timeout)
    except Exception as error:  # noqa: BLE001 -- the learner gets a result and keeps the attempt, whatever broke
        found = not_gradable(f"the grader failed ({type(error).__name__}: {error}); try again, or tell your "
                             "instructor")
    out = args.grade / "results"
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(fit(found), encoding="utf-8")
    print(f"{out / 'results.json'}: score {found['score']:.3f}" if found["gradable"] else found["message"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
