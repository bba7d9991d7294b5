"""``schema``: print the JSON Schema of an event-log line."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from .. import _core


def add_parser(commands: Any) -> None:
    parser = commands.add_parser("schema", help="print the JSON Schema of an event-log line")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    sys.stdout.write(_core.event_json_schema())
    return 0
