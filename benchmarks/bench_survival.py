"""Kaplan-Meier and Aalen-Johansen on N subjects (one per course of the size) beside lifelines,
statsmodels and scikit-survival, each peer's results asserted equal to mentorcore's before it is
timed.

    python benchmarks/bench_survival.py --courses N [--runs R] [--json FILE] [--case NAME]

The data are what mentor courses give: whole-day durations up to about three years (heavy ties),
a third censored, and for Aalen-Johansen three competing outcomes. Each library fits the same
arrays on one core (the peers are NumPy code); mentorcore is timed on one thread and on two
(`threads=`: the whole-day count in two halves). The checks,
to 1e-10: survival (lifelines, statsmodels' standard errors, scikit-survival), the cumulative
incidences and their delta-method standard errors (statsmodels), scikit-survival's incidences
against mentorcore's Aalen variance; lifelines' Aalen-Johansen, which breaks ties by random
jitter, to within 0.01 at the end of each day. Each case compared with a mentorcore case also
times that case between its own runs, in its own process, and the tables' ratio is the one of
those same-moment medians (the VM's speed drifts between minutes).
"""

from __future__ import annotations

import warnings
from collections.abc import Callable
from typing import Any

import numpy as np

import mentorcore as mc
from _cli import parse_args, reset_peak_rss, run_selected
from _timing import Result, measure, measure_beside, peak_rss_bytes

BENCH = "survival"
TOL = 1e-10
LIFELINES_JITTER_TOL = 0.01
KM = "mentorcore kaplan_meier"
KM_2 = "mentorcore kaplan_meier, 2 threads"
AJ = "mentorcore aalen_johansen (delta)"
AJ_2 = "mentorcore aalen_johansen (delta), 2 threads"
AJ_AALEN = "mentorcore aalen_johansen (aalen)"
TWO_THREADS = {KM_2, AJ_2}


class Data:
    """The same arrays for every case (seed 2026)."""

    def __init__(self, subjects: int) -> None:
        rng = np.random.default_rng(2026)
        self.durations = rng.integers(1, 1100, size=subjects).astype(float)
        self.observed = (rng.random(subjects) < 0.65).astype(np.int32)
        self.causes = rng.choice([0, 1, 2, 3], size=subjects, p=[0.35, 0.35, 0.2, 0.1]).astype(
            np.int32
        )


def _close(ours: Any, theirs: Any) -> None:
    assert np.allclose(ours, theirs, rtol=0, atol=TOL), "results differ by more than 1e-10"


def check_lifelines_km(d: Data) -> None:
    import lifelines

    frame = mc.kaplan_meier(d.durations, d.observed, threads=1).to_frame().set_index("time")
    fitted = lifelines.KaplanMeierFitter().fit(d.durations, d.observed)
    _close(frame["survival"], fitted.survival_function_.iloc[:, 0].reindex(frame.index))


def check_statsmodels_km(d: Data) -> None:
    from statsmodels.duration.survfunc import SurvfuncRight

    frame = mc.kaplan_meier(d.durations, d.observed, threads=1).to_frame().set_index("time")
    sm = SurvfuncRight(d.durations, d.observed)
    _close(frame.loc[sm.surv_times, "survival"], sm.surv_prob)
    # Where the curve reaches 0 statsmodels gives no standard error (NaN), mentorcore gives 0.
    defined = np.isfinite(sm.surv_prob_se)
    _close(frame.loc[sm.surv_times[defined], "std_err"], sm.surv_prob_se[defined])


def check_sksurv_km(d: Data) -> None:
    from sksurv.nonparametric import kaplan_meier_estimator

    frame = mc.kaplan_meier(d.durations, d.observed, threads=1).to_frame().set_index("time")
    times, survival = kaplan_meier_estimator(d.observed.astype(bool), d.durations)
    _close(frame.loc[times, "survival"], survival)


def check_statsmodels_aj(d: Data) -> None:
    from statsmodels.duration.survfunc import CumIncidenceRight

    aj = mc.aalen_johansen(d.durations, d.causes, threads=1).to_frame().set_index("time")
    ci = CumIncidenceRight(d.durations, d.causes)
    for k in (1, 2, 3):
        _close(aj.loc[ci.times, f"cif_{k}"], ci.cinc[k - 1])
        defined = np.isfinite(ci.cinc_se[k - 1])
        _close(aj.loc[ci.times[defined], f"std_err_{k}"], ci.cinc_se[k - 1][defined])


def check_sksurv_aj(d: Data) -> None:
    from sksurv.nonparametric import cumulative_incidence_competing_risks

    x, incidence = cumulative_incidence_competing_risks(d.causes, d.durations)
    aalen = mc.aalen_johansen(d.durations, d.causes, variance="aalen", threads=1).to_frame()
    aalen = aalen.set_index("time")
    for k in (1, 2, 3):
        _close(aalen.loc[x, f"cif_{k}"], incidence[k])


def check_lifelines_aj(d: Data) -> None:
    """lifelines' Aalen-Johansen breaks tied times by random jitter (it cannot be turned off),
    which orders censorings and outcomes within a day at random: its incidences at the end of
    each day then agree with mentorcore's to within LIFELINES_JITTER_TOL, not to 1e-10."""
    from lifelines import AalenJohansenFitter

    aj = mc.aalen_johansen(d.durations, d.causes, threads=1).to_frame().set_index("time")
    for k in (1, 2, 3):
        fitted = AalenJohansenFitter(calculate_variance=False, seed=1).fit(
            d.durations, d.causes, event_of_interest=k
        )
        theirs = fitted.cumulative_density_.iloc[:, 0].reindex(aj.index + 0.5, method="ffill")
        difference = float(np.abs(aj[f"cif_{k}"].to_numpy() - theirs.to_numpy()).max())
        assert difference < LIFELINES_JITTER_TOL, f"cif_{k} differs by {difference}"


