"""The report's figures: matplotlib without pyplot (a Figure of its own, no global state), saved
as SVG with the text drawn as paths (no font is needed to show them) and embedded as data URIs.

Every label comes from the language's catalogue. The survival curves are drawn from the full
summary's estimates (the publishable summary keeps no per-day counts) and only where at least
`min_count` subjects are at risk: a group with fewer subjects gets no curve, and a curve stops at
the last day on which `min_count` or more were still at risk (docs/report.md, "Suppression").
Which curves a figure leaves out because a published figure would be read off them is decided
by the caller, from the publishable tables."""

from __future__ import annotations

import base64
import io
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

import numpy as np

from ._i18n import N_, Language

if TYPE_CHECKING:
    import numpy.typing as npt
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from ..survival import AalenJohansen, KaplanMeier

_WIDTH = 7.0  # inches; the page scales the image to its width
OUTCOMES = {
    1: N_("work"),
    2: N_("education"),
    3: N_("dropped out"),
    4: N_("other exit"),
}
_DAY_TICKS = [0, 91, 182, 273, 365, 547, 730, 1095, 1461]
MAX_GROUPS = 12
"""Figures by group draw the largest groups, at most this many (the tables list them all): more
lines or bars than that cannot be told apart."""


def _figure(height: float = 3.6) -> tuple[Figure, Axes]:
    from matplotlib.figure import Figure

    figure = Figure(figsize=(_WIDTH, height), layout="constrained")
    return figure, figure.subplots()


