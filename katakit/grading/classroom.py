"""The points of a push on plain GitHub Actions, from one grading result: the payloads of an autograding reporter.

.github/workflows/classroom.yml shows the points through `classroom-resources/autograding-grading-reporter@v1`,
made for GitHub Classroom (closed on 2026-08-28), which needs no Classroom to log them. That action takes a list
of runner ids (its input `runners`, comma-separated), and for each id reads the environment variable
`<ID in capitals>_RESULTS`: Base64 of a JSON object

    {"version": 1, "status": "pass" | "fail" | "error", "max_score": <points>,
     "tests": [{"name", "status", "score", "message", "test_code", "filename", "line_no"}, ...]}

The total is the sum of `max_score` over the runners and of `score` over all their tests (floats are
fine); a runner whose status is "fail" or "error" fails the job. The action's log shows each test's name, with a
tick for status "pass", and "Total points for <runner>: <passed tests / tests * max_score>/<max_score>"; it
prints `message` only for status "error" and `test_code` only when it is not empty. (Read in the action's
src/main.js, src/notify-classroom.js, src/console-results.js and src/helpers/test-helpers.js, v1.)

So the format allows partial credit per spec, and that is what this writes: one runner per kata (its id is the
kata's name), whose `max_score` is the kata's points in curriculum.toml, and one test per spec that carries
points (`counted`), worth an equal share of them, as in results.json. A spec the specs themselves skip carries
no points and is left out: the log's pass count would otherwise disagree with the points. A kata where no spec
ran is one "error" test that says why.

    write(grade, out)                    # out/classroom.json, beside results.json, on every grading run
    python -m katakit.grading.classroom  # in the workflow: results/classroom.json -> $GITHUB_ENV, $GITHUB_OUTPUT

`grade` is the grader's result (katakit/grading/model.py): `grade.katas` is a list of KataResult, each with
`.kata`, `.counted` (its SpecOutcomes that carry points, each message the text of its verdict) and `.note`.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import re
import sys
from itertools import pairwise
from pathlib import Path

from katakit.grading import verdicts

FILE = "classroom.json"
GRID = 2**20  # a spec's share is a whole number of 1/GRID points, so the reporter's float sums are exact
MESSAGE_CAP = 1000  # characters of a failing spec's message in the payload (results.json keeps more)
ENV_LIMIT = 100_000  # characters of one payload: Linux refuses an environment variable past 128 KiB
RUNNER_ID = re.compile(r"[A-Za-z0-9_]+")  # the variable's name is built from it


def shares(points: float, n: int) -> list[float]:
    """`n` equal shares of `points`, to within 1/GRID, that add up to exactly `points` in floating point.

    10 points over 7 specs as 10/7 each would add up to 9.999999999999998: Classroom would show a solved kata
    short of full marks. Whole numbers of 1/GRID add up exactly in any order and any subset."""
    marks = [round(points * GRID * i / n) for i in range(n + 1)]
    return [(b - a) / GRID for a, b in pairwise(marks)]


def kata_result(result) -> dict:
    """The reporter's JSON for one kata's result."""
    kata = result.kata
    filename = f"tests/test_{kata.name}.py"
    counted = list(result.counted)
    if not counted:
        why = result.note or "no spec ran."
        return {"version": 1, "status": "error", "max_score": kata.points,
                "tests": [_test("no spec ran", "error", 0.0, why, filename)]}
    tests = [_test(f"{kata.step(spec.step).label}: {spec.name}" if spec.step else spec.name,
                   "pass" if spec.passed else "fail",
                   share if spec.passed else 0.0,
                   "" if spec.passed else (spec.message or verdicts.word(spec.kind)),
                   filename)
             for spec, share in zip(counted, shares(kata.points, len(counted)), strict=True)]
    status = "pass" if all(spec.passed for spec in counted) else "fail"
    return {"version": 1, "status": status, "max_score": kata.points, "tests": tests}


def _test(name: str, status: str, score: float, message: str, filename: str) -> dict:
    if len(message) > MESSAGE_CAP:
        message = message[:MESSAGE_CAP] + " [...]"
    return {"name": name, "status": status, "score": score, "message": message,
            "test_code": "", "filename": filename, "line_no": 0}


def results(grade) -> dict[str, dict]:
    """Runner id (the kata's name) -> the reporter's JSON, in curriculum order."""
    return {result.kata.name: kata_result(result) for result in grade.katas}


def encode(result: dict) -> str:
    """Base64 of the compact JSON, the form the reporter decodes; messages cut to their first line if the whole
    would not fit in one environment variable."""
    text = _base64(result)
    if len(text) > ENV_LIMIT:
        short = [{**t, "message": t["message"].split("\n", 1)[0][:200]} for t in result["tests"]]
        text = _base64({**result, "tests": short})
    return text


def _base64(result: dict) -> str:
    return base64.b64encode(json.dumps(result, separators=(",", ":")).encode("utf-8")).decode("ascii")


def payloads(grade) -> dict[str, str]:
    """Runner id -> the Base64 payload the reporter reads from `<ID>_RESULTS`."""
    return {runner: encode(result) for runner, result in results(grade).items()}


def write(grade, out: Path) -> Path:
    """Write out/classroom.json: every runner's JSON, readable, in curriculum order."""
    out.mkdir(parents=True, exist_ok=True)
    path = out / FILE
    path.write_text(json.dumps(results(grade), indent=1) + "\n", encoding="utf-8")
    return path


def export(runners: dict[str, dict], env_file: Path | None, output_file: Path | None) -> None:
    """Append `<ID>_RESULTS=<payload>` per runner to env_file ($GITHUB_ENV, seen by the later steps) and
    `runners=<id,id,...>` to output_file ($GITHUB_OUTPUT, for the reporter's input)."""
    for runner in runners:
        if not RUNNER_ID.fullmatch(runner):
            raise ValueError(f"runner id {runner!r}: only letters, digits and _ make a variable name")
    if env_file:
        with env_file.open("a", encoding="utf-8") as file:
            file.writelines(f"{runner.upper()}_RESULTS={encode(result)}\n" for runner, result in runners.items())
    if output_file:
        with output_file.open("a", encoding="utf-8") as file:
            file.write(f"runners={','.join(runners)}\n")


def summary(runners: dict[str, dict]) -> list[str]:
    """Each kata's points and every failing spec's message: the reporter's log shows names only."""
    lines = []
    for runner, result in runners.items():
        tests = result["tests"]
        score = sum(t["score"] for t in tests)
        passed = sum(t["status"] == "pass" for t in tests)
        lines.append(f"{runner}: {score:.2f} / {result['max_score']:g} ({passed}/{len(tests)} specs passed)")
        for test in tests:
            if test["status"] != "pass":
                lines.append(f"  x {test['name']}")
                # "| " in front: a line of the kata's output that starts with "::" is not a workflow command
                lines += [f"    | {line}" for line in test["message"].splitlines()]
    return lines


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m katakit.grading.classroom", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("results", nargs="?", type=Path, default=Path("results") / FILE,
                        help=f"the grader's {FILE} (default: results/{FILE})")
    args = parser.parse_args(argv)
    if not args.results.is_file():
        print(f"{args.results} is missing: grade first (make grade writes it beside results.json)", file=sys.stderr)
        return 1
    runners = json.loads(args.results.read_text(encoding="utf-8"))
    print("\n".join(summary(runners)))
    env_file, output_file = (Path(os.environ[name]) if os.environ.get(name) else None
                             for name in ("GITHUB_ENV", "GITHUB_OUTPUT"))
    export(runners, env_file, output_file)
    if env_file or output_file:
        print(f"exported {len(runners)} runner(s) for the autograding reporter: {','.join(runners)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
