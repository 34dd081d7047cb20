"""Which kata and step each spec checks (its file name, its step marker), and the order specs run in."""

from __future__ import annotations

import pytest

from katakit import manifest

KATA = pytest.StashKey[manifest.Kata]()
STEP = pytest.StashKey[manifest.Step]()


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
    kata, step = item.stash.get(KATA, None), item.stash.get(STEP, None)
    return {"nodeid": item.nodeid, "kata": kata.name if kata else "", "step": step.id if step else ""}


def pytest_configure(config):
    config.addinivalue_line("markers", "step(id): the tutorial step (from curriculum.toml) a spec checks")


def pytest_collection_modifyitems(config, items):
    """Specs run in curriculum order, and inside a kata in tutorial-step order."""
    katas = manifest.katas()
    order = {}
    for index, item in enumerate(items):
        kata = kata_of(item)
        if kata is None:
            order[item] = (len(katas) + 1, 0, index)
            continue
        step = step_of(item, kata)
        item.stash[KATA] = kata
        item.stash[STEP] = step
        order[item] = (kata.number, step.number, index)
    items.sort(key=order.__getitem__)
