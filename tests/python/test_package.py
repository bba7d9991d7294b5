"""The installed package: version, public names, README examples."""

from __future__ import annotations

import doctest
import importlib.metadata
import pathlib
import re

import mentorcore as mc

ROOT = pathlib.Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_version_matches_the_distribution_metadata() -> None:
    assert mc.__version__ == importlib.metadata.version("mentorcore")
    cmake = (ROOT / "CMakeLists.txt").read_text(encoding="utf-8")
    assert re.search(r"project\(mentorcore\s+VERSION (\S+)", cmake).group(1) == mc.__version__  # type: ignore[union-attr]


def test_public_names_are_exported() -> None:
    for name in mc.__all__:
        assert hasattr(mc, name), name
    for name in mc.calendar.__all__:
        assert hasattr(mc.calendar, name), name


def test_readme_python_examples_run_and_print_what_they_say() -> None:
    blocks = re.findall(r"```pycon\n(.*?)```", README, re.S)
    assert blocks
    parser = doctest.DocTestParser()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    session: dict[str, object] = {}  # the README is one notebook session: blocks share names
    for number, block in enumerate(blocks):
        test = parser.get_doctest(block, session, f"README pycon {number}", "README.md", 0)
        runner.run(test, clear_globs=False)
        session.update(test.globs)  # get_doctest copies the globals; carry them to the next block
    result = runner.summarize(verbose=False)
    assert result.failed == 0 and result.attempted > 5


def test_readme_cpp_example_is_the_consumer_program_that_tools_dev_builds() -> None:
    blocks = re.findall(r"```cpp\n(.*?)```", README, re.S)
    assert blocks == [(ROOT / "tests" / "consumer" / "main.cpp").read_text(encoding="utf-8")]


def test_calendar_module_docstring_examples() -> None:
    result = doctest.testmod(mc.calendar, optionflags=doctest.ELLIPSIS)
    assert result.failed == 0 and result.attempted >= 3
