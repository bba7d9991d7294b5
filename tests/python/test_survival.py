"""mentorcore.kaplan_meier and aalen_johansen against lifelines, statsmodels and scikit-survival
(to 1e-10, on random data with heavy ties, late entry and weights), and their manners."""

from __future__ import annotations

import math
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import mentorcore as mc

lifelines = pytest.importorskip("lifelines")
sm_survfunc = pytest.importorskip("statsmodels.duration.survfunc")
sksurv_np = pytest.importorskip("sksurv.nonparametric")

TOL = 1e-10


def random_data(
    seed: int, n: int, *, days: int = 30, entry: bool = False, weights: bool = False
) -> dict[str, np.ndarray | None]:
    """Whole-day durations from few distinct days (heavy ties), about a third censored."""
    rng = np.random.default_rng(seed)
    durations = rng.integers(1, days, size=n).astype(float)
    observed = (rng.random(n) < 0.65).astype(int)
    start = None
    if entry:
        start = np.floor(rng.random(n) * durations)  # 0 <= entry < duration
    w = rng.integers(1, 4, size=n).astype(float) if weights else None
    return {"durations": durations, "observed": observed, "entry": start, "weights": w}


def lifelines_fit(data: dict[str, np.ndarray | None]) -> object:
    fitter = lifelines.KaplanMeierFitter(alpha=0.05)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return fitter.fit(
            data["durations"], data["observed"], entry=data["entry"], weights=data["weights"]
        )


def repeated(data: dict[str, np.ndarray | None]) -> dict[str, np.ndarray | None]:
    """The weighted data as repeated rows (the references' weights have quirks: docs/kpis.md)."""
    w = data["weights"]
    assert w is not None
    counts = w.astype(int)
    return {
        key: None if value is None or key == "weights" else np.repeat(value, counts)
        for key, value in data.items()
    }


