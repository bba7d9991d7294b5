"""mentorcore: the reference library for municipal mentor support.

Models Danish mentor courses (mentorforløb) for analysts and case systems. The compiled core is
C++ (``mentorcore._core``); this package is the public Python face: dates are
``datetime.date``, tables are pandas DataFrames, and every error on bad input is a
:class:`mentorcore.Error`, a :class:`ValueError`.
"""

from __future__ import annotations

try:
    from . import _core
except ImportError as exc:  # pragma: no cover - depends on how the package was installed
    raise ImportError(
        "mentorcore's compiled extension mentorcore._core could not be imported. It is built when "
        "the package is installed: run `pip install .` in the mentorcore source tree (or "
        "`tools/dev build`), and import mentorcore from outside that tree's python/ folder."
    ) from exc

from . import calendar
from ._core import Error, InvalidValueError, OutOfRangeError

__version__: str = _core.__version__

__all__ = [
    "Error",
    "InvalidValueError",
    "OutOfRangeError",
    "__version__",
    "calendar",
]
