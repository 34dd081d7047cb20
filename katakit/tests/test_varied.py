"""Grading varies the fixed examples a learner could answer by rote, from the recorded seed."""

import pytest

from katakit import plugin
from tests import kit


def pick(rng):
    return rng.randint(0, 10**9)


def test_a_learner_always_gets_the_fixed_examples(monkeypatch):
    monkeypatch.setattr(plugin, "_GRADING_SEED", None)
    assert kit.varied(7, pick, "key") == 7


@pytest.mark.parametrize("seed", [0, 1, 123456])
def test_grading_draws_from_its_seed_and_the_key(monkeypatch, seed):
    monkeypatch.setattr(plugin, "_GRADING_SEED", seed)
    first = kit.varied(7, pick, "key")
    assert kit.varied(7, pick, "key") == first, "the same seed and key draw the same example again"
    assert kit.varied(7, pick, "another key") != first
    monkeypatch.setattr(plugin, "_GRADING_SEED", seed + 1)
    assert kit.varied(7, pick, "key") != first, "another grading run draws other examples"
