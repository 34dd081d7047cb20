"""Grade learners' katas: `make grade`, `make grade-all`, and a Gradescope autograder.

    python -m katakit.grade [--submission DIR] [--out results]     # one learner: DIR/katas (default: ./katas)
    python -m katakit.grade --all DIR [--out results]              # a class: every folder in DIR is a learner

Only `katas/` comes from a submission, and only its regular files (katakit/grading/intake.py: no link,
FIFO, device, compiled extension or .pth file, at most --max-mb and --max-files). The specs, conftest.py
and this harness always come from the repository (katakit/workspace.py builds a scratch copy), so editing
tests/ or conftest.py changes nothing. A submission without a `katas/` folder (e.g. files uploaded to
Gradescope) is graded from the `<kata>.py` files found anywhere in it, over the untouched stubs.

A kata whose files raise a tampering flag of the static screen is held for review: 0 points, with the
status `held for review: <flags>`, until you release it (--release LEARNER:KATA, or --flagged score).

Each kata runs in its own pytest process. A spec that runs past its time limit (ten times its reference's
time in tests/spec_times.json, with a floor; or --spec-timeout) fails with "timed out after N s"
(pytest-timeout stops it; if it cannot, the grader stops the process), and a spec during which the process
crashes (segfault, os.abort), exits (os._exit), floods the output or holds more memory than the limit fails
saying so; the grader then runs that kata's remaining specs in a fresh process. Every kata also has a total
time limit. So a broken kata costs only its own specs' points.

Points per kata come from curriculum.toml and are split equally across its specs. Reports:
results.json in Gradescope's autograder format, junit.xml beside it, and a table on the terminal;
`--all` adds gradebook.csv (one row per learner, one column per kata, and the total) and one folder of
reports per learner.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import time
from pathlib import Path

from katakit import manifest
from katakit.grading import class_report, intake, reports
from katakit.grading.model import KATA_TIMEOUT, MEMORY_LIMIT_GB, OUTPUT_LIMIT_MB, Limits
from katakit.grading.review import Review, release
from katakit.grading.submissions import grade, grade_all, learner_name, learners
from katakit.grading.supervise import MECHANISM
from katakit.paths import ROOT
from katakit.run import processes, sandbox
from katakit.run.sandbox import NONE


def main(argv=None) -> int:
    args = parse(argv)
    for which in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
        signal.signal(which, _stopped)
    try:
        katas = tuple(manifest.kata(n) for n in args.kata) if args.kata else manifest.katas()
    except KeyError as error:
        return _refuse(error.args[0])
    if not katas:
        return _refuse("curriculum.toml lists no kata")
    limits = Limits(spec=args.spec_timeout, kata=args.kata_timeout, output_mb=args.output_limit_mb,
                    total=args.total_timeout, memory_gb=args.memory_limit_gb)
    if args.jobs < 1:
        return _refuse(f"--jobs must be 1 or more, got {args.jobs}")
    for flag, value in (("--spec-timeout", args.spec_timeout), ("--memory-limit-gb", args.memory_limit_gb)):
        if value is not None and not value > 0:
            return _refuse(f"{flag} must be more than 0, got {value:g}")
    try:
        args.out.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        return _refuse(f"cannot write the reports to {args.out}: {error.strerror}")
    folder = args.all or args.submission
    problem = _not_a_folder(folder)
    if problem:
        return _refuse(f"{problem}: give the folder that holds the learner's katas/ "
                       f"({'one folder per learner' if args.all else 'or their <kata>.py files'})")
    if args.max_mb <= 0 or args.max_files < 1:
        return _refuse("--max-mb and --max-files must be above 0")
    caps = intake.Caps(args.max_mb, args.max_files)
    try:
        released = frozenset(release(text, {k.name for k in katas}) for text in args.release or ())
    except ValueError as error:
        return _refuse(str(error))
    known = {p.name for p in learners(args.all)} if args.all else {learner_name(args.submission)}
    unknown = sorted({learner for learner, _ in released} - known - {""})
    if unknown:
        where = f"no learner folder {', '.join(unknown)} in {args.all}" if args.all else \
            f"the submission is {learner_name(args.submission)}, not {', '.join(unknown)}"
        return _refuse(f"--release: {where}")
    review = Review(hold=args.flagged == "hold", released=released)
    try:
        box = NONE if args.no_sandbox else sandbox.container() if args.sandbox == "container" else sandbox.bubblewrap()
    except sandbox.Unavailable as error:
        return _refuse(str(error))

    if args.all:
        started = time.monotonic()
        print(f"grading every learner in {args.all}: {len(katas)} kata(s) each, {args.jobs} learners at a time; "
              f"{limits.memory_gb:g} GB of memory per kata; sandbox: {box.description}", flush=True)
        grades = grade_all(args.all, args.out, katas, limits, args.jobs, sandbox=box, seed=args.seed,
                           warm_runner=not args.cold, caps=caps, review=review)
        class_report.write(grades, katas, args.out)
        print(f"\ngradebook: {args.out / 'gradebook.csv'} ({len(grades)} learners, "
              f"{time.monotonic() - started:.0f} s); each learner's reports in {args.out}/<learner>/")
        return 0

    print(f"grading {args.submission.resolve()}: {len(katas)} kata(s), each in its own process "
          f"({limits.describe_spec()}, {limits.kata:g} s per kata, {limits.memory_gb:g} GB of memory); "
          f"sandbox: {box.description}", flush=True)
    result = grade(args.submission, katas=katas, limits=limits, jobs=args.jobs, sandbox=box, seed=args.seed,
                   warm_runner=not args.cold, caps=caps, review=review,
                   on_kata=lambda r: print(f"  {r.kata.name}: {r.score:.2f} / {r.kata.points:g}"
                                           f"{' (held for review)' if r.unheld is not None else ''}", flush=True))
    reports.write(result, args.out)
    for note in result.notes:
        print(note)
    print("\n".join(["", *reports.table(result), ""]))
    print(f"reports: {args.out / 'results.json'} (Gradescope), {args.out / 'junit.xml'}")
    return 0


def parse(argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m katakit.grade", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    which = parser.add_mutually_exclusive_group()
    which.add_argument("--submission", type=Path, default=ROOT, metavar="DIR",
                       help="grade DIR/katas (default: this checkout's katas/)")
    which.add_argument("--all", type=Path, metavar="DIR", help="grade every learner folder in DIR")
    parser.add_argument("--out", type=Path, default=Path("results"), help="where reports go (default: results/)")
    parser.add_argument("--kata", action="append", metavar="NAME", help="only this kata (repeatable)")
    parser.add_argument("--jobs", type=int, default=2,
                        help="processes at a time: learners with --all, else katas (default: 2)")
    parser.add_argument("--spec-timeout", type=float, metavar="S",
                        help=f"one time limit for every spec (default: {Limits().describe_spec()}, "
                             "from tests/spec_times.json)")
    parser.add_argument("--memory-limit-gb", type=float, default=MEMORY_LIMIT_GB, metavar="N",
                        help=f"memory a kata's processes may hold together (default: {MEMORY_LIMIT_GB:g}); "
                             f"enforced by {MECHANISM}")
    parser.add_argument("--kata-timeout", type=float, default=KATA_TIMEOUT, metavar="S",
                        help=f"time limit per kata, all its specs together (default: {KATA_TIMEOUT:g} s)")
    parser.add_argument("--total-timeout", type=float, metavar="S",
                        help="time limit for one submission, all katas together (default: none); "
                             "katas still running then fail with what they have")
    parser.add_argument("--output-limit-mb", type=int, default=OUTPUT_LIMIT_MB, metavar="MB",
                        help=f"largest file (output) a kata's process may write (default: {OUTPUT_LIMIT_MB})")
    parser.add_argument("--seed", type=int, metavar="N",
                        help="the Hypothesis seed (default: a fresh one per submission, recorded in results.json); "
                             "give the recorded one to rerun a disputed grade exactly")
    parser.add_argument("--max-mb", type=float, default=intake.MAX_MB, metavar="MB",
                        help=f"the most a submission's katas/ may hold; files past it are not copied "
                             f"(default: {intake.MAX_MB:g})")
    parser.add_argument("--max-files", type=int, default=intake.MAX_FILES, metavar="N",
                        help=f"the most files and folders a submission's katas/ may hold "
                             f"(default: {intake.MAX_FILES:,})")
    parser.add_argument("--flagged", choices=("hold", "score"), default="hold",
                        help="a kata whose files raise a tampering flag: hold it for review at 0 points (default), "
                             "or score it as its specs say")
    parser.add_argument("--release", action="append", metavar="[LEARNER:]KATA",
                        help="score this held kata as its specs say, after you have read its flags (repeatable; "
                             "LEARNER is the submission folder's name; without it, every learner's)")
    parser.add_argument("--cold", action="store_true",
                        help="start every kata process afresh instead of forking it from a warm server")
    box = parser.add_mutually_exclusive_group()
    box.add_argument("--sandbox", choices=("bubblewrap", "container"), default="bubblewrap",
                     help="how kata processes are isolated (default: bubblewrap; container: inside a container "
                          "that forbids bubblewrap, as an unprivileged user; needs root)")
    box.add_argument("--no-sandbox", action="store_true",
                     help="run kata processes with your own rights: only for submissions you trust")
    return parser.parse_args(argv)


def _not_a_folder(path: Path) -> str:
    """'' if `path` is a folder (or a link to one: the instructor named it), else why not, in a few words."""
    shown = str(path) if len(str(path)) <= 100 else f"{str(path)[:60]}...({len(str(path)):,} characters)"
    try:
        if path.is_dir():
            return ""
        if path.is_symlink():
            return f"{shown} is a symbolic link that leads to no folder (a loop, or a missing target)"
        return f"{shown} is not a folder"
    except OSError as error:
        return f"{shown} cannot be read ({error.strerror})"


def _refuse(line: str) -> int:
    print(f"katakit.grade: {line}", file=sys.stderr)
    return 2


def _stopped(signum, _frame) -> None:
    """Ctrl-C, SIGTERM, SIGHUP: stop every kata process first, then end (reports of a stopped run are not written)."""
    processes.stop_all()
    print(f"\ngrading stopped by {signal.Signals(signum).name}: every kata process it started is stopped",
          file=sys.stderr, flush=True)
    os._exit(128 + signum)


if __name__ == "__main__":
    sys.exit(main())
