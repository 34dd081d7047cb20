"""Grade learners' katas: `make grade`, `make grade-all`, and a Gradescope autograder.

    python -m katakit.grade [--submission DIR] [--out results]     # one learner: DIR/katas (default: ./katas)
    python -m katakit.grade --all DIR [--out results]              # a class: every folder in DIR is a learner

Only `katas/` comes from a submission. The specs, conftest.py and this harness always come from the
repository (katakit/workspace.py builds a scratch copy), so editing tests/ or conftest.py changes nothing.
A submission without a `katas/` folder (e.g. files uploaded to Gradescope) is graded from the `<kata>.py`
files found anywhere in it, over the untouched stubs.

Each kata runs in its own pytest process. A spec that runs past its time limit fails with "timed out after
N s" (pytest-timeout stops it; if it cannot, the grader stops the process), and a spec during which the
process crashes (segfault, os.abort), exits (os._exit) or floods the output fails saying so; the grader then
runs that kata's remaining specs in a fresh process. Every kata also has a total time limit. So a broken
kata costs only its own specs' points.

Points per kata come from curriculum.toml and are split equally across its specs. Reports:
results.json in Gradescope's autograder format, junit.xml beside it, and a table on the terminal;
`--all` adds gradebook.csv (one row per learner, one column per kata, and the total) and one folder of
reports per learner.
"""

from __future__ import annotations

import argparse
import contextlib
import csv
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from katakit import manifest, workspace
from katakit.paths import ROOT

SPEC_TIMEOUT = 60.0  # s per spec: the slowest reference spec takes a few seconds
KATA_TIMEOUT = 600.0  # s per kata, all its specs and restarts together: the backstop
OUTPUT_LIMIT_MB = 1024  # largest file a kata's process may write (its captured output included)
OUTPUT_CAP = 4000  # characters of output kept per spec in the reports
MAX_FRUITLESS = 5  # restarts in a row whose process died before any spec finished: then give up
POLL = 0.1  # s between looks at a running process


@dataclass(frozen=True)
class Limits:
    spec: float = SPEC_TIMEOUT
    kata: float = KATA_TIMEOUT
    output_mb: int = OUTPUT_LIMIT_MB
    total: float | None = None  # s for the whole grading of one submission (e.g. under Gradescope's timeout)

    @property
    def grace(self) -> float:
        """How long past its limit a spec may run before the grader kills its process (pytest-timeout
        stops it first when it can: not inside C code, nor inside Hypothesis, which swallows the stop)."""
        return 2.0 + 0.1 * self.spec


@dataclass
class Spec:
    nodeid: str
    step: manifest.Step | None
    verdict: str  # passed, failed, timed out, crashed, exited, flooded, not run, skipped
    output: str = ""
    seconds: float = 0.0
    counted: bool = True  # False: skipped by the specs themselves, so it carries no points

    @property
    def passed(self) -> bool:
        return self.verdict == "passed"

    @property
    def name(self) -> str:
        return self.nodeid.split("::", 1)[-1]


@dataclass
class KataResult:
    kata: manifest.Kata
    specs: list[Spec]
    seconds: float
    note: str = ""  # what went wrong outside any spec (e.g. the spec file did not collect)

    @property
    def counted(self) -> list[Spec]:
        return [s for s in self.specs if s.counted]

    @property
    def score(self) -> float:
        counted = self.counted
        return self.kata.points * sum(s.passed for s in counted) / len(counted) if counted else 0.0

    def spec_points(self) -> float:
        return self.kata.points / len(self.counted) if self.counted else 0.0

    def problems(self) -> str:
        counts: dict[str, int] = {}
        for spec in self.counted:
            if spec.verdict not in ("passed", "failed"):
                counts[spec.verdict] = counts.get(spec.verdict, 0) + 1
        text = ", ".join(f"{n} {verdict}" for verdict, n in counts.items())
        return "; ".join(t for t in (text, self.note.splitlines()[0] if self.note else "") if t)


@dataclass
class Grade:
    learner: str
    submission: Path
    katas: list[KataResult]
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def score(self) -> float:
        return round(sum(k.score for k in self.katas), 2)

    @property
    def max_score(self) -> float:
        return round(sum(k.kata.points for k in self.katas), 2)


# --- one kata, in processes of its own -----------------------------------------------------------

