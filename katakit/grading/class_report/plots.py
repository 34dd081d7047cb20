"""The class report's plots as embedded PNGs: matplotlib's object API (no pyplot state), imported only here,
when a class report is written: `make grade` never draws."""

from __future__ import annotations

import base64
import io
import statistics

from katakit import manifest
from katakit.grading.class_report.numbers import StepShare
from katakit.grading.model import Grade


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
