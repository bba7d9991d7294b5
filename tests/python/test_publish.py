"""CohortSummary.publishable: small cells withheld, with secondary suppression, wired to the
summary's tables and the KPI frame; scipy's linear programming is the independent check that no
withheld cell can be worked out from what is published."""

from __future__ import annotations

import datetime

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import linprog

import mentorcore as mc

AS_OF = datetime.date(2025, 6, 30)


@pytest.fixture(scope="module")
def summary() -> mc.CohortSummary:
    courses = mc.synthetic.generate(800, seed=5)
    return mc.Cohort.from_courses(courses).summary(as_of=AS_OF, by="municipality")


@pytest.fixture(scope="module")
def published(summary: mc.CohortSummary) -> mc.CohortSummary:
    return summary.publishable(min_count=5)


def test_every_published_count_is_zero_or_at_least_the_threshold(
    summary: mc.CohortSummary, published: mc.CohortSummary
) -> None:
    assert published.suppressed is not None
    # Sums ride with their count; no-shows and mentor changes are counts of events.
    sums = ("days", "minutes", "cents", "carried", "withheld", "dropped")
    for name, table in summary.counts.items():
        mask = published.suppressed[name]
        counts = [j for j, cell in enumerate(summary.cells[name]) if not cell.endswith(sums)]
        shown = table[:, counts][~mask[:, counts]]
        assert ((shown == 0) | (shown >= 5)).all(), name
        # What is withheld does not travel: it is stored as 0.
        assert (published.counts[name][mask] == 0).all()
        assert (published.counts[name][~mask] == table[~mask]).all()
    assert any(mask.any() for mask in published.suppressed.values())


def test_counts_of_events_are_suppressed_like_counts_of_people() -> None:
    # Found by adversarial testing: mentor changes and no-shows after a handover were treated as
    # sums riding with their denominator, so counts of 1-4 were published.
    cohort = mc.Cohort.from_courses(mc.synthetic.generate(30, seed=3, threads=1))
    full = cohort.summary(by="municipality")
    published = full.publishable(5)
    events = ("mentor_changes_per_course_year", "no_shows_30d.after_handover")
    before = full.kpis()
    assert (before.kpi.isin(events) & before.numerator.between(1, 4)).any()
    for frame in (published.kpis(), published.total().kpis()):
        rows = frame[frame.kpi.str.startswith(("mentor_changes", "no_shows_30d"))]
        shown = rows[~rows.suppressed]
        assert not shown.numerator.between(1, 4).any(), shown
    kpis = published.kpis()
    assert kpis[kpis.kpi.isin(events)].suppressed.any()
    for table, cell in [
        ("continuity", "mentor_changes"),
        ("continuity", "without_no_shows_30d"),
        ("handovers", "no_shows_30d"),
    ]:
        counts = published.table(table)[cell].dropna()
        assert not counts.between(1, 4).any(), (table, cell)


def _interval(
    values: np.ndarray, withheld: np.ndarray, relations: list[tuple[int, list[int]]], cell: int
) -> tuple[float, float]:
    """The smallest and largest value cell `cell` can take given the published values, the
    relations and non-negativity."""
    unknown = np.flatnonzero(withheld)
    position = {c: i for i, c in enumerate(unknown)}
    rows, rhs = [], []
    for total, parts in relations:
        row = np.zeros(len(unknown))
        known = 0.0
        for c, sign in [(total, 1.0)] + [(p, -1.0) for p in parts]:
            if c in position:
                row[position[c]] += sign
            else:
                known += sign * values[c]
        if row.any():
            rows.append(row)
            rhs.append(-known)
    objective = np.zeros(len(unknown))
    objective[position[cell]] = 1.0
    bounds = [(0, None)] * len(unknown)
    low = linprog(objective, A_eq=np.array(rows), b_eq=rhs, bounds=bounds)
    high = linprog(-objective, A_eq=np.array(rows), b_eq=rhs, bounds=bounds)
    return low.fun, -high.fun


