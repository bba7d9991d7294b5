"""docs/notebooks/tour.ipynb runs top to bottom in a real Jupyter kernel, and is committed clean.

The kernel is ipykernel started with this interpreter (sys.executable, from a kernel spec
written for the test, so no kernel needs to be installed on the machine) and this process's
environment, so it imports the same mentorcore: the installed wheel under `tools/dev test`, or
whatever PYTHONPATH points at. matplotlib draws with Agg, with no display.
"""

from __future__ import annotations

import json
import os
import pathlib
import re
import sys
from typing import Any

import nbclient
import nbformat
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import KernelManager

import mentorcore

# nbformat has no type annotations: its calls carry `type: ignore[no-untyped-call]`.
TOUR = pathlib.Path(__file__).parents[2] / "docs" / "notebooks" / "tour.ipynb"
CELL_TIMEOUT = 300  # seconds; the whole notebook takes well under a minute
# A CPR number: DDMMYY, an optional hyphen, four digits.
CPR = re.compile(r"(?<!\d)(?:0[1-9]|[12]\d|3[01])(?:0[1-9]|1[0-2])\d{2}-?\d{4}(?!\d)")


def _kernel_manager(folder: pathlib.Path) -> KernelManager:
    """A kernel manager whose "python3" is ipykernel on this interpreter, nothing else."""
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(
        json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"}),
        encoding="utf-8",
    )
    specs = KernelSpecManager(kernel_dirs=[str(folder / "kernels")], ensure_native_kernel=False)
    return KernelManager(kernel_name="python3", kernel_spec_manager=specs)


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    env["MPLBACKEND"] = "Agg"
    return env


def _text_outputs(notebook: Any) -> str:
    texts = []
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            if output.get("output_type") == "stream":
                texts.append(output.get("text", ""))
            for mime in ("text/plain", "text/html", "text/markdown"):
                texts.append(output.get("data", {}).get(mime, ""))
    return "\n".join(texts)


def test_committed_tour_has_no_outputs() -> None:
    notebook = nbformat.read(TOUR, as_version=4)  # type: ignore[no-untyped-call]
    nbformat.validate(notebook)
    code = [cell for cell in notebook.cells if cell.cell_type == "code"]
    assert code, "the tour has no code cells"
    assert [cell.execution_count for cell in code] == [None] * len(code)
    assert [cell.outputs for cell in code] == [[]] * len(code)
    assert notebook.metadata["kernelspec"]["name"] == "python3"


def test_tour_runs_in_a_kernel(tmp_path: pathlib.Path) -> None:
    notebook = nbformat.read(TOUR, as_version=4)  # type: ignore[no-untyped-call]
    # One more cell: which mentorcore the kernel imported.
    where = "import mentorcore\nprint(mentorcore.__file__)"
    notebook.cells.append(nbformat.v4.new_code_cell(where))  # type: ignore[no-untyped-call]
    km = _kernel_manager(tmp_path)
    client = nbclient.NotebookClient(
        notebook,
        km=km,
        kernel_name="python3",
        timeout=CELL_TIMEOUT,
        allow_errors=False,
        resources={"metadata": {"path": str(tmp_path)}},
    )
    try:
        # Raises nbclient.exceptions.CellExecutionError, naming the cell, if any cell fails.
        client.execute(env=_environment(), cleanup_kc=True)
    finally:
        if km.has_kernel:
            km.shutdown_kernel(now=True)

    errors = [
        output
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "error"
    ]
    assert errors == []
    imported = notebook.cells[-1].outputs[0]["text"].strip()
    assert pathlib.Path(imported) == pathlib.Path(mentorcore.__file__)
    # Every comparison the tour shows came out True: halves merged, and the Dask summary.
    shown = [
        output["data"]["text/plain"]
        for cell in notebook.cells
        for output in cell.get("outputs", [])
        if output.get("output_type") == "execute_result"
    ]
    assert shown.count("True") == 2
    text = _text_outputs(notebook)
    assert "P-" in text  # citizens appear as pseudonymous keys ...
    assert CPR.search(text) is None  # ... and never as a CPR number
