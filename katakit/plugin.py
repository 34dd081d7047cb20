"""The pytest plugin behind conftest.py: kata sources, seeding, step order, learner mode, outcomes.

Every spec ends in exactly one SpecOutcome (katakit/outcome.py), built here from the exception where
it is known, and handed to the hook `pytest_katas_outcome`; `--outcomes PATH` streams them to PATH.
"""

from __future__ import annotations

import errno
import os
import shutil
import signal
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from katakit import env, guard, idioms, loader, manifest, messages, structure, timings
from katakit.outcome import OutcomeHooks, SpecOutcome, StreamWriter

settings.register_profile(
    "katas",
    deadline=None,  # TensorFlow's first call is slow; a deadline would only flake
    derandomize=True,  # the same examples every run: specs are deterministic
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("katas-grading", settings.get_profile("katas"), derandomize=False)
settings.load_profile("katas")

_KATA = pytest.StashKey[manifest.Kata]()
_STEP = pytest.StashKey[manifest.Step]()
_PHASES = pytest.StashKey[list]()  # (when, kind, message, detail, seconds) of each phase of a spec
# Taken now: the kata's code runs later, and may replace pytest.fail or builtins.AssertionError.
Failed, Assertion = pytest.fail.Exception, AssertionError
_FAILED_KATAS = pytest.StashKey[set]()
_GUARD = pytest.StashKey[guard.Guard]()
_REFERENCE = pytest.StashKey[float | None]()  # learner mode, grading: the reference's time for this spec
_NOTES = pytest.StashKey[dict]()  # nodeid -> the notes its warnings gave (katakit/idioms.py)


class SpecTimedOut(Failed):
    """A spec ran past its time limit: raised by our timer for pytest-timeout's signal method."""


_GRADING_SEED: int | None = None
_CONFIG: pytest.Config | None = None  # pytest_warning_recorded is not given the config


_SCRATCH: Path | None = None


def scratch() -> Path:
    """A folder for the files specs write (CSV files, photos): one per session, removed when it ends."""
    global _SCRATCH
    if _SCRATCH is None:
        _SCRATCH = Path(tempfile.mkdtemp(prefix="katas-specs-"))
    return _SCRATCH


def pytest_unconfigure(config):
    global _SCRATCH
    if _SCRATCH is not None:
        shutil.rmtree(_SCRATCH, ignore_errors=True)
        _SCRATCH = None


def grading_seed() -> int | None:
    """The seed of this grading run, or None outside grading: specs that feed fixed examples a learner
    could answer by rote vary them from it (tests/kit.py)."""
    return _GRADING_SEED


def kata_of(item) -> manifest.Kata | None:
    """The kata a spec belongs to, from its file name tests/test_<kata>.py."""
    stem = item.path.stem
    if not stem.startswith("test_"):
        return None
    try:
        return manifest.kata(stem.removeprefix("test_"))
    except KeyError:
        return None


def step_of(item, kata: manifest.Kata) -> manifest.Step:
    marker = item.get_closest_marker("step")
    if marker is None or not marker.args:
        raise pytest.UsageError(f"{item.nodeid}: every spec needs @pytest.mark.step(<step id>)")
    try:
        return kata.step(marker.args[0])
    except KeyError as error:
        raise pytest.UsageError(f"{item.nodeid}: {error.args[0]}") from None


def identity(item) -> dict:
    """nodeid, kata and step id of a collected spec ('' for files that are no kata's)."""
    kata, step = item.stash.get(_KATA, None), item.stash.get(_STEP, None)
    return {"nodeid": item.nodeid, "kata": kata.name if kata else "", "step": step.id if step else ""}


def pytest_addhooks(pluginmanager):
    pluginmanager.add_hookspecs(OutcomeHooks)


def pytest_addoption(parser):
    group = parser.getgroup("katas")
    group.addoption("--solutions", action="store_true",
                    help="run the specs against the reference solutions instead of katas/")
    group.addoption("--learner", action="store_true",
                    help="stop each kata at its first failing spec, and show no progress dots")
    group.addoption("--outcomes", metavar="PATH",
                    help="stream every spec's start and outcome to PATH as JSON lines (katakit/outcome.py)")
    group.addoption("--seal-fd", type=int, metavar="FD",
                    help="seal the outcome stream with the key read from file descriptor FD (grading)")
    group.addoption("--grading-seed", type=int, metavar="N",
                    help="grading: Hypothesis draws fresh examples (pass --hypothesis-seed=N too), and specs "
                         "vary their fixed examples from N (katakit.plugin.grading_seed)")
    group.addoption("--time-floor", type=float, metavar="S",
                    help="every kata spec's time limit is ten times its reference's (tests/spec_times.json), "
                         "at least S s (grading; learner mode's floor is KATAS_SPEC_TIME_FLOOR)")
    group.addoption("--guard", action="store_true",
                    help="notice a kata that tampers with the harness in this process (katakit/guard.py)")


def pytest_configure(config):
    config.addinivalue_line("markers", "step(id): the tutorial step (from curriculum.toml) a spec checks")
    os.environ[loader.SOURCE_ENV] = "solutions" if config.getoption("--solutions") else "katas"
    config.stash[_FAILED_KATAS] = set()
    config.stash[_NOTES] = {}
    global _CONFIG
    _CONFIG = config
    global _GRADING_SEED
    _GRADING_SEED = config.getoption("--grading-seed")
    if _GRADING_SEED is not None:
        settings.load_profile("katas-grading")
    path = config.getoption("--outcomes")
    if path:
        config.pluginmanager.register(StreamWriter(path, _read_key(config.getoption("--seal-fd"))),
                                      "katas-outcome-stream")


def _read_key(fd: int | None) -> bytes | None:
    if fd is None:
        return None
    with os.fdopen(fd, "rb") as pipe:  # read once, then closed: the kata never finds it open
        return pipe.read()


@pytest.hookimpl(trylast=True)
def pytest_collection_finish(session):
    """The guard's snapshot, once every plugin is in place and before any kata code has run."""
    if session.config.getoption("--guard"):
        session.config.stash[_GUARD] = guard.Guard(session.config, session.items)


def pytest_collection_modifyitems(config, items):
    """Specs run in curriculum order, and inside a kata in tutorial-step order; in learner mode each has a
    time limit from its reference's time (katakit/timings.py), and in grading with --time-floor."""
    katas = manifest.katas()
    floor = config.getoption("--time-floor")
    times = timings.load(config.rootpath) if config.getoption("--learner") or floor is not None else None
    order = {}
    for index, item in enumerate(items):
        kata = kata_of(item)
        if kata is None:
            order[item] = (len(katas) + 1, 0, index)
            continue
        step = step_of(item, kata)
        item.stash[_KATA] = kata
        item.stash[_STEP] = step
        order[item] = (kata.number, step.number, index)
        if times is not None:
            item.stash[_REFERENCE] = times.get(item.nodeid)
            item.add_marker(pytest.mark.timeout(timings.limit(item.stash[_REFERENCE], floor), method="signal"))
    items.sort(key=order.__getitem__)


@pytest.fixture(autouse=True)
def _seeded(request):
    """Every kata spec starts from the same seed, whatever ran before it."""
    if _KATA not in request.node.stash or os.environ.get("KATAS_SEED_KERAS") == "0":
        yield  # harness tests with fake katas that never touch Keras set KATAS_SEED_KERAS=0
        return
    import keras

    keras.utils.set_random_seed(env.SEED)
    keras.config.disable_interactive_logging()
    yield


def pytest_runtest_setup(item):
    kata = item.stash.get(_KATA, None)
    if item.config.getoption("--learner") and kata and kata.name in item.config.stash[_FAILED_KATAS]:
        item.stash[_PHASES] = [("setup", "not_run", "", "", 0.0)]
        pytest.skip(f"{kata.name}: fix the failing spec above first")


def pytest_warning_recorded(warning_message, when, nodeid, location):
    """A deprecation that a Keras 1/2 idiom explains becomes a note on the spec it happened in."""
    text = idioms.note(str(warning_message.message))
    if text and nodeid and _CONFIG:
        notes = _CONFIG.stash[_NOTES].setdefault(nodeid, [])
        if text not in notes:
            notes.append(text)


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


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    raised = call.excinfo  # pytest's unittest plugin swaps a unittest.SkipTest for a skip raised outside the kata
    outcome = yield
    report = outcome.get_result()
    report.sections = [(title, messages.cap(text)) for title, text in report.sections]
    kata = item.stash.get(_KATA, None)
    if kata is None or item.stash.get(guard.CANARY, False):
        return
    phases = item.stash.setdefault(_PHASES, [])
    if phases and phases[0][1] == "not_run":
        return
    kind = _kind(kata, messages.first_failure(raised or call.excinfo), report)
    excinfo = messages.first_failure(call.excinfo)
    if kind == "todo":
        report.longrepr = messages.todo(kata, excinfo)
    message = detail = ""
    if kind != "passed":
        message = messages.sentence(kata, excinfo, report.longrepr)
        if report.skipped and isinstance(report.longrepr, tuple):
            message = report.longrepr[2]
        elif kind == "timeout" and _REFERENCE in item.stash:
            message = _too_slow(item, excinfo)
        elif kind not in ("todo", "tampered"):
            message = f"{item.stash[_STEP].label}: {message}"  # the specs write only the sentence
        if messages.failures(call.excinfo) > 1:
            message += (f"\n  (one of {messages.failures(call.excinfo)} different failures Hypothesis found "
                        "with other examples: fix it and run again)")
        detail = messages.cap(str(report.longrepr or ""))
    phases.append((call.when, kind, messages.cap(message), detail, report.duration))
    if report.failed:
        item.config.stash[_FAILED_KATAS].add(kata.name)


def _too_slow(item, excinfo) -> str:
    """A learner's spec that ran past its limit: how long the reference needs, and the usual cause."""
    step, reference = item.stash[_STEP], item.stash[_REFERENCE]
    needs = f"the reference needs {reference:.1f} s" if reference is not None else "the reference is quicker"
    functions = " or ".join(step.functions) or "your code"
    where = messages.kata_frame(item.stash[_KATA], excinfo)
    epochs = _tutorial_epochs(item.stash[_KATA], step, item.config.rootpath)
    example = f" (e.g. epochs={epochs})" if epochs else ""
    limit = timings.limit(reference, item.config.getoption("--time-floor"))
    return (f"{step.label}: this spec stopped after {limit:g} s; {needs}. Does {functions} "
            f"train with the tutorial's settings{example} instead of the arguments it is given, or loop "
            f"without end?" + (f"\n  it was at {where}" if where else ""))


def _tutorial_epochs(kata: manifest.Kata, step: manifest.Step, root: Path) -> str:
    """The default of `epochs` in the kata's file (the tutorial's number): that of the step's functions, else that
    of the kata's first function that has one; '' when none has."""
    path = kata.solution(root) if loader.source() == "solutions" else kata.stub(root)
    try:
        functions = structure.public_functions(path)
    except (OSError, SyntaxError, ValueError):
        return ""
    for name in dict.fromkeys([*step.functions, *functions]):
        default = structure.defaults(functions[name]).get("epochs") if name in functions else None
        if default is not None:
            return default
    return ""


def _kind(kata: manifest.Kata, excinfo, report) -> str:
    """What happened in one phase of a spec, decided from the exception."""
    if report.passed:
        return "passed"
    if report.skipped:
        return "skipped_by_kata" if messages.kata_frame(kata, excinfo) else "skipped_by_specs"
    if excinfo.errisinstance(SpecTimedOut):
        return "timeout"
    if excinfo.errisinstance(NotImplementedError):
        return "todo"
    if excinfo.errisinstance(SystemExit):
        return "exited"
    if excinfo.errisinstance(OSError) and excinfo.value.errno == errno.EFBIG:
        return "too_large"
    if excinfo.errisinstance((Assertion, Failed)):
        return "assertion"
    return "error"


@pytest.hookimpl(hookwrapper=True, tryfirst=True)  # outermost: pytest's warnings plugin records first
def pytest_runtest_protocol(item, nextitem):
    protocol = yield
    kata = item.stash.get(_KATA, None)
    if kata is None:
        return
    phases = item.stash.get(_PHASES, [])
    _, kind, message, detail, _ = next((p for p in phases if p[1] != "passed"), ("", "passed", "", "", 0.0))
    if kind == "passed" and (protocol.excinfo or "call" not in [p[0] for p in phases]):
        # pytest itself failed around the spec (the kata broke something it relies on): no pass without a call
        error = protocol.excinfo[1] if protocol.excinfo else "the spec's call was never reported"
        kind, message = "error", f"{item.stash[_STEP].label}: the harness failed while running this spec: {error}"
    tampered = item.config.stash[_GUARD].check(item) if _GUARD in item.config.stash else ""
    if tampered:
        kind, message = "tampered", f"tampered: {tampered}"
    result = SpecOutcome(item.nodeid, kata.name, item.stash[_STEP].id, kind, message, detail,
                         round(sum(p[4] for p in phases), 6), "\n".join(item.config.stash[_NOTES].get(item.nodeid, [])))
    item.config.hook.pytest_katas_outcome(outcome=result, config=item.config)


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report, config):
    """The learner's screen has no row of dots: the learner's command prints the summary itself."""
    if config.getoption("--learner") and (report.when == "call" or not report.passed):
        return report.outcome, "", ""
    return None
