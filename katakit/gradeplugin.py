"""Pytest plugin for the grader (katakit/grade.py): a log line as each spec starts and as it ends.

The grader runs each kata's specs in a pytest process of their own. If that process dies while a spec
runs (a segfault, os.abort(), os._exit(), a hang the grader has to kill), this log says which specs had
finished and which one was running: only that spec is lost, and the grader runs the rest in a new process.
Loaded with `-p katakit.gradeplugin --grade-log=PATH`; without --grade-log it does nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from katakit import plugin


def pytest_addoption(parser):
    parser.getgroup("katas").addoption("--grade-log", metavar="PATH",
                                       help="append a JSON line as each spec starts and ends (the grader's log)")


class _Log:
    def __init__(self, path: str):
        self.file = open(path, "a", encoding="utf-8")  # noqa: SIM115 -- open for the whole session
        self.skipped_at: dict[str, str] = {}

    def write(self, **record) -> None:
        # One write and a flush per line: whatever kills the process later, the line is in the file.
        self.file.write(json.dumps(record) + "\n")
        self.file.flush()

    @pytest.hookimpl(trylast=True)
    def pytest_collection_finish(self, session):
        specs = []
        for item in session.items:
            marker = item.get_closest_marker("step")
            specs.append({"nodeid": item.nodeid, "step": marker.args[0] if marker and marker.args else ""})
        self.write(collected=specs)

    @pytest.hookimpl(hookwrapper=True)
    def pytest_runtest_protocol(self, item, nextitem):
        self.write(start=item.nodeid)
        yield
        entry = item.config.stash[plugin._STATE].outcomes.get(item.nodeid)
        if entry is not None:
            self.write(end={**entry, "skipped_at": self.skipped_at.get(item.nodeid, "")})

    def pytest_runtest_logreport(self, report):
        # Where a skip was raised: the specs' own skips are not the learner's doing, a skip raised
        # from the kata's code is (the grader counts that one as failed).
        if report.skipped and isinstance(report.longrepr, tuple):
            self.skipped_at[report.nodeid] = str(report.longrepr[0])

    def pytest_sessionfinish(self, session):
        self.write(finished=True)


def pytest_configure(config):
    path = config.getoption("--grade-log")
    if path:
        config.pluginmanager.register(_Log(str(Path(path))), "katas-grade-log")
