"""The report of a whole class (katakit/grading/class_report/), from hand-built grades of made-up learners
over the real curriculum: no kata is run. The grader's own `--all` run writes it too (test_scenarios.py)."""

from __future__ import annotations

import base64
import csv
import io
import os
import platform
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PIL import Image

from katakit import manifest
from katakit.grading import class_report, verdicts
from katakit.grading.class_report import numbers
from katakit.grading.model import Grade, KataResult
from katakit.outcome import Kind, SpecOutcome

KATAS = manifest.katas()
FIRST, FRAMING, RETRAIN = manifest.kata("first_network"), manifest.kata("lstm_framing"), manifest.kata("update_retrain")


def message(kind: Kind, kata: manifest.Kata, step: manifest.Step) -> str:
    return {
        Kind.PASSED: "",
        Kind.TODO: f"{step.label}: TODO katas/{kata.name}/{kata.name}.py: raise NotImplementedError",
        Kind.ASSERTION: f"{step.label}: expected 8 input features, got 7\n\nassert 7 == 8",
        Kind.TIMEOUT: verdicts.timed_out(60),
        Kind.TOO_LARGE: verdicts.flooded(1024),
        Kind.CRASHED: "crashed: the process running this spec died of a segmentation fault (SIGSEGV).",
        Kind.TAMPERED: "tampered: pytest's reporting was replaced",
        Kind.SKIPPED_BY_SPECS: "skipped by the specs, not counted: the data set is not shipped",
    }[kind]


def result(kata: manifest.Kata, kind: Kind = Kind.PASSED, seconds: float | None = None, note: str = "",
           **steps: Kind | tuple[Kind, Kind]) -> KataResult:
    """`kata` graded: two specs per step, each of `kind` but for the steps named (step id=kind, or a kind for
    each of its two specs); it took `seconds` (default: 2 s per kata number, so the last kata is the slowest)."""
    kinds = {step.id: steps.get(step.id, (kind, kind)) for step in kata.steps}
    kinds = {step: (found, found) if isinstance(found, str) else found for step, found in kinds.items()}
    specs = [SpecOutcome(f"tests/test_{kata.name}.py::test_{step.id}_{i + 1}", kata.name, step.id,
                         kinds[step.id][i], message(kinds[step.id][i], kata, step))
             for step in kata.steps for i in (0, 1)]
    return KataResult(kata, specs, 2.0 * kata.number if seconds is None else seconds, note)


def learner(name: str, flags: dict | None = None, **katas: KataResult) -> Grade:
    """Every kata solved but those given."""
    results = [katas.get(k.name) or result(k) for k in KATAS]
    return Grade(name, Path(name), results, sum(r.seconds for r in results), flags=flags or {})


def made_up_class() -> list[Grade]:
    first_steps = [s.id for s in FIRST.steps]
    return [
        learner("ada"),  # solved
        learner("ben", **{k.name: result(k, Kind.TODO, 1.0) for k in KATAS}),  # the untouched stubs
        learner("cai", first_network=result(FIRST, Kind.TODO, **{s: Kind.PASSED for s in first_steps[:4]},  # partial
                                            evaluate=Kind.ASSERTION),
                **{k.name: result(k, Kind.TODO, 1.0) for k in KATAS[1:]}),
        learner("dee", lstm_framing=result(FRAMING, seconds=527.0, maps=Kind.TIMEOUT, pairs=Kind.TIMEOUT)),  # hangs
        learner("eve", flags={"first_network": ["line 3: imports subprocess"]},  # flagged, and tampered
                update_retrain=result(RETRAIN, Kind.TAMPERED, note="tampered: pytest's reporting was replaced")),
        learner("fay", first_network=result(FIRST, evaluate=Kind.ASSERTION, predict=Kind.TOO_LARGE),  # floods, crashes
                lstm_framing=result(FRAMING, window=Kind.CRASHED)),
        learner("gus", update_retrain=KataResult(RETRAIN, [], 3.0, "no spec ran: the spec file did not collect.")),
        learner("<b>hal</b>", flags={"first_network": ["line 1: <img src=x>"]},  # names and flags are data
                first_network=result(FIRST, evaluate=(Kind.PASSED, Kind.ASSERTION))),  # one of a step's specs
    ]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("results")
    class_report.write(made_up_class(), KATAS, out)
    return out


