"""Which katas/ a submission holds, and grading one learner (every kata in its own processes) or a class."""

from __future__ import annotations

import functools
import os
import secrets
import shutil
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from katakit import lang, manifest, structure, workspace
from katakit.grading import intake, integrity, reports
from katakit.grading.integrity import Flag
from katakit.grading.model import Grade, KataResult, Limits
from katakit.grading.restarts import run_kata
from katakit.grading.review import HOLD, Review, hold
from katakit.paths import ROOT
from katakit.run import runners, warm
from katakit.run.sandbox import NONE, Sandbox

# The messages in the reports stay English whatever the grader's locale (a learner's KATAS_LANG is theirs).
KATA_ENVIRON = {lang.VARIABLE: lang.ENGLISH}
SKIP_DIRS = {".git", ".venv", "venv", "__pycache__", "node_modules", ".hypothesis", ".pytest_cache"}


def take_katas(submission: Path, katas: tuple[manifest.Kata, ...], dest: Path,
               caps: intake.Caps) -> tuple[intake.Intake, dict[str, str], str]:
    """Copy the katas/ to grade into `dest` (regular files only, within the caps): the submission's own, or the
    stubs with its loose <kata>.py files over them. The intake, kata -> why its own file was not copied, and
    a note on where the katas came from ('' for a katas/ folder)."""
    names = [f"katas/{k.name}/{k.name}.py" for k in katas]
    if (submission / "katas").is_dir() or (submission / "katas").is_symlink():
        taken = intake.take(submission / "katas", dest, "katas", caps, first=names)
        return taken, {k.name: taken.verdict(name) for k, name in zip(katas, names, strict=True)
                       if taken.verdict(name)}, ""
    intake.take(ROOT / "katas", dest)  # the untouched stubs: the repository's own
    found = _loose(submission, {f"{k.name}.py": k for k in katas}, caps)
    taken, refused = intake.Intake(), {}
    for name, path in found.items():
        kata = next(k for k in katas if f"{k.name}.py" == name)
        shown = str(path.relative_to(submission))
        one = intake.take_file(path, shown, kata.stub(dest.parent), caps.bytes - taken.size)
        taken.refused.update(one.refused)
        taken.size += one.size
        if one.refused:
            refused[kata.name] = one.verdict(shown)
    intake.summarize(taken, submission.name)
    if not found:
        return taken, refused, f"{submission} has no katas/ folder and no kata file: graded as the untouched stubs."
    listed = ", ".join(str(p.relative_to(submission)) for p in found.values())
    return taken, refused, f"{submission} has no katas/ folder: graded its loose kata files ({listed}) over the stubs."


def _loose(submission: Path, wanted: dict[str, manifest.Kata], caps: intake.Caps) -> dict[str, Path]:
    """The first <kata>.py file of each kata anywhere in the submission (folders in name order, never through a
    link), looking at no more entries than the cap."""
    found: dict[str, Path] = {}
    seen = 0
    for directory, subdirs, files in os.walk(submission):
        subdirs[:] = sorted(d for d in subdirs if d not in SKIP_DIRS and not d.startswith("."))
        seen += len(subdirs) + len(files)
        for name in sorted(files):
            if name in wanted and name not in found:
                found[name] = Path(directory) / name
        if seen > caps.files:
            break
    return found