@pytest.mark.parametrize("entry", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_kaplan_meier_agrees_with_lifelines(seed: int, entry: bool) -> None:
    data = random_data(seed, 200 + 50 * seed, entry=entry)
    km = mc.kaplan_meier(
        data["durations"], data["observed"], entry=data["entry"], weights=data["weights"]
    )
    fitted = lifelines_fit(data)
    frame = km.to_frame()
    theirs = fitted.survival_function_.iloc[:, 0]
    np.testing.assert_allclose(
        frame["survival"], theirs.reindex(frame["time"]).to_numpy(), rtol=0, atol=TOL
    )
    interval = fitted.confidence_interval_survival_function_.reindex(frame["time"])
    lower = interval.filter(like="lower").iloc[:, 0].to_numpy()
    upper = interval.filter(like="upper").iloc[:, 0].to_numpy()
    np.testing.assert_allclose(frame["ci_lower"], lower, rtol=0, atol=TOL)
    np.testing.assert_allclose(frame["ci_upper"], upper, rtol=0, atol=TOL)
    assert km.median()[0] == fitted.median_survival_time_
    theirs_at_risk = fitted.event_table["at_risk"].reindex(frame["time"]).to_numpy()
    # lifelines' event table counts those entering at t among those at risk at t; its estimate
    # (equal to ours above) does not: a subject is at risk when entry < t <= duration.
    np.testing.assert_array_equal(frame["at_risk"] + frame["entered"], theirs_at_risk)


@pytest.mark.parametrize("entry", [False, True])
@pytest.mark.parametrize("seed", range(6))
def test_kaplan_meier_agrees_with_statsmodels(seed: int, entry: bool) -> None:
    data = random_data(seed, 150 + 40 * seed, entry=entry)
    km = mc.kaplan_meier(data["durations"], data["observed"], entry=data["entry"])
    theirs = sm_survfunc.SurvfuncRight(data["durations"], data["observed"], entry=data["entry"])
    frame = km.to_frame().set_index("time")
    ours = frame.loc[theirs.surv_times]
    np.testing.assert_allclose(ours["survival"], theirs.surv_prob, rtol=0, atol=TOL)
    finite = np.isfinite(theirs.surv_prob_se)  # statsmodels: NaN once S reaches 0
    np.testing.assert_allclose(
        ours["std_err"].to_numpy()[finite], theirs.surv_prob_se[finite], rtol=0, atol=TOL
    )
    median = km.median(rule="statsmodels")[0]
    expected = theirs.quantile(0.5)
    assert (math.isinf(median) and np.isnan(expected)) or median == expected


@pytest.mark.parametrize("seed", range(6))
def test_kaplan_meier_agrees_with_scikit_survival(seed: int) -> None:
    data = random_data(seed, 300, days=40)
    km = mc.kaplan_meier(data["durations"], data["observed"])
    time, survival, interval = sksurv_np.kaplan_meier_estimator(
        data["observed"].astype(bool), data["durations"], conf_type="log-log"
    )
    frame = km.to_frame().set_index("time").loc[time]
    np.testing.assert_allclose(frame["survival"], survival, rtol=0, atol=TOL)
    np.testing.assert_allclose(frame["ci_lower"], interval[0], rtol=0, atol=TOL)
    np.testing.assert_allclose(frame["ci_upper"], interval[1], rtol=0, atol=TOL)


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(1, 120),
    days=st.integers(1, 12),
    entry=st.booleans(),
    weights=st.booleans(),
)
def test_weights_and_entry_agree_with_lifelines_on_repeated_rows(
    seed: int, n: int, days: int, entry: bool, weights: bool
) -> None:
    """Property: on any data (few days: heavy ties), weights equal repeated rows, and both equal
    lifelines on the repeated rows."""
    data = random_data(seed, n, days=days + 1, entry=entry, weights=weights)
    km = mc.kaplan_meier(
        data["durations"], data["observed"], entry=data["entry"], weights=data["weights"]
    )
    flat = repeated(data) if weights else data
    unweighted = mc.kaplan_meier(flat["durations"], flat["observed"], entry=flat["entry"])
    np.testing.assert_array_equal(km.to_frame(), unweighted.to_frame())
    frame = km.to_frame()
    from lifelines.exceptions import StatError

    try:
        fitted = lifelines_fit(flat)
    except StatError:
        # With late entry everyone at risk can have the outcome before the later entries
        # arrive; lifelines then refuses ("S(t)==0 for all t>1") instead of estimating. There is
        # no reference to compare with: mentorcore's curve must have reached 0, as lifelines says.
        assert entry and frame["survival"].min() == 0
        return
    theirs = fitted.survival_function_.iloc[:, 0].reindex(frame["time"]).to_numpy()
    np.testing.assert_allclose(frame["survival"], theirs, rtol=0, atol=TOL)


def competing_data(seed: int, n: int, days: int = 25) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    durations = rng.integers(1, days, size=n).astype(float)
    causes = rng.choice([0, 1, 2, 3], size=n, p=[0.3, 0.35, 0.25, 0.1])
    return durations, causes


@pytest.mark.parametrize("seed", range(6))
def test_aalen_johansen_agrees_with_statsmodels(seed: int) -> None:
    durations, causes = competing_data(seed, 250)
    aj = mc.aalen_johansen(durations, causes)
    theirs = sm_survfunc.CumIncidenceRight(durations, causes)
    frame = aj.to_frame().set_index("time").loc[theirs.times]
    for k in (1, 2, 3):
        np.testing.assert_allclose(frame[f"cif_{k}"], theirs.cinc[k - 1], rtol=0, atol=TOL)
        np.testing.assert_allclose(frame[f"std_err_{k}"], theirs.cinc_se[k - 1], rtol=0, atol=TOL)


@pytest.mark.parametrize("variance", ["delta", "aalen"])
@pytest.mark.parametrize("seed", range(4))
def test_aalen_johansen_agrees_with_scikit_survival(seed: int, variance: str) -> None:
    durations, causes = competing_data(seed, 200)
    aj = mc.aalen_johansen(durations, causes, variance=variance)  # type: ignore[arg-type]
    var_type = "Aalen" if variance == "aalen" else "Dinse_Approx"
    time, incidence, interval = sksurv_np.cumulative_incidence_competing_risks(
        causes, durations, conf_type="log-log", var_type=var_type
    )
    frame = aj.to_frame().set_index("time").loc[time]
    for k in (1, 2, 3):
        np.testing.assert_allclose(frame[f"cif_{k}"], incidence[k], rtol=0, atol=TOL)
        np.testing.assert_allclose(frame[f"ci_lower_{k}"], interval[k, 0], rtol=0, atol=TOL)
        np.testing.assert_allclose(frame[f"ci_upper_{k}"], interval[k, 1], rtol=0, atol=TOL)


