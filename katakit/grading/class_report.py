"""The report of a whole class, written by `make grade-all` beside gradebook.csv:

    class.html  one page that opens from disk and fetches nothing (no script, its plots embedded as PNG):
                the distribution of totals; a heat map of katas x steps, the share of learners passing each
                step; per kata, the specs most often failed with their most common first line; the katas held
                for review or flagged, with their flags; the slowest katas, and the specs the grader stopped
                (a time, memory or output limit, a crash, an exit) or never ran
    steps.csv   the numbers behind the heat map: one row per kata and step

It reads only the graded records (model.Grade), and reads a spec's kind by what it is, not by a fixed list:
the kinds the supervisor decides (outcome.PROCESS_KINDS) and `not_run` are "stopped"; a spec that ran to its
verdict is "answered"; any other kind (`tampered`, and whatever the grader adds to hold a kata for review)
lists its kata among those to review. Every word comes from verdicts.word, every status from the kata's
own `problems()`, so a new verdict shows here as the grader names it.
"""

from __future__ import annotations

import base64
import csv
import html
import io
import re
import statistics
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from katakit import manifest
from katakit.grading import verdicts
from katakit.grading.model import Grade, KataResult
from katakit.outcome import PROCESS_KINDS, Kind

HTML, CSV = "class.html", "steps.csv"
STOPPED = (*PROCESS_KINDS, Kind.NOT_RUN)  # the grader stopped the spec, or never ran it
ANSWERED = (Kind.PASSED, Kind.TODO, Kind.ASSERTION, Kind.ERROR, Kind.SKIPPED_BY_KATA, Kind.SKIPPED_BY_SPECS)
FAILING_SHOWN = 5  # specs per kata in "most often failed"
LINE_CAP = 240  # characters of a message's first line on the page
PY_LINE = re.compile(r"\.py:\d+")


@dataclass(frozen=True)
class StepShare:
    kata: manifest.Kata
    step: manifest.Step
    learners: int  # learners with a verdict on this step
    passed: int  # of them, those who passed every spec of it

    @property
    def share(self) -> float | None:
        return self.passed / self.learners if self.learners else None


@dataclass(frozen=True)
class Failing:
    name: str
    step: str  # its label, e.g. "step 2 (Define the model)"
    failed: int
    learners: int
    message: str  # the most common first line among those who failed it
    same: int  # how many of them got that line


@dataclass(frozen=True)
class Stopped:
    learner: str
    kata: manifest.Kata
    verdict: str
    specs: int
    message: str


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
    (out / HTML).write_text(page(grades, katas, shares), encoding="utf-8")


# ---- the numbers


def step_passed(result: KataResult, step: str) -> bool | None:
    """Whether every spec of `step` that carries points passed; None if none does (the specs skipped them all).
    A kata whose spec file never collected has no spec at all: it passes no step."""
    if not result.specs:
        return False
    counted = [s for s in result.counted if s.step == step]
    return all(s.passed for s in counted) if counted else None


def step_shares(grades: list[Grade], katas: tuple[manifest.Kata, ...]) -> list[StepShare]:
    rows = []
    for kata in katas:
        results = [r for g in grades for r in g.katas if r.kata.name == kata.name]
        for step in kata.steps:
            known = [v for v in (step_passed(r, step.id) for r in results) if v is not None]
            rows.append(StepShare(kata, step, len(known), sum(known)))
    return rows


def failing(grades: list[Grade], kata: manifest.Kata) -> list[Failing]:
    """The specs of `kata` most learners failed, most failed first (ties in the specs' order)."""
    results = [r for g in grades for r in g.katas if r.kata.name == kata.name]
    order: dict[str, str] = {}  # name -> step label, in the order the specs ran
    lines: dict[str, list[str]] = {}
    for result in results:
        for spec in result.counted:
            order.setdefault(spec.name, kata.step(spec.step).label if spec.step else "step ?")
            if not spec.passed:
                lines.setdefault(spec.name, []).append(first_line(spec.message) or verdicts.word(spec.kind))
    found = []
    for name, failed in lines.items():
        message, same = commonest(failed)
        found.append(Failing(name, order[name], len(failed), len(results), message, same))
    ranked = sorted(found, key=lambda f: (-f.failed, list(order).index(f.name)))
    return ranked[:FAILING_SHOWN]


