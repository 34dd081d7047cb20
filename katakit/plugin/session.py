"""What a spec's process provides: Hypothesis's profiles, Keras seeded for each kata spec, the source of the
katas (katas/ or --solutions), and the specs' public API: `scratch()` and `grading_seed()`."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from katakit import env, loader
from katakit.plugin import collect

settings.register_profile(
    "katas",
    deadline=None,  # TensorFlow's first call is slow; a deadline would only flake
    derandomize=True,  # the same examples every run: specs are deterministic
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("katas-grading", settings.get_profile("katas"), derandomize=False)
settings.load_profile("katas")

_scratch: Path | None = None
_grading_seed: int | None = None


def scratch() -> Path:
    """A folder for the files specs write (CSV files, photos): one per session, removed when it ends."""
    global _scratch
    if _scratch is None:
        _scratch = Path(tempfile.mkdtemp(prefix="katas-specs-"))
    return _scratch


def grading_seed() -> int | None:
    """The seed of this grading run, or None outside grading: specs that feed fixed examples a learner
    could answer by rote vary them from it (tests/kit.py)."""
    return _grading_seed


def use_grading_seed(seed: int | None) -> None:
    """Set the seed `grading_seed()` gives: --grading-seed's, or a harness test's."""
    global _grading_seed
    _grading_seed = seed


def pytest_configure(config):
    os.environ[loader.SOURCE_ENV] = "solutions" if config.getoption("--solutions") else "katas"
    use_grading_seed(config.getoption("--grading-seed"))
    if grading_seed() is not None:
        settings.load_profile("katas-grading")


def pytest_unconfigure(config):
    global _scratch
    if _scratch is not None:
        shutil.rmtree(_scratch, ignore_errors=True)
        _scratch = None


@pytest.fixture(autouse=True)
def _seeded(request):
    """Every kata spec starts from the same seed, whatever ran before it."""
    if collect.KATA not in request.node.stash or os.environ.get("KATAS_SEED_KERAS") == "0":
        yield  # harness tests with fake katas that never touch Keras set KATAS_SEED_KERAS=0
        return
    import keras

    keras.utils.set_random_seed(env.SEED)
    keras.config.disable_interactive_logging()
    yield