@dataclass
class _Attempt:
    collected: list[dict] | None = None
    ended: dict[str, dict] = field(default_factory=dict)
    finished: bool = False
    running: str | None = None  # the spec running when the process ended or was stopped
    verdict: str = ""  # what happened to `running`
    text: str = ""
    out_of_time: bool = False  # the kata's own time limit stopped it
    returncode: int | None = None
    tail: str = ""


class _LogReader:
    def __init__(self, path: Path):
        self.path, self.offset, self.partial = path, 0, ""

    def records(self) -> list[dict]:
        if not self.path.exists():
            return []
        with self.path.open("rb") as file:
            file.seek(self.offset)
            data = file.read()
        self.offset += len(data)
        text = self.partial + data.decode("utf-8", errors="replace")
        *lines, self.partial = text.split("\n")
        result = []
        for line in lines:
            try:
                result.append(json.loads(line))
            except ValueError:
                continue  # a line the kata's code garbled: ignore it
        return result


SIGNALS = {
    signal.SIGSEGV: "a segmentation fault (SIGSEGV)",
    signal.SIGABRT: "an abort (SIGABRT: os.abort() or a failed check in native code)",
    signal.SIGBUS: "a bus error (SIGBUS)",
    signal.SIGFPE: "a floating-point exception (SIGFPE)",
    signal.SIGILL: "an illegal instruction (SIGILL)",
    signal.SIGKILL: "SIGKILL (out of memory?)",
    signal.SIGXFSZ: "writing a file past the size limit (SIGXFSZ)",
}


def _death(returncode: int, limits: Limits) -> tuple[str, str]:
    """(verdict, explanation) for a process that ended in the middle of a spec."""
    if returncode < 0:
        if -returncode == signal.SIGXFSZ:
            return "flooded", _flooded(limits)
        return "crashed", f"crashed: the process running this spec died of {_signal(-returncode)}."
    return "exited", (f"exited: the process running this spec ended with exit status {returncode} "
                      "before the spec finished. Does the kata call os._exit() or sys.exit()? "
                      "A kata's functions must return (or raise), never end the program.")


def _signal(number: int) -> str:
    try:
        sig = signal.Signals(number)
    except ValueError:
        return f"signal {number}"
    return SIGNALS.get(sig, sig.name)


def _flooded(limits: Limits) -> str:
    return (f"flooded the output: this spec wrote more than {limits.output_mb} MB (the limit), so it was "
            "stopped. Is there a print() in a loop that never ends?")


def _tail(path: Path, chars: int = 20000) -> str:
    try:
        with path.open("rb") as file:
            file.seek(max(0, path.stat().st_size - chars))
            return file.read().decode("utf-8", errors="replace")
    except OSError:
        return ""


def _crash_context(tail: str, root: Path) -> str:
    """Python's faulthandler dump ("Fatal Python error: ...") from the output, with the frames of the kata
    and the specs only (not pytest's), paths relative to the project; '' if there is none."""
    start = tail.rfind("Fatal Python error")
    if start < 0:
        return ""
    lines = [line.replace(f"{root}{os.sep}", "") for line in tail[start:].splitlines()
             if "site-packages" not in line and "<frozen" not in line and not line.startswith("Extension modules")]
    return "\n".join(lines).strip()


def _kill(process: subprocess.Popen) -> None:
    """Stop the process and anything it started (it leads its own process group)."""
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(process.pid, signal.SIGKILL)


