#!/usr/bin/env python3
"""Regenerates docs/event-schema.json and the field tables in docs/event-schema.md from the
event field tables compiled into mentorcore (run with the project's .venv python).

`tests/python/test_interchange.py` checks that both files match what this produces.
"""

from __future__ import annotations

import json
import pathlib
from typing import Any

ROOT = pathlib.Path(__file__).resolve().parents[1]
JSON_PATH = ROOT / "docs" / "event-schema.json"
MD_PATH = ROOT / "docs" / "event-schema.md"
BEGIN = "<!-- BEGIN GENERATED EVENT TABLES -->"
END = "<!-- END GENERATED EVENT TABLES -->"
ENVELOPE = ("schema", "course", "type", "date", "recorded_by")


def describe(node: dict[str, Any], defs: dict[str, Any]) -> str:
    if "$ref" in node:
        name = node["$ref"].rsplit("/", 1)[-1]
        return {"date": "date `YYYY-MM-DD`", "id": "id", "text": "string"}[name]
    if "anyOf" in node:
        return " or ".join(describe(option, defs) for option in node["anyOf"])
    if "enum" in node:
        return "one of " + ", ".join(f"`{value}`" for value in node["enum"])
    if "const" in node:
        return f"`{node['const']}`"
    kind = node.get("type")
    if kind == "array":
        return f"list of {describe(node['items'], defs)}"
    if kind == "object":
        fields = ", ".join(
            f"{name}{'' if name in node.get('required', []) else '?'}: {describe(sub, defs)}"
            for name, sub in node["properties"].items()
        )
        return "{" + fields + "}"
    if kind == "integer" and "minimum" in node:
        return f"integer {node['minimum']}-{node['maximum']}"
    if kind == "null":
        return "null"
    return str(kind)


def tables(schema: dict[str, Any]) -> str:
    defs = schema["$defs"]
    out = []
    for variant in schema["oneOf"]:
        name = variant["title"]
        if name == "header":  # the optional first line, described in prose, not an event type
            continue
        out.append(f"### `{name}`\n")
        out.append("| field | required | value |")
        out.append("|---|---|---|")
        required = set(variant["required"])
        for field, node in variant["properties"].items():
            if field in ENVELOPE:
                continue
            mark = "yes" if field in required else "no"
            if name == "course_ordered" and field in ("citizen", "cpr"):
                mark = "one of citizen / cpr"
            out.append(f"| `{field}` | {mark} | {describe(node, defs)} |")
        out.append("")
    return "\n".join(out)


def generated() -> tuple[str, str]:
    """(the JSON Schema file's text, the Markdown file's text) as they should be."""
    from mentorcore import _core

    schema_text = _core.event_json_schema()
    markdown = MD_PATH.read_text(encoding="utf-8")
    head, rest = markdown.split(BEGIN, 1)
    _, tail = rest.split(END, 1)
    markdown = f"{head}{BEGIN}\n{tables(json.loads(schema_text))}\n{END}{tail}"
    return schema_text, markdown


if __name__ == "__main__":
    schema_text, markdown = generated()
    JSON_PATH.write_text(schema_text, encoding="utf-8")
    MD_PATH.write_text(markdown, encoding="utf-8")
    print(f"wrote {JSON_PATH.relative_to(ROOT)} and {MD_PATH.relative_to(ROOT)}")
