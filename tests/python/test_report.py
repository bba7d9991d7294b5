"""The report (mentorcore.report and `python -m mentorcore report`): every section, small cells
withheld, nothing personal in it, nothing fetched from outside the file, Danish and English from
the message catalogues, and bad input answered in one line with exit status 1 or 2."""

from __future__ import annotations

import base64
import html
import importlib
import json
import re
import subprocess
import sys
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

import mentorcore as mc
from mentorcore.__main__ import main

pytest.importorskip("jinja2")
pytest.importorskip("babel")
pytest.importorskip("matplotlib")

from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po
from jinja2.ext import babel_extract

from mentorcore._kpis import DEFINITIONS

report_package = importlib.import_module("mentorcore.report")
_content = importlib.import_module("mentorcore.report._content")
_figures = importlib.import_module("mentorcore.report._figures")

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "python" / "mentorcore" / "report"
SECTIONS = (
    "headline",
    "outcomes",
    "time-to-work",
    "retention",
    "at-risk",
    "independence",
    "milestones",
    "hours",
    "motivation",
    "handovers",
    "handover-loss",
    "comparison",
    "comparison-table",
    "data-quality",
    "quality-table",
    "definitions",
)
CPR = re.compile(r"\b\d{6}-?\d{4}\b")
DATA_URI = re.compile(r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)")


@pytest.fixture(scope="module")
def log(tmp_path_factory: pytest.TempPathFactory) -> Path:
    courses = mc.synthetic.generate(300, seed=7)
    path = tmp_path_factory.mktemp("log") / "courses.jsonl"
    mc.write_events(courses, path)
    return path


