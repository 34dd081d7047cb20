"""Learner mode (--learner): each kata stops at its first failing spec, and the screen shows no row of dots."""

from __future__ import annotations

import pytest

from katakit import guard
from katakit.plugin import collect

STOPPED = pytest.StashKey[bool]()  # a spec learner mode did not run: its kata failed earlier
_FAILED_KATAS = pytest.StashKey[set]()


def pytest_configure(config):
    config.stash[_FAILED_KATAS] = set()


def pytest_runtest_setup(item):
    kata = item.stash.get(collect.KATA, None)
    if item.config.getoption("--learner") and kata and kata.name in item.config.stash[_FAILED_KATAS]:
        item.stash[STOPPED] = True
        pytest.skip(f"{kata.name}: fix the failing spec above first")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    report = (yield).get_result()
    kata = item.stash.get(collect.KATA, None)
    if report.failed and kata and not item.stash.get(guard.CANARY, False):
        item.config.stash[_FAILED_KATAS].add(kata.name)


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report, config):
    """The learner's screen has no row of dots: the learner's command prints the summary itself."""
    if config.getoption("--learner") and (report.when == "call" or not report.passed):
        return report.outcome, "", ""
    return None
