"""SVG plots drawn with matplotlib, returned as text to inline in the HTML page.

matplotlib is imported inside the functions (a run that writes no plot never
pays for it). Output is deterministic: no date in the SVG, element ids salted
with a fixed string per figure (so several inline SVGs never share an id), and
text kept as text (smaller, selectable, no glyph ids).
"""

from __future__ import annotations

import io
import math
from typing import Sequence

from ..results.runs import LoadedRun
from .table import HIGHER, LOWER, Table, direction
from .views import Heatmap, recall_by_task

MAX_TASKS_PER_ROW = 60
"""Above this many tasks the per-task recall plot becomes a histogram."""
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf")
MARKERS = ("o", "s", "D", "^", "v", "P", "X", "*", "h", "<")
SHORT_TITLE = 18
"""A panel title this short stays clear of the y axis's offset text ("1e6", top left), so it is placed
at the top of its panel directly: matplotlib's automatic placement measures every axis of the figure
again for each title (a third of a bar plot's drawing), and would put a short title at the same place."""


def color(i: int) -> str:
    return PALETTE[i % len(PALETTE)]


def short(label: str, width: int = 40) -> str:
    """A plot label: cut to ``width``, dollar signs escaped (matplotlib reads $...$ as math)."""
    label = label if len(label) <= width else label[: width - 1] + "…"
    return label.replace("$", r"\$")


def _figure(width: float, height: float):
    from matplotlib.figure import Figure

    return Figure(figsize=(width, height), dpi=72)


def to_svg(fig, salt: str) -> str:
    """The figure as an ``<svg>`` element (no XML prolog), deterministic bytes."""
    import matplotlib

    buffer = io.StringIO()
    with matplotlib.rc_context({"svg.hashsalt": f"sumbench-{salt}", "svg.fonttype": "none"}):
        fig.savefig(buffer, format="svg", metadata={"Date": None}, bbox_inches="tight")
    text = buffer.getvalue()
    return text[text.index("<svg"):].strip()


def metric_bars(table: Table, colors: dict[str, str], salt: str = "bars", max_metrics: int = 12) -> str:
    """Small multiples: one panel per metric, a bar per run, 95% interval whiskers when known."""
    columns = table.columns[:max_metrics]
    ncols = min(4, len(columns))
    nrows = math.ceil(len(columns) / ncols)
    fig = _figure(3.1 * ncols, 2.5 * nrows + 0.5)
    axes = fig.subplots(nrows, ncols, squeeze=False)
    runs = [row.run for row in table.rows]
    for k, ax in enumerate(axes.flat):
        if k >= len(columns):
            ax.set_visible(False)
            continue
        metric = columns[k]
        xs, heights, errs, cols = [], [], [[], []], []
        for i, row in enumerate(table.rows):
            cell = row.cells[metric]
            if cell.mean is None:
                continue
            xs.append(i)
            heights.append(cell.mean)
            errs[0].append(max(0.0, cell.mean - cell.low) if cell.has_interval else 0.0)
            errs[1].append(max(0.0, cell.high - cell.mean) if cell.has_interval else 0.0)
            cols.append(colors[row.run.label])
        has_ci = any(e > 0 for e in errs[0] + errs[1])
        ax.bar(xs, heights, color=cols, yerr=errs if has_ci else None, capsize=3, ecolor="#333333", width=0.7)
        arrow = {HIGHER: " ↑", LOWER: " ↓"}.get(direction(metric), "")
        title = metric + arrow
        ax.set_title(title, fontsize=10, y=1.0 if len(title) <= SHORT_TITLE else None)
        ax.set_xticks([])
        ax.tick_params(labelsize=8)
        ax.set_xlim(-0.6, len(runs) - 0.4)
        if heights and min(heights) >= 0:
            ax.set_ylim(bottom=0, top=None if max(h + e for h, e in zip(heights, errs[1])) > 0 else 1)
        ax.grid(axis="y", alpha=0.3)
        ax.set_axisbelow(True)
        for side in ("top", "right"):
            ax.spines[side].set_visible(False)
    from matplotlib.patches import Patch

    handles = [Patch(color=colors[r.label], label=short(r.label)) for r in runs]
    fig.legend(handles=handles, loc="lower center", ncol=min(3, len(handles)), fontsize=9, frameon=False, bbox_to_anchor=(0.5, 1.0))
    fig.subplots_adjust(left=0.06, right=0.98, bottom=0.04, top=0.92, hspace=0.45, wspace=0.38)  # cheaper than tight_layout
    return to_svg(fig, salt)


