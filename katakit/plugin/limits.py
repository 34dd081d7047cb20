"""Each kata spec's time limit, from its reference's time (katakit/timings.py), and the timer that stops it."""

from __future__ import annotations

import signal
import threading

import pytest

from katakit import timings
from katakit.plugin import collect

REFERENCE = pytest.StashKey[float | None]()  # learner mode, grading: the reference's time for this spec


class SpecTimedOut(pytest.fail.Exception):
    """A spec ran past its time limit: raised by our timer for pytest-timeout's signal method."""


@pytest.hookimpl(trylast=True)  # after collect.py has told each spec's kata
def pytest_collection_modifyitems(config, items):
    """In learner mode each kata spec has a time limit from its reference's time, and in grading with --time-floor."""
    floor = config.getoption("--time-floor")
    if not config.getoption("--learner") and floor is None:
        return
    times = timings.load(config.rootpath)
    for item in items:
        if collect.KATA in item.stash:
            item.stash[REFERENCE] = times.get(item.nodeid)
            item.add_marker(pytest.mark.timeout(limit(item), method="signal"))


def limit(item) -> float:
    """The time limit of a kata spec that has one, in seconds."""
    return timings.limit(item.stash[REFERENCE], item.config.getoption("--time-floor"))


@pytest.hookimpl(tryfirst=True, optionalhook=True)
def pytest_timeout_set_timer(item, settings):
    """pytest-timeout's signal method, raising SpecTimedOut so that the outcome knows it was a timeout."""
    if settings.method != "signal" or threading.current_thread() is not threading.main_thread():
        return None  # pytest-timeout's own timer

    def stop(signum, frame):
        __tracebackhide__ = True
        raise SpecTimedOut(f"Timeout (>{settings.timeout:g}s)")

    def cancel():
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)

    item.cancel_timeout = cancel
    signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, settings.timeout)
    return True
