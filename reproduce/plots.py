"""One PNG per experiment: its training curves (one panel per metric) and/or its bar charts."""

from __future__ import annotations

from pathlib import Path

from reproduce.common import Outcome


def draw(outcome: Outcome, title: str, path: Path) -> Path | None:
    """Draw the outcome's curves and bars side by side into `path`; None when there is nothing to draw."""
    panels = [("curve", name, series) for name, series in outcome.curves.items()]
    panels += [("bars", name, values) for name, values in outcome.bars.items()]
    if not panels:
        return None
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    widths = [1.0 if kind == "curve" else max(1.0, len(data) / 12) for kind, _, data in panels]
    fig, axes = plt.subplots(1, len(panels), figsize=(5.2 * sum(widths), 4.2), squeeze=False,
                             gridspec_kw={"width_ratios": widths})
    for ax, (kind, name, data) in zip(axes[0], panels, strict=True):
        if kind == "curve":
            for label, values in data.items():
                ax.plot(range(1, len(values) + 1), values, label=label, linewidth=1.2,
                        marker="o" if len(values) < 30 else None)
            ax.set_xlabel("epoch")
            ax.set_ylabel(name)
            if name == "loss" and all(v > 0 for values in data.values() for v in values):
                ax.set_yscale("log")
            if len(data) > 1:
                ax.legend(fontsize=8)
        else:
            labels, values = list(data), list(data.values())
            ax.bar(range(len(values)), values, color="tab:blue")
            ax.set_xticks(range(len(values)), labels, rotation=60 if len(labels) > 4 else 0,
                          ha="right" if len(labels) > 4 else "center", fontsize=7 if len(labels) > 12 else 8)
            ax.set_ylabel("accuracy" if "accuracy" in name else "")
            low = min(values)
            ax.set_ylim(max(0.0, low - 0.1 * (max(values) - low + 0.05)), None)
        ax.set_title(name, fontsize=10)
        ax.grid(alpha=0.3)
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    plt.close(fig)
    return path