def check_two_threads_km(d: Data) -> None:
    one = mc.kaplan_meier(d.durations, d.observed, threads=1).to_frame()
    assert one.equals(mc.kaplan_meier(d.durations, d.observed, threads=2).to_frame())


def check_two_threads_aj(d: Data) -> None:
    one = mc.aalen_johansen(d.durations, d.causes, threads=1).to_frame()
    assert one.equals(mc.aalen_johansen(d.durations, d.causes, threads=2).to_frame())


def fit_lifelines_aj(d: Data) -> None:
    from lifelines import AalenJohansenFitter

    for k in (1, 2, 3):  # one fit per outcome is how lifelines gives all three incidences
        AalenJohansenFitter(calculate_variance=False, seed=1).fit(
            d.durations, d.causes, event_of_interest=k
        )


def fit_sksurv_km(d: Data) -> None:
    from sksurv.nonparametric import kaplan_meier_estimator

    kaplan_meier_estimator(d.observed.astype(bool), d.durations, conf_type="log-log")


def fit_sksurv_aj(d: Data) -> None:
    from sksurv.nonparametric import cumulative_incidence_competing_risks

    cumulative_incidence_competing_risks(
        d.causes, d.durations, conf_type="log-log", var_type="Aalen"
    )


def fit_lifelines_km(d: Data) -> None:
    import lifelines

    lifelines.KaplanMeierFitter().fit(d.durations, d.observed)


def fit_statsmodels_km(d: Data) -> None:
    from statsmodels.duration.survfunc import SurvfuncRight

    SurvfuncRight(d.durations, d.observed)


def fit_statsmodels_aj(d: Data) -> None:
    from statsmodels.duration.survfunc import CumIncidenceRight

    CumIncidenceRight(d.durations, d.causes)


Fit = Callable[[Data], object]
# case: (the mentorcore case it is compared with, the check run first or None, the timed fit)
CASES: dict[str, tuple[str, Callable[[Data], None] | None, Fit]] = {
    KM: (KM, None, lambda d: mc.kaplan_meier(d.durations, d.observed, threads=1)),
    KM_2: (KM, check_two_threads_km, lambda d: mc.kaplan_meier(d.durations, d.observed, threads=2)),
    "lifelines KaplanMeierFitter": (KM, check_lifelines_km, fit_lifelines_km),
    "statsmodels SurvfuncRight": (KM, check_statsmodels_km, fit_statsmodels_km),
    "scikit-survival kaplan_meier_estimator (log-log interval)": (
        KM,
        check_sksurv_km,
        fit_sksurv_km,
    ),
    AJ: (AJ, None, lambda d: mc.aalen_johansen(d.durations, d.causes, threads=1)),
    AJ_2: (AJ, check_two_threads_aj, lambda d: mc.aalen_johansen(d.durations, d.causes, threads=2)),
    "statsmodels CumIncidenceRight": (AJ, check_statsmodels_aj, fit_statsmodels_aj),
    "lifelines AalenJohansenFitter (3 outcomes, no variance)": (
        AJ,
        check_lifelines_aj,
        fit_lifelines_aj,
    ),
    AJ_AALEN: (
        AJ_AALEN,
        None,
        lambda d: mc.aalen_johansen(d.durations, d.causes, variance="aalen", threads=1),
    ),
    "scikit-survival cumulative_incidence_competing_risks (Aalen, log-log)": (
        AJ_AALEN,
        check_sksurv_aj,
        fit_sksurv_aj,
    ),
}


CHECKED = {
    "lifelines AalenJohansenFitter (3 outcomes, no variance)": (
        f"within {LIFELINES_JITTER_TOL} (lifelines jitters tied times)"
    ),
    KM_2: "equal to 1 thread's",
    AJ_2: "equal to 1 thread's",
}


def run_case(case: str, data: Data, courses: int, runs: int) -> Result:
    reference, check, fit = CASES[case]
    if check is not None:
        check(data)  # equal results first
    fit(data)  # imports and first-call costs stay out of the timed runs
    reset_peak_rss()
    extra: dict[str, object] = {}
    if reference == case:
        timing = measure(lambda: fit(data), runs)
    else:
        # The case compared with is timed between this one's runs, in this process: the ratio
        # then compares the same seconds (see _timing.measure_beside).
        compared = CASES[reference][2]
        compared(data)
        timing, beside = measure_beside(lambda: fit(data), lambda: compared(data), runs)
        extra = {"reference_median_s": beside.median, "reference_runs": len(beside.times)}
    return Result(
        bench=BENCH,
        case=case,
        courses=courses,
        threads=2 if case in TWO_THREADS else 1,
        timing=timing,
        peak_rss_bytes=peak_rss_bytes(),
        extra={
            "subjects": courses,
            "estimator": "Kaplan-Meier" if reference == KM else "Aalen-Johansen",
            "reference": reference,
            "checked": CHECKED.get(case, "equal to 1e-10" if check is not None else ""),
            **extra,
        },
    )


def main() -> None:
    args = parse_args(__doc__, list(CASES))
    warnings.simplefilter("ignore")
    data = Data(args.courses)
    run_selected(args, list(CASES), lambda case: run_case(case, data, args.courses, args.runs))


if __name__ == "__main__":
    main()