@pytest.fixture(scope="module")
def bad_log(log: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The log with one line that is not JSON and one of an unknown event type, each carrying
    a text that must not reach the report."""
    lines = log.read_text(encoding="utf-8").splitlines()
    lines[40] = '{"course": "C-0000003", "note": "secret rejected text one'
    event = json.loads(lines[200])
    event["type"] = "secret_rejected_type_two"
    lines[200] = json.dumps(event)
    path = tmp_path_factory.mktemp("bad") / "bad.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _personal_values(path: Path) -> tuple[set[str], set[str], set[str]]:
    """The citizen keys, course ids and free texts (every string of 25 characters or more with a
    space: goals, tasks, knowledge items, notes, handover texts) of an event log."""
    citizens: set[str] = set()
    courses: set[str] = set()
    texts: set[str] = set()

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            for item in value.values():
                walk(item)
        elif isinstance(value, list):
            for item in value:
                walk(item)
        elif isinstance(value, str):
            if value.startswith("P-"):
                citizens.add(value)
            elif len(value) >= 25 and " " in value:
                texts.add(value)

    for line in path.read_text(encoding="utf-8").splitlines():
        event = json.loads(line)
        if event.get("type") == "header":
            continue
        courses.add(event["course"])
        walk(event)
    return citizens, courses, texts


def _report_cli(*args: str) -> int:
    return main(["report", *args])


@pytest.fixture(scope="module")
def reports(log: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """The report by provider in Danish (the command line) and English (the function)."""
    out = tmp_path_factory.mktemp("reports")
    assert _report_cli(str(log), "-o", str(out / "da.html"), "--by", "provider") == 0
    result = mc.read_cohort(log, on_error="collect")
    written = mc.report(
        result.cohort, out / "en.html", by="provider", language="en", read_result=result
    )
    assert written == str(out / "en.html")
    return {
        "da": (out / "da.html").read_text(encoding="utf-8"),
        "en": (out / "en.html").read_text(encoding="utf-8"),
    }


def _without_figures(page: str) -> str:
    return DATA_URI.sub("data:", page)


def _figure_texts(page: str) -> Iterator[str]:
    for encoded in DATA_URI.findall(page):
        yield base64.b64decode(encoded).decode("utf-8")


@pytest.mark.parametrize("language", ["da", "en"])
def test_every_section_is_there_in_order(reports: dict[str, str], language: str) -> None:
    page = reports[language]
    positions = []
    for section in SECTIONS:
        found = re.search(rf'id="{section}"', page)
        assert found, section
        positions.append(found.start())
    assert positions == sorted(positions)
    assert f'<html lang="{language}">' in page
    # Every KPI family shown is defined.
    for family in _content.SHOWN_FAMILIES:
        assert f'id="def-{family}"' in page
    assert page.count("<img ") >= 6


@pytest.mark.parametrize("language", ["da", "en"])
def test_the_file_is_self_contained_and_has_no_script(
    reports: dict[str, str], language: str
) -> None:
    page = reports[language]
    text = _without_figures(page)
    assert "<script" not in text.lower()
    assert "<link" not in text.lower()
    assert "@import" not in text
    assert "url(" not in text
    assert not re.search(r"https?://", text)
    assert not re.search(r"\b(?:src|href)=\"(?!data:|#)", page)
    assert '<meta name="viewport"' in page
    assert "@media print" in page and "size: A4" in page
    for svg in _figure_texts(page):
        # The figures' text is drawn as paths: no font to fetch, no reference outside.
        assert "<text" not in svg and "@font-face" not in svg
        assert not re.search(r"(?:href|src)=\"(?!#|data:)", svg)
        assert not re.search(r"https?://", re.sub(r'xmlns(?::\w+)?="[^"]*"', "", svg))


@pytest.mark.parametrize("language", ["da", "en"])
def test_nothing_personal_reaches_the_report(
    reports: dict[str, str], log: Path, language: str
) -> None:
    page = reports[language]
    text = _without_figures(page)
    everything = [text, *_figure_texts(page)]
    citizens, courses, texts = _personal_values(log)
    # A generated text can be a phrase of the report's own (a success logged as "startet i job
    # eller uddannelse"): those are the catalogue's words, not the log's.
    vocabulary = " ".join(
        f"{m} {s}" for lang in report_package.LANGUAGES for m, s in _catalogue(lang).items()
    )
    texts = {value for value in texts if value not in vocabulary}
    assert citizens and courses and len(texts) > 50
    for part in everything:
        assert not CPR.search(part)
        assert "P-" not in part
        assert not re.search(r"\bC-\d{7}\b", part)
        # Staff ids appear only when the report is grouped by mentor or caseworker.
        assert not re.search(r"\b(?:m|cw)-\d{3}-\d+\b", part)
        for value in texts:
            assert value not in part and html.escape(value) not in part, value


def test_staff_ids_appear_when_grouped_by_mentor(tmp_path: Path) -> None:
    # Few courses: suppression over a group per mentor is the slow part.
    cohort = mc.Cohort.from_courses(mc.synthetic.generate(60, seed=3))
    mc.report(cohort, tmp_path / "r.html", by="mentor", language="en")
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert re.search(r"\bm-\d{3}-\d+\b", page)
    assert not re.search(r"\bC-\d{7}\b", page) and "P-" not in _without_figures(page)


def test_small_cells_are_withheld_in_the_comparison(reports: dict[str, str], log: Path) -> None:
    """A provider whose count of closures to a job is 1-4 shows a dash, never its share."""
    cohort = mc.read_cohort(log)
    full = cohort.summary(by="provider").kpis()
    small = full[(full.kpi == "exits_closed.job") & full.numerator.between(1, 4)]
    assert len(small) >= 1
    for language in ("da", "en"):
        page = reports[language]
        table = page[page.index('id="comparison-table"') : page.index('id="data-quality"')]
        assert 'id="withheld-note"' in page
        rows = dict(re.findall(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', table, flags=re.S))
        for provider in small.provider:
            cells = re.findall(r"<td[^>]*>([^<]*)</td>", rows[provider])
            # columns: courses, ordinary job (closed), ...
            assert cells[1] == "\u2013", (provider, cells)


def test_danish_and_english_numbers_and_dates(reports: dict[str, str], log: Path) -> None:
    cohort = mc.read_cohort(log)
    last = cohort.date_range[1]  # type: ignore[index]
    da, en = _without_figures(reports["da"]), _without_figures(reports["en"])
    months_da = ["januar", "februar", "marts", "april", "maj", "juni", "juli", "august"]
    months_da += ["september", "oktober", "november", "december"]
    assert f"{last.day}. {months_da[last.month - 1]} {last.year}" in da
    assert f"{last.strftime('%B')} {last.day}, {last.year}" in en
    assert re.search(r"\b\d{1,3}\.\d{3}\b", da)  # 15.494
    assert re.search(r"\d,\d\u00a0%", da)  # 12,3 %
    assert re.search(r"\b\d{1,3},\d{3}\b", en)  # 15,494
    assert re.search(r"\d\.\d%", en)  # 12.3%
    assert "Hovedtal" in da and "Definitioner" in da and "Datakvalitet" in da
    assert "Headline figures" in en and "Definitions" in en
    assert "Headline figures" not in da


def _catalogue(language: str) -> dict[str, str]:
    text = (resources.files("mentorcore.report") / "locale" / f"{language}.po").read_text(
        encoding="utf-8"
    )
    catalog = read_po(iter(text.splitlines(keepends=True)), locale=language)
    return {str(m.id): str(m.string) for m in catalog if m.id}


def _used_messages() -> set[str]:
    used: set[str] = set()
    keywords: dict[str, Any] = {"_": None, "N_": None, "gettext": None}
    for path in sorted(PACKAGE.glob("*.py")):
        used.update(str(m[1]) for m in extract_from_file("python", str(path), keywords=keywords))
    for path in sorted((PACKAGE / "templates").glob("*.j2")):
        found = extract_from_file(
            babel_extract, str(path), keywords=keywords, options={"extensions": "jinja2.ext.i18n"}
        )
        used.update(str(m[1]) for m in found)
    for family in _content.SHOWN_FAMILIES:
        definition = DEFINITIONS[family]
        used.update((definition.title, definition.numerator, definition.denominator))
    return used


def test_the_catalogues_hold_every_message_and_no_other() -> None:
    used = _used_messages()
    for language in report_package.LANGUAGES:
        catalogue = _catalogue(language)
        assert set(catalogue) == used, (language, used - set(catalogue), set(catalogue) - used)
        if language == "en":
            continue  # the message ids are the English texts
        assert all(catalogue.values()), [m for m, s in catalogue.items() if not s]
        # Placeholders survive translation.
        for message, translation in catalogue.items():
            assert sorted(re.findall(r"%\(\w+\)s|%%", message)) == sorted(
                re.findall(r"%\(\w+\)s|%%", translation)
            ), (language, message)


def test_package_data_is_found_where_the_package_is_installed() -> None:
    files = resources.files("mentorcore.report")
    assert (files / "templates" / "report.html.j2").is_file()
    for language in report_package.LANGUAGES:
        assert (files / "locale" / f"{language}.po").is_file()
    # scikit-build-core copies every file of the package that git does not ignore, except
    # wheel.exclude: nothing there or in .gitignore may catch the templates or catalogues.
    tomllib = pytest.importorskip("tomllib")
    settings = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert settings["tool"]["scikit-build"]["wheel"]["packages"] == ["python/mentorcore"]
    excluded = settings["tool"]["scikit-build"]["wheel"]["exclude"]
    ignored = (ROOT / ".gitignore").read_text(encoding="utf-8").split()
    for pattern in [*excluded, *ignored]:
        assert not any(s in pattern for s in (".po", ".j2", "templates", "locale")), pattern
    extras = settings["project"]["optional-dependencies"]
    for name in ("jinja2", "babel", "matplotlib"):
        assert any(r.startswith(name) for r in extras["report"])
        assert any(r.startswith(name) for r in extras["test"])


def test_a_missing_library_names_the_extra(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "jinja2", None)
    with pytest.raises(ImportError, match=r"jinja2: pip install 'mentorcore\[report\]'"):
        mc.report(mc.read_cohort(log), tmp_path / "r.html")
    assert list(tmp_path.iterdir()) == []


def test_a_summary_is_reported_and_a_publishable_one_is_refused(log: Path, tmp_path: Path) -> None:
    summary = mc.read_cohort(log).summary(by="target_group")
    mc.report(summary, tmp_path / "s.html", language="en", min_count=10, title="A & B <i>")
    page = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert 'id="comparison-table"' in page and "Counts below 10 are withheld" in page
    assert "<title>A &amp; B &lt;i&gt;</title>" in page and "<i>" not in page  # autoescaped
    # Without a reading record the data-quality section says so.
    assert 'id="quality-table"' not in page
    with pytest.raises(mc.Error, match="publishable"):
        mc.report(summary.publishable(5), tmp_path / "p.html")
    with pytest.raises(mc.Error, match="by"):
        mc.report(summary, tmp_path / "p.html", by="provider")
    with pytest.raises(mc.Error, match="language"):
        mc.report(summary, tmp_path / "p.html", language="sv")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.html"]


def test_curves_stop_where_fewer_than_min_count_are_at_risk(log: Path) -> None:
    km = mc.read_cohort(log).summary().survival("retention")
    frame = km.to_frame()  # type: ignore[union-attr]
    drawn = _figures.drawable(frame, 20)
    assert 0 < len(drawn) < len(frame)
    assert drawn["at_risk"].min() >= 20
    assert frame["at_risk"].iloc[len(drawn)] < 20
    assert _figures.retention(km, 10**6, None) is None  # too few subjects: no curve


def test_a_partly_bad_log_is_reported_with_what_was_rejected(
    bad_log: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    assert _report_cli(str(bad_log), "-o", str(out), "--language", "en") == 0
    captured = capsys.readouterr()
    assert "lines rejected" in captured.err
    page = out.read_text(encoding="utf-8")
    quality = page[page.index('id="data-quality"') : page.index('id="definitions"')]
    assert "not valid JSON" in quality and "unknown event type" in quality
    assert "another line of the course was rejected" in quality
    lines = len(bad_log.read_text(encoding="utf-8").splitlines())
    assert f"{lines:,}" in quality
    assert "secret" not in page and "C-0000003" not in page


def _run(*args: str, stdin: Any = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "mentorcore", "report", *args],
        capture_output=True,
        text=True,
        stdin=stdin,
    )


def _one_line_error(result: subprocess.CompletedProcess[str], status: int) -> str:
    assert result.returncode == status, result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert lines and lines[-1].startswith(("mentorcore: error: ", "python -m mentorcore")), lines
    return lines[-1]


def test_strict_stops_at_the_first_bad_line_and_writes_nothing(
    bad_log: Path, tmp_path: Path
) -> None:
    out = tmp_path / "r.html"
    line = _one_line_error(_run(str(bad_log), "-o", str(out), "--strict"), 1)
    assert "malformed JSON" in line
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("arguments", "status", "message"),
    [
        (["{missing}", "-o", "{out}"], 1, "cannot open the file"),
        (["{log}", "-o", "{out}", "--reference", "{missing}"], 1, "courses.jsonl.x"),
        (["{log}", "-o", "{out}", "--as-of", "2019-01-01"], 2, "before the data begins"),
        (["{log}", "-o", "{out}", "--as-of", "2019-02-30"], 2, "not a date"),
        (["{log}", "-o", "{out}", "--by", "citizen"], 2, "invalid choice: 'citizen'"),
        (["{log}", "-o", "{out}", "--min-count", "0"], 2, "must be 1 or more"),
        # Found by adversarial testing: exit 1, from the core's 32-bit check after reading.
        (
            ["{log}", "-o", "{out}", "--min-count", "99999999999999999"],
            2,
            "argument --min-count: must be at most 2,147,483,647",
        ),
        (["{log}", "-o", "{out}", "--language", "sv"], 2, "invalid choice: 'sv'"),
        (["{log}", "-o", "{tmp}/no/such/dir/r.html"], 2, "does not exist"),
        (["{log}", "-o", "{tmp}"], 2, "is a directory"),
    ],
)
def test_bad_input_is_one_line_and_leaves_no_file(
    log: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    arguments: list[str],
    status: int,
    message: str,
) -> None:
    out = tmp_path / "r.html"
    names = {"log": str(log), "out": str(out), "tmp": str(tmp_path), "missing": str(log) + ".x"}
    argv = [a.format(**names) for a in arguments]
    try:
        code = _report_cli(*argv)
    except SystemExit as exit:  # argparse's usage errors
        code = int(exit.code)  # type: ignore[arg-type]
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert code == status, err
    assert message in lines[-1], err
    assert "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


def test_a_failed_write_leaves_the_old_report_and_no_temporary_file(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "r.html"
    out.write_text("the old report", encoding="utf-8")

    def fail(source: str, target: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(report_package.os, "replace", fail)
    assert _report_cli(str(log), "-o", str(out)) == 1
    err = capsys.readouterr().err
    assert err.strip().splitlines()[-1].endswith("cannot be written: No space left on device")
    assert out.read_text(encoding="utf-8") == "the old report"
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]

    monkeypatch.undo()

    def broken(*args: object) -> str:
        raise RuntimeError("the template broke")

    monkeypatch.setattr(report_package, "_render", broken)
    with pytest.raises(RuntimeError):
        mc.report(mc.read_cohort(log), tmp_path / "new.html")
    assert [p.name for p in tmp_path.iterdir()] == ["r.html"]


def test_output_into_a_closed_pipe_is_no_traceback(log: Path, tmp_path: Path) -> None:
    with subprocess.Popen(
        [sys.executable, "-m", "mentorcore", "report", str(log), "-o", str(tmp_path / "r.html")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # as `| head -0` does
        err = process.stderr.read().decode()
        process.wait()
    assert "Traceback" not in err and "BrokenPipeError" not in err
    assert process.returncode == 1
    assert (tmp_path / "r.html").is_file()


def test_a_path_that_cannot_be_written_is_a_mentorcore_error_naming_it_redacted(
    log: Path, tmp_path: Path
) -> None:
    # The command line checks -o first; the function let FileNotFoundError and
    # IsADirectoryError out, with the file name unredacted.
    summary = mc.read_cohort(log).summary()
    with pytest.raises(mc.InvalidValueError, match="cannot be written") as raised:
        mc.report(summary, tmp_path / "missing" / "010190-1234.html")
    assert raised.value.field == "path"
    assert "010190-1234" not in str(raised.value)
    with pytest.raises(mc.InvalidValueError, match="is a directory"):
        mc.report(summary, tmp_path)
    assert list(tmp_path.iterdir()) == []


def test_odd_arguments_and_odd_cohorts_are_errors_or_reports_never_a_crash(
    log: Path, tmp_path: Path
) -> None:
    import datetime

    cohort = mc.read_cohort(log)
    with pytest.raises(mc.InvalidValueError, match="as_of"):
        mc.report(cohort, tmp_path / "r.html", as_of="2024-01-01")  # type: ignore[arg-type]
    with pytest.raises(mc.InvalidValueError, match="read_result"):
        mc.report(cohort, tmp_path / "r.html", read_result=cohort)  # type: ignore[arg-type]
    empty = mc.CohortSummary.empty(datetime.date(2025, 1, 1))
    with pytest.raises(mc.InvalidValueError, match="no course to report on"):
        mc.report(empty, tmp_path / "r.html")
    assert list(tmp_path.iterdir()) == []
    # A cohort in which no course has started yet: a report that says there is nothing to draw.
    ordered_only = mc.Cohort.from_courses(
        [mc.Course.replay([c.events[0]]) for c in mc.synthetic.generate(30, seed=3, threads=1)]
    )
    mc.report(ordered_only, tmp_path / "ordered.html", language="en")
    assert "Too few courses to draw the curve." in (tmp_path / "ordered.html").read_text("utf-8")


def test_the_title_is_redacted_and_a_small_course_count_withheld(log: Path, tmp_path: Path) -> None:
    # The title is output like every other text; the count of courses read is a count of
    # people, withheld below min_count as the headline withholds it.
    three = tmp_path / "three.jsonl"
    lines = log.read_text(encoding="utf-8").splitlines()
    kept = {json.loads(line).get("course") for line in lines[1:]}
    first_three = sorted(c for c in kept if c)[:3]
    three.write_text(
        "\n".join(line for line in lines if json.loads(line).get("course") in (*first_three, None))
        + "\n",
        encoding="utf-8",
    )
    out = tmp_path / "r.html"
    assert _report_cli(str(three), "-o", str(out), "--title", "Forløb for 010190-5678") == 0
    page = out.read_text(encoding="utf-8")
    assert "5678" not in _without_figures(page)
    quality = page[page.index('id="quality-table"') :]
    quality = quality[: quality.index("</table>")]
    assert re.search(r"<td[^>]*>\s*3\s*</td>", quality) is None


def test_a_curve_is_drawn_only_from_min_count_events_on() -> None:
    # At-risk counts alone let a step show a share the KPI tables withhold (4 of 29 within six
    # months): a curve's height is drawn only once its outcomes count min_count events.
    from mentorcore.report import _figures

    durations = [1, 2, 3, 4, 5, 6, 7, 8]
    aj = mc.aalen_johansen(durations, [1, 1, 2, 1, 1, 1, 0, 1])
    assert _figures.enough_events(aj, 8, [1], 5).tolist() == [False] * 5 + [True] * 3
    assert _figures.enough_events(aj, 8, [1, 2], 5).tolist() == [False] * 4 + [True] * 4
    km = mc.kaplan_meier(durations, [1, 1, 1, 1, 1, 1, 0, 1])
    assert _figures.enough_events(km, 6, None, 5).tolist() == [False] * 4 + [True] * 2


def test_curves_follow_secondary_suppression(
    log: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A share withheld only to protect another group's small cell stays withheld in the
    # figures: a group's curve of work or education is drawn only when every figure read off it
    # (within 6 and 12 months, the median) is published for that group.
    summary = mc.read_cohort(log).summary(by="provider")
    kpis = summary.publishable(5).kpis()
    read_off = kpis[kpis["kpi"].isin(_content.GROUP_CURVE_KPIS)]
    withheld = set(read_off.loc[read_off["suppressed"], "provider"])
    large = {
        key
        for key, estimate in summary.survival("time_to_work_or_education").items()  # type: ignore[union-attr]
        if _figures.subjects(estimate) >= 5
    }
    assert large & withheld and large - withheld  # this log holds both kinds of group
    drawn: list[str] = []
    draw = _figures.cumulative_incidence

    def spy(everyone: Any, groups: Any, *args: Any) -> Any:
        drawn.extend(label for label, _estimate in groups)
        return draw(everyone, groups, *args)

    monkeypatch.setattr(_figures, "cumulative_incidence", spy)
    mc.report(summary, tmp_path / "r.html", language="en")
    assert set(drawn) == large - withheld
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert (
        "Groups left out because a figure read off their curve is withheld in the tables: "
        f"{len(large & withheld)}." in page
    )


def test_a_withheld_figure_leaves_out_the_curves_it_is_read_off() -> None:
    table = _content.KpiTable.__new__(_content.KpiTable)
    table.rows = {
        ("retention.3m", ()): {"suppressed": False},
        ("retention.6m", ()): {"suppressed": True},
        ("retention.12m", ()): {"suppressed": False},
    }
    assert _content.withheld(table, _content.RETENTION_CURVE_KPIS)
    assert not _content.withheld(table, ("retention.3m", "retention.12m"))
    assert _content.withheld(table, ("retention.24m",))  # absent: not known to be published
    assert not _content.withheld(table, ())


def test_the_at_risk_numbers_tell_no_small_cell_by_their_differences() -> None:
    # 30 at the start and 27 at day 91: with no one censored, the 3 who ended are a withheld cell.
    assert _content.at_risk_shown([30, 27, 24, 20, 0], 5) == [True, False, True, False, True]
    assert _content.at_risk_shown([30, 30, 4, 0, 0], 5) == [True, True, False, True, True]
    assert _content.at_risk_shown([8, 2, 0], 5) == [True, False, True]
    assert _content.at_risk_shown([3, 0], 5) == [False, True]
