"""Survival estimators: Kaplan-Meier and Aalen-Johansen, as lifelines, statsmodels and
scikit-survival compute them, on NumPy arrays or pandas columns, computed in C++.

- :func:`kaplan_meier` -> :class:`KaplanMeier`: the survival curve, the Greenwood standard error,
  the log(-log) interval, medians and percentiles by either reference's rule;
- :func:`aalen_johansen` -> :class:`AalenJohansen`: cumulative incidence of competing outcomes,
  with the delta-method (lifelines, statsmodels) or Aalen (scikit-survival) variance.

Both take late entry (a subject is at risk at time t when entry < t <= duration) and frequency
weights (whole numbers). Whole-day durations are counted, not sorted. ``docs/kpis.md`` gives the
formulas and where the reference libraries differ.
"""

from __future__ import annotations

import abc
import html
import math
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt

from . import _core
from ._validate import as_threads, invalid

if TYPE_CHECKING:
    import pandas as pd
    from matplotlib.axes import Axes

__all__ = [
    "TIME_TO_WORK_OUTCOMES",
    "AalenJohansen",
    "KaplanMeier",
    "aalen_johansen",
    "kaplan_meier",
]

TIME_TO_WORK_OUTCOMES = {1: "work", 2: "education", 3: "dropout", 4: "other_exit"}
"""The competing outcomes of ``Cohort.survival("time_to_work_or_education")``, by number."""

_PICKLE_FORMAT = 1
_INT32_MAX = 2**31 - 1


def _numbers(values: object, name: str) -> npt.NDArray[Any]:
    """`values` as a 1-d array of numbers (bool, integer or float), not yet converted."""
    try:
        array = np.asarray(values)
    except Exception as error:  # bad input: whatever building the array raised
        raise invalid(
            name, values, f"could not be read as an array ({type(error).__name__})"
        ) from None
    if array.ndim != 1:
        raise invalid(name, values, f"expected a 1-dimensional array, got {array.ndim} dimensions")
    if array.dtype.kind not in "biuf":
        raise invalid(name, values, f"expected numbers, got an array of {array.dtype}")
    return array


def _numbers_or_scalar(values: object, name: str) -> npt.NDArray[Any]:
    try:
        return np.asarray(values)
    except Exception as error:  # bad input: whatever building the array raised
        raise invalid(
            name, values, f"could not be read as an array ({type(error).__name__})"
        ) from None


def _float_array(values: object, name: str) -> npt.NDArray[np.float64]:
    return np.ascontiguousarray(_numbers(values, name), dtype=np.float64)


def _int_array(values: object, name: str) -> npt.NDArray[np.int32]:
    """`values` (bool or whole numbers) as int32; 0.5 is an error naming the first bad index."""
    array = _numbers(values, name)
    if array.dtype.kind == "f":
        bad = np.flatnonzero(~np.isfinite(array) | (array != np.floor(array)))
        if bad.size:
            index = int(bad[0])
            raise invalid(f"{name}[{index}]", float(array[index]), "expected a whole number")
    # Bool and signed integers of up to 32 bits need no range check (one value, -2**31, is out of
    # range and negative, which the core refuses as an outcome with its own message).
    kind, size = array.dtype.kind, array.dtype.itemsize
    narrow = kind == "b" or (kind == "i" and size <= 4) or (kind == "u" and size <= 2)
    if array.size and not narrow:
        outside = np.flatnonzero((array < -_INT32_MAX) | (array > _INT32_MAX))
        if outside.size:
            index = int(outside[0])
            raise invalid(f"{name}[{index}]", array[index].item(), "outside the range of 32 bits")
    return np.ascontiguousarray(array, dtype=np.int32)


def _alpha(alpha: object) -> float:
    if isinstance(alpha, bool) or not isinstance(alpha, (int, float)):
        raise invalid("alpha", alpha, "expected a number in (0, 1)")
    return float(alpha)


def _optional(values: object, name: str) -> npt.NDArray[np.float64] | None:
    return None if values is None else _float_array(values, name)


def _first_at_or_below(
    time: npt.NDArray[np.float64], curve: npt.NDArray[np.float64], level: float, rule: str
) -> float:
    reached = np.flatnonzero(curve <= level if rule == "lifelines" else curve < level)
    return float(time[reached[0]]) if reached.size else math.inf


