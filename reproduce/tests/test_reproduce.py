"""Smoke tests for `make reproduce` (not part of `make check`): .venv/bin/python -m pytest reproduce/tests -q

The quick run of first_network goes through the whole runner (a worker process, the reference, the
naive timing, the plot, both report files) in tiny settings.
"""

import json
import subprocess
import sys

import pytest

from katakit import manifest
from katakit.paths import ROOT
from reproduce import experiments, runner
from reproduce.common import Experiment

EXPERIMENTS = list(experiments())


def test_quick_first_network_writes_the_report(tmp_path):
    done = subprocess.run(
        [sys.executable, "-m", "reproduce", "--quick", "--only", "first_network", "--out", str(tmp_path)],
        cwd=ROOT, capture_output=True, text=True, timeout=180,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    document = json.loads((tmp_path / "reproduction.json").read_text())
    [record] = document["experiments"]
    assert record["id"] == "first_network"
    assert record["status"] == "ok", record["note"]
    assert record["published"] == 78.26
    assert 0.0 <= record["measured"] <= 100.0
    assert record["seconds"] > 0
    assert record["naive_method"] in ("measured", "extrapolated")
    assert record["naive_seconds"] > 0
    assert record["settings"]["epochs"] == 2  # quick settings, not the tutorial's 150
    assert (tmp_path / record["plot"]).stat().st_size > 1000
    assert "`first_network`" in (tmp_path / "reproduction.md").read_text()


def test_only_rejects_an_unknown_experiment(capsys):
    with pytest.raises(SystemExit):
        runner.parse(["--only", "no_such_experiment"])
    assert "unknown experiment no_such_experiment" in capsys.readouterr().err


def test_only_keeps_the_report_order_and_accepts_commas():
    args = runner.parse(["--only", "vgg16_classify,first_network", "--only", "lstm_window"])
    assert args.ids == ["first_network", "lstm_window", "vgg16_classify"]
    assert runner.parse([]).ids == EXPERIMENTS


def test_an_only_run_replaces_its_records_and_keeps_the_others(tmp_path):
    path = tmp_path / "reproduction.json"
    old_run = {"started": "old", "experiments": list(EXPERIMENTS)}
    old = [{"id": i, "seconds": 1.0, "naive_seconds": 2.0, "run_started": "old"} for i in EXPERIMENTS]
    path.write_text(json.dumps({"experiments": old, "runs": [old_run]}))
    new_run = {"started": "new", "experiments": ["lstm_window"]}
    document = runner._merge(path, [{"id": "lstm_window", "seconds": 5.0, "naive_seconds": 9.0}], new_run,
                             complete=False)
    assert [r["id"] for r in document["experiments"]] == EXPERIMENTS
    assert next(r for r in document["experiments"] if r["id"] == "lstm_window")["seconds"] == 5.0
    assert [r["started"] for r in document["runs"]] == ["old", "new"]
    assert document["total_seconds"] == len(EXPERIMENTS) - 1 + 5.0


def test_every_experiment_runs_a_kata_of_the_manifest_in_curriculum_order():
    katas = [k.name for k in manifest.katas()]
    found = [e.kata for e in experiments().values()]
    assert set(found) <= set(katas), f"experiments of katas curriculum.toml does not list: {set(found) - set(katas)}"
    assert found == sorted(found, key=katas.index), f"the report's order is the curriculum's: {found}"
    for exp in experiments().values():
        assert exp.tutorial == manifest.kata(exp.kata).tutorial


def test_an_experiment_of_an_unknown_kata_is_refused():
    with pytest.raises(KeyError, match="no kata named 'no_such_kata' in curriculum.toml"):
        Experiment("x", "no_such_kata", "a title", None, lambda quick: {}, lambda settings, progress: None,
                   None, cost=1)
