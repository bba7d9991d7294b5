"""The report's languages: one gettext catalogue (``locale/<language>.po``) per language,
compiled by Babel when the report is written (no compiled ``.mo`` file is kept beside it), and
Babel's number and date formats for the language. Babel is imported only then."""

from __future__ import annotations

import datetime
import gettext
import io
import math
from importlib import resources

from .._validate import invalid

LANGUAGES = ("da", "en")
"""The languages the report is written in, each with its catalogue ``locale/<language>.po``."""

DASH = "\u2013"
"""What a withheld (suppressed) or missing value is shown as."""


def N_(message: str) -> str:
    """Marks a message for the catalogue where it is defined; it is translated where shown."""
    return message


def catalogue_text(language: str) -> str:
    """The text of the catalogue (.po) of `language`, from the installed package."""
    return (resources.files(__package__) / "locale" / f"{language}.po").read_text("utf-8")


def translations(language: str) -> gettext.GNUTranslations:
    """The catalogue of `language`, compiled in memory by Babel."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    if language not in LANGUAGES:
        raise invalid("language", language, f"expected one of {', '.join(LANGUAGES)}")
    catalog = read_po(io.StringIO(catalogue_text(language)), locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalog)
    compiled.seek(0)
    return gettext.GNUTranslations(compiled)


class Language:
    """Messages and formats of one language: ``gettext`` for the catalogue, and numbers,
    percentages and dates as the language writes them (Danish: 1.234,5, 12,3 % and
    29. november 2026)."""

    def __init__(self, language: str) -> None:
        self.code = language
        self.translations = translations(language)

    def gettext(self, message: str) -> str:
        return self.translations.gettext(message)

    def ngettext(self, singular: str, plural: str, n: int) -> str:
        return self.translations.ngettext(singular, plural, n)

    def count(self, value: object) -> str:
        """A whole number (a count), or a dash if it is withheld or missing."""
        from babel.numbers import format_decimal

        number = _number(value)
        return DASH if number is None else format_decimal(round(number), locale=self.code)

    def decimal(self, value: object, digits: int = 1) -> str:
        from babel.numbers import format_decimal

        number = _number(value)
        if number is None:
            return DASH
        if math.isinf(number):
            return "\u221e"
        return format_decimal(
            number, format="#,##0." + "0" * digits if digits else "#,##0", locale=self.code
        )

    def percent(self, value: object) -> str:
        """A share (0.123) as a percentage with one decimal (12,3 %)."""
        from babel.numbers import format_percent

        number = _number(value)
        if number is None:
            return DASH
        pattern = "#,##0.0\u00a0%" if self.code == "da" else "#,##0.0%"
        return format_percent(number, format=pattern, locale=self.code)

    def date(self, day: datetime.date) -> str:
        from babel.dates import format_date

        return format_date(day, format="long", locale=self.code)


def _number(value: object) -> float | None:
    """`value` as a float, None for a missing value (None, NaN, pandas' NA)."""
    if value is None:
        return None
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None
    return None if math.isnan(number) else number