def test_the_at_risk_table_counts_by_period() -> None:
    km = mc.kaplan_meier([2, 2, 3, 5, 5, 7], [1, 0, 1, 1, 1, 0], entry=[0, 0, 1, 0, 4, 0])
    table = km.at_risk_table([0, 2, 5, 8])
    # Subjects (entry, duration, outcome): A (0, 2, 1), B (0, 2, 0), C (1, 3, 1), D (0, 5, 1),
    # E (4, 5, 1), F (0, 7, 0). At the start of (0, 2] A, B, D, F are under observation; at its
    # end C has entered too; (2, 5] starts with C, D, F and ends with D, E, F at risk at 5.
    assert list(table["at_risk_start"]) == [4, 3, 1]
    assert list(table["entered"]) == [1, 1, 0]
    assert list(table["observed"]) == [1, 3, 0]
    assert list(table["censored"]) == [1, 0, 1]
    assert list(table["at_risk_end"]) == [5, 3, 0]
    with pytest.raises(mc.Error, match="expected two or more ascending times"):
        km.at_risk_table([3, 1])


def test_results_pickle_and_show_themselves() -> None:
    data = random_data(3, 100, entry=True, weights=True)
    km = mc.kaplan_meier(
        data["durations"], data["observed"], entry=data["entry"], weights=data["weights"]
    )
    again = pickle.loads(pickle.dumps(km))
    pd.testing.assert_frame_equal(again.to_frame(), km.to_frame())
    assert repr(km).startswith("<KaplanMeier ")
    assert "<table" in km._repr_html_()
    durations, causes = competing_data(1, 80)
    aj = mc.aalen_johansen(durations, causes, variance="aalen")
    pd.testing.assert_frame_equal(pickle.loads(pickle.dumps(aj)).to_frame(), aj.to_frame())
    assert "3 outcomes" in repr(aj)
    np.testing.assert_allclose(km.at([0, 1e9]), [1.0, km.to_frame()["survival"].iloc[-1]])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: mc.kaplan_meier([1, float("nan")], [1, 1]), r"durations\[1\] = nan"),
        (lambda: mc.kaplan_meier([1, 2], [1, 2]), r"observed\[1\] = 2: expected 0 \(censored\)"),
        (lambda: mc.kaplan_meier([1, 2], [1, 0.5]), r"observed\[1\] = 0.5: expected a whole"),
        (lambda: mc.kaplan_meier([1, 2, 3], [1, 1]), r"observed = 2 values: expected one per"),
        (lambda: mc.kaplan_meier([1, 2], [1, 1], entry=[0, 2]), r"entry\[1\] = 2: entry must"),
        (lambda: mc.kaplan_meier([1, 2], [1, 1], weights=[1, 0.5]), r"weights\[1\] = 0.5"),
        (lambda: mc.kaplan_meier(["a"], [1]), r"durations = .*expected numbers"),
        (lambda: mc.kaplan_meier([1], [1], alpha=2), r"alpha = 2: expected a level"),
        (lambda: mc.aalen_johansen([1], [-1]), r"causes\[0\] = -1: expected 0 \(censored\) or an"),
        (lambda: mc.aalen_johansen([1], [1], variance="x"), r'variance = .x.: expected "delta"'),
        (lambda: mc.kaplan_meier([1], [1]).percentile(1.5), r"p = 1.5: expected a share"),
        (lambda: mc.kaplan_meier([1], [1], threads=0), r"threads = 0: expected a positive"),
        (lambda: mc.aalen_johansen([1], [1], threads=True), r"threads = True: expected a"),
    ],
)
def test_bad_input_is_an_error_naming_the_argument(call: object, message: str) -> None:
    with pytest.raises(mc.Error, match=message):
        call()  # type: ignore[operator]


