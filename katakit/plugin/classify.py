"""Each spec ends in exactly one SpecOutcome (katakit/outcome.py): its kind decided once, from the exception,
its message composed once (compose.py), handed to the hook `pytest_katas_outcome` after its teardown."""

from __future__ import annotations

import errno

import pytest

from katakit import guard, manifest
from katakit.outcome import Kind, SpecOutcome, cap
from katakit.plugin import collect, compose, learner, notes
from katakit.plugin.limits import SpecTimedOut

_PHASES = pytest.StashKey[list]()  # (when, kind, message, detail, seconds) of each phase of a spec
_GUARD = pytest.StashKey[guard.Guard]()


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """The guard's snapshot, once every plugin is in place and before any kata code has run."""
    if session.config.getoption("--guard"):
        session.config.stash[_GUARD] = guard.Guard(session.config, session.items)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    raised = call.excinfo  # pytest's unittest plugin swaps a unittest.SkipTest for a skip raised outside the kata
    report = (yield).get_result()
    report.sections = [(title, cap(text)) for title, text in report.sections]
    kata = item.stash.get(collect.KATA, None)
    if kata is None or item.stash.get(guard.CANARY, False):
        return
    phases = item.stash.setdefault(_PHASES, [])
    if item.stash.get(learner.STOPPED, False):
        if not phases:  # its setup: the phases after it change nothing
            phases.append((call.when, Kind.NOT_RUN, "", "", 0.0))
        return
    kind = kind_of(kata, compose.first_failure(raised or call.excinfo), report)
    excinfo = compose.first_failure(call.excinfo)
    if kind == Kind.TODO:
        # pytest's own report says the TODO in one line too
        report.longrepr = compose.todo(kata, item.stash[collect.STEP], excinfo)
    message = detail = ""
    if kind != Kind.PASSED:
        message = compose.message(item, kind, excinfo, report, compose.failures(call.excinfo))
        detail = compose.detail(report)
    phases.append((call.when, kind, message, detail, report.duration))


def kind_of(kata: manifest.Kata, excinfo, report) -> Kind:
    """What happened in one phase of a spec, decided from the exception."""
    if report.passed:
        return Kind.PASSED
    if report.skipped:
        return Kind.SKIPPED_BY_KATA if compose.kata_frame(kata, excinfo) else Kind.SKIPPED_BY_SPECS
    if excinfo.errisinstance(SpecTimedOut):
        return Kind.TIMEOUT
    if excinfo.errisinstance(NotImplementedError):
        return Kind.TODO
    if excinfo.errisinstance(SystemExit):
        return Kind.EXITED
    if excinfo.errisinstance(OSError) and excinfo.value.errno == errno.EFBIG:
        return Kind.TOO_LARGE
    if excinfo.errisinstance((compose.Assertion, compose.Failed)):
        return Kind.ASSERTION
    return Kind.ERROR


@pytest.hookimpl(hookwrapper=True, tryfirst=True)  # outermost: pytest's warnings plugin records first
def pytest_runtest_protocol(item, nextitem):
    protocol = yield
    kata = item.stash.get(collect.KATA, None)
    if kata is None:
        return
    phases = item.stash.get(_PHASES, [])
    _, kind, message, detail, _ = next((p for p in phases if p[1] != Kind.PASSED), ("", Kind.PASSED, "", "", 0.0))
    if kind == Kind.PASSED and (protocol.excinfo or "call" not in [p[0] for p in phases]):
        # pytest itself failed around the spec (the kata broke something it relies on): no pass without a call
        error = protocol.excinfo[1] if protocol.excinfo else "the spec's call was never reported"
        kind, message = Kind.ERROR, compose.harness_failed(item, error)
    tampered = item.config.stash[_GUARD].check(item) if _GUARD in item.config.stash else ""
    if tampered:
        kind, message = Kind.TAMPERED, compose.tampered(tampered)
    result = SpecOutcome(item.nodeid, kata.name, item.stash[collect.STEP].id, kind, message, detail,
                         round(sum(p[4] for p in phases), 6), notes.of(item))
    item.config.hook.pytest_katas_outcome(outcome=result, config=item.config)