def heatmap(data: Heatmap, salt: str = "heatmap") -> str:
    """Runs x probes, cell colour = share of tasks on which the probe triggered."""
    import numpy as np

    rows, cols = len(data.rows), len(data.columns)
    row_labels = [short(r, 32) for r in data.rows]
    col_labels = [short(c, 32) for c in data.columns]
    # cells about 0.42 in square, plus room for the rotated probe ids and the summarizer names
    width = min(24.0, 1.6 + 0.42 * cols + 0.07 * max(len(r) for r in row_labels))
    height = 0.4 + 0.42 * rows + 0.06 * max(len(c) for c in col_labels)
    fig = _figure(width, height)
    ax = fig.subplots()
    matrix = np.array([[np.nan if v is None else v for v in row] for row in data.values], dtype=float)
    import matplotlib

    cmap = matplotlib.colormaps["Reds"].with_extremes(bad="#e8e8e8")
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap=cmap, vmin=0.0, vmax=1.0, aspect="auto", interpolation="nearest")
    ax.set_xticks(range(cols))
    ax.set_xticklabels(col_labels, rotation=55, ha="right", rotation_mode="anchor", fontsize=8)
    ax.set_yticks(range(rows))
    ax.set_yticklabels(row_labels, fontsize=9)
    if rows * cols <= 600:
        for i in range(rows):
            for j in range(cols):
                value = matrix[i, j]
                text = "n/a" if np.isnan(value) else f"{value:.0%}"
                ax.text(j, i, text, ha="center", va="center", fontsize=7, color="white" if value > 0.6 else "#222222")
    bar = fig.colorbar(image, ax=ax, fraction=0.03, pad=0.02)
    bar.set_label("share of tasks triggered", fontsize=8)
    bar.ax.tick_params(labelsize=7)
    fig.tight_layout()
    return to_svg(fig, salt)


def recall_per_task(runs: Sequence[LoadedRun], task_ids: Sequence[str], colors: dict[str, str],
                    per_run: Sequence[dict[str, float]] | None = None, salt: str = "recall") -> str:
    """Key-fact recall of each task, one marker per run; a histogram when there are many tasks."""
    per_run = per_run if per_run is not None else [recall_by_task(run) for run in runs]
    tasks = [t for t in task_ids if any(t in r for r in per_run)]
    if len(tasks) > MAX_TASKS_PER_ROW:
        fig = _figure(7.5, 3.2)
        ax = fig.subplots()
        bins = [i / 10 for i in range(11)]
        for run, values in zip(runs, per_run):
            ax.hist(list(values.values()), bins=bins, histtype="step", linewidth=1.6, color=colors[run.label], label=short(run.label))
        ax.set_xlabel("key-fact recall", fontsize=9)
        ax.set_ylabel("tasks", fontsize=9)
        ax.legend(fontsize=8, frameon=False)
        left, top = 0.7, 0.15  # the tick counts and the "tasks" label; the legend is inside
    else:
        fig = _figure(7.5, 1.2 + 0.26 * len(tasks))
        ax = fig.subplots()
        spread = 0.5 / max(1, len(runs))
        for i, (run, values) in enumerate(zip(runs, per_run)):
            ys = [k + (i - (len(runs) - 1) / 2) * spread for k, t in enumerate(tasks) if t in values]
            xs = [values[t] for t in tasks if t in values]
            ax.scatter(xs, ys, color=colors[run.label], marker=MARKERS[i % len(MARKERS)], s=28, label=short(run.label), zorder=3)
        ax.set_yticks(range(len(tasks)))
        labels = [short(t, 36) for t in tasks]
        ax.set_yticklabels(labels, fontsize=8)
        left = 0.3 + 0.07 * max((len(t) for t in labels), default=0)  # 8-point labels, ~0.07 in a character
        top = 0.15 + 0.2 * math.ceil(len(runs) / 3)  # the legend's rows above the axes
        ax.invert_yaxis()
        ax.set_xlim(-0.03, 1.03)
        ax.set_xlabel("key-fact recall (partial = 0.5)", fontsize=9)
        ax.grid(axis="x", alpha=0.3)
        ax.legend(fontsize=8, frameon=False, loc="lower center", bbox_to_anchor=(0.5, 1.0), ncol=min(3, len(runs)))
    for side in ("top", "right"):
        ax.spines[side].set_visible(False)
    ax.tick_params(labelsize=8)
    _fixed_margins(fig, left=left, top=top)
    return to_svg(fig, salt)


def _fixed_margins(fig, left: float, top: float, bottom: float = 0.55, right: float = 0.15) -> None:
    """Margins in inches, estimated from the labels, instead of ``tight_layout`` (one more full layout).

    The estimate only sets the axes' share of the figure; ``to_svg`` still saves the tight box of
    everything drawn, so a label longer than estimated widens the picture and is never cut.
    """
    width, height = fig.get_size_inches()
    fig.subplots_adjust(left=min(0.6, left / width), right=1 - right / width,
                        bottom=min(0.4, bottom / height), top=max(0.6, 1 - top / height))
