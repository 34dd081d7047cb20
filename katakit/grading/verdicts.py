"""What each kind of outcome tells the learner in the grader's reports, and how a process died."""

from __future__ import annotations

import dataclasses
import os
import signal
from pathlib import Path

from katakit.outcome import Kind, SpecOutcome

WORDS = {
    Kind.PASSED: "passed", Kind.TIMEOUT: "timed out", Kind.CRASHED: "crashed", Kind.EXITED: "exited",
    Kind.TOO_LARGE: "flooded", Kind.NOT_RUN: "not run", Kind.SKIPPED_BY_SPECS: "skipped", Kind.TAMPERED: "tampered",
    Kind.OUT_OF_MEMORY: "over memory", Kind.HELD: "held for review",
}

SIGNALS = {
    signal.SIGSEGV: "a segmentation fault (SIGSEGV)",
    signal.SIGABRT: "an abort (SIGABRT: os.abort() or a failed check in native code)",
    signal.SIGBUS: "a bus error (SIGBUS)",
    signal.SIGFPE: "a floating-point exception (SIGFPE)",
    signal.SIGILL: "an illegal instruction (SIGILL)",
    signal.SIGKILL: "SIGKILL (out of memory?)",
    signal.SIGXFSZ: "writing a file past the size limit (SIGXFSZ)",
}

EXITS = "A kata's functions must return (or raise), never end the program."


def word(kind: Kind) -> str:
    """The one-word verdict of a kind: passed, failed, timed out, crashed, exited, flooded, ..."""
    return WORDS.get(kind, "failed")


def timed_out(spec_limit: float, stopped: bool = False) -> str:
    how = "the grader stopped its process" if stopped else "it was stopped"
    return (f"timed out after {spec_limit:g} s: this spec ran longer than its time limit, so {how}. "
            "Does the code loop forever, or wait for something that never comes?")


def flooded(output_mb: int) -> str:
    return (f"flooded the output: this spec wrote more than {output_mb} MB (the limit), so it was "
            "stopped. Is there a print() in a loop that never ends?")


def over_memory(limit_gb: float) -> str:
    return (f"used more than {limit_gb:g} GB of memory: the kata's processes together held more than the limit, "
            "so the grader stopped them. Does the code load or build something far larger than the tutorial "
            "does, or keep every result of a loop?")


def death(returncode: int, output_mb: int) -> tuple[Kind, str]:
    """(kind, text) for a process that ended in the middle of a spec."""
    if returncode < 0:
        if -returncode == signal.SIGXFSZ:
            return Kind.TOO_LARGE, flooded(output_mb)
        return Kind.CRASHED, f"crashed: the process running this spec died of {signal_name(-returncode)}."
    return Kind.EXITED, (f"exited: the process running this spec ended with exit status {returncode} "
                      f"before the spec finished. Does the kata call os._exit() or sys.exit()? {EXITS}")


def signal_name(number: int) -> str:
    try:
        sig = signal.Signals(number)
    except ValueError:
        return f"signal {number}"
    return SIGNALS.get(sig, sig.name)


def crash_context(tail: str, root: Path) -> str:
    """Python's faulthandler dump ("Fatal Python error: ...") from the output, with the frames of the kata
    and the specs only (not pytest's), paths relative to the project; '' if there is none."""
    start = tail.rfind("Fatal Python error")
    if start < 0:
        return ""
    lines = [line.replace(f"{root}{os.sep}", "") for line in tail[start:].splitlines()
             if "site-packages" not in line and "<frozen" not in line and not line.startswith("Extension modules")]
    return "\n".join(lines).strip()


def graded(outcome: SpecOutcome, spec_limit: float, output_mb: int) -> SpecOutcome:
    """The outcome of a spec that ran to its end in pytest, its message now the text of its verdict."""
    message, detail = outcome.message.strip(), outcome.detail.strip()
    text = f"{message}\n\n{detail}" if detail and detail != message else message
    if outcome.kind == Kind.SKIPPED_BY_SPECS:
        text = f"skipped by the specs, not counted: {message}"
    elif outcome.kind == Kind.SKIPPED_BY_KATA:
        text = (f"skipped by the kata's own code (katas/{outcome.kata}/{outcome.kata}.py): a skip counts as "
                f"failed.\n{message}")
    elif outcome.kind == Kind.TIMEOUT:
        text = f"{timed_out(spec_limit)}\n\n{detail}"
    elif outcome.kind == Kind.EXITED:
        text = f"exited: the kata's code called sys.exit() (SystemExit) during this spec. {EXITS}\n\n{text}"
    elif outcome.kind == Kind.TOO_LARGE:
        text = f"{flooded(output_mb)}\n\n{text}"
    return dataclasses.replace(outcome, message=text.strip() if not outcome.passed else "")