def grade(submission: Path, *, katas: tuple[manifest.Kata, ...] | None = None, limits: Limits | None = None,
          jobs: int = 1, learner: str | None = None, on_kata=None, sandbox: Sandbox = NONE,
          seed: int | None = None, warm_runner: bool = True, caps: intake.Caps = intake.CAPS,
          review: Review = HOLD) -> Grade:
    """Grade one submission: every kata in its own process(es) inside `sandbox`, `jobs` katas at a time,
    each forked from one warm server (`warm_runner`) or a fresh process. `seed`: the Hypothesis seed
    (None: a fresh one, recorded in the grade). `caps`: what the intake copies at most; `review`: which
    katas with a tampering flag are held."""
    notes: list[str] = []
    katas = tuple(katas if katas is not None else manifest.katas())
    limits = limits or Limits()
    seed = secrets.randbelow(2**32) if seed is None else seed
    learner = learner or learner_name(submission)
    submission = submission.resolve()  # a link to the submission: the instructor named it
    started = time.monotonic()
    deadline = started + limits.total if limits.total else None
    scratch = Path(tempfile.mkdtemp(prefix="katas-grade-"))
    try:
        root = workspace.harness(scratch / "ws")
        taken, refused, note = take_katas(submission, katas, root / "katas", caps)
        runs = scratch / "runs"  # the warm server's socket and every kata process's files
        runs.mkdir()
        sandbox.expose(scratch)
        flags, unparsed = _screen(katas, root, taken)
        server = warm.Server(runs, sandbox, root=root) if warm_runner else None
        runner = runners.make(server, sandbox, say=notes.append)

        def one(kata):
            if kata.name in refused:
                result = KataResult(kata, [], 0.0, refused[kata.name])
            else:
                result = run_kata(kata, root, limits, runs, runner, deadline=deadline, seed=seed,
                                  environ=KATA_ENVIRON)
            if kata.name in unparsed:
                result.note = unparsed[kata.name]
            tampering = [flag for flag in flags.get(kata.name, []) if flag.tampering]
            if tampering and review.holds(learner, kata.name):
                result = hold(result, tampering)
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
    return Grade(learner, submission, results, time.monotonic() - started,
                 [n for n in (note, *taken.notes, *notes) if n], flags, sandbox.description, seed, limits)


def _screen(katas, root: Path, taken: intake.Intake) -> tuple[dict[str, list[Flag]], dict[str, str]]:
    """The flags of each kata: the static screen of every Python file it can import, without the notes its
    untouched stub raises too (the given code), and what the intake refused; and which kata files do not
    parse (with the line)."""
    untouched = _untouched()
    names = list(untouched)  # every kata: a kata's folder is its own even when only some katas are graded
    flags, unparsed = integrity.screen_katas(root / "katas", names, integrity.katakit_imports(untouched.values()))
    flags = {k.name: flags[k.name] for k in katas if k.name in flags}
    for kata in (k.name for k in katas):
        own = f"katas/{kata}/{kata}.py"
        given = {flag.what for flag in integrity.screen_source(untouched[kata], own).flags}
        found = [f for f in flags.get(kata, []) if f.tampering or f.path != own or f.what not in given]
        for path, what in taken.refused.items():
            if kata in _owners(path, names):
                found.append(Flag(path, 0, f"{what}: not copied", tampering=what in intake.CODE))
        if found:
            flags[kata] = sorted(set(found))
        else:
            flags.pop(kata, None)
    return flags, unparsed


@functools.cache
def _untouched() -> dict[str, str]:
    """Each kata's stub as given: its newest all-TODO version in git (the autograder's zip has no git: its stubs
    are the given ones)."""
    return {k.name: structure.pristine_stub(k) or k.stub(ROOT).read_text(encoding="utf-8") for k in manifest.katas()}


def learner_name(submission: Path) -> str:
    """The learner's name: the submission folder's, as the instructor named it (a link keeps its own name)."""
    return Path(submission).name or Path(submission).resolve().name


def _owners(path: str, names: list[str]) -> list[str]:
    """The katas a path of the submission counts for: the kata of its folder in katas/, the kata of a loose
    <kata>.py, else every kata (what lies outside every kata's folder, any of them may import)."""
    parts = path.split("/")
    if parts[0] == "katas" and len(parts) > 2 and parts[1] in names:
        return [parts[1]]
    if parts[0] != "katas" and parts[-1].removesuffix(".py") in names:
        return [parts[-1].removesuffix(".py")]
    return names


def learners(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
                  and p.name not in SKIP_DIRS)


def grade_all(folder: Path, out: Path, katas, limits: Limits, jobs: int, sandbox: Sandbox = NONE,
              seed: int | None = None, warm_runner: bool = True, caps: intake.Caps = intake.CAPS,
              review: Review = HOLD) -> list[Grade]:
    """Every learner folder in `folder`, `jobs` learners at a time (each learner's katas one after another)."""
    people = learners(folder)
    if not people:
        raise SystemExit(f"{folder} holds no submission folders (one folder per learner)")
    lock = threading.Lock()
    done = []

    def one(path: Path) -> Grade:
        result = grade(path, katas=katas, limits=limits, jobs=1, learner=path.name, sandbox=sandbox, seed=seed,
                       warm_runner=warm_runner, caps=caps, review=review)
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
