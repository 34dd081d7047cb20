"""One record for a spec's outcome, its kinds, and the reader of the stream that carries it: data only.

This module is the contract between the kata's untrusted process and the trusted parents (the learner's
commands, `make check`, the grader): it imports no pytest. The plugin (katakit/plugin/) builds a SpecOutcome
once per spec, from the exception where it is known, and writes it to the stream (katakit/plugin/stream.py);
every parent reads the stream back with `Reader`. Nobody downstream parses message text to learn what happened.

The stream, one JSON object per line:
    {"collected": [{"nodeid": ..., "kata": ..., "step": ...}, ...]}   after collection
    {"start": nodeid}                                                  as a spec starts
    {"outcome": {SpecOutcome fields}}                                  as it ends
    {"finished": true}                                                 at the end of the session
A line that does not parse, or an outcome that is not a valid record, is ignored: the reader treats
that spec as never finished, which the grader scores as a failure, never as a crash of its own.

Sealed streams (grading): the harness gets a key that only it and the grader know (through a pipe,
never the command line, the environment or a file) and adds to each line its number and an HMAC of
both; a line without a valid seal, or out of order, means the kata wrote to the stream itself.
"""

from __future__ import annotations

import enum
import hashlib
import hmac
import json
from dataclasses import asdict, dataclass, fields
from pathlib import Path


class Kind(enum.StrEnum):
    """How a spec ended. A StrEnum: each kind is its string on the stream and in results.json."""

    PASSED = "passed"
    TODO = "todo"  # the stub's NotImplementedError
    ASSERTION = "assertion"  # a spec's assertion or pytest.fail: the spec said what is wrong
    ERROR = "error"  # any other exception from the kata's code or the spec
    TIMEOUT = "timeout"  # the spec ran past its time limit
    EXITED = "exited"  # SystemExit from the kata, or the process ended in the middle of the spec
    CRASHED = "crashed"  # the process died of a signal in the middle of the spec
    TOO_LARGE = "too_large"  # a file past the size limit (the output flooded)
    OUT_OF_MEMORY = "out_of_memory"  # the grader stopped the process: its memory went past the limit
    SKIPPED_BY_KATA = "skipped_by_kata"  # pytest.skip() from the kata's code: counts as failed
    SKIPPED_BY_SPECS = "skipped_by_specs"  # a skip of the specs' own (e.g. data not shipped): carries no points
    NOT_RUN = "not_run"  # never started: learner mode stopped the kata earlier, or grading ran out of time
    TAMPERED = "tampered"  # the kata changed the harness in its own process
    HELD = "held"  # the grader holds it for the instructor's review: the kata's files raise a tampering flag


PROCESS_KINDS = (Kind.TIMEOUT, Kind.EXITED, Kind.CRASHED, Kind.TOO_LARGE, Kind.OUT_OF_MEMORY)  # the supervisor's too

MESSAGE_CAP = 2000  # characters kept of a record's message and of its detail (and of a spec's captured output)


def cap(text: str) -> str:
    """`text` cut to MESSAGE_CAP characters, saying how many were cut: whoever makes a record caps its texts once."""
    if len(text) <= MESSAGE_CAP:
        return text
    return text[:MESSAGE_CAP] + f"\n... [{len(text) - MESSAGE_CAP} more characters cut]"


@dataclass(frozen=True)
class SpecOutcome:
    nodeid: str
    kata: str
    step: str  # the step id from curriculum.toml
    kind: Kind
    message: str = ""  # what the learner reads: the step label, then the spec's sentence
    detail: str = ""  # the original error and the traceback, for whoever wants more
    seconds: float = 0.0
    notes: str = ""  # short notes under the verdict, one per line (a Keras 2 idiom behind a warning)

    def __post_init__(self):
        try:
            kind = Kind(self.kind)  # a plain string (from JSON) becomes its Kind
        except ValueError:
            raise ValueError(f"unknown outcome kind {self.kind!r}") from None
        object.__setattr__(self, "kind", kind)

    @property
    def passed(self) -> bool:
        return self.kind == Kind.PASSED

    @property
    def counted(self) -> bool:
        """Whether it carries points: a skip of the specs' own does not."""
        return self.kind != Kind.SKIPPED_BY_SPECS

    @property
    def name(self) -> str:
        return self.nodeid.split("::", 1)[-1]

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data) -> SpecOutcome:
        """A record from untrusted JSON: every field checked, ValueError when anything is off."""
        if not isinstance(data, dict):
            raise ValueError("an outcome must be a JSON object")
        values = {}
        for field in fields(cls):
            value = data.get(field.name, 0.0 if field.name == "seconds" else "")
            wanted = float if field.name == "seconds" else str
            if wanted is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, wanted):
                raise ValueError(f"outcome field {field.name!r} must be {wanted.__name__}")
            values[field.name] = value
        return cls(**values)


def seal(key: bytes, number: int, record: dict) -> str:
    text = json.dumps(record, sort_keys=True)
    return hmac.new(key, f"{number}:{text}".encode(), hashlib.sha256).hexdigest()


class Reader:
    """Reads a stream, all at once or as it grows (call `update()` again for the new lines)."""

    def __init__(self, path: Path, key: bytes | None = None):
        self.path, self.key = Path(path), key
        self.offset, self.partial, self.number = 0, "", 0
        self.forged = False  # a sealed stream held a line the harness did not write
        self.collected: list[dict] | None = None
        self.outcomes: dict[str, SpecOutcome] = {}
        self.running: str | None = None  # the spec that started and has not ended
        self.finished = False

    def update(self) -> Reader:
        try:
            with self.path.open("rb") as file:
                file.seek(self.offset)
                data = file.read()
        except OSError:
            return self
        self.offset += len(data)
        *lines, self.partial = (self.partial + data.decode("utf-8", errors="replace")).split("\n")
        for line in lines:
            self._take(line)
        return self

    def _take(self, line: str) -> None:
        try:
            record = json.loads(line)
        except ValueError:
            return
        if not isinstance(record, dict) or not self._sealed(record):
            return
        if "collected" in record and self.collected is None:
            self.collected = _specs(record["collected"])
        elif isinstance(record.get("start"), str):
            self.running = record["start"]
        elif "outcome" in record:
            try:
                outcome = SpecOutcome.from_json(record["outcome"])
            except ValueError:
                return
            self.outcomes[outcome.nodeid] = outcome
            if self.running == outcome.nodeid:
                self.running = None
        elif record.get("finished") is True:
            self.finished = True

    def _sealed(self, record: dict) -> bool:
        if self.key is None:
            return True
        number, mark = record.pop("seq", None), record.pop("seal", None)
        if (number != self.number + 1 or not isinstance(mark, str)
                or not hmac.compare_digest(mark, seal(self.key, number, record))):
            self.forged = True
            return False
        self.number = number
        return True


def _specs(value) -> list[dict] | None:
    if not isinstance(value, list):
        return None
    keys = ("nodeid", "kata", "step")
    if not all(isinstance(v, dict) and all(isinstance(v.get(k), str) for k in keys) for v in value):
        return None
    return [{k: v[k] for k in keys} for v in value]


def read(path: Path) -> Reader:
    """The whole stream in `path`."""
    return Reader(path).update()
