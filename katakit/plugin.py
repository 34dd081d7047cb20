"""The pytest plugin behind conftest.py: kata sources, seeding, step order, learner mode, reports."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from katakit import env, loader, manifest

OUTPUT_CAP = 2000  # characters of captured output kept per section of a report

settings.register_profile(
    "katas",
    deadline=None,  # TensorFlow's first call is slow; a deadline would only flake
    derandomize=True,  # the same examples every run: specs are deterministic
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile("katas")


def kata_of(item) -> manifest.Kata | None:
    """The kata a spec belongs to, from its file name tests/test_<kata>.py."""
    stem = Path(str(item.fspath)).stem
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


def pytest_addoption(parser):
    group = parser.getgroup("katas")
    group.addoption("--solutions", action="store_true",
                    help="run the specs against the reference solutions instead of katas/")
    group.addoption("--learner", action="store_true",
                    help="stop each kata at its first failing spec and print a progress summary")
    group.addoption("--report-json", metavar="PATH",
                    help="write every spec's outcome, kata and step to PATH as JSON")


def pytest_configure(config):
    config.addinivalue_line("markers", "step(id): the tutorial step (from curriculum.toml) a spec checks")
    os.environ[loader.SOURCE_ENV] = "solutions" if config.getoption("--solutions") else "katas"
    config.stash[_STATE] = _State()


class _State:
    def __init__(self):
        self.failed_katas: set[str] = set()
        self.outcomes: dict[str, dict] = {}
        self.started = time.monotonic()


_STATE = pytest.StashKey[_State]()


def pytest_collection_modifyitems(config, items):
    """Specs run in curriculum order, and inside a kata in tutorial-step order."""
    katas = {k.name: k for k in manifest.katas()}
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
    items.sort(key=order.__getitem__)


_KATA = pytest.StashKey[manifest.Kata]()
_STEP = pytest.StashKey[manifest.Step]()


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
    state = item.config.stash[_STATE]
    kata = item.stash.get(_KATA, None)
    if item.config.getoption("--learner") and kata and kata.name in state.failed_katas:
        pytest.skip(f"{kata.name}: fix the failing spec above first")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    report.sections = [(title, _cap(text)) for title, text in report.sections]
    kata = item.stash.get(_KATA, None)
    if kata is None:
        return
    if call.excinfo is not None and call.excinfo.errisinstance(NotImplementedError):
        report.longrepr = _todo_message(kata, call.excinfo)
    if report.failed:
        message = _learner_message(kata, call.excinfo, report)
        if not (call.excinfo and call.excinfo.errisinstance(NotImplementedError)):
            message = f"{item.stash[_STEP].label}: {message}"  # the specs write only the sentence
        report.user_properties.append(("learner_message", message))
    if report.failed:
        item.config.stash[_STATE].failed_katas.add(kata.name)
    step = item.stash[_STEP]
    entry = item.config.stash[_STATE].outcomes.setdefault(
        item.nodeid, {"nodeid": item.nodeid, "kata": kata.name, "step": step.id,
                      "outcome": "passed", "duration": 0.0, "message": ""})
    entry["duration"] += report.duration
    if report.failed or (report.skipped and entry["outcome"] == "passed"):
        entry["outcome"] = report.outcome
        entry["message"] = _cap(_text(report))
        entry["learner_message"] = dict(report.user_properties).get("learner_message", entry["message"])


def _cap(text: str) -> str:
    if len(text) <= OUTPUT_CAP:
        return text
    return text[:OUTPUT_CAP] + f"\n... [{len(text) - OUTPUT_CAP} more characters cut]"


def _text(report) -> str:
    if report.skipped and isinstance(report.longrepr, tuple):
        return report.longrepr[2]
    return str(report.longrepr or "")


def _kata_frame(kata: manifest.Kata, excinfo) -> str:
    """'katas/<kata>/<kata>.py:LINE in function()' of the innermost frame in the kata's file, or ''."""
    for entry in reversed(excinfo.traceback if excinfo else []):
        if Path(str(entry.path)).name == f"{kata.name}.py" and Path(str(entry.path)).parent.name == kata.name:
            return f"{loader.source()}/{kata.name}/{kata.name}.py:{entry.lineno + 1} in {entry.name}()"
    return ""


def _learner_message(kata: manifest.Kata, excinfo, report) -> str:
    """What a learner needs from a failure: the spec's message, and where in their file it broke."""
    if isinstance(report.longrepr, str):
        return report.longrepr
    if excinfo is None:
        return _cap(str(report.longrepr))
    if excinfo.errisinstance(AssertionError):
        text = str(excinfo.value).split("\nassert ")[0].strip() or "an assertion failed"
        return _cap(text)
    if excinfo.typename == "Failed":  # pytest.fail(...): the message is the teaching text
        return _cap(str(excinfo.value))
    where = _kata_frame(kata, excinfo)
    text = f"{excinfo.typename}: {excinfo.value}"
    return _cap(f"{text}\n  raised at {where}" if where else text)


def _todo_message(kata: manifest.Kata, excinfo) -> str:
    """A stub's NotImplementedError, said in one line: where the TODO is and which step."""
    where = _kata_frame(kata, excinfo) or f"{loader.source()}/{kata.name}/{kata.name}.py"
    return f"TODO {where}: {excinfo.value}"


def pytest_sessionfinish(session):
    path = session.config.getoption("--report-json")
    if path:
        state = session.config.stash[_STATE]
        report = {"source": loader.source(), "seconds": time.monotonic() - state.started,
                  "tests": list(state.outcomes.values())}
        Path(path).write_text(json.dumps(report, indent=1), encoding="utf-8")


@pytest.hookimpl(tryfirst=True)
def pytest_report_teststatus(report, config):
    """The learner's screen has no row of dots: the summary below says it all."""
    if config.getoption("--learner") and (report.when == "call" or not report.passed):
        return report.outcome, "", ""
    return None


def pytest_terminal_summary(terminalreporter, config):
    if not config.getoption("--learner"):
        return
    from katakit import progress

    state = config.stash[_STATE]
    if loader.source() == "katas":  # progress is the learner's, never the references'
        progress.save(state.outcomes.values())
    for line in progress.learner_screen(state.outcomes.values()):
        terminalreporter.write_line(line)