def to_review(grades: list[Grade]) -> list[tuple[Grade, KataResult, list[str]]]:
    """(grade, kata result, its flags) of every kata held for review, tampered with or flagged."""
    rows = []
    for grade in sorted(grades, key=lambda g: g.learner):
        for result in grade.katas:
            flags = [_flag_text(f) for f in grade.flags.get(result.kata.name, [])]
            if flags or any(s.kind not in ANSWERED + STOPPED for s in result.specs):
                rows.append((grade, result, flags))
    return rows


def _flag_text(flag) -> str:
    # a flag that knows its kind (tampering or note) says it; a plain one is its own text
    return flag.labelled() if hasattr(flag, "labelled") else str(flag)


def stopped(grades: list[Grade]) -> list[Stopped]:
    """Per learner and kata, each kind of stop (a limit, a crash, an exit, not run) with its commonest line,
    and each kata where no spec ran at all, with the note that says why."""
    rows = []
    for grade in sorted(grades, key=lambda g: g.learner):
        for result in grade.katas:
            if not result.specs:
                rows.append(Stopped(grade.learner, result.kata, "no spec ran", 0, first_line(result.note)))
            by_kind: dict[Kind, list[str]] = {}
            for spec in result.counted:
                if spec.kind in STOPPED:
                    by_kind.setdefault(spec.kind, []).append(first_line(spec.message))
            for kind, lines in by_kind.items():
                rows.append(Stopped(grade.learner, result.kata, verdicts.word(kind), len(lines), commonest(lines)[0]))
    return rows


def kata_times(grades: list[Grade], katas: tuple[manifest.Kata, ...]) -> list[tuple[manifest.Kata, list]]:
    """Each kata with the (seconds, learner) of every learner, longest first; the slowest kata (by median) first."""
    rows = []
    for kata in katas:
        times = sorted(((r.seconds, g.learner) for g in grades for r in g.katas if r.kata.name == kata.name),
                       reverse=True)
        if times:
            rows.append((kata, times))
    return sorted(rows, key=lambda row: -statistics.median(t for t, _ in row[1]))


def commonest(lines: list[str]) -> tuple[str, int]:
    """The most common of `lines` and how many there are, counting as one the lines that differ only in a
    line number of the kata file (`lstm_framing.py:94`): a learner's added code moves the stub's TODOs."""
    key, same = Counter(PY_LINE.sub(".py", line) for line in lines).most_common(1)[0]
    return next(line for line in lines if PY_LINE.sub(".py", line) == key), same


def first_line(text: str) -> str:
    line = text.strip().split("\n", 1)[0].strip() if text else ""
    return line if len(line) <= LINE_CAP else line[:LINE_CAP] + " [...]"


# ---- the plots: matplotlib's object API (no pyplot state), imported here only: `make grade` never draws


def _png(figure) -> str:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(figure)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=100, bbox_inches="tight", metadata={"Software": None})
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def totals_plot(grades: list[Grade]) -> str:
    from matplotlib.figure import Figure
    from matplotlib.ticker import MaxNLocator

    top = max(g.max_score for g in grades)
    totals = [g.score for g in grades]
    figure = Figure(figsize=(9, 3.2))
    axes = figure.add_subplot()
    axes.hist(totals, bins=20, range=(0, top), color="#4878a8", edgecolor="white")
    middle = statistics.median(totals)
    axes.axvline(middle, color="#c03030", linestyle="--", linewidth=1.5, label=f"median {middle:.1f}")
    axes.set(xlim=(0, top), xlabel=f"total (of {top:g} points)", ylabel="learners")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))
    axes.legend(frameon=False)
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