def steps(out: Path) -> dict[tuple[str, str], dict]:
    with (out / class_report.CSV).open(encoding="utf-8") as file:
        return {(row["kata"], row["step"]): row for row in csv.DictReader(file)}


def test_steps_csv_counts_the_learners_passing_each_step(report):
    rows = steps(report)
    assert len(rows) == sum(len(k.steps) for k in KATAS)
    # first_network: ben's stubs fail it all, cai passes load..fit, fay and hal fail evaluate (hal one spec of it)
    assert [rows[("first_network", s.id)]["passed"] for s in FIRST.steps] == ["7", "7", "7", "7", "4", "6", "5"]
    assert rows[("first_network", "evaluate")] == {
        "kata": "first_network", "step_number": "5", "step": "evaluate", "title": "Evaluate the model",
        "learners": "8", "passed": "4", "share": "0.500"}
    assert rows[("lstm_framing", "maps")]["passed"] == "5"  # ben, cai: stubs; dee: hangs
    assert rows[("lstm_framing", "window")]["passed"] == "5"  # fay crashed
    # update_retrain: eve's tampered kata passes nothing, gus's spec file never collected
    assert {rows[("update_retrain", s.id)]["share"] for s in RETRAIN.steps} == {f"{4 / 8:.3f}"}


def test_a_step_whose_specs_all_skipped_themselves_has_no_share(tmp_path):
    skipped = result(FIRST, load=Kind.SKIPPED_BY_SPECS)
    class_report.write([learner("ada", first_network=skipped)], KATAS, tmp_path)
    assert steps(tmp_path)[("first_network", "load")] == {
        "kata": "first_network", "step_number": "1", "step": "load", "title": "Load the data",
        "learners": "0", "passed": "0", "share": ""}


def test_a_first_line_counts_as_the_same_whatever_line_of_the_kata_file_it_names():
    todo = "TODO katas/lstm_framing/lstm_framing.py:{} in frame_as_window(): Step 6: frame data_x"
    lines = [todo.format(94), "expected 3 features, got 2", todo.format(140), "expected 3 features, got 2",
             todo.format(97)]
    assert numbers.commonest(lines) == (todo.format(94), 3)


def test_the_specs_most_often_failed_with_their_commonest_first_line():
    failing = numbers.failing(made_up_class(), FIRST)
    assert [(f.name, f.failed, f.learners) for f in failing] == [
        ("test_evaluate_2", 4, 8), ("test_evaluate_1", 3, 8), ("test_predict_1", 3, 8), ("test_predict_2", 3, 8),
        ("test_tie_1", 2, 8)]
    evaluate = failing[0]
    assert (evaluate.step, evaluate.same) == ("step 5 (Evaluate the model)", 3)
    assert evaluate.message == "step 5 (Evaluate the model): expected 8 input features, got 7"  # first line only


def test_held_tampered_and_flagged_katas_are_listed_with_their_flags():
    rows = [(g.learner, r.kata.name, r.problems(), flags) for g, r, flags in numbers.to_review(made_up_class())]
    assert rows == [
        ("<b>hal</b>", "first_network", "", ["line 1: <img src=x>"]),
        ("eve", "first_network", "", ["line 3: imports subprocess"]),
        ("eve", "update_retrain", "12 tampered; tampered: pytest's reporting was replaced", []),
    ]


def test_a_spec_kind_the_report_does_not_know_is_for_review():
    """The grader may add kinds (e.g. to hold a kata for review): the report lists them, it does not drop them."""
    held = result(FIRST, note="held for review: line 3: imports gc")
    for spec in held.specs:
        object.__setattr__(spec, "kind", Kind.HELD)  # neither answered nor stopped
    rows = numbers.to_review([learner("ada", first_network=held)])
    assert [(r.kata.name, r.problems()) for _, r, _ in rows] == [
        ("first_network", "held for review: line 3: imports gc")]


def test_the_specs_stopped_by_a_limit_a_crash_or_no_collection():
    rows = [(s.learner, s.kata.name, s.verdict, s.specs, s.message) for s in numbers.stopped(made_up_class())]
    assert rows == [
        ("dee", "lstm_framing", "timed out", 4, verdicts.timed_out(60).split("\n")[0]),
        ("fay", "first_network", "flooded", 2, verdicts.flooded(1024)),
        ("fay", "lstm_framing", "crashed", 2, message(Kind.CRASHED, FRAMING, FRAMING.steps[0])),
        ("gus", "update_retrain", "no spec ran", 0, "no spec ran: the spec file did not collect."),
    ]