def test_no_withheld_exit_can_be_worked_out(
    summary: mc.CohortSummary, published: mc.CohortSummary
) -> None:
    # The exits table per municipality, with the totals over municipalities as if published.
    table = summary.counts["exits"]
    cells = summary.cells["exits"]
    assert published.suppressed is not None
    mask = published.suppressed["exits"]
    groups, width = table.shape
    values = np.concatenate([table.reshape(-1), table.sum(axis=0)])
    withheld = np.concatenate([mask.reshape(-1), np.zeros(width, dtype=bool)])
    relations = []
    for g in range(groups + 1):
        base = g * width
        relations.append(
            (base + cells.index("courses"), [base + cells.index(c) for c in ("open", "closed")])
        )
        relations.append((base + cells.index("closed"), [base + j for j in range(3, width)]))
    for j in range(width):
        relations.append((groups * width + j, [g * width + j for g in range(groups)]))
    for cell in np.flatnonzero(withheld):
        low, high = _interval(values, withheld, relations, int(cell))
        assert high - low >= 1 - 1e-9, (divmod(int(cell), width), low, high)


def test_the_kpi_frame_marks_and_blanks_what_is_withheld(published: mc.CohortSummary) -> None:
    kpis = published.kpis()
    assert kpis["suppressed"].dtype == bool
    withheld = kpis[kpis.suppressed]
    assert len(withheld) > 0
    assert withheld[["value", "ci_lower", "ci_upper"]].isna().all().all()
    shown = kpis[~kpis.suppressed & kpis.kpi.str.startswith("exits_")]
    assert shown.numerator.notna().all() and shown.denominator.notna().all()


def test_the_published_kpis_are_the_full_ones_where_not_withheld(
    summary: mc.CohortSummary, published: mc.CohortSummary
) -> None:
    full = summary.kpis()
    shown = published.kpis()
    keep = ~shown.suppressed.to_numpy()
    pd.testing.assert_frame_equal(
        shown.loc[keep, list(full.columns)].reset_index(drop=True),
        full.loc[keep].reset_index(drop=True),
        check_exact=True,
    )


def test_survival_kpis_of_small_groups_are_withheld() -> None:
    courses = mc.synthetic.generate(60, seed=9)
    summary = mc.Cohort.from_courses(courses).summary(as_of=AS_OF, by="provider")
    kpis = summary.publishable(min_count=5).kpis()
    full = summary.kpis()
    retention = kpis.kpi == "retention.6m"
    small = full.loc[retention, "denominator"].fillna(0) < 5
    assert kpis.loc[retention, "suppressed"][small].all()
    assert kpis.loc[retention, "value"][small].isna().all()
    # The per-day tables do not leave: they count single days.
    published = summary.publishable(min_count=5)
    assert all(len(table) == 0 for table in published.survival_tables.values())


def test_a_publishable_summary_travels_but_does_not_merge(published: mc.CohortSummary) -> None:
    assert mc.CohortSummary.from_bytes(published.to_bytes()) == published
    with pytest.raises(mc.Error, match="merge the summaries first"):
        published + published
    with pytest.raises(mc.Error, match="already publishable"):
        published.publishable()
    table = published.table("exits")
    assert table.isna().any().any()
    assert "publishable (min_count=5)" in repr(published)


@pytest.mark.parametrize("bad", [0, -1, 2.5, True, "5"])
def test_min_count_must_be_a_whole_number_of_one_or_more(
    summary: mc.CohortSummary, bad: object
) -> None:
    with pytest.raises(mc.Error, match="min_count"):
        summary.publishable(min_count=bad)  # type: ignore[arg-type]


def test_plots_return_their_axes(summary: mc.CohortSummary, published: mc.CohortSummary) -> None:
    matplotlib = pytest.importorskip("matplotlib")
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    for plot in (
        lambda ax: summary.plot_kpi("exits_closed.job", ax=ax),
        lambda ax: published.plot_kpi("exits_closed.flex_job", ax=ax),
        lambda ax: summary.plot_home_visits(ax=ax),
        lambda ax: summary.plot_stage_transitions(ax=ax),
        lambda ax: summary.plot_utilisation(ax=ax),
        lambda ax: summary.plot_handover_loss(ax=ax),
    ):
        figure, ax = plt.subplots()
        assert plot(ax) is ax
        plt.close(figure)
    figure, ax = plt.subplots()
    summary.plot_utilisation(ax=ax)
    assert any(list(line.get_xdata()) == [80, 80] for line in ax.get_lines())
    plt.close(figure)
    with pytest.raises(mc.Error, match="kpi = 'no_such_kpi'"):
        summary.plot_kpi("no_such_kpi")
    with pytest.raises(mc.Error, match="behaviour = 'juggling'"):
        summary.plot_stage_transitions("juggling")