def heatmap_plot(shares: list[StepShare], katas: tuple[manifest.Kata, ...]) -> str:
    import numpy as np
    from matplotlib.figure import Figure

    width = max(len(k.steps) for k in katas)
    grid = np.full((len(katas), width), np.nan)
    cells = {(row.kata.name, row.step.number): row for row in shares}
    figure = Figure(figsize=(1.25 * width + 2.6, 0.62 * len(katas) + 1.5))
    axes = figure.add_subplot()
    for i, kata in enumerate(katas):
        for step in kata.steps:
            share = cells[(kata.name, step.number)].share
            grid[i, step.number - 1] = np.nan if share is None else share
            text = f"{step.id}\n{'n/a' if share is None else f'{share:.0%}'}"
            dark = share is not None and (share < 0.2 or share > 0.85)
            axes.text(step.number - 1, i, text, ha="center", va="center", fontsize=8,
                      color="white" if dark else "black")
    axes.set_facecolor("#eeeeee")  # no such step, or nobody had a verdict on it
    image = axes.imshow(grid, cmap="RdYlGn", vmin=0, vmax=1, aspect="auto")
    axes.set_xticks(range(width), [f"step {n}" for n in range(1, width + 1)])
    axes.set_yticks(range(len(katas)), [f"{k.number} {k.name}" for k in katas])
    axes.set_xticks([x - 0.5 for x in range(1, width)], minor=True)
    axes.set_yticks([y - 0.5 for y in range(1, len(katas))], minor=True)
    axes.grid(which="minor", color="white", linewidth=2)
    axes.xaxis.tick_top()
    axes.tick_params(which="both", length=0)
    axes.spines[:].set_visible(False)
    bar = figure.colorbar(image, ax=axes, orientation="horizontal", location="bottom", aspect=40, shrink=0.6,
                          pad=0.4 / (0.62 * len(katas) + 1.5), format=lambda v, _: f"{v:.0%}")
    bar.set_label("learners passing every spec of the step", fontsize=9)
    return _png(figure)


def times_plot(times) -> str:
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, NullFormatter

    every = [t for _, row in times for t, _ in row]
    wide = max(every) > 20 * max(min(every), 0.1)  # a hang beside seconds: only a log scale shows both
    figure = Figure(figsize=(9, 0.42 * len(times) + 1.0))
    axes = figure.add_subplot()
    for i, (_, row) in enumerate(times):
        seconds = [max(t, 0.1) if wide else t for t, _ in row]
        axes.barh(i, statistics.median(seconds), color="#9ab8d8", height=0.6)
        axes.plot(seconds, [i] * len(seconds), "o", color="#25476a", markersize=4, alpha=0.6)
    axes.set_yticks(range(len(times)), [kata.name for kata, _ in times])
    axes.invert_yaxis()
    if wide:
        axes.set_xscale("log")
        axes.xaxis.set_minor_formatter(NullFormatter())
    axes.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f"{v:g} s"))
    axes.set_xlabel("grading time per learner (bar: median; dots: each learner)" + (", log scale" if wide else ""))
    axes.spines[["top", "right"]].set_visible(False)
    return _png(figure)


# ---- the page