def data_uri(figure: Figure) -> str:
    """The figure as an SVG data URI (base64), the same bytes for the same figure."""
    import matplotlib

    buffer = io.BytesIO()
    with matplotlib.rc_context({"svg.hashsalt": "mentorcore", "svg.fonttype": "path"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    # The DOCTYPE names the SVG DTD's URL and the metadata block a few more: a viewer fetches
    # none of them, but the file needs none of them either (only the xmlns names stay).
    svg = re.sub(rb"<!DOCTYPE[^>]*>\s*", b"", buffer.getvalue(), count=1)
    svg = re.sub(rb"\s*<metadata>.*?</metadata>", b"", svg, count=1, flags=re.S)
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def _day_axis(axes: Axes, last: float, language: Language) -> None:
    ticks = [t for t in _DAY_TICKS if t <= max(last, 91)]
    axes.set_xticks(ticks, [language.count(t) for t in ticks])
    axes.set_xlim(0, max(last, 91) * 1.02)
    axes.set_xlabel(language.gettext("days"))


def _shares(axes: Axes, language: Language) -> None:
    axes.set_ylim(0, 1.02)
    ticks = [0, 0.25, 0.5, 0.75, 1.0]
    axes.set_yticks(ticks, [language.percent(t).replace(",0", "").replace(".0", "") for t in ticks])
    axes.grid(True, alpha=0.3)


def drawable(frame: Any, min_count: int) -> Any:
    """The rows of an estimate's frame up to the last time with `min_count` or more at risk."""
    keep = frame["at_risk"].to_numpy() >= min_count
    last = int(np.flatnonzero(keep)[-1]) + 1 if keep.any() else 0
    return frame.iloc[:last]


def enough_events(
    estimate: KaplanMeier | AalenJohansen, rows: int, outcomes: Sequence[int] | None, min_count: int
) -> npt.NDArray[np.bool_]:
    """For each of the first `rows` times: whether the curve of `outcomes` (None: every event,
    as a Kaplan-Meier curve counts them) stands for `min_count` events or more by then. Before
    that, its height would show a share of fewer people than the KPI tables publish (work within
    6 months, 4 of 29, withheld in the table and readable off the curve), so it is not drawn."""
    columns = estimate._columns  # the estimate's counts: the same package reads them
    if outcomes is None:
        events = np.asarray(columns["events"], dtype=np.int64)
    else:
        by_outcome = np.asarray(columns["events_by_outcome"], dtype=np.int64)
        events = by_outcome[[k - 1 for k in outcomes]].sum(axis=0)
    enough: npt.NDArray[np.bool_] = np.cumsum(events)[:rows] >= min_count
    return enough


def _shown(values: Any, enough: npt.NDArray[np.bool_]) -> npt.NDArray[np.float64]:
    """`values` where `enough`, else NaN (a gap in the drawn curve)."""
    return np.where(enough, np.asarray(values, dtype=float), np.nan)


def subjects(estimate: KaplanMeier | AalenJohansen) -> int:
    """How many subjects an estimate counts (no one enters late in the report's questions)."""
    frame = estimate.to_frame()
    return int(frame["at_risk"].iloc[0]) if len(frame) else 0


def cumulative_incidence(
    everyone: AalenJohansen | None,
    groups: Sequence[tuple[str, AalenJohansen]],
    min_count: int,
    language: Language,
    outcomes: Sequence[int] = tuple(OUTCOMES),
) -> list[tuple[str, str]]:
    """The cumulative incidence of each of `outcomes`, all courses (with bands), and of work or
    education per group; (title, data URI) for each figure drawn."""
    figures = []
    if everyone is not None and outcomes and subjects(everyone) >= min_count:
        frame = drawable(everyone.to_frame(), min_count)
        if len(frame):
            figure, axes = _figure()
            time = np.concatenate([[0.0], frame["time"].to_numpy(dtype=float)])
            for k, name in OUTCOMES.items():
                if k not in outcomes:
                    continue
                enough = enough_events(everyone, len(frame), [k], min_count)
                curve = np.concatenate([[0.0], _shown(frame[f"cif_{k}"], enough)])
                lower = np.concatenate([[0.0], _shown(frame[f"ci_lower_{k}"], enough)])
                upper = np.concatenate([[0.0], _shown(frame[f"ci_upper_{k}"], enough)])
                (line,) = axes.step(time, curve, where="post", label=language.gettext(name))
                axes.fill_between(
                    time, lower, upper, step="post", alpha=0.2, color=line.get_color()
                )
            _day_axis(axes, float(time[-1]), language)
            _shares(axes, language)
            axes.set_ylabel(language.gettext("cumulative incidence"))
            axes.legend(fontsize="small", loc="upper left")
            figures.append((language.gettext("All courses: each outcome"), data_uri(figure)))
    drawn = [(label, e) for label, e in groups if subjects(e) >= min_count]
    drawn = sorted(drawn, key=lambda item: -subjects(item[1]))[:MAX_GROUPS]
    if drawn:
        figure, axes = _figure()
        last = 0.0
        for label, estimate in drawn:
            frame = drawable(estimate.to_frame(), min_count)
            if not len(frame):
                continue
            time = np.concatenate([[0.0], frame["time"].to_numpy(dtype=float)])
            enough = enough_events(estimate, len(frame), [1, 2], min_count)
            curve = np.concatenate([[0.0], _shown(frame["cif_1"] + frame["cif_2"], enough)])
            axes.step(time, curve, where="post", label=label)
            last = max(last, float(time[-1]))
        _day_axis(axes, last, language)
        _shares(axes, language)
        axes.set_ylabel(language.gettext("work or education"))
        axes.legend(fontsize="x-small", loc="upper left", ncols=2)
        figures.append((language.gettext("Work or education, by group"), data_uri(figure)))
    return figures


def retention(km: KaplanMeier, min_count: int, language: Language) -> str | None:
    """The Kaplan-Meier curve of retention with its band, up to the last day with `min_count`
    or more at risk; None if there is nothing to draw."""
    if subjects(km) < min_count:
        return None
    frame = drawable(km.to_frame(), min_count)
    if not len(frame):
        return None
    figure, axes = _figure()
    time = np.concatenate([[0.0], frame["time"].to_numpy(dtype=float)])
    enough = enough_events(km, len(frame), None, min_count)
    axes.step(
        time,
        np.concatenate([[1.0], _shown(frame["survival"], enough)]),
        where="post",
        label=language.gettext("still in work or education"),
    )
    axes.fill_between(
        time,
        np.concatenate([[1.0], _shown(frame["ci_lower"], enough)]),
        np.concatenate([[1.0], _shown(frame["ci_upper"], enough)]),
        step="post",
        alpha=0.25,
        label=language.gettext("95 % interval"),
    )
    _day_axis(axes, float(time[-1]), language)
    _shares(axes, language)
    axes.set_xlabel(language.gettext("days since the first start"))
    axes.legend(fontsize="small", loc="lower left")
    return data_uri(figure)


def home_visits(shares: Sequence[float], language: Language) -> str:
    """The share of attended contacts at home by month of course (NaN: withheld, a gap)."""
    figure, axes = _figure(3.2)
    months = np.arange(1, len(shares) + 1)
    axes.plot(months, np.asarray(shares, dtype=float), marker="o")
    axes.set_xticks(months[::2], [str(m) for m in months[::2]])
    axes.set_xlabel(language.gettext("month of course"))
    axes.set_ylabel(language.gettext("share at home"))
    _shares(axes, language)
    return data_uri(figure)


def utilisation(counts: Sequence[float], language: Language) -> str:
    """Grants by hours delivered in percent of granted (bins of 10 points; NaN: withheld, shown
    as a dash above the axis), with the 80 percent line."""
    figure, axes = _figure(3.2)
    values = np.asarray(counts, dtype=float)
    edges = np.arange(len(values)) * 10
    withheld = np.isnan(values)
    axes.bar(edges[~withheld] + 5, values[~withheld], width=9.5)
    for edge in edges[withheld]:
        axes.annotate("\u2013", (edge + 5, 0), ha="center", va="bottom")
    axes.axvline(80, color="firebrick", linestyle="--", label="80 %")
    labels = [f"{e}" for e in edges[::2]]
    labels[-1] = labels[-1] + "+" if edges[::2][-1] == edges[-1] else labels[-1]
    axes.set_xticks(edges[::2], labels)
    axes.set_xlabel(language.gettext("hours delivered, percent of granted"))
    axes.set_ylabel(language.gettext("grants"))
    axes.legend(fontsize="small")
    return data_uri(figure)


def stage_transitions(matrix: Any, withheld: Any, names: Sequence[str], language: Language) -> str:
    """The stage-of-change transition counts (from the row stage to the column stage) as a heat
    map, withheld counts shown as a dash."""
    figure, axes = _figure(4.4)
    shown = np.where(withheld, 0, matrix).astype(float)
    axes.imshow(shown, cmap="Blues")
    for i in range(len(names)):
        for j in range(len(names)):
            text = "\u2013" if withheld[i, j] else language.count(matrix[i, j])
            axes.text(j, i, text, ha="center", va="center", fontsize="small")
    axes.set_xticks(range(len(names)), names, rotation=30, ha="right")
    axes.set_yticks(range(len(names)), names)
    axes.set_xlabel(language.gettext("to stage"))
    axes.set_ylabel(language.gettext("from stage"))
    return data_uri(figure)


def handover_items(
    labels: Sequence[str], per_kind: dict[str, Sequence[float]], language: Language
) -> str:
    """Knowledge items per handover, carried, withheld and dropped, stacked, a bar per group
    (a group with a withheld value gets no bar)."""
    figure, axes = _figure(3.4)
    x = np.arange(len(labels))
    bottom = np.zeros(len(labels))
    complete = np.ones(len(labels), dtype=bool)
    for values in per_kind.values():
        complete &= ~np.isnan(np.asarray(values, dtype=float))
    for kind, values in per_kind.items():
        heights = np.where(complete, np.asarray(values, dtype=float), 0.0)
        axes.bar(x[complete], heights[complete], bottom=bottom[complete], label=kind)
        bottom += heights
    for position in x[~complete]:
        axes.annotate("\u2013", (position, 0), ha="center", va="bottom")
    if len(labels) > 3:
        axes.set_xticks(x, labels, rotation=30, ha="right")
    else:
        axes.set_xticks(x, labels)
    axes.set_ylabel(language.gettext("knowledge items per handover"))
    axes.legend(fontsize="small")
    return data_uri(figure)
