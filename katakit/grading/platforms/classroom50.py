"""Classroom 50's result.json and release-body.md, from one grading of a learner's checkout.

Classroom 50 (foundation50/classroom50, the successor GitHub named for GitHub Classroom) grades a push in the
learner's repository with a workflow of its own: its runner.py fetches the assignment's bundle (the folder
`make classroom50` builds) and runs the bundle's autograder.py with the learner's checkout as the working
folder and no arguments. The environment holds CLASSROOM, ASSIGNMENT, SUBMISSION_TAG (submit/<time>-<sha>),
COMMIT_URL, RELEASE_URL, REVIEW_URL, OWNER, ASSIGNMENT_TYPE, CLASSROOM50_BUNDLE_DIR and GITHUB_*. The
autograder writes ./result.json, which the runner checks (runner.py, validate_result):

    schema "classroom50/result/v1"; classroom and assignment as in the environment; submission starting with
    "submit/"; non-empty commit, release, review and datetime; integer score <= integer max-score;
    tests[] of test-name (non-empty), passed (a boolean), integer score <= integer max-score

and ./release-body.md, the notes of the submission's release. A non-zero exit is an infrastructure error.
The runner itself sets owner, assignment_type, datetime (the commit's date) and graded_at before it checks.
The grading job, setup and release included, stops after 15 minutes.

Points: one test per kata, in whole points, as Classroom 50 requires. max-score is the kata's points in
curriculum.toml (points that are not whole are apportioned as below, so that they add up to the curriculum's
total, rounded). score is the kata's exact score (its max-score split equally across its specs, as results.json
splits the points) rounded down; the points lost to rounding in all (the exact total rounded half up, less the
sum rounded down) go one each to the katas with the largest remainders (largest-remainder rounding), but never
to make a kata with a failing spec whole (Classroom 50's own pytest grading keeps full points for an all-pass
run too). So the total is the exact total to the nearest point, less any point held back that way.

    python -m katakit.grading.platforms.classroom50 [--checkout DIR]   # what the bundle's autograder.py runs
"""

from __future__ import annotations

import argparse
import datetime
import json
import math
import os
import re
import sys
import time
from fractions import Fraction
from pathlib import Path

from katakit import manifest
from katakit.grading import reports, verdicts
from katakit.grading.model import Grade, KataResult
from katakit.grading.platforms import common
from katakit.run import sandbox

SCHEMA = "classroom50/result/v1"
RESULT, BODY = "result.json", "release-body.md"
REQUIRED = ("CLASSROOM", "ASSIGNMENT", "SUBMISSION_TAG", "COMMIT_URL", "RELEASE_URL")
TOTAL_TIMEOUT = 600.0  # s for the whole grading when not told (the bundle's autograder.py tells it)
BODY_CAP = 100_000  # characters of the release notes: GitHub refuses a release body past 125,000
FEEDBACK = ("These points are feedback: this repository's workflow graded them, and you control that workflow. "
            "The marks that count come from your instructor's own grading.")


def whole_points(results: list[KataResult]) -> list[tuple[int, int]]:
    """(score, max-score) of each kata in whole points (the module's docstring says how)."""
    maxima = largest_remainder([Fraction(r.kata.points) for r in results],
                               [math.ceil(r.kata.points) for r in results])
    exact = [Fraction(top * sum(s.passed for s in r.counted), len(r.counted)) if r.counted else Fraction(0)
             for r, top in zip(results, maxima, strict=True)]
    caps = [top if _solved(r) else max(top - 1, 0) for r, top in zip(results, maxima, strict=True)]
    return list(zip(largest_remainder(exact, caps), maxima, strict=True))


def largest_remainder(values: list[Fraction], caps: list[int]) -> list[int]:
    """Whole numbers, each `value` rounded down or up and at most its cap, adding up to the values' sum rounded
    half up where the caps allow: the largest remainders are rounded up first (the earlier kata on a tie)."""
    whole = [math.floor(v) for v in values]
    left = math.floor(sum(values, Fraction(0)) + Fraction(1, 2)) - sum(whole)
    for i in sorted(range(len(values)), key=lambda i: (whole[i] - values[i], i)):
        if left <= 0:
            break
        if values[i] > whole[i] and whole[i] < caps[i]:
            whole[i] += 1
            left -= 1
    return whole


def _solved(result: KataResult) -> bool:
    return bool(result.counted) and all(s.passed for s in result.counted)


def result_json(grade: Grade, environ: dict[str, str]) -> dict:
    """Classroom 50's result.json for `grade`, with the identity the runner gave in `environ`."""
    tests = [{"test-name": r.kata.name, "passed": _solved(r), "score": score, "max-score": top,
              "specs-passed": sum(s.passed for s in r.counted), "specs": len(r.counted)}
             for r, (score, top) in zip(grade.katas, whole_points(grade.katas), strict=True)]
    result = {
        "schema": SCHEMA,
        "classroom": environ["CLASSROOM"],
        "assignment": environ["ASSIGNMENT"],
        "submission": environ["SUBMISSION_TAG"],
        "commit": environ["COMMIT_URL"],
        "release": environ["RELEASE_URL"],
        "review": environ.get("REVIEW_URL") or environ["COMMIT_URL"],
        "datetime": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "score": sum(t["score"] for t in tests),
        "max-score": sum(t["max-score"] for t in tests),
        "tests": tests,
    }
    owner = environ.get("OWNER") or environ.get("USERNAME")  # the runner stamps both again; older ones did not
    if owner:
        result["owner"] = owner
    if environ.get("ASSIGNMENT_TYPE"):
        result["assignment_type"] = environ["ASSIGNMENT_TYPE"]
    return result


