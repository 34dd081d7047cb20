"""The hook that hands each spec's SpecOutcome on (`pytest_katas_outcome`), and the stream writer that
implements it (--outcomes PATH): JSON lines that the parents read back with katakit.outcome.Reader."""

from __future__ import annotations

import json
import os

import pytest

from katakit.outcome import SpecOutcome, seal
from katakit.plugin import collect


class OutcomeHooks:
    @pytest.hookspec
    def pytest_katas_outcome(self, outcome: SpecOutcome, config: pytest.Config) -> None:
        """A spec has ended: `outcome` says how. Called once per spec, after its teardown."""


class StreamWriter:
    """Appends the stream to a file; each line is written and flushed whole, so a process that dies
    later leaves every finished spec's line behind."""

    def __init__(self, path: str, key: bytes | None = None):
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 -- open for the whole session
        self.key, self.number = key, 0

    def write(self, record: dict) -> None:
        if self.key:
            self.number += 1
            record = {**record, "seq": self.number, "seal": seal(self.key, self.number, record)}
        self.file.write(json.dumps(record) + "\n")
        self.file.flush()

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session):
        self.write({"collected": [collect.identity(item) for item in session.items]})

    def pytest_runtest_logstart(self, nodeid):
        self.write({"start": nodeid})

    def pytest_katas_outcome(self, outcome: SpecOutcome):
        self.write({"outcome": outcome.to_json()})

    def pytest_sessionfinish(self):
        self.write({"finished": True})


def pytest_addhooks(pluginmanager):
    pluginmanager.add_hookspecs(OutcomeHooks)


def pytest_configure(config):
    path = config.getoption("--outcomes")
    if path:
        config.pluginmanager.register(StreamWriter(path, _read_key(config.getoption("--seal-fd"))),
                                      "katas-outcome-stream")


def _read_key(fd: int | None) -> bytes | None:
    if fd is None:
        return None
    with os.fdopen(fd, "rb") as pipe:  # read once, then closed: the kata never finds it open
        return pipe.read()
