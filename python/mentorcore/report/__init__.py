"""The report: one self-contained HTML file (styles inline, figures as SVG data URIs, no script,
nothing fetched) that a head of department reads, in Danish or English, from a cohort or a
summary. Everything in it comes from publishable summaries (small cells suppressed); it holds no
CPR number, citizen key, course id or free text. docs/report.md.

Needs Jinja2, Babel and matplotlib: ``pip install 'mentorcore[report]'``."""

from __future__ import annotations

import datetime
import os
import secrets
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from .._core import redact_personal_numbers
from .._validate import as_date, file_to_write, invalid, unwritable
from ._i18n import LANGUAGES

if TYPE_CHECKING:
    from ..cohort import Cohort
    from ..cohort_reader import CohortReadResult
    from ..summary import CohortSummary
    from ._content import DataQuality

__all__ = ["LANGUAGES", "report"]


def _require() -> None:
    """Imports the optional libraries the report needs, or says how to install them."""
    missing = []
    for module in ("jinja2", "babel", "matplotlib"):
        try:
            __import__(module)
        except ImportError:
            missing.append(module)
    if missing:
        raise ImportError(
            f"the report needs {', '.join(missing)}: pip install 'mentorcore[report]'"
        )


def report(
    cohort_or_summary: Cohort | CohortSummary,
    path: str | os.PathLike[str],
    *,
    as_of: datetime.date | None = None,
    by: str | list[str] | None = None,
    min_count: int = 5,
    title: str | None = None,
    language: str = "da",
    read_result: CohortReadResult | None = None,
) -> str:
    """Writes the report of a cohort (or of a summary that was not made publishable) to `path`,
    as one HTML file written in full or not at all; returns the path.

    `as_of` and `by` are those of :meth:`mentorcore.Cohort.summary` (for a summary, its own
    are used and these must be None or the same). Every figure comes from the summary made
    publishable with `min_count` (docs/kpis.md, "Suppression"); survival curves are drawn only
    for groups of at least `min_count`, up to the last day with that many at risk, and from the
    day their outcomes count that many events (docs/report.md, "Curves").
    `language` is ``"da"`` or ``"en"``. `read_result`, the :class:`CohortReadResult` the cohort
    came from, adds what was rejected to the data-quality section (counts only)."""
    _require()
    from ..cohort_reader import CohortReadResult
    from ._content import DataQuality

    if read_result is not None and not isinstance(read_result, CohortReadResult):
        raise invalid(
            "read_result", type(read_result).__name__, "expected a CohortReadResult or None"
        )
    quality = None if read_result is None else DataQuality.from_read_result(read_result)
    return write(
        cohort_or_summary,
        path,
        as_of=as_of,
        by=by,
        min_count=min_count,
        title=title,
        language=language,
        quality=quality,
    )


def write(
    cohort_or_summary: Any,
    path: str | os.PathLike[str],
    *,
    as_of: datetime.date | None,
    by: str | list[str] | None,
    min_count: int,
    title: str | None,
    language: str,
    quality: DataQuality | None,
    progress: Callable[[str], None] | None = None,
) -> str:
    """:func:`report` with the data-quality figures given (the command line counts files and
    lines too); `progress` is told each step (``"summarising"``, ``"publishing"``,
    ``"drawing"``, ``"writing"``) as it begins."""
    _require()
    from ..cohort import Cohort
    from ..summary import CohortSummary, group_columns
    from . import _content, _i18n

    if language not in _i18n.LANGUAGES:
        raise invalid("language", language, f"expected one of {', '.join(_i18n.LANGUAGES)}")
    if isinstance(min_count, bool) or not isinstance(min_count, int) or min_count < 1:
        raise invalid("min_count", min_count, "expected a whole number of 1 or more")
    if title is not None and not isinstance(title, str):
        raise invalid("title", title, "expected a str or None")
    if as_of is not None:
        as_of = as_date(as_of, "as_of")
    target = file_to_write(path)
    first_day = None
    if isinstance(cohort_or_summary, Cohort):
        dates = cohort_or_summary.date_range
        if dates is None:
            raise invalid("cohort", "0 courses", "there is no course to report on")
        first_day = dates[0]
        if as_of is not None and first_day is not None and as_of < first_day:
            raise invalid(
                "as_of", as_of.isoformat(), f"is before the data begins ({first_day.isoformat()})"
            )
        columns = group_columns(by)
        if progress is not None:
            progress("summarising")
        full = cohort_or_summary.summary(as_of=as_of, by=list(columns) or None)
    elif isinstance(cohort_or_summary, CohortSummary):
        full = cohort_or_summary
        if full.suppressed is not None:
            raise invalid(
                "summary",
                f"publishable(min_count={full.min_count})",
                "the report needs the summary before it was made publishable (its survival"
                " curves come from the per-day counts): the report publishes it itself",
            )
        if as_of is not None and as_of != full.as_of:
            raise invalid("as_of", as_of.isoformat(), f"the summary is as of {full.as_of}")
        if by is not None and group_columns(by) != full.by:
            raise invalid("by", by, f"the summary is grouped by {list(full.by)}")
    else:
        raise invalid(
            "cohort_or_summary",
            type(cohort_or_summary).__name__,
            "expected a Cohort or a CohortSummary",
        )
    full_all = full.total()
    if full_all.courses == 0:
        raise invalid("cohort_or_summary", "0 courses", "there is no course to report on")
    full_by = full if full.by else None
    lang = _i18n.Language(language)
    if progress is not None:
        progress("publishing")
    # The all-courses figures are the grouped summary's all-courses row, suppressed together
    # with the groups, so that neither can be worked out from the other.
    published_by = None if full_by is None else full_by.publishable(min_count)
    published_all = (
        full_all.publishable(min_count) if published_by is None else published_by.total()
    )
    if progress is not None:
        progress("drawing")
    context = _content.build(
        language=lang,
        # A title is output like any other text: no CPR number reaches the page.
        title=(
            redact_personal_numbers(title)
            if title is not None
            else lang.gettext("Mentor support: the report")
        ),
        full_all=full_all,
        full_by=full_by,
        published_all=published_all,
        published_by=published_by,
        first_day=first_day,
        min_count=min_count,
        quality=quality,
    )
    if progress is not None:
        progress("writing")
    html = _render(lang, context)
    _write_atomically(target, html)
    return target


def _render(language: Any, context: dict[str, Any]) -> str:
    import jinja2

    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("mentorcore.report", "templates"),
        autoescape=True,
        extensions=["jinja2.ext.i18n"],
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.install_gettext_translations(language.translations, newstyle=True)  # type: ignore[attr-defined]
    return environment.get_template("report.html.j2").render(**context)


def _write_atomically(path: str, text: str) -> None:
    """Writes `text` to a new file beside `path` and renames it over `path`: a reader sees the
    old file or the whole new one, never a part; on failure nothing is left behind, and the
    error is an InvalidValueError naming ``path``."""
    directory = os.path.dirname(os.path.abspath(path))
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0)
    while True:
        temporary = os.path.join(directory, f".{os.path.basename(path)}.{secrets.token_hex(6)}.tmp")
        try:
            # 0o666 less the umask, as for any file the user creates (mkstemp would give 0o600).
            handle = os.open(temporary, flags, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as error:
            raise unwritable(path, error) from None
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="\n") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException as error:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        if isinstance(error, OSError):
            raise unwritable(path, error) from None
        raise