def test_the_all_courses_row_is_published_with_the_groups(
    summary: mc.CohortSummary, published: mc.CohortSummary
) -> None:
    whole = summary.total()
    assert whole.by == () and len(whole.groups) == 1
    total = published.total()
    assert total.by == () and total.suppressed is not None and total.min_count == 5
    for name, table in whole.counts.items():
        shown = ~total.suppressed[name]
        assert (total.counts[name][shown] == table[shown]).all(), name
        assert (total.counts[name][~shown] == 0).all(), name
    assert mc.CohortSummary.from_bytes(published.to_bytes()).total() == total
    frame = total.kpis()
    assert "municipality" not in frame.columns and frame.suppressed.dtype == bool


def test_the_total_of_a_grouped_summary_is_the_ungrouped_summary() -> None:
    cohort = mc.Cohort.from_courses(mc.synthetic.generate(300, seed=3))
    grouped = cohort.summary(as_of=AS_OF, by=["provider", "start_year"])
    assert grouped.total() == cohort.summary(as_of=AS_OF)
    pd.testing.assert_frame_equal(
        grouped.total().kpis(), cohort.kpis(as_of=AS_OF), check_exact=True
    )


def _with_contacts_outside_the_months(seed: int) -> tuple[mc.Cohort, pd.DataFrame]:
    """Synthetic courses whose attended contacts are not all in a month of course: the first
    attended contact of every third started course moved to three days before its start, and
    every ninth course without a start. A course logs contacts only once started, but a cohort
    from frames or a file can hold such rows. Also the contacts with their course's provider,
    order date and start."""
    cohort = mc.Cohort.from_courses(mc.synthetic.generate(200, seed=seed))
    frames = {table: cohort.frame(table) for table in cohort.tables}
    courses, contacts = frames["courses"].copy(), frames["contacts"].copy()
    start = contacts["course"].map(courses.set_index("course")["started"])
    attended = contacts["attendance"] == "attended"
    moving = courses["course"][courses["started"].notna()].iloc[::3]
    first = contacts.index[attended & contacts["course"].isin(moving)].to_series()
    first = first.groupby(contacts["course"], observed=True).first().to_numpy()
    contacts.loc[first, "date"] = start[first] - pd.Timedelta(days=3)
    courses.loc[courses.index[1::9], "started"] = pd.NaT
    frames["courses"], frames["contacts"] = courses, contacts
    of_course = courses.set_index("course")[["provider", "ordered", "started"]]
    return mc.Cohort.from_frames(frames), contacts.join(of_course, on="course")