def _attempt(kata: manifest.Kata, root: Path, nodeids: list[str] | None, limits: Limits,
             budget: float, which: str, scratch: Path, env: dict) -> _Attempt:
    """One pytest process over `nodeids` (None: the whole spec file), watched until it ends or is stopped."""
    log = Path(tempfile.mkstemp(prefix="log-", suffix=".jsonl", dir=scratch)[1])
    out = Path(tempfile.mkstemp(prefix="out-", suffix=".txt", dir=scratch)[1])
    command = [sys.executable, "-c", LAUNCH, str(limits.output_mb * 1024 * 1024),
               "-m", "pytest", "-q", "--tb=short", "-p", "katakit.gradeplugin",
               f"--grade-log={log}", f"--timeout={limits.spec:g}", "--timeout-method=signal",
               *(nodeids if nodeids is not None else [str(kata.spec(root).relative_to(root))])]
    result = _Attempt()
    reader = _LogReader(log)
    with out.open("wb") as sink:
        process = subprocess.Popen(command, cwd=root, stdin=subprocess.DEVNULL, stdout=sink,
                                   stderr=subprocess.STDOUT, env=env, start_new_session=True)
    try:
        started = time.monotonic()
        since = started

        def read():
            nonlocal since
            for record in reader.records():
                if "collected" in record:
                    result.collected = record["collected"]
                elif "start" in record:
                    result.running, since = record["start"], time.monotonic()
                elif "end" in record:
                    result.ended[record["end"]["nodeid"]] = record["end"]
                    result.running = None
                elif "finished" in record:
                    result.finished = True

        victim = None
        while process.poll() is None:
            time.sleep(POLL)
            read()
            victim = result.running
            now = time.monotonic()
            if result.running and now - since > limits.spec + limits.grace:
                _kill(process)
                process.wait()
                result.verdict, result.text = "timed out", _timed_out(limits, stopped=True)
                break
            if now - started > budget:
                _kill(process)
                process.wait()
                result.out_of_time = True
                if result.running:
                    result.verdict = "timed out"
                    result.text = f"timed out: {which} ran out while this spec ran, so the grader stopped it."
                break
        read()
        if result.verdict:  # stopped by the grader: the verdict is the spec's that was running then
            result.running = victim
        result.returncode = process.returncode
        result.tail = _tail(out)
        if result.running and not result.verdict:  # it died (or pytest stopped) in the middle of a spec
            result.verdict, result.text = _death(process.returncode, limits)
            context = _crash_context(result.tail, root)
            if context:
                result.text += f"\n\n{context}"
    finally:
        _kill(process)  # whatever the kata left running
        process.wait()
        for path in (log, out):
            path.unlink(missing_ok=True)
    return result


# Runs first in the kata's process: no core dumps, no file (the captured output included) past the
# size limit, then exec pytest in the same process (so the grader's process id is pytest's).
LAUNCH = """import os, resource, sys
for which, value in ((resource.RLIMIT_CORE, 0), (resource.RLIMIT_FSIZE, int(sys.argv[1]))):
    try:
        resource.setrlimit(which, (value, value))
    except (OSError, ValueError):
        pass
os.execv(sys.executable, [sys.executable, *sys.argv[2:]])
"""


def _timed_out(limits: Limits, stopped: bool = False) -> str:
    how = ("the grader stopped its process" if stopped else "it was stopped")
    return (f"timed out after {limits.spec:g} s: this spec ran longer than its time limit, so {how}. "
            "Does the code loop forever, or wait for something that never comes?")


def _outcome(entry: dict, limits: Limits, workspace_root: Path) -> Spec:
    """A spec that ran to its end in pytest: its verdict and what to tell the learner."""
    message = entry.get("message", "") or ""
    learner = entry.get("learner_message", message) or ""
    details = message if message.strip() != learner.strip() else ""
    spec = Spec(entry["nodeid"], None, "passed", seconds=entry.get("duration", 0.0))
    if entry["outcome"] == "passed":
        return spec
    if entry["outcome"] == "skipped":
        where = entry.get("skipped_at", "")
        spec.verdict = "skipped"
        if _in_katas(where, workspace_root):
            where = os.path.relpath(Path(workspace_root, where), workspace_root)
            spec.output = f"skipped by the kata's own code ({where}): a skip counts as failed.\n{learner}"
        else:
            spec.counted = False
            spec.output = f"skipped by the specs, not counted: {learner}"
        return spec
    spec.verdict = "failed"
    text = f"{learner}\n\n{details}" if details else learner
    if any("from pytest-timeout" in text and "Timeout (>" in text for text in (message, learner)):
        spec.verdict, text = "timed out", f"{_timed_out(limits)}\n\n{message}"
    elif learner.startswith("SystemExit"):  # raised by the kata, not caught by the spec
        spec.verdict = "exited"
        text = ("exited: the kata's code called sys.exit() (SystemExit) during this spec. A kata's "
                f"functions must return (or raise), never end the program.\n\n{text}")
    elif "[Errno 27] File too large" in learner:
        spec.verdict, text = "flooded", f"{_flooded(limits)}\n\n{text}"
    spec.output = text
    return spec


