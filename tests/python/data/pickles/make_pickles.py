"""Writes v<version>-<name>.pkl for every object of objects.py that pickles with this version.

Run from the repository root: ``.venv/bin/python tests/python/data/pickles/make_pickles.py``.
Only run it for a new version; the files of earlier versions stay as they are.
"""

from __future__ import annotations

import pathlib
import pickle
import sys

HERE = pathlib.Path(__file__).resolve().parent
sys.path[:0] = [str(HERE), str(HERE.parents[1])]

from objects import objects  # noqa: E402

import mentorcore as mc  # noqa: E402

for name, value in objects().items():
    try:
        data = pickle.dumps(value, protocol=4)
    except Exception as error:
        print(f"{name}: does not pickle ({type(error).__name__}: {error})")
        continue
    path = HERE / f"v{mc.__version__}-{name}.pkl"
    if path.exists():
        print(f"{path.name}: exists, left as it is")
        continue
    path.write_bytes(data)
    print(f"{path.name}: {len(data)} bytes")
