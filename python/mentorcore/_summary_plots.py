"""The plots of a CohortSummary (matplotlib, imported only when a plot is asked for; each returns
its Axes). They draw from the KPI frame and the count tables, so a merged or a publishable
summary plots the same way as one cohort's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import numpy as np

from ._summary_counts import HOME_VISIT_MONTHS, UTILISATION_BINS
from ._validate import invalid
from .survival import _pyplot

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes


def _axes(ax: Axes | None) -> Axes:
    plt = _pyplot()
    return ax if ax is not None else plt.gca()


def _group_labels(by: tuple[str, ...], frame: pd.DataFrame) -> list[str]:
    if not by:
        return ["all courses"] * len(frame)
    return [
        ", ".join("-" if value is None else str(value) for value in row)
        for row in frame[list(by)].itertuples(index=False)
    ]


def plot_kpi(summary: Any, kpi: str, ax: Axes | None = None) -> Axes:
    """One KPI per group: a point with its interval (where it has one), groups on the y axis."""
    frame = summary.kpis()
    rows = frame[frame.kpi == kpi]
    if rows.empty:
        raise invalid("kpi", kpi, "not a KPI of this summary (see summary.kpis().kpi)")
    axes = _axes(ax)
    labels = _group_labels(summary.by, rows)
    y = np.arange(len(rows))
    value = rows["value"].to_numpy(dtype=float)
    lower = rows["ci_lower"].to_numpy(dtype=float)
    upper = rows["ci_upper"].to_numpy(dtype=float)
    has_interval = ~np.isnan(lower) & ~np.isnan(upper)
    axes.errorbar(
        value[has_interval],
        y[has_interval],
        xerr=[value[has_interval] - lower[has_interval], upper[has_interval] - value[has_interval]],
        fmt="o",
        capsize=3,
        label="95% interval",
    )
    axes.plot(value[~has_interval], y[~has_interval], "o")
    if "suppressed" in rows:
        for position in y[rows["suppressed"].to_numpy(dtype=bool)]:
            axes.annotate("suppressed", (0, position), fontsize="small", va="center")
    axes.set_yticks(y, labels)
    axes.set_xlabel(kpi)
    axes.set_title(kpi)
    return axes


def plot_home_visits(summary: Any, ax: Axes | None = None) -> Axes:
    """The share of attended contacts held at home by month of course, one line per group: the
    help-to-self-help curve, which should fall."""
    frame = summary.kpis()
    rows = frame[frame.kpi.str.startswith("home_visit_share.")]
    axes = _axes(ax)
    months = np.arange(1, HOME_VISIT_MONTHS + 1)
    labels = _group_labels(summary.by, rows.iloc[: len(summary.groups)])
    for g, label in enumerate(labels):
        values = rows["value"].to_numpy(dtype=float)[g :: max(len(summary.groups), 1)]
        axes.plot(months, values, marker="o", label=label)
    axes.set_xlabel("month of course")
    axes.set_ylabel("share of attended contacts at home")
    axes.set_ylim(0, 1)
    if len(labels) > 1:
        axes.legend(fontsize="small")
    return axes


def plot_stage_transitions(
    summary: Any, behaviour: str | None = None, ax: Axes | None = None
) -> Axes:
    """The stage-of-change transition matrix (from the row stage to the column stage) as a heat
    map with the counts written in, all groups together, for one behaviour or all."""
    frame = summary.transition_matrix(behaviour)
    stages = list(frame.index)
    matrix = frame.to_numpy()
    axes = _axes(ax)
    axes.imshow(matrix, cmap="Blues")
    for i in range(len(stages)):
        for j in range(len(stages)):
            if matrix[i, j]:
                axes.text(j, i, str(matrix[i, j]), ha="center", va="center", fontsize="small")
    axes.set_xticks(range(len(stages)), stages, rotation=45, ha="right")
    axes.set_yticks(range(len(stages)), stages)
    axes.set_xlabel("to")
    axes.set_ylabel("from")
    axes.set_title(f"stage transitions: {behaviour or 'all behaviours'}")
    return axes


def plot_utilisation(summary: Any, ax: Axes | None = None) -> Axes:
    """The grants by hours delivered as a share of hours granted (bins of 10 percentage points,
    the last 150 % and more), all groups together, with the 80 percent line."""
    counts = summary.counts["utilisation"].sum(axis=0)
    axes = _axes(ax)
    edges = np.arange(UTILISATION_BINS) * 10
    axes.bar(edges + 5, counts, width=9.5, align="center")
    axes.axvline(80, color="red", linestyle="--", label="80 %")
    axes.set_xlabel("hours delivered, percent of granted")
    axes.set_ylabel("grants")
    axes.legend()
    return axes


def plot_handover_loss(summary: Any, ax: Axes | None = None) -> Axes:
    """Knowledge items per handover, carried, withheld and dropped, stacked, one bar per group."""
    table = summary.table("handovers")
    axes = _axes(ax)
    labels = _group_labels(summary.by, table)
    handovers = table["handovers"].to_numpy(dtype=float)
    bottom = np.zeros(len(table))
    with np.errstate(invalid="ignore", divide="ignore"):
        for kind in ("carried", "withheld", "dropped"):
            per = np.where(handovers > 0, table[kind].to_numpy(dtype=float) / handovers, 0.0)
            axes.bar(labels, per, bottom=bottom, label=kind)
            bottom += per
    axes.set_ylabel("knowledge items per handover")
    axes.legend()
    axes.tick_params(axis="x", labelrotation=45)
    return axes