def test_counting_on_two_threads_gives_the_estimate_of_one() -> None:
    # 2^19 subjects: two counting threads of 2^18 each. Both estimates are checked, with a bad
    # value in the second half named as one thread names it.
    rng = np.random.default_rng(7)
    durations = rng.integers(0, 900, size=2**19).astype(float)
    causes = rng.integers(0, 4, size=2**19).astype(np.int32)
    observed = (causes > 0).astype(np.int32)
    pd.testing.assert_frame_equal(
        mc.kaplan_meier(durations, observed, threads=2).to_frame(),
        mc.kaplan_meier(durations, observed, threads=1).to_frame(),
    )
    pd.testing.assert_frame_equal(
        mc.aalen_johansen(durations, causes, threads=2).to_frame(),
        mc.aalen_johansen(durations, causes, threads=1).to_frame(),
    )
    durations[-3] = -1.0
    with pytest.raises(mc.Error, match=rf"durations\[{2**19 - 3}\]"):
        mc.kaplan_meier(durations, observed, threads=2)


def test_plots_return_their_axes() -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    data = random_data(2, 60)
    axes = mc.kaplan_meier(data["durations"], data["observed"]).plot()
    assert axes.get_ylabel() == "survival"
    durations, causes = competing_data(2, 60)
    assert mc.aalen_johansen(durations, causes).plot(stacked=True).get_ylabel().startswith("cum")


def test_where_the_references_disagree_mentorcore_says_whose_rule_it_follows() -> None:
    durations, observed = [1.0, 2.0, 3.0, 4.0], [1, 1, 1, 1]
    km = mc.kaplan_meier(durations, observed)
    # S lands on 0.5 at 2: lifelines' median is 2 (S <= 0.5), statsmodels' 3 (S < 0.5).
    assert lifelines.KaplanMeierFitter().fit(durations, observed).median_survival_time_ == 2
    assert sm_survfunc.SurvfuncRight(np.array(durations), np.array(observed)).quantile(0.5) == 3
    assert km.median()[0] == 2
    assert km.median(rule="statsmodels")[0] == 3
    # Where S reaches 0, statsmodels' standard error is NaN; mentorcore adds nothing to
    # Greenwood's sum there, as lifelines and scikit-survival do, so the error stays finite.
    theirs = sm_survfunc.SurvfuncRight(np.array(durations), np.array(observed))
    assert np.isnan(theirs.surv_prob_se[-1])
    assert km.to_frame()["std_err"].iloc[-1] == 0.0


@pytest.mark.parametrize("seed", range(4))
def test_with_one_outcome_and_late_entry_aalen_johansen_is_one_minus_kaplan_meier(
    seed: int,
) -> None:
    """No reference computes Aalen-Johansen with late entry; with a single outcome it must
    reduce to 1 - S of Kaplan-Meier (which lifelines and statsmodels check with entry), and its
    delta-method variance to Greenwood's."""
    data = random_data(seed, 300, entry=True, weights=True)
    km = mc.kaplan_meier(
        data["durations"], data["observed"], entry=data["entry"], weights=data["weights"]
    ).to_frame()
    aj = mc.aalen_johansen(
        data["durations"], data["observed"], entry=data["entry"], weights=data["weights"]
    ).to_frame()
    np.testing.assert_allclose(aj["cif_1"], 1 - km["survival"], rtol=0, atol=TOL)
    np.testing.assert_allclose(aj["std_err_1"], km["std_err"], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(aj["at_risk"], km["at_risk"])


@pytest.mark.parametrize("seed", range(3))
def test_fractional_times_take_the_sorting_path_and_agree_too(seed: int) -> None:
    data = random_data(seed, 250, entry=True)
    assert data["entry"] is not None
    data["durations"] = data["durations"] * 0.37  # hours, say: not whole days
    data["entry"] = data["entry"] * 0.37
    km = mc.kaplan_meier(data["durations"], data["observed"], entry=data["entry"])
    frame = km.to_frame()
    assert (frame["time"] != np.floor(frame["time"])).any()
    theirs = lifelines_fit(data).survival_function_.iloc[:, 0].reindex(frame["time"]).to_numpy()
    np.testing.assert_allclose(frame["survival"], theirs, rtol=0, atol=TOL)
