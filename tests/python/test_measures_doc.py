"""Every score in docs/measures.md is reproduced: its pycon blocks run as one doctest session."""

from __future__ import annotations

import doctest
import pathlib
import re

DOC = pathlib.Path(__file__).resolve().parents[2] / "docs" / "measures.md"


def test_measures_doc_examples() -> None:
    blocks = re.findall(r"```pycon\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 6
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    session: dict[str, object] = {}
    for number, block in enumerate(blocks):
        test = parser.get_doctest(block, session, f"measures.md block {number}", str(DOC), 0)
        runner.run(test, clear_globs=False)
        session.update(test.globs)
    result = runner.summarize(verbose=False)
    assert result.failed == 0
    assert result.attempted >= 15
