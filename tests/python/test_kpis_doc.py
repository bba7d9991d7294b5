"""Every example in docs/kpis.md runs: its pycon blocks as one doctest session."""

from __future__ import annotations

import doctest
import pathlib
import re

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "kpis.md"


def test_kpis_doc_examples() -> None:
    blocks = re.findall(r"```pycon\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 1
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    session: dict[str, object] = {}
    for number, block in enumerate(blocks):
        test = parser.get_doctest(block, session, f"kpis.md block {number}", str(DOC), 0)
        runner.run(test, clear_globs=False)
        session.update(test.globs)
    result = runner.summarize(verbose=False)
    assert result.failed == 0
    assert result.attempted >= 8
