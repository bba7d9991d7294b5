"""The package's import graph: every submodule imports, and imports only point down (no cycle).

The graph is read from the source with ``ast``, counting every import: at module level, inside
functions and under ``if TYPE_CHECKING:``, since a type-only import is still a dependency a
reader has to follow.
"""

from __future__ import annotations

import ast
import importlib
import pathlib
import subprocess
import sys

import pytest

import mentorcore as mc

PACKAGE = pathlib.Path(mc.__file__).resolve().parent
COMPILED = {"mentorcore._core", "mentorcore._core.calendar"}
SOURCE = pathlib.Path(__file__).resolve().parents[2] / "python" / "mentorcore"


def _modules(root: pathlib.Path) -> dict[str, pathlib.Path]:
    """Dotted name: file, for every .py module under `root` (the package is "mentorcore")."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = ["mentorcore", *path.relative_to(root).with_suffix("").parts]
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _imports(name: str, path: pathlib.Path, known: set[str]) -> set[str]:
    """The modules of the package that module `name` imports."""
    is_package = path.name == "__init__.py"
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                package = name.split(".")
                if not is_package:
                    package.pop()
                base = ".".join(package[: len(package) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            # `from .x import y` imports x.y when y is a module (compiled ones included), else it
            # takes y from x.
            submodules = [f"{base}.{alias.name}" for alias in node.names]
            targets = [name for name in submodules if name in known or name in COMPILED]
            if len(targets) < len(submodules):
                targets.append(base)
        else:
            continue
        found.update(target for target in targets if target in known and target != name)
    return found


def _graph(root: pathlib.Path) -> dict[str, set[str]]:
    modules = _modules(root)
    known = set(modules)
    # Only what each file says: that importing a submodule first runs its package's __init__
    # is not an edge a reader follows.
    return {name: _imports(name, path, known) for name, path in modules.items()}


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph[node]):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_the_installed_package_has_the_same_modules_as_the_source() -> None:
    if not SOURCE.is_dir():
        pytest.skip("tests run outside the source tree")
    assert set(_modules(PACKAGE)) == set(_modules(SOURCE))


@pytest.mark.parametrize("name", sorted(_modules(PACKAGE)))
def test_every_submodule_imports(name: str) -> None:
    importlib.import_module(name)


def test_importing_the_package_loads_no_heavy_library() -> None:
    # pandas alone took `import mentorcore` from under a second to several on the test machine,
    # paid by every run of the command line: the package imports these where they are used.
    heavy = ["pandas", "matplotlib", "pyarrow", "jinja2", "dask", "polars", "duckdb"]
    program = f"import sys, mentorcore; print(sorted(set({heavy!r}) & set(sys.modules)))"
    loaded = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    ).stdout.strip()
    assert loaded == "[]"


def test_no_import_cycle() -> None:
    graph = _graph(PACKAGE)
    assert "mentorcore.course" in graph["mentorcore"]
    assert _cycles(graph) == []


def test_the_former_circle_is_gone() -> None:
    graph = _graph(PACKAGE)
    assert "mentorcore.course" not in graph["mentorcore.handover"]
    assert "mentorcore.course" not in graph["mentorcore._render"]
    assert "mentorcore.handover" not in graph["mentorcore._render"]


def test_the_cycle_check_finds_a_cycle() -> None:
    assert _cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]


def test_the_package_all_is_the_union_of_the_submodules_all() -> None:
    modules = (
        mc.errors,
        mc.events,
        mc.outcome,
        mc.reference,
        mc.relationship,
        mc.handover,
        mc.course,
        mc.interchange,
        mc.cohort,
        mc.cohort_reader,
        mc.journal,
        mc.survival,
        mc.summary,
        mc.fhir,
        mc.process_mining,
    )
    # mentorcore.report: the function of the package of that name (python/mentorcore/report/).
    expected = {"__version__", "calendar", "report", "synthetic"}.union(
        *(m.__all__ for m in modules)
    )
    assert set(mc.__all__) == expected
    assert len(mc.__all__) == len(set(mc.__all__))


# The names `mentorcore.__all__` listed by hand before it was built from the submodules.
_BEFORE = """EVENT_SCHEMA ReadResult RejectedLine event_schema pseudonymise read_events write_events
ConsentForm Handover HandoverSection HandoverState HandoverType KnowledgeItem PartyRole Severity
handovers_frame STANDARD_KNOWLEDGE_CATEGORIES Aggregation AlertRule AssessmentMethod CourseAlert
DataCategory GoalStatus Instrument Rater SharingBasis Stage StageTrajectory StepDoer UricaResult
urica_score Attendance ClarificationOutcome ClosureReason Course CourseWarning Error Event
InvalidValueError Location Milestone MilestoneReached NonBillableReason OutOfRangeError ParseError
PauseReason Phase ReferenceData ReferenceKind RuleViolationError StartType __version__ calendar
event_types in_person phase_change_allowed reference_data_frame synthetic""".split()

# Names importable from a submodule before the package was split, that must stay importable there.
_SUBMODULE_NAMES_BEFORE = {
    "course": """Attendance ClarificationOutcome ClosureReason Course CourseWarning Event Location
        Milestone MilestoneReached NonBillableReason PauseReason Phase ReferenceData ReferenceKind
        StartType event_types in_person phase_change_allowed reference_data_frame ConsentForm
        Handover HandoverType PartyRole Severity AssessmentMethod CourseAlert DataCategory
        GoalStatus Rater SharingBasis Stage StageTrajectory StepDoer DeadlinePolicy""",
    "handover": """ConsentForm Handover HandoverSection HandoverState HandoverType KnowledgeItem
        PartyRole Severity handovers_frame""",
    "relationship": """STANDARD_KNOWLEDGE_CATEGORIES Aggregation AlertRule AssessmentMethod
        CourseAlert DataCategory GoalStatus Instrument Rater SharingBasis Stage StageTrajectory
        StepDoer UricaResult urica_score""",
    "interchange": """EVENT_SCHEMA ReadResult RejectedLine event_schema pseudonymise read_events
        write_events Course ReferenceData""",
    "synthetic": "LogSummary generate rates reference write FIRST_ORDER LAST_ORDER MAX_COURSES "
    "Course ReferenceData",
    "__main__": "main build_parser print_deadline print_holidays print_municipality_summary",
}


def test_every_name_exported_before_still_is() -> None:
    assert set(_BEFORE) <= set(mc.__all__)


@pytest.mark.parametrize("module", sorted(_SUBMODULE_NAMES_BEFORE))
def test_every_name_importable_from_a_submodule_before_still_is(module: str) -> None:
    loaded = importlib.import_module(f"mentorcore.{module}")
    for name in _SUBMODULE_NAMES_BEFORE[module].split():
        assert hasattr(loaded, name), f"mentorcore.{module}.{name}"