def test_attended_contacts_outside_the_months_of_course_keep_the_relations() -> None:
    # Found by adversarial testing: the home-visit months add up to intensity.attended (and the
    # months at home to contacts.home:attended) when every attended contact is in a month, and
    # were suppressed with no relation to them, so a withheld month was the published total
    # minus the published months. Contacts in no month are the "outside" cells, which make the
    # relations exact; publishable() declares them.
    cohort, contacts = _with_contacts_outside_the_months(seed=21)
    summary = cohort.summary(as_of=AS_OF, by="provider")
    table = summary.table("home_visits").set_index("provider")
    # The oracle: attended contacts by AS_OF of courses ordered by then, dated before their
    # course's start or of a course without one, counted with pandas per provider.
    by_then = (contacts["date"] <= pd.Timestamp(AS_OF)) & (
        contacts["ordered"] <= pd.Timestamp(AS_OF)
    )
    outside = (
        (contacts["attendance"] == "attended")
        & by_then
        & ~(contacts["date"] >= contacts["started"])
    )
    expected = contacts[outside].groupby("provider", observed=True).size()
    at_home = contacts[outside & (contacts["location"] == "home")]
    expected_home = at_home.groupby("provider", observed=True).size()
    assert expected.sum() > 0 and expected_home.sum() > 0
    shown = table.loc[table.index.notna()]
    assert (
        shown["attended:outside"].to_dict() == expected.reindex(shown.index, fill_value=0).to_dict()
    )
    assert (
        shown["home:outside"].to_dict()
        == expected_home.reindex(shown.index, fill_value=0).to_dict()
    )
    cells = summary.cells["home_visits"]
    counts = summary.counts["home_visits"]
    attended = [j for j, cell in enumerate(cells) if cell.startswith("attended:")]
    home = [j for j, cell in enumerate(cells) if cell.startswith("home:")]
    assert len(attended) == len(home) == 25
    intensity = summary.counts["intensity"][:, summary.cells["intensity"].index("attended")]
    contacts_home = summary.counts["contacts"][:, summary.cells["contacts"].index("home:attended")]
    np.testing.assert_array_equal(counts[:, attended].sum(axis=1), intensity)
    np.testing.assert_array_equal(counts[:, home].sum(axis=1), contacts_home)
    published = summary.publishable(5)
    assert published.suppressed is not None and published.suppressed["home_visits"].any()
    _assert_no_withheld_home_visit_is_pinned(summary, published)
    # The KPIs read the months only.
    kpis = summary.kpis()
    assert not kpis.kpi.str.contains("outside").any()
    assert (kpis.kpi.str.startswith("home_visit_share.")).sum() == 24 * len(summary.groups)


# A relation of a block as docs/kpis.md states it, the same in every row: (table, cell) = the
# sum of (table, cell)s.
Relation = tuple[tuple[str, str], list[tuple[str, str]]]


def _assert_not_pinned(
    summary: mc.CohortSummary,
    published: mc.CohortSummary,
    tables: list[str],
    per_row: list[Relation],
    checked: set[str],
) -> None:
    """With the relations `per_row` between the count cells of `tables` (written out by the
    test, checked to hold) and the totals over the groups, every withheld cell of the tables
    `checked` (and every withheld cell named in a relation's total) can take values at least 1
    apart: scipy's linear programming. Sums (days, minutes, cents) ride with their counts."""
    whole, total = summary.total(), published.total()
    assert published.suppressed is not None and total.suppressed is not None
    sums = ("days", "minutes", "days_to_first_contact", "cents")
    rows = len(summary.groups) + 1
    index: dict[tuple[int, str, str], int] = {}
    values: list[int] = []
    withheld: list[bool] = []
    for table in tables:
        for j, cell in enumerate(summary.cells[table]):
            if cell.endswith(sums):
                continue
            for row in range(rows):
                index[(row, table, cell)] = len(values)
                source, mask, r = (summary, published, row) if row < rows - 1 else (whole, total, 0)
                values.append(int(source.counts[table][r, j]))
                withheld.append(bool(mask.suppressed[table][r, j]))  # type: ignore[index]
    relations = [
        (index[(row, *t)], [index[(row, *p)] for p in parts])
        for row in range(rows)
        for t, parts in per_row
    ]
    relations += [
        (index[(rows - 1, t, c)], [index[(g, t, c)] for g in range(rows - 1)])
        for (row, t, c) in index
        if row == 0
    ]
    counts = np.array(values)
    for t, parts in relations:
        assert counts[t] == counts[parts].sum()
    mask = np.array(withheld)
    names = {i: key for key, i in index.items()}
    totals = {t for t, _ in per_row}
    cells = [
        int(i) for i in np.flatnonzero(mask) if names[i][1] in checked or names[i][1:] in totals
    ]
    assert cells
    for cell in cells:
        low, high = _interval(counts, mask, relations, cell)
        assert high - low >= 1 - 1e-9, (names[cell], low, high)


