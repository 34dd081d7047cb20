"""Which katas/ a submission holds, and grading one learner (every kata in its own processes) or a class."""

from __future__ import annotations

import os
import secrets
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from katakit import manifest, workspace
from katakit.grading import integrity, reports
from katakit.grading.model import Grade, Limits
from katakit.grading.restarts import run_kata
from katakit.learner.commands import pristine_stub
from katakit.paths import ROOT
from katakit.run import warm
from katakit.run.sandbox import NONE, Sandbox

SKIP_DIRS = {".git", ".venv", "venv", "__pycache__", "node_modules", ".hypothesis", ".pytest_cache"}


def find_katas(submission: Path, katas: tuple[manifest.Kata, ...], scratch: Path) -> tuple[Path, str]:
    """The katas/ folder to grade: the submission's own, or the stubs with its loose <kata>.py files over them."""
    if (submission / "katas").is_dir():
        return submission / "katas", ""
    folder = scratch / "katas"
    shutil.copytree(ROOT / "katas", folder, ignore=workspace.IGNORE)
    wanted = {f"{k.name}.py": k for k in katas}
    found: dict[str, Path] = {}
    for directory, subdirs, files in os.walk(submission):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIP_DIRS and not d.startswith("."))
        for name in sorted(files):
            if name in wanted and name not in found:
                found[name] = Path(directory) / name
    for name, path in found.items():
        kata = wanted[name]
        kata.folder(scratch).mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, kata.stub(scratch))
    if not found:
        return folder, f"{submission} has no katas/ folder and no kata file: graded as the untouched stubs."
    listed = ", ".join(str(p.relative_to(submission)) for p in found.values())
    return folder, f"{submission} has no katas/ folder: graded its loose kata files ({listed}) over the stubs."


def grade(submission: Path, *, katas: tuple[manifest.Kata, ...] | None = None, limits: Limits | None = None,
          jobs: int = 1, learner: str | None = None, on_kata=None, sandbox: Sandbox = NONE,
          seed: int | None = None, warm_runner: bool = True) -> Grade:
    """Grade one submission: every kata in its own process(es) inside `sandbox`, `jobs` katas at a time,
    each forked from one warm server (`warm_runner`) or a fresh process. `seed`: the Hypothesis seed
    (None: a fresh one, recorded in the grade)."""
    notes: list[str] = []
    katas = tuple(katas if katas is not None else manifest.katas())
    limits = limits or Limits()
    seed = secrets.randbelow(2**32) if seed is None else seed
    submission = submission.resolve()
    started = time.monotonic()
    deadline = started + limits.total if limits.total else None
    scratch = Path(tempfile.mkdtemp(prefix="katas-grade-"))
    try:
        source, note = find_katas(submission, katas, scratch)
        root = workspace.make(source, scratch / "ws")
        runs = scratch / "runs"  # the warm server's socket and every kata process's files
        runs.mkdir()
        sandbox.expose(scratch)
        flags, unparsed = _screen(katas, root)
        server = warm.Server(runs, sandbox, root=root) if warm_runner else None
        runner = warm.Runner(server, sandbox, say=notes.append)

        def one(kata):
            result = run_kata(kata, root, limits, runs, runner, deadline=deadline, seed=seed)
            if kata.name in unparsed:
                result.note = unparsed[kata.name]
            if on_kata:
                on_kata(result)
            return result

        try:
            with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
                results = list(pool.map(one, katas))
        finally:
            if server:
                server.close()
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Grade(learner or submission.name, submission, results, time.monotonic() - started,
                 [note, *notes] if note else notes, flags, sandbox.description, seed, limits)


def _screen(katas, root: Path) -> tuple[dict[str, list[str]], dict[str, str]]:
    """The static screen's flags of each kata file, but those its untouched stub raises too (the given code),
    and which files do not parse (with the line)."""
    flags, unparsed = {}, {}
    for kata in katas:
        path = kata.stub(root)
        if not path.exists():
            continue
        try:
            found = integrity.screen(path)
        except integrity.ParseError as error:
            unparsed[kata.name] = f"katas/{kata.name}/{kata.name}.py {error}"
            continue
        untouched = pristine_stub(kata) or kata.stub(ROOT).read_text(encoding="utf-8")  # zip: no git, stubs as given
        given = {flag.split(": ", 1)[1] for flag in integrity.screen_source(untouched)}
        found = [flag for flag in found if flag.split(": ", 1)[1] not in given]
        if found:
            flags[kata.name] = found
    return flags, unparsed


def learners(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
                  and p.name not in SKIP_DIRS)


def grade_all(folder: Path, out: Path, katas, limits: Limits, jobs: int, sandbox: Sandbox = NONE,
              seed: int | None = None, warm_runner: bool = True) -> list[Grade]:
    """Every learner folder in `folder`, `jobs` learners at a time (each learner's katas one after another)."""
    people = learners(folder)
    if not people:
        raise SystemExit(f"{folder} holds no submission folders (one folder per learner)")
    lock = threading.Lock()
    done = []

    def one(path: Path) -> Grade:
        result = grade(path, katas=katas, limits=limits, jobs=1, learner=path.name, sandbox=sandbox, seed=seed,
                       warm_runner=warm_runner)
        reports.write(result, out / path.name)
        with lock:
            done.append(result)
            problems = "; ".join(f"{r.kata.name}: {r.problems()}" for r in result.katas if r.problems())
            print(f"[{len(done):>{len(str(len(people)))}}/{len(people)}] {result.learner:<30} "
                  f"{f'{result.score:.2f} / {result.max_score:g}':>15} {result.seconds:7.1f} s  {problems}".rstrip(),
                  flush=True)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        grades = list(pool.map(one, people))
    reports.gradebook(grades, katas, out / "gradebook.csv")
    return grades