def _in_katas(where: str, root: Path) -> bool:
    path = Path(where)
    path = path if path.is_absolute() else root / path
    try:
        path.resolve().relative_to((root / "katas").resolve())
        return True
    except ValueError:
        return False


def run_kata(kata: manifest.Kata, root: Path, limits: Limits, env: dict | None = None,
             deadline: float | None = None) -> KataResult:
    """Every spec of `kata` against the katas/ of the workspace `root`, restarting after a death.
    `deadline` (time.monotonic()) ends the kata early if the submission's total time limit comes first."""
    env = {**os.environ, **(env or {}), "PYTHONDONTWRITEBYTECODE": "1"}
    started = time.monotonic()
    scratch = Path(tempfile.mkdtemp(prefix="katas-grade-"))
    collected: list[dict] | None = None
    ended: dict[str, dict] = {}
    lost: dict[str, tuple[str, str]] = {}  # nodeid -> (verdict, text) of the specs whose process died
    left_out = ""  # why the specs still pending were not run
    note = ""
    fruitless = 0
    try:
        pending: list[str] | None = None
        while True:
            budget = limits.kata - (time.monotonic() - started)
            which = f"the kata's time limit ({limits.kata:g} s for all its specs)"
            if deadline is not None and deadline - time.monotonic() < budget:
                budget = deadline - time.monotonic()
                which = f"the time limit of the whole grading ({limits.total:g} s)"
            if budget <= 0:
                left_out = f"not run: {which} ran out first."
                break
            attempt = _attempt(kata, root, pending, limits, budget, which, scratch, env)
            if collected is None:
                collected = attempt.collected
            ended.update(attempt.ended)
            if attempt.running and attempt.verdict:
                lost[attempt.running] = (attempt.verdict, attempt.text)
            if collected is None:  # the spec file never collected: nothing to split the points over
                note = _no_specs(attempt)
                break
            pending = [s["nodeid"] for s in collected if s["nodeid"] not in ended and s["nodeid"] not in lost]
            if not pending:
                break
            if attempt.out_of_time:
                left_out = f"not run: {which} ran out first."
                break
            if attempt.running is None and not attempt.verdict:
                # pytest ended between specs without running them all (e.g. pytest.exit() from the kata)
                verdict, text = _death(attempt.returncode or 0, limits)
                left_out = f"not run: the process stopped between specs ({text})"
                break
            if attempt.ended:
                fruitless = 0
            elif attempt.verdict != "timed out":  # a hang costs its own time limit; a death costs a restart
                fruitless += 1
            if fruitless >= MAX_FRUITLESS:
                verdict = lost[attempt.running][0] if attempt.running in lost else "crashed"
                left_out = (f"not run: the kata's process {verdict} {MAX_FRUITLESS} times in a row before "
                            "any spec finished (at import time?); see the specs above for what happened.")
                break
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    if collected is None and not note:
        note = left_out or "no spec ran."
    steps = {s.id: s for s in kata.steps}
    specs = []
    for item in collected or []:
        nodeid = item["nodeid"]
        if nodeid in ended:
            spec = _outcome(ended[nodeid], limits, root)
        elif nodeid in lost:
            verdict, text = lost[nodeid]
            spec = Spec(nodeid, None, verdict, text)
        else:
            spec = Spec(nodeid, None, "not run", left_out or "not run.")
        spec.step = steps.get(item["step"])
        spec.output = _cap(spec.output)
        specs.append(spec)
    return KataResult(kata, specs, time.monotonic() - started, note)


def _no_specs(attempt: _Attempt) -> str:
    how = ""
    if attempt.out_of_time:
        how = " (it ran out of time)"
    elif attempt.returncode is not None and attempt.returncode < 0:
        how = f" (the process died of {_signal(-attempt.returncode)})"
    return _cap(f"no spec ran: the spec file did not collect{how}.\n{attempt.tail.strip()}")


def _cap(text: str) -> str:
    text = text.strip()
    if len(text) <= OUTPUT_CAP:
        return text
    return text[:OUTPUT_CAP] + f"\n... [{len(text) - OUTPUT_CAP} more characters cut]"


# --- one learner ------------------------------------------------------------------------------------

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


