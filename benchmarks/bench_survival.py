"""Kaplan-Meier and Aalen-Johansen on SUBJECTS subjects beside lifelines, statsmodels and
scikit-survival, with equal results asserted before anything is timed.

    python benchmarks/bench_survival.py [SUBJECTS] [RUNS]    # default 1000000 subjects, 3 runs

The data are what mentor courses give: whole-day durations up to about three years (heavy ties),
a third censored, and for Aalen-Johansen three competing outcomes. Each library fits the same
arrays on one core (mentorcore computes in one thread; the peers are NumPy code).
"""

from __future__ import annotations

import sys
import warnings

import numpy as np

import mentorcore as mc
from _timing import best_and_median

TOL = 1e-10


def main() -> None:
    import lifelines
    from sksurv.nonparametric import (
        cumulative_incidence_competing_risks,
        kaplan_meier_estimator,
    )
    from statsmodels.duration.survfunc import CumIncidenceRight, SurvfuncRight

    subjects = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 3
    rng = np.random.default_rng(2026)
    durations = rng.integers(1, 1100, size=subjects).astype(float)
    observed = (rng.random(subjects) < 0.65).astype(np.int32)
    causes = rng.choice([0, 1, 2, 3], size=subjects, p=[0.35, 0.35, 0.2, 0.1]).astype(np.int32)
    warnings.simplefilter("ignore")

    # Equal results first.
    km = mc.kaplan_meier(durations, observed)
    frame = km.to_frame().set_index("time")
    fitted = lifelines.KaplanMeierFitter().fit(durations, observed)
    theirs = fitted.survival_function_.iloc[:, 0].reindex(frame.index)
    assert np.allclose(frame["survival"], theirs, rtol=0, atol=TOL)
    sm = SurvfuncRight(durations, observed)
    assert np.allclose(frame.loc[sm.surv_times, "std_err"], sm.surv_prob_se, rtol=0, atol=TOL)
    times, survival = kaplan_meier_estimator(observed.astype(bool), durations)
    assert np.allclose(frame.loc[times, "survival"], survival, rtol=0, atol=TOL)
    aj = mc.aalen_johansen(durations, causes).to_frame().set_index("time")
    ci = CumIncidenceRight(durations, causes)
    for k in (1, 2, 3):
        assert np.allclose(aj.loc[ci.times, f"cif_{k}"], ci.cinc[k - 1], rtol=0, atol=TOL)
        assert np.allclose(aj.loc[ci.times, f"std_err_{k}"], ci.cinc_se[k - 1], rtol=0, atol=TOL)
    x, incidence = cumulative_incidence_competing_risks(causes, durations)
    aalen = mc.aalen_johansen(durations, causes, variance="aalen").to_frame().set_index("time")
    for k in (1, 2, 3):
        assert np.allclose(aalen.loc[x, f"cif_{k}"], incidence[k], rtol=0, atol=TOL)
    print(
        f"{subjects:,} subjects, {len(frame):,} distinct days; results equal to 1e-10 "
        f"(survival, standard errors, incidence). Best and median of {runs} runs, seconds.\n"
    )

    rows = [
        ("Kaplan-Meier", "mentorcore.kaplan_meier", lambda: mc.kaplan_meier(durations, observed)),
        (
            "Kaplan-Meier",
            "lifelines KaplanMeierFitter",
            lambda: lifelines.KaplanMeierFitter().fit(durations, observed),
        ),
        ("Kaplan-Meier", "statsmodels SurvfuncRight", lambda: SurvfuncRight(durations, observed)),
        (
            "Kaplan-Meier",
            "scikit-survival kaplan_meier_estimator (log-log interval)",
            lambda: kaplan_meier_estimator(observed.astype(bool), durations, conf_type="log-log"),
        ),
        (
            "Aalen-Johansen",
            "mentorcore.aalen_johansen (delta)",
            lambda: mc.aalen_johansen(durations, causes),
        ),
        (
            "Aalen-Johansen",
            "statsmodels CumIncidenceRight",
            lambda: CumIncidenceRight(durations, causes),
        ),
        (
            "Aalen-Johansen",
            "mentorcore.aalen_johansen (aalen)",
            lambda: mc.aalen_johansen(durations, causes, variance="aalen"),
        ),
        (
            "Aalen-Johansen",
            "scikit-survival cumulative_incidence_competing_risks (Aalen, log-log)",
            lambda: cumulative_incidence_competing_risks(
                causes, durations, conf_type="log-log", var_type="Aalen"
            ),
        ),
    ]
    print("| estimator | implementation | best s | median s |")
    print("|---|---|---|---|")
    for estimator, name, run in rows:
        best, median = best_and_median(run, runs)
        print(f"| {estimator} | {name} | {best:.3f} | {median:.3f} |")


if __name__ == "__main__":
    main()
