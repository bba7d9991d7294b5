"""mentorcore: the reference library for municipal mentor support.

Models Danish mentor courses (mentorforløb) for analysts and case systems. The compiled core is
C++ (``mentorcore._core``); this package is the public Python face: dates are
``datetime.date``, tables are pandas DataFrames, and every error on bad input is a
:class:`mentorcore.Error`, a :class:`ValueError`.

One module per concept, each importing only the ones listed before it: ``errors``,
``events``, ``outcome``, ``reference``, ``relationship``, ``frames``, ``handover``, ``course``,
``interchange``, ``synthetic``, ``cohort``, ``cohort_reader``, ``journal``, ``summary``, and
``calendar`` and ``survival`` beside them; ``fhir`` and ``process_mining`` (the standard exports)
above ``interchange``;
``cli`` is the command line. ``mentorcore.report(...)`` writes the HTML report (the package
``mentorcore/report/``, which needs the ``report`` extra only when a report is written).
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

from . import (
    calendar,
    cohort,
    cohort_reader,
    course,
    errors,
    events,
    fhir,
    handover,
    interchange,
    journal,
    outcome,
    process_mining,
    reference,
    relationship,
    summary,
    survival,
    synthetic,
)

# frames is loaded with the package like the other submodules (mentorcore.frames); its one
# public name, handovers_frame, reaches __all__ through handover. The alias marks the
# submodule as deliberately re-exported.
from . import frames as frames
from .cohort import *  # noqa: F403 - each module's __all__ is its public face
from .cohort_reader import *  # noqa: F403
from .course import *  # noqa: F403
from .errors import *  # noqa: F403
from .events import *  # noqa: F403
from .fhir import *  # noqa: F403
from .handover import *  # noqa: F403
from .interchange import *  # noqa: F403
from .journal import *  # noqa: F403
from .outcome import *  # noqa: F403
from .process_mining import *  # noqa: F403
from .reference import *  # noqa: F403
from .relationship import *  # noqa: F403

# The function shadows its package's name on purpose: mentorcore.report(cohort, path) is the
# public face; the package (templates, catalogues, figures) stays in sys.modules as
# "mentorcore.report". Importing it loads no optional library.
from .report import report
from .summary import *  # noqa: F403
from .survival import *  # noqa: F403

__version__: str = _core.__version__

__all__ = ["__version__", "calendar", "report", "synthetic"]
__all__ += errors.__all__
__all__ += events.__all__
__all__ += outcome.__all__
__all__ += reference.__all__
__all__ += relationship.__all__
__all__ += handover.__all__  # with handovers_frame, from frames
__all__ += course.__all__
__all__ += interchange.__all__
__all__ += cohort.__all__
__all__ += cohort_reader.__all__
__all__ += journal.__all__
__all__ += survival.__all__
__all__ += summary.__all__
__all__ += fhir.__all__
__all__ += process_mining.__all__


def __getattr__(name: str) -> object:
    # mentorcore.dask needs the optional dask extra, so it is imported when first used
    # (``mc.dask.summarise`` works as ``import mentorcore.dask`` does), not with the package.
    if name == "dask":
        import importlib

        return importlib.import_module(".dask", __name__)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
