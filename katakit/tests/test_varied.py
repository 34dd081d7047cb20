"""Grading varies the fixed examples a learner could answer by rote, from the recorded seed."""

import pytest

from katakit.plugin import session
from tests import kit


def pick(rng):
    return rng.randint(0, 10**9)


@pytest.fixture
def use_grading_seed():
    """session.use_grading_seed, and this session's seed back afterwards."""
    before = session.grading_seed()
    yield session.use_grading_seed
    session.use_grading_seed(before)


def test_a_learner_always_gets_the_fixed_examples(use_grading_seed):
    use_grading_seed(None)
    assert kit.varied(7, pick, "key") == 7


@pytest.mark.parametrize("seed", [0, 1, 123456])
def test_grading_draws_from_its_seed_and_the_key(use_grading_seed, seed):
    use_grading_seed(seed)
    first = kit.varied(7, pick, "key")
    assert kit.varied(7, pick, "key") == first, "the same seed and key draw the same example again"
    assert kit.varied(7, pick, "another key") != first
    use_grading_seed(seed + 1)
    assert kit.varied(7, pick, "key") != first, "another grading run draws other examples"
