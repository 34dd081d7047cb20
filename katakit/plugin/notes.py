"""The notes under a spec's verdict: a deprecation that a Keras 1/2 idiom explains (katakit/idioms.py)."""

from __future__ import annotations

import pytest

from katakit import idioms

_NOTES = pytest.StashKey[dict]()  # nodeid -> the notes its warnings gave
_CONFIG: pytest.Config | None = None  # pytest_warning_recorded is not given the config


def pytest_configure(config):
    global _CONFIG
    config.stash[_NOTES] = {}
    _CONFIG = config


def pytest_warning_recorded(warning_message, when, nodeid, location):
    text = idioms.note(str(warning_message.message))
    if text and nodeid and _CONFIG:
        notes = _CONFIG.stash[_NOTES].setdefault(nodeid, [])
        if text not in notes:
            notes.append(text)


def of(item) -> str:
    """A spec's notes, one per line."""
    return "\n".join(item.config.stash[_NOTES].get(item.nodeid, []))
