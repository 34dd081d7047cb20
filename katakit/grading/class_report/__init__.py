"""The report of a whole class, written by `make grade-all` beside gradebook.csv:

    class.html  one page that opens from disk and fetches nothing (no script, its plots embedded as PNG):
                the distribution of totals; a heat map of katas x steps, the share of learners passing each
                step; per kata, the specs most often failed with their most common first line; the katas held
                for review or flagged, with their flags; the slowest katas, and the specs the grader stopped
                (a time, memory or output limit, a crash, an exit) or never ran
    steps.csv   the numbers behind the heat map: one row per kata and step

It reads only the graded records (model.Grade). Every word comes from verdicts.word, every status from the kata's
own `problems()`, so a new verdict shows here as the grader names it.

    numbers.py  the numbers, from the graded records
    plots.py    the plots, as embedded PNGs
    page.py     the page
"""

from __future__ import annotations

import csv
from pathlib import Path

from katakit import manifest
from katakit.grading.class_report import page
from katakit.grading.class_report.numbers import step_shares
from katakit.grading.model import Grade

HTML, CSV = "class.html", page.CSV


def write(grades: list[Grade], katas: tuple[manifest.Kata, ...], out: Path) -> None:
    """out/class.html and out/steps.csv for these grades."""
    shares = step_shares(grades, katas)
    out.mkdir(parents=True, exist_ok=True)
    with (out / CSV).open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(["kata", "step_number", "step", "title", "learners", "passed", "share"])
        for row in shares:
            share = "" if row.share is None else f"{row.share:.3f}"
            writer.writerow([row.kata.name, row.step.number, row.step.id, row.step.title, row.learners,
                             row.passed, share])
    (out / HTML).write_text(page.render(grades, katas, shares), encoding="utf-8")
