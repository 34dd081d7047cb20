"""The class report's page: one HTML file that opens from disk and fetches nothing (no script, plots embedded)."""

from __future__ import annotations

import html
import statistics
import time

from katakit import manifest
from katakit.grading.class_report import plots
from katakit.grading.class_report.numbers import StepShare, Stopped, failing, kata_times, stopped, to_review
from katakit.grading.model import Grade

CSV = "steps.csv"  # linked from the page; written beside it (katakit/grading/class_report/__init__.py)


def render(grades: list[Grade], katas: tuple[manifest.Kata, ...], shares: list[StepShare]) -> str:
    totals = [g.score for g in grades]
    top = max(g.max_score for g in grades)
    times = kata_times(grades, katas)
    heatmap = plots.heatmap_plot(shares, katas)
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
        f"<img alt='the distribution of totals' src='{plots.totals_plot(grades)}'>",
        "<h2 id='steps'>Where the class is stuck</h2>",
        "<p>Each cell: a step, and the share of learners who pass every spec of it (a kata held for review "
        "counts as not passed). Grey: no such step, or no learner had a verdict on it. The numbers: "
        f"<a href='{CSV}'>{CSV}</a>.</p>",
        f"<img alt='katas by steps: the share of learners passing each step' src='{heatmap}'>",
        "<h2 id='failing'>The specs most often failed</h2>",
        *(_kata_failing(grades, kata) for kata in katas),
        "<h2 id='review'>Held for review and flagged</h2>",
        _review_table(review),
        "<h2 id='time'>Time, and the specs the grader stopped</h2>",
        f"<img alt='grading time per kata' src='{plots.times_plot(times)}'>" if times else "",
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