def test_the_slowest_katas_come_first_with_who_took_longest():
    times = {kata.name: row for kata, row in numbers.kata_times(made_up_class(), KATAS)}
    assert list(times) == [k.name for k in reversed(KATAS)]  # by median: one learner's hang does not reorder them
    assert times["lstm_framing"][0] == (527.0, "dee")
    assert times["vgg16_classify"][0] == (20.0, "gus")  # the longest; ties named by the last learner



def images(page: str) -> list[bytes]:
    return [base64.b64decode(data) for data in re.findall(r"src='data:image/png;base64,([A-Za-z0-9+/=]+)'", page)]


def test_the_page_holds_every_plot_decodable_and_fetches_nothing(report):
    page = (report / class_report.HTML).read_text(encoding="utf-8")
    found = images(page)
    assert len(found) == 3  # totals, heat map, times
    for data in found:
        with Image.open(io.BytesIO(data)) as image:
            image.verify()  # a PNG that decodes whole
        with Image.open(io.BytesIO(data)) as image:
            assert (image.format, min(image.size) > 100) == ("PNG", True), image.size
    assert page.count("<img") == 3  # nothing else is loaded
    assert not re.search(r"<script|<link|@import|url\(|https?://", page)
    links = set(re.findall(r"href='([^']*)'", page))
    assert {link for link in links if not link.startswith("#")} == {"gradebook.csv", "steps.csv"}  # beside it


def test_the_page_escapes_what_learners_wrote(report):
    page = (report / class_report.HTML).read_text(encoding="utf-8")
    for written, shown in (("<b>hal</b>", "&lt;b&gt;hal&lt;/b&gt;"), ("<img src=x>", "&lt;img src=x&gt;")):
        assert written not in page
        assert shown in page


def test_the_page_names_what_an_instructor_looks_for(report):
    page = (report / class_report.HTML).read_text(encoding="utf-8")
    # totals 0, 5.71 (cai), 90 (eve, gus), 95.71 (fay), 97.14 (dee), 99.29 (hal), 100 (ada)
    assert ("Totals out of 100: median 92.85, mean 72.23, lowest 0.00, highest 100.00. 2 learners to review; "
            "3 learners with specs the grader stopped or never ran.") in page
    for text in ("The class: 8 learners, 10 katas", "line 3: imports subprocess", "timed out", "flooded",
                 "no spec ran: the spec file did not collect.", "Solved by 4 of 8"):
        assert text in page, text


# ---- the page in a browser: headless Chromium (Debian's `chromium`; .ci/run installs it) or Chrome

BROWSER = next((found for name in ("chromium", "chromium-browser", "google-chrome") if (found := shutil.which(name))),
               None)
# CI on Linux x86_64 must run it: .ci/run installs chromium, GitHub's Ubuntu runners ship Chrome
REQUIRED = os.environ.get("CI") == "true" and sys.platform == "linux" and platform.machine() == "x86_64"


def screenshot(page: Path, png: Path, profile: Path) -> None:
    done = subprocess.run([BROWSER, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                           "--disable-component-update", "--no-first-run", f"--user-data-dir={profile}",
                           f"--screenshot={png}", "--window-size=1200,2400", page.as_uri()],
                          capture_output=True, text=True, timeout=180)
    assert png.exists(), done.stdout + done.stderr


def colourful(png: Path) -> float:
    """The share of strongly coloured pixels: the plots have them, the text and the page around them do not."""
    with Image.open(png) as image:
        hsv = image.convert("RGB").convert("HSV")
    saturation = hsv.getchannel("S").histogram()
    return sum(saturation[100:]) / (hsv.width * hsv.height)


def test_the_page_renders_with_its_plots_in_a_browser(report, tmp_path):
    if BROWSER is None:
        if REQUIRED:
            pytest.fail("no chromium on this CI machine: .ci/run installs Debian's package `chromium`")
        pytest.skip("not run: no chromium here (Debian: apt-get install chromium)")
    png = tmp_path / "class.png"
    screenshot(report / class_report.HTML, png, tmp_path / "profile")
    with Image.open(png) as image:
        assert image.size == (1200, 2400)
    # measured: 0.089 with the plots, 0.002 with them blocked (the page's img-src set to 'none')
    assert colourful(png) > 0.02, "the plots did not render: the screenshot is text on white"
