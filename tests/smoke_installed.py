"""Run by `tools/dev test` with the Python of a fresh virtual environment into which the
repaired wheel from build/wheelhouse has just been installed (`pip install <wheel>`): proves the
installed package imports and runs the README examples outside the source tree. It works the same
after `pip install .`."""

from __future__ import annotations

import datetime
import doctest
import pathlib
import re
import sys

import mentorcore
from mentorcore import calendar

readme = pathlib.Path(__file__).resolve().parents[1] / "README.md"
package_dir = pathlib.Path(mentorcore.__file__).resolve().parent
assert "site-packages" in package_dir.parts, f"mentorcore imported from {package_dir}, not the venv"
assert calendar.add_working_days(datetime.date(2026, 12, 18), 10) == datetime.date(2027, 1, 7)

blocks = re.findall(r"```pycon\n(.*?)```", readme.read_text(encoding="utf-8"), re.S)
parser = doctest.DocTestParser()
runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
session: dict[str, object] = {}  # the README is one notebook session: blocks share names
for number, block in enumerate(blocks):
    test = parser.get_doctest(block, session, f"README.md pycon block {number}", str(readme), 0)
    runner.run(test, clear_globs=False)
    session.update(test.globs)  # get_doctest copies the globals; carry them to the next block
failed, attempted = runner.summarize(verbose=False)
if failed or not attempted:
    sys.exit(f"README examples: {failed} of {attempted} failed")
print(
    f"fresh install of mentorcore {mentorcore.__version__} from {package_dir}: "
    f"{attempted} README examples passed"
)