def release_body(grade: Grade, result: dict) -> str:
    """The release notes: the points, one line per kata, then each kata's failing specs with their messages."""
    lines = [f"### keras-katas: {result['score']}/{result['max-score']}", "", FEEDBACK, "",
             "| Kata | Specs passed | Points | Notes |", "|---|---|---|---|"]
    for r, test in zip(grade.katas, result["tests"], strict=True):
        title = _cell(f"{r.kata.number}. {r.kata.name}: {r.kata.title}")
        lines.append(f"| {title} | {test['specs-passed']}/{test['specs']} | {test['score']} / {test['max-score']} "
                     f"| {_cell(r.problems())} |")
    lines += ["", *(f"- {_cell(note)}" for note in grade.notes), ""] if grade.notes else [""]
    sections, cut = _failures(grade)
    lines += sections
    if cut:
        lines += [f"_{cut} more failing spec(s) are left out here: `make test` shows them all._", ""]
    lines += [f"Graded with this assignment's specs and harness (only `katas/` comes from the repository), each "
              f"kata in its own process; sandbox: {grade.sandbox}; Hypothesis seed {grade.seed}. "
              "Points: each kata's points split equally across its specs, in whole points. `make test` runs the "
              "same specs step by step.", ""]
    return "\n".join(lines)


def _failures(grade: Grade) -> tuple[list[str], int]:
    """A collapsed section per kata with a failing spec, within BODY_CAP; and how many failing specs it left out."""
    sections, size, cut = [], 0, 0
    for r in grade.katas:
        entries, shown = [], 0
        for name, message in _failing(r):  # each message as the grader composed it (capped there)
            entry = [f"**{_cell(name)}**", "", _fence(message), message, _fence(message), ""]
            if size + sum(len(x) + 1 for x in entry) > BODY_CAP:
                cut += 1
                continue
            size += sum(len(x) + 1 for x in entry)
            entries, shown = entries + entry, shown + 1
        if shown:
            sections += [f"<details><summary>{r.kata.name}: {shown} failing spec(s)</summary>", "", *entries,
                         "</details>", ""]
    return sections, cut


def _failing(result: KataResult) -> list[tuple[str, str]]:
    """(name, message) of each failing spec of a kata, or why no spec ran."""
    if not result.counted:
        return [("no spec ran", result.note or "no spec ran.")]
    return [(f"{result.kata.step(s.step).label}: {s.name}" if s.step else s.name, s.message or verdicts.word(s.kind))
            for s in result.counted if not s.passed]


def _fence(text: str) -> str:
    """A backtick fence longer than any run of backticks in `text`: the learner's output cannot close it."""
    return "`" * max(3, 1 + max((len(m) for m in re.findall(r"`+", text)), default=0))


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


def missing_identity(environ: dict[str, str]) -> list[str]:
    return [name for name in REQUIRED if not environ.get(name)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m katakit.grading.platforms.classroom50", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkout", type=Path, default=Path.cwd(),
                        help="the learner's checkout: its katas/ is graded, result.json and release-body.md "
                             "are written in it (default: the current folder)")
    parser.add_argument("--total-timeout", type=float, default=TOTAL_TIMEOUT, metavar="S",
                        help=f"time limit of the whole grading (default: {TOTAL_TIMEOUT:g} s)")
    parser.add_argument("--kata", action="append", metavar="NAME", help="only this kata (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="katas at a time (default: 2)")
    args = parser.parse_args(argv)
    try:
        katas = tuple(manifest.kata(n) for n in args.kata) if args.kata else manifest.katas()
    except KeyError as error:
        parser.error(error.args[0])
    missing = missing_identity(dict(os.environ))
    if missing:
        return _infrastructure(f"the environment lacks {', '.join(missing)}: Classroom 50's runner.py sets them "
                               "(this is the Classroom 50 autograder; `make grade` grades a folder by hand)")
    try:
        box = common.pick_sandbox()
    except sandbox.Unavailable as error:
        return _infrastructure(str(error))
    started = time.monotonic()
    print(f"grading {args.checkout.resolve()}/katas: {len(katas)} kata(s) within {args.total_timeout:.0f} s; "
          f"sandbox: {box.description}", flush=True)
    grade = common.grade_submission(args.checkout, katas, total=args.total_timeout, jobs=args.jobs, box=box)
    result = result_json(grade, dict(os.environ))
    (args.checkout / RESULT).write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    (args.checkout / BODY).write_text(release_body(grade, result), encoding="utf-8")
    print("\n".join(["", *reports.table(grade), "",
                     f"{RESULT}: {result['score']}/{result['max-score']} in whole points "
                     f"({time.monotonic() - started:.0f} s); {BODY}: every failing spec with its message"]))
    return 0


def _infrastructure(line: str) -> int:
    """Not graded: one line in the workflow's log, and a non-zero exit, which the runner reports as an error."""
    print(f"::error::keras-katas autograder: {line}", file=sys.stderr)
    return 1


if __name__ == "__main__":
    sys.exit(main())