def _step_values(
    time: npt.NDArray[np.float64], values: npt.NDArray[np.float64], at: object, before: float
) -> npt.NDArray[np.float64]:
    points = _float_array(np.atleast_1d(_numbers_or_scalar(at, "times")), "times")
    if np.isnan(points).any():
        index = int(np.flatnonzero(np.isnan(points))[0])
        raise invalid(f"times[{index}]", "nan", "expected a time")
    rows = np.searchsorted(time, points, side="right") - 1
    result = np.where(rows >= 0, values[np.clip(rows, 0, None)] if values.size else before, before)
    return np.asarray(result, dtype=np.float64)


class _Estimate(abc.ABC):
    """What the estimates share: the faces (``<Name summary>`` and, for Jupyter, that line above
    the first ten rows of :meth:`to_frame`) and pickling as the counts they were computed from,
    behind a format version, so that unpickling computes them again."""

    __slots__ = ()

    @abc.abstractmethod
    def to_frame(self) -> pd.DataFrame:
        """One row per distinct time."""

    @abc.abstractmethod
    def _summary(self) -> str:
        """What the repr says after the class name."""

    @abc.abstractmethod
    def _pickled(self) -> tuple[Callable[..., _Estimate], tuple[Any, ...]]:
        """The module-level function that rebuilds the estimate, and its counts (without the
        format version, which __reduce__ puts first)."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self._summary()}>"

    def _repr_html_(self) -> str:
        head = self.to_frame().head(10).to_html(index=False, float_format=lambda x: f"{x:.4f}")
        return f"<div><strong>{html.escape(repr(self))}</strong>{head}</div>"

    def __reduce__(self) -> tuple[Any, ...]:
        rebuild, counts = self._pickled()
        return (rebuild, (_PICKLE_FORMAT, *counts))


def _check_pickle_format(version: object) -> None:
    if version != _PICKLE_FORMAT:
        raise invalid("pickle format", version, f"this mentorcore reads {_PICKLE_FORMAT}")


class KaplanMeier(_Estimate):
    """A Kaplan-Meier estimate (see :func:`kaplan_meier`). Immutable; pickles as its counts."""

    __slots__ = ("_columns", "alpha")

    def __init__(self, columns: dict[str, Any], alpha: float) -> None:
        self._columns = columns
        self.alpha = alpha

    @property
    def timeline(self) -> npt.NDArray[np.float64]:
        """The distinct times (events, censorings and entries), ascending."""
        return np.asarray(self._columns["time"])

    @property
    def survival(self) -> npt.NDArray[np.float64]:
        return np.asarray(self._columns["survival"])

    def to_frame(self) -> pd.DataFrame:
        """One row per distinct time: ``time, at_risk, entered, observed, censored, survival,
        std_err, ci_lower, ci_upper`` (``std_err`` is the Greenwood standard error of the
        survival, statsmodels' ``surv_prob_se``; the interval is the log(-log) one)."""
        import pandas as pd

        c = self._columns
        frame: pd.DataFrame = pd.DataFrame(
            {
                "time": c["time"],
                "at_risk": c["at_risk"],
                "entered": c["entered"],
                "observed": c["events"],
                "censored": c["censored"],
                "survival": c["survival"],
                "std_err": c["std_err"],
                "ci_lower": c["ci_lower"],
                "ci_upper": c["ci_upper"],
            }
        )
        return frame

    def at(self, times: object) -> npt.NDArray[np.float64]:
        """The survival at each of `times` (1 before the first time)."""
        return _step_values(self.timeline, self.survival, times, 1.0)

    def percentile(
        self, p: float, *, rule: Literal["lifelines", "statsmodels"] = "lifelines"
    ) -> tuple[float, float, float]:
        """The time by which a share `p` has had the outcome, with its interval: ``(time,
        lower, upper)``. ``rule="lifelines"`` (default): the first time with S <= 1 - p;
        ``"statsmodels"``: S < 1 - p. ``inf`` where the curve never gets there. The interval
        applies the same rule to the interval's curves (lifelines' method)."""
        if isinstance(p, bool) or not isinstance(p, (int, float)) or not 0 < p < 1:
            raise invalid("p", p, "expected a share in (0, 1)")
        if rule not in ("lifelines", "statsmodels"):
            raise invalid("rule", rule, 'expected "lifelines" or "statsmodels"')
        level = 1 - float(p)
        c = self._columns
        return (
            _first_at_or_below(c["time"], c["survival"], level, rule),
            _first_at_or_below(c["time"], c["ci_lower"], level, rule),
            _first_at_or_below(c["time"], c["ci_upper"], level, rule),
        )

    def median(
        self, *, rule: Literal["lifelines", "statsmodels"] = "lifelines"
    ) -> tuple[float, float, float]:
        """:meth:`percentile` at 0.5."""
        return self.percentile(0.5, rule=rule)

    def at_risk_table(self, times: Iterable[float]) -> pd.DataFrame:
        """Per period between consecutive `times`: at risk at its start and at its end, and
        those who entered, had the outcome and were censored in it (start excluded, end
        included). At risk at the start counts who is under observation just after the start
        (entry <= start < duration); at the end, who is at risk at the end (entry < end <=
        duration), as the curve counts."""
        import pandas as pd

        edges = _float_array(list(times), "times")
        if edges.size < 2 or np.any(np.diff(edges) <= 0):
            raise invalid("times", list(edges), "expected two or more ascending times")
        c = self._columns
        time = c["time"]
        flows = {
            name: np.concatenate([[0], np.cumsum(c[name])])
            for name in ("entered", "events", "censored")
        }

        def through(name: str, edge: npt.NDArray[np.float64], side: str) -> npt.NDArray[Any]:
            return flows[name][np.searchsorted(time, edge, side=side)]  # type: ignore[call-overload]

        start, end = edges[:-1], edges[1:]
        initial = int(c["initial"])

        def at_risk(edge: npt.NDArray[np.float64], side: str) -> npt.NDArray[Any]:
            return np.asarray(
                initial
                + through("entered", edge, side)
                - through("events", edge, side)
                - through("censored", edge, side)
            )

        table: pd.DataFrame = pd.DataFrame(
            {
                "start": start,
                "end": end,
                "at_risk_start": at_risk(start, "right"),
                "entered": through("entered", end, "right") - through("entered", start, "right"),
                "observed": through("events", end, "right") - through("events", start, "right"),
                "censored": through("censored", end, "right") - through("censored", start, "right"),
                "at_risk_end": at_risk(end, "left"),
            }
        )
        return table

    def plot(self, ax: Axes | None = None, *, ci: bool = True, at_risk: bool = True) -> Axes:
        """The step curve with its interval band and, under the axis, the numbers at risk at the
        ticks (as lifelines' ``add_at_risk_counts``). Needs matplotlib."""
        plt = _pyplot()
        axes = ax if ax is not None else plt.gca()
        time = np.concatenate([[0.0], self.timeline])
        c = self._columns
        axes.step(time, np.concatenate([[1.0], c["survival"]]), where="post", label="survival")
        if ci:
            axes.fill_between(
                time,
                np.concatenate([[1.0], c["ci_lower"]]),
                np.concatenate([[1.0], c["ci_upper"]]),
                step="post",
                alpha=0.25,
                label=f"{1 - self.alpha:.0%} interval",
            )
        axes.set_ylim(0, 1.05)
        axes.set_ylabel("survival")
        if at_risk and self.timeline.size:
            ticks = [t for t in axes.get_xticks() if time[0] <= t <= time[-1]]
            if len(ticks) >= 2:
                table = self.at_risk_table(ticks)
                counts = [int(table["at_risk_start"].iloc[0]), *table["at_risk_end"]]
                for tick, count in zip(ticks, counts, strict=True):
                    axes.annotate(
                        f"{count}",
                        (tick, 0),
                        xytext=(0, -32),
                        textcoords="offset points",
                        xycoords=("data", "axes fraction"),
                        ha="center",
                        fontsize="small",
                    )
                axes.annotate(
                    "at risk",
                    (0, 0),
                    xytext=(-8, -32),
                    textcoords="offset points",
                    xycoords="axes fraction",
                    ha="right",
                    fontsize="small",
                )
        return axes

    def _summary(self) -> str:
        c = self._columns
        subjects = int(c["initial"]) + int(np.sum(c["entered"]))
        events = int(np.sum(c["events"]))
        median = self.median()[0]
        return f"{subjects} subjects, {events} observed, {len(c['time'])} times, median {median:g}"

    def _pickled(self) -> tuple[Callable[..., _Estimate], tuple[Any, ...]]:
        c = self._columns
        counts = (
            np.asarray(c["time"]),
            np.asarray(c["entered"]),
            np.asarray(c["events"]),
            np.asarray(c["censored"]),
            int(c["initial"]),
            self.alpha,
        )
        return (_unpickle_kaplan_meier, counts)


def _unpickle_kaplan_meier(version: int, *counts: Any) -> KaplanMeier:
    # The pickled state is the format version, then kaplan_meier_from_counts's arguments.
    _check_pickle_format(version)
    return kaplan_meier_from_counts(*counts)


def kaplan_meier_from_counts(
    time: npt.NDArray[np.float64],
    entered: npt.NDArray[np.int64],
    events: npt.NDArray[np.int64],
    censored: npt.NDArray[np.int64],
    initial: int,
    alpha: float,
) -> KaplanMeier:
    """The estimate from its counting table (a pickle's, or a CohortSummary's)."""
    columns = _core.kaplan_meier_from_counts(time, entered, events, censored, initial, alpha)
    return KaplanMeier(dict(columns), alpha)


def kaplan_meier(
    durations: object,
    observed: object,
    *,
    entry: object = None,
    weights: object = None,
    alpha: float = 0.05,
    threads: int | None = None,
) -> KaplanMeier:
    """Kaplan-Meier with the Greenwood variance and the log(-log) interval at level 1 - alpha.

    `durations` (finite, not negative), `observed` (1 = the outcome, 0 = censored; bool works),
    `entry` (late entry: at risk when entry < t <= duration) and `weights` (whole numbers: how
    many subjects a row stands for) are arrays of one length: NumPy arrays, pandas columns or
    lists. Bad input is a :class:`mentorcore.Error` naming the argument and the first bad index.
    Whole-day durations are counted on `threads` threads (None: every core) from 2^18 subjects
    a thread; the estimate does not depend on it.
    """
    workers = as_threads(threads)
    columns = _core.kaplan_meier(
        _float_array(durations, "durations"),
        _int_array(observed, "observed"),
        _optional(entry, "entry"),
        _optional(weights, "weights"),
        _alpha(alpha),
        workers,
    )
    return KaplanMeier(dict(columns), float(alpha))


class AalenJohansen(_Estimate):
    """An Aalen-Johansen estimate of cumulative incidence (see :func:`aalen_johansen`)."""

    __slots__ = ("_columns", "alpha", "variance")

    def __init__(self, columns: dict[str, Any], alpha: float, variance: str) -> None:
        self._columns = columns
        self.alpha = alpha
        self.variance = variance

    @property
    def outcomes(self) -> list[int]:
        """The outcomes 1..k."""
        return list(range(1, int(np.asarray(self._columns["incidence"]).shape[0]) + 1))

    def to_frame(self) -> pd.DataFrame:
        """One row per distinct time: ``time, at_risk`` and per outcome k ``cif_<k>,
        std_err_<k>, ci_lower_<k>, ci_upper_<k>``."""
        import pandas as pd

        c = self._columns
        data: dict[str, Any] = {"time": c["time"], "at_risk": c["at_risk"]}
        for k in self.outcomes:
            data[f"cif_{k}"] = c["incidence"][k - 1]
            data[f"std_err_{k}"] = c["std_err"][k - 1]
            data[f"ci_lower_{k}"] = c["ci_lower"][k - 1]
            data[f"ci_upper_{k}"] = c["ci_upper"][k - 1]
        frame: pd.DataFrame = pd.DataFrame(data)
        return frame

    def at(self, times: object, outcome: int) -> npt.NDArray[np.float64]:
        """The cumulative incidence of `outcome` at each of `times` (0 before the first)."""
        if outcome not in self.outcomes:
            raise invalid("outcome", outcome, f"expected one of {self.outcomes}")
        incidence = np.asarray(self._columns["incidence"][outcome - 1])
        return _step_values(np.asarray(self._columns["time"]), incidence, times, 0.0)

    def plot(self, ax: Axes | None = None, *, stacked: bool = False, ci: bool = True) -> Axes:
        """One curve per outcome (or stacked areas), with interval bands. Needs matplotlib."""
        plt = _pyplot()
        axes = ax if ax is not None else plt.gca()
        c = self._columns
        time = np.concatenate([[0.0], np.asarray(c["time"])])
        curves = [np.concatenate([[0.0], row]) for row in np.asarray(c["incidence"])]
        if stacked:
            axes.stackplot(
                time, *curves, step="post", labels=[f"outcome {k}" for k in self.outcomes]
            )
        else:
            for k, curve in zip(self.outcomes, curves, strict=True):
                axes.step(time, curve, where="post", label=f"outcome {k}")
                if ci:
                    axes.fill_between(
                        time,
                        np.concatenate([[0.0], c["ci_lower"][k - 1]]),
                        np.concatenate([[0.0], c["ci_upper"][k - 1]]),
                        step="post",
                        alpha=0.2,
                    )
        axes.set_ylim(0, 1.05)
        axes.set_ylabel("cumulative incidence")
        axes.legend()
        return axes

    def _summary(self) -> str:
        c = self._columns
        return f"{len(self.outcomes)} outcomes, {len(c['time'])} times, {self.variance} variance"

    def _pickled(self) -> tuple[Callable[..., _Estimate], tuple[Any, ...]]:
        c = self._columns
        counts = (
            np.asarray(c["time"]),
            np.asarray(c["entered"]),
            np.asarray(c["censored"]),
            np.asarray(c["events_by_outcome"]),
            int(c["initial"]),
            self.alpha,
            self.variance,
        )
        return (_unpickle_aalen_johansen, counts)


def _unpickle_aalen_johansen(version: int, *counts: Any) -> AalenJohansen:
    # The pickled state is the format version, then aalen_johansen_from_counts's arguments.
    _check_pickle_format(version)
    return aalen_johansen_from_counts(*counts)


def aalen_johansen_from_counts(
    time: npt.NDArray[np.float64],
    entered: npt.NDArray[np.int64],
    censored: npt.NDArray[np.int64],
    events_by_outcome: npt.NDArray[np.int64],
    initial: int,
    alpha: float,
    variance: str,
) -> AalenJohansen:
    """The estimate from its counting table (a pickle's, or a CohortSummary's)."""
    columns = _core.aalen_johansen_from_counts(
        time, entered, censored, events_by_outcome, initial, alpha, variance
    )
    return AalenJohansen(dict(columns), alpha, variance)


def aalen_johansen(
    durations: object,
    causes: object,
    *,
    entry: object = None,
    weights: object = None,
    alpha: float = 0.05,
    variance: Literal["delta", "aalen"] = "delta",
    outcomes: int | None = None,
    threads: int | None = None,
) -> AalenJohansen:
    """Aalen-Johansen cumulative incidence for competing outcomes: `causes` 0 = censored,
    1..k = the outcome. ``variance="delta"`` is the delta method of lifelines and statsmodels;
    ``"aalen"`` is scikit-survival's default. The interval is F^exp(+-z se / (F |log F|)).
    `outcomes` is k (default: the largest cause given), so that an outcome nobody had still
    has its curve (of zeros). Late entry, weights and `threads` as for :func:`kaplan_meier`."""
    if variance not in ("delta", "aalen"):
        raise invalid("variance", variance, 'expected "delta" or "aalen"')
    if outcomes is not None and (isinstance(outcomes, bool) or not isinstance(outcomes, int)):
        raise invalid("outcomes", outcomes, "expected the number of outcomes")
    workers = as_threads(threads)
    columns = _core.aalen_johansen(
        _float_array(durations, "durations"),
        _int_array(causes, "causes"),
        _optional(entry, "entry"),
        _optional(weights, "weights"),
        _alpha(alpha),
        variance,
        0 if outcomes is None else outcomes,
        workers,
    )
    return AalenJohansen(dict(columns), float(alpha), variance)


def _pyplot() -> Any:
    try:
        import matplotlib.pyplot as plt
    except ImportError:  # an optional dependency
        raise ImportError(
            "plotting needs matplotlib: pip install matplotlib (or mentorcore[plot])"
        ) from None
    return plt