def page(grades: list[Grade], katas: tuple[manifest.Kata, ...], shares: list[StepShare]) -> str:
    totals = [g.score for g in grades]
    top = max(g.max_score for g in grades)
    times = kata_times(grades, katas)
    review, stops = to_review(grades), stopped(grades)
    parts = [
        f"<h1>The class: {_count(len(grades), 'learner')}, {_count(len(katas), 'kata')}</h1>",
        f"<p>Graded {_e(time.strftime('%Y-%m-%d %H:%M'))}. Totals out of {top:g}: median "
        f"{statistics.median(totals):.2f}, mean {statistics.mean(totals):.2f}, lowest {min(totals):.2f}, "
        f"highest {max(totals):.2f}. {_count(len({g.learner for g, _, _ in review}), 'learner')} to review; "
        f"{_count(len({s.learner for s in stops}), 'learner')} with specs the grader stopped or never ran. "
        "Scores per learner: "
        f"<a href='gradebook.csv'>gradebook.csv</a>; each learner's reports: their folder beside this page.</p>",
        "<p><a href='#totals'>Totals</a> · <a href='#steps'>Where the class is stuck</a> · "
        "<a href='#failing'>The specs most often failed</a> · <a href='#review'>Held for review and flagged</a> · "
        "<a href='#time'>Time, and the specs the grader stopped</a></p>",
        "<h2 id='totals'>Totals</h2>",
        f"<img alt='the distribution of totals' src='{totals_plot(grades)}'>",
        "<h2 id='steps'>Where the class is stuck</h2>",
        "<p>Each cell: a step, and the share of learners who pass every spec of it (a kata held for review "
        "counts as not passed). Grey: no such step, or no learner had a verdict on it. The numbers: "
        f"<a href='{CSV}'>{CSV}</a>.</p>",
        f"<img alt='katas by steps: the share of learners passing each step' src='{heatmap_plot(shares, katas)}'>",
        "<h2 id='failing'>The specs most often failed</h2>",
        *(_kata_failing(grades, kata) for kata in katas),
        "<h2 id='review'>Held for review and flagged</h2>",
        _review_table(review),
        "<h2 id='time'>Time, and the specs the grader stopped</h2>",
        f"<img alt='grading time per kata' src='{times_plot(times)}'>" if times else "",
        _times_table(times),
        _stopped_table(stops),
    ]
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
<title>keras-katas: the class</title>
<style>{STYLE}</style>
</head>
<body>
{chr(10).join(p for p in parts if p)}
</body>
</html>
"""


STYLE = """
body { font-family: system-ui, sans-serif; max-width: 1100px; margin: 1.5em auto; padding: 0 1em; color: #222; }
h1 { font-size: 1.6em; } h2 { margin-top: 1.8em; border-bottom: 1px solid #ccc; } h3 { margin-bottom: 0.3em; }
img { max-width: 100%; display: block; }
table { border-collapse: collapse; margin: 0.4em 0 1em; font-size: 0.9em; }
th, td { border: 1px solid #ccc; padding: 0.25em 0.5em; text-align: left; vertical-align: top; }
th { background: #f3f3f3; } td.n { text-align: right; white-space: nowrap; }
code { font-size: 0.95em; overflow-wrap: anywhere; } code.spec { overflow-wrap: normal; }
.none { color: #666; font-style: italic; }
"""


def _count(n: int, what: str) -> str:
    return f"{n} {what}{'' if n == 1 else 's'}"


def _e(text) -> str:
    return html.escape(str(text), quote=True)


def _table(head: list[str], rows: list[list[str]], numeric: set[int] = frozenset()) -> str:
    cells = "".join(f"<th>{_e(h)}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td class='n'>{c}</td>" if i in numeric else f"<td>{c}</td>"
                                    for i, c in enumerate(row)) + "</tr>" for row in rows)
    return f"<table><tr>{cells}</tr>{body}</table>"


def _kata_failing(grades: list[Grade], kata: manifest.Kata) -> str:
    results = [r for g in grades for r in g.katas if r.kata.name == kata.name]
    if not results:
        return ""
    solved = sum(r.score >= kata.points for r in results)
    heading = (f"<h3>{kata.number} {_e(kata.name)}</h3><p>Solved by {solved} of {len(results)}; mean "
               f"{statistics.mean(r.score for r in results):.2f} / {kata.points:g}.</p>")
    rows = [[f"<code class='spec'>{_e(f.name)}</code>", _e(f.step), f"{f.failed} of {f.learners}",
             f"<code>{_e(f.message)}</code>", f"{f.same}"] for f in failing(grades, kata)]
    if not rows:
        return heading + "<p class='none'>Every learner passed every spec.</p>"
    return heading + _table(["spec", "step", "failed by", "most common first line", "with that line"], rows, {2, 4})


def _review_table(review) -> str:
    if not review:
        return "<p class='none'>None: no kata was held for review or flagged.</p>"
    rows = [[_e(grade.learner), _e(result.kata.name), f"{result.score:.2f} / {result.kata.points:g}",
             _e(result.problems()) or "graded as usual", "<br>".join(f"<code>{_e(f)}</code>" for f in flags)]
            for grade, result, flags in review]
    return _table(["learner", "kata", "score", "status", "flags"], rows, {2})


def _times_table(times) -> str:
    rows = [[_e(kata.name), f"{statistics.median(t for t, _ in row):.1f} s", f"{row[0][0]:.1f} s", _e(row[0][1])]
            for kata, row in times]
    return _table(["kata (slowest first)", "median", "longest", "longest for"], rows, {1, 2})


def _stopped_table(stops: list[Stopped]) -> str:
    if not stops:
        return "<p class='none'>The grader stopped no spec: no limit of time, memory or output was hit.</p>"
    rows = [[_e(s.learner), _e(s.kata.name), _e(s.verdict), f"{s.specs}", f"<code>{_e(s.message)}</code>"]
            for s in stops]
    return ("<p>Specs stopped by a limit (time, memory, output), by a crash or an exit, or never run:</p>"
            + _table(["learner", "kata", "verdict", "specs", "most common first line"], rows, {3}))