def _assert_no_withheld_home_visit_is_pinned(
    summary: mc.CohortSummary, published: mc.CohortSummary
) -> None:
    """The block suppressed with the home visits, its relations as docs/kpis.md states them."""
    contact_cells = summary.cells["contacts"]
    locations = [cell.split(":")[0] for cell in contact_cells if cell.endswith(":contacts")]
    kinds = [
        cell.split(":")[1]
        for cell in contact_cells
        if cell.startswith(f"{locations[0]}:") and not cell.endswith(":contacts")
    ]
    months = [f"{m:02d}" for m in range(1, 25)] + ["outside"]
    per_row: list[Relation] = [
        *(
            (("contacts", f"{loc}:contacts"), [("contacts", f"{loc}:{k}") for k in kinds])
            for loc in locations
        ),
        (("intensity", "attended"), [("contacts", f"{loc}:attended") for loc in locations]),
        (("intensity", "attended"), [("home_visits", f"attended:{m}") for m in months]),
        (("contacts", "home:attended"), [("home_visits", f"home:{m}") for m in months]),
        (("intensity", "courses"), [("milestones", "started")]),
        (("intensity", "courses"), [("continuity", "courses")]),
        (
            ("continuity", "courses"),
            [("continuity", "with_handover"), ("continuity", "without_handover")],
        ),
    ]
    tables = ["contacts", "intensity", "home_visits", "milestones", "continuity"]
    _assert_not_pinned(summary, published, tables, per_row, {"home_visits"})


def test_no_withheld_utilisation_bin_or_grant_count_can_be_worked_out() -> None:
    cohort = mc.Cohort.from_courses(mc.synthetic.generate(800, seed=5))
    summary = cohort.summary(as_of=AS_OF, by="provider")
    published = summary.publishable(5)
    bins = [("utilisation", cell) for cell in summary.cells["utilisation"]]
    per_row: list[Relation] = [
        (("grants", "grants"), bins),
        (("grants", "under_80"), bins[:8]),
    ]
    _assert_not_pinned(summary, published, ["grants", "utilisation"], per_row, {"utilisation"})


def _grants_by_hand(under_80: int, bins: dict[str, int]) -> mc.CohortSummary:
    """A summary of one group with nothing but the given utilisation bins and grants under 80
    percent (the grants are the sum of the bins; the hours are sums, published with it)."""
    empty = mc.CohortSummary.empty(AS_OF)
    counts = {
        name: np.zeros((1, len(cells)), dtype=np.int64) for name, cells in empty.cells.items()
    }
    for cell, count in bins.items():
        counts["utilisation"][0, empty.cells["utilisation"].index(cell)] = count
    grants = empty.cells["grants"]
    counts["grants"][0, grants.index("grants")] = sum(bins.values())
    counts["grants"][0, grants.index("hours_granted_cents")] = 100_000
    counts["grants"][0, grants.index("under_80")] = under_80
    return mc.CohortSummary(AS_OF, (), [()], empty.cells, counts, empty.survival_tables)


def test_a_withheld_bin_below_80_percent_is_not_under_80_minus_the_published_bins() -> None:
    # Found by adversarial testing: grants.under_80 is the sum of the bins 000-070, a relation
    # publishable() did not know. Here 24 grants, 11 under 80 percent: bins 050: 2, 070: 9,
    # 080: 6, 100: 7. The 2 is withheld (below 5). Knowing only "grants = every bin", the
    # smallest published count beside it, 080 (6), was withheld with it, and 050 was under_80
    # minus 070: 11 - 9 = 2. With "under_80 = bins 000-070" the 2 is the only withheld member of
    # that relation, so its smallest published non-zero member, 070 (9 < 11), is withheld too;
    # then every relation has two withheld members or none, and 050 and 070 can move by 1 in
    # opposite directions: nothing else is withheld.
    summary = _grants_by_hand(11, {"050": 2, "070": 9, "080": 6, "100": 7})
    published = summary.publishable(5)
    assert published.suppressed is not None
    utilisation = published.table("utilisation").iloc[0]
    assert sorted(utilisation.index[utilisation.isna()]) == ["050", "070"]
    assert not published.table("grants").iloc[0].isna().any()
    assert not published.suppressed["grants"].any()
    # The grants under 80 percent count the bins below 80 only; what the bins above 80 hold is
    # grants minus under_80 (13 = 6 + 7), published.
    kpis = published.kpis().set_index("kpi")
    assert kpis.loc["grants_under_80", ["numerator", "denominator"]].tolist() == [11, 24]