def grade(submission: Path, *, katas: tuple[manifest.Kata, ...] | None = None, limits: Limits = Limits(),
          jobs: int = 1, learner: str | None = None, on_kata=None) -> Grade:
    """Grade one submission: every kata in its own process(es), `jobs` katas at a time."""
    katas = tuple(katas if katas is not None else manifest.katas())
    submission = submission.resolve()
    started = time.monotonic()
    deadline = started + limits.total if limits.total else None
    scratch = Path(tempfile.mkdtemp(prefix="katas-grade-"))
    try:
        source, note = find_katas(submission, katas, scratch)
        root = workspace.make(source, scratch / "ws")

        def one(kata):
            result = run_kata(kata, root, limits, deadline=deadline)
            if on_kata:
                on_kata(result)
            return result

        with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
            results = list(pool.map(one, katas))
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return Grade(learner or submission.name, submission, results, time.monotonic() - started,
                 [note] if note else [])


# --- reports --------------------------------------------------------------------------------------

def table(grade: Grade) -> list[str]:
    """One line per kata, and the total."""
    width = max([len(k.kata.name) for k in grade.katas] + [5])
    lines = [f" #  {'kata':<{width}}  {'passed':>7}  {'score':>15}  {'time':>8}  notes"]
    for result in grade.katas:
        counted = result.counted
        passed = f"{sum(s.passed for s in counted)}/{len(counted)}"
        score = f"{result.score:.2f} / {result.kata.points:g}"
        lines.append(f"{result.kata.number:>2}  {result.kata.name:<{width}}  {passed:>7}  {score:>15}  "
                     f"{result.seconds:6.1f} s  {result.problems()}".rstrip())
    total = f"{grade.score:.2f} / {grade.max_score:g}"
    lines.append(f"    {'total':<{width}}  {'':>7}  {total:>15}  {grade.seconds:6.1f} s")
    return lines


def gradescope(grade: Grade) -> dict:
    """The autograder results.json Gradescope reads: one test per spec, the kata's points split across them."""
    tests = []
    for result in grade.katas:
        kata = result.kata
        if not result.specs:
            tests.append({"name": f"{kata.name}: no spec ran", "number": f"{kata.number}",
                          "score": 0.0, "max_score": kata.points, "status": "failed",
                          "output": result.note or "no spec ran."})
            continue
        points = result.spec_points()
        for index, spec in enumerate(result.specs, start=1):
            step = f"step {spec.step.number} ({spec.step.title})" if spec.step else "step ?"
            worth = round(points, 6) if spec.counted else 0.0
            tests.append({
                "name": f"{kata.name}: {step}: {spec.name}",
                "number": f"{kata.number}.{index}",
                "score": worth if spec.passed else 0.0,
                "max_score": worth,
                "status": "passed" if spec.passed or not spec.counted else "failed",
                "output": spec.output if not spec.passed else "passed",
            })
    summary = "\n".join(table(grade))
    notes = "\n".join(grade.notes)
    return {
        "score": grade.score,
        "max_score": grade.max_score,
        "execution_time": round(grade.seconds),
        "output": f"{notes}\n\n{summary}".lstrip("\n") + "\n\nRun `make test` to see the same specs step by step.",
        "visibility": "visible",
        "stdout_visibility": "hidden",
        "tests": tests,
    }


