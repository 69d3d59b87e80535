"""Answers shaped from the compact rows of `graph.neo4j.cypher_answers`.

The rows are lists (id, parent, level, the unit columns, the parent relation's source,
first day and order, the figure); the answer is built from them directly, without
records in between (decoding 4,000 property maps into dataclasses and back into dicts
was most of a province subtree's time). Each answer equals what the walk over the
primitives gives (`graph.store_defaults`, `graph.queries.structure.sourced_tree`): the
contract suite compares them.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from graph.neo4j.cypher_answers import UNIT_COLUMNS

_ID, _PARENT, _LEVEL = 0, 1, 2
_COLUMNS = {c: 3 + i for i, c in enumerate(UNIT_COLUMNS)}
_FIRST_DATE = _COLUMNS["valid_from"]
_REL_SOURCE, _REL_FROM, _REL_SEQ, _FIGURE = (3 + len(UNIT_COLUMNS) + i for i in range(4))
_TEXT = tuple(_COLUMNS[c] for c in UNIT_COLUMNS if c not in ("valid_from", "valid_to"))


def _start_key(day: dt.date | None, seq: int | None) -> tuple:
    """graph.queries.provenance.parent_relation's choice among relations to one parent:
    the latest start (an open start is the earliest), the first in dataset order."""
    return (day or dt.date.min, -(seq or 0))


def _unit(row: list[Any], parent: str | None) -> dict[str, Any]:
    """`graph.queries.answers.unit_dict` of a row (empty texts for absent properties)."""
    c = _COLUMNS
    return {"id": row[_ID], "name": row[c["name"]] or "", "name_en": row[c["name_en"]] or "",
            "abbr": row[c["abbr"]] or "", "kind": row[c["kind"]] or "",
            "level": row[c["level"]] or "", "area": row[c["area"]] or "",
            "valid_from": row[c["valid_from"]], "valid_to": row[c["valid_to"]],
            "parent": parent, "note": row[c["note"]] or "", "source": row[c["source"]] or ""}


def _figure(found: list[list[Any]]) -> tuple[int | None, dict[str, Any] | None]:
    if not found:
        return None, None
    headcount, date, basis, source = found[0]
    return headcount, {"headcount": headcount, "date": date, "basis": basis or "",
                       "source": source or ""}


def sourced_subtree(answer: dict[str, Any], root_id: str, at: dt.date,
                    depth: int | None) -> dict[str, Any] | None:
    """The answer of `GraphReader.sourced_subtree` from one `answer:subtree:*` row (walked
    down to `depth + 1` levels, to count the children the depth cuts off); None when the
    root is not in it."""
    bound = depth + 1 if depth is not None else None
    first: dict[str, list[Any]] = {}
    sources: dict[str, tuple[tuple, str]] = {}
    for row in sorted(answer["rows"], key=lambda r: r[_LEVEL]):
        if bound is not None and row[_LEVEL] > bound:
            continue
        uid = row[_ID]
        kept = first.setdefault(uid, row)
        if row[_LEVEL] and row[_PARENT] == kept[_PARENT]:  # another relation to that parent
            key = _start_key(row[_REL_FROM], row[_REL_SEQ])
            if uid not in sources or key > sources[uid][0]:
                sources[uid] = (key, row[_REL_SOURCE] or "")
    if root_id not in first:
        return None
    kids: dict[str, list[str]] = {}
    for uid, row in first.items():
        if row[_LEVEL] > 0:
            kids.setdefault(row[_PARENT], []).append(uid)
    # the former name on `at` of each unit: the first of its names in unit_names order
    former: dict[str, tuple[tuple, list[Any]]] = {}
    for name in answer["names"]:
        key = (name[4] or dt.date.min, name[5])
        if name[0] not in former or key < former[name[0]][0]:
            former[name[0]] = (key, name)
    up = sorted(answer["up"], key=lambda r: r[1])  # the root's relations in dataset order
    root_parent = up[0][0] if up else None
    root_source = None
    if root_parent is not None:
        best = max((r for r in up if r[0] == root_parent), key=lambda r: _start_key(r[2], r[1]))
        root_source = best[3] or ""

    def node(uid: str, parent: str | None, level: int) -> dict[str, Any]:
        row = first[uid]
        info = _unit(row, parent)
        if uid in former:
            _, name = former[uid]
            info.update(name=name[1] or "", name_en=name[2] or info["name_en"], abbr=name[3] or "",
                        area=name[6] or info["area"])
        headcount, detail = _figure(row[_FIGURE])
        return {"unit": info, "headcount": headcount, "child_count": len(kids.get(uid, ())),
                "children": [],
                "parent_source": (root_source if level == 0 else sources[uid][1])
                if parent is not None else None,
                "headcount_detail": detail}

    # iteratively (a hierarchy may be deeper than Python's recursion limit)
    tree = node(root_id, root_parent, 0)
    stack = [(tree, root_id, 0)]
    while stack:
        out, uid, level = stack.pop()
        if depth is not None and level >= depth:
            continue
        for k in sorted(kids.get(uid, ())):
            child = node(k, uid, level + 1)
            out["children"].append(child)
            stack.append((child, k, level + 1))
    return tree
