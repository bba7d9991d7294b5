"""Every example in the docs that teach by example runs: each page's pycon blocks as one doctest
session (docs/measures.md reproduces every score, docs/kpis.md the estimators and the KPI
suite)."""

from __future__ import annotations

import doctest
import pathlib
import re

import pytest

DOCS = pathlib.Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.parametrize(
    ("page", "least_blocks", "least_examples"),
    [("measures.md", 6, 15), ("kpis.md", 2, 8)],
)
def test_doc_examples(page: str, least_blocks: int, least_examples: int) -> None:
    path = DOCS / page
    blocks = re.findall(r"```pycon\n(.*?)```", path.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= least_blocks
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    session: dict[str, object] = {}
    for number, block in enumerate(blocks):
        test = parser.get_doctest(block, session, f"{page} block {number}", str(path), 0)
        runner.run(test, clear_globs=False)
        session.update(test.globs)
    result = runner.summarize(verbose=False)
    assert result.failed == 0
    assert result.attempted >= least_examples