def junit(grade: Grade) -> ET.ElementTree:
    suites = ET.Element("testsuites", name="keras-katas", time=f"{grade.seconds:.3f}")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for result in grade.katas:
        suite = ET.SubElement(suites, "testsuite", name=result.kata.name, time=f"{result.seconds:.3f}")
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        cases = result.specs or [Spec(f"{result.kata.name}::no spec ran", None, "not run", result.note)]
        for spec in cases:
            classname = f"{result.kata.name}.{spec.step.id}" if spec.step else result.kata.name
            case = ET.SubElement(suite, "testcase", classname=classname, name=spec.name, time=f"{spec.seconds:.3f}")
            counts["tests"] += 1
            if not spec.counted:
                ET.SubElement(case, "skipped", message=spec.output.splitlines()[0] if spec.output else "")
                counts["skipped"] += 1
            elif not spec.passed:
                first = spec.output.splitlines()[0] if spec.output else spec.verdict
                failure = ET.SubElement(case, "failure", message=first[:300], type=spec.verdict)
                failure.text = spec.output
                counts["failures"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
    for key, value in totals.items():
        suites.set(key, str(value))
    ET.indent(suites)
    return ET.ElementTree(suites)


def write_reports(grade: Grade, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(gradescope(grade), indent=1) + "\n", encoding="utf-8")
    junit(grade).write(out / "junit.xml", encoding="utf-8", xml_declaration=True)


def gradebook(grades: list[Grade], katas: tuple[manifest.Kata, ...], path: Path) -> None:
    """One row per learner, one column per kata (its score), and the total."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["learner", *[k.name for k in katas], "total"])
        for grade in sorted(grades, key=lambda g: g.learner):
            scores = {r.kata.name: r.score for r in grade.katas}
            writer.writerow([grade.learner, *[f"{scores.get(k.name, 0.0):.2f}" for k in katas],
                             f"{grade.score:.2f}"])


# --- command line -----------------------------------------------------------------------------------

def learners(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")
                  and p.name not in SKIP_DIRS)


def grade_all(folder: Path, out: Path, katas, limits: Limits, jobs: int) -> list[Grade]:
    """Every learner folder in `folder`, `jobs` learners at a time (each learner's katas one after another)."""
    people = learners(folder)
    if not people:
        raise SystemExit(f"{folder} holds no submission folders (one folder per learner)")
    lock = threading.Lock()
    done = []

    def one(path: Path) -> Grade:
        result = grade(path, katas=katas, limits=limits, jobs=1, learner=path.name)
        write_reports(result, out / path.name)
        with lock:
            done.append(result)
            problems = "; ".join(f"{r.kata.name}: {r.problems()}" for r in result.katas if r.problems())
            print(f"[{len(done):>{len(str(len(people)))}}/{len(people)}] {result.learner:<30} "
                  f"{f'{result.score:.2f} / {result.max_score:g}':>15} {result.seconds:7.1f} s  {problems}".rstrip(),
                  flush=True)
        return result

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        grades = list(pool.map(one, people))
    gradebook(grades, katas, out / "gradebook.csv")
    return grades


def main(argv=None) -> int:
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
    parser.add_argument("--spec-timeout", type=float, default=SPEC_TIMEOUT, metavar="S",
                        help=f"time limit per spec (default: {SPEC_TIMEOUT:g} s)")
    parser.add_argument("--kata-timeout", type=float, default=KATA_TIMEOUT, metavar="S",
                        help=f"time limit per kata, all its specs together (default: {KATA_TIMEOUT:g} s)")
    parser.add_argument("--total-timeout", type=float, metavar="S",
                        help="time limit for one submission, all katas together (default: none); "
                             "katas still running then fail with what they have")
    parser.add_argument("--output-limit-mb", type=int, default=OUTPUT_LIMIT_MB, metavar="MB",
                        help=f"largest file (output) a kata's process may write (default: {OUTPUT_LIMIT_MB})")
    args = parser.parse_args(argv)
    try:
        katas = tuple(manifest.kata(n) for n in args.kata) if args.kata else manifest.katas()
    except KeyError as error:
        parser.error(error.args[0])
    limits = Limits(args.spec_timeout, args.kata_timeout, args.output_limit_mb, args.total_timeout)
    if not katas:
        parser.error("curriculum.toml lists no kata")

    if args.all:
        if not args.all.is_dir():
            parser.error(f"{args.all} is not a folder")
        started = time.monotonic()
        print(f"grading every learner in {args.all}: {len(katas)} kata(s) each, {args.jobs} learners at a time",
              flush=True)
        grades = grade_all(args.all, args.out, katas, limits, args.jobs)
        print(f"\ngradebook: {args.out / 'gradebook.csv'} ({len(grades)} learners, "
              f"{time.monotonic() - started:.0f} s); each learner's reports in {args.out}/<learner>/")
        return 0

    if not args.submission.is_dir():
        parser.error(f"{args.submission} is not a folder")
    print(f"grading {args.submission.resolve()}: {len(katas)} kata(s), each in its own process "
          f"({limits.spec:g} s per spec, {limits.kata:g} s per kata)", flush=True)
    result = grade(args.submission, katas=katas, limits=limits, jobs=args.jobs,
                   on_kata=lambda r: print(f"  {r.kata.name}: {r.score:.2f} / {r.kata.points:g}", flush=True))
    write_reports(result, args.out)
    for note in result.notes:
        print(note)
    print("\n".join(["", *table(result), ""]))
    print(f"reports: {args.out / 'results.json'} (Gradescope), {args.out / 'junit.xml'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
