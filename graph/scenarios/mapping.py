"""Mapping tables: which old units form which new unit, read from CSV or YAML into the rows
of a `consolidate_map` operation.

CSV, one row per new unit (`units` separated by `;`):

    new_id,new_name,units,name_en,abbr,kind,level,area,parent
    t01,Tỉnh An Sơn,p01;p07,,,,,,

or one row per old unit (the rows of one new unit share its `new_id`; its name and other
columns are taken from its first row):

    new_id,new_name,old_id
    t01,Tỉnh An Sơn,p01
    t01,Tỉnh An Sơn,p07

YAML: a list of `{new: {id, name, ...}, units: [...], parent}`, or a mapping
`{new id: {name, units, ...}}`. Every row keeps where it comes from (`file.csv:3`,
`file.yaml:12`), so that every problem names its row. The number of rows is bounded
(`graph.scenarios.operations.max_mapping_rows`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any

import yaml

from graph.errors import InvalidParameter
from graph.scenarios.operations import max_mapping_rows

NEW_FIELDS = ("name_en", "abbr", "kind", "level", "area")


def _problem(where: str, message: str, value: Any = None) -> InvalidParameter:
    return InvalidParameter(f"{where}: {message}",
                            errors=[{"field": where, "message": message,
                                     "value": None if value is None else str(value)}])


def read_mapping(path: Path | str, *, base: Path | None = None) -> list[dict[str, Any]]:
    """The rows of a mapping table file (relative paths from `base`, the plan's folder)."""
    path = Path(path)
    if not path.is_absolute() and base is not None:
        path = base / path
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise _problem(str(path), "no such mapping table") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise _problem(str(path), f"cannot read the mapping table: {exc}") from None
    name = path.name
    if path.suffix.lower() == ".csv":
        return mapping_from_csv(text, name)
    return mapping_from_yaml(text, name)


def mapping_from_csv(text: str, name: str = "mapping.csv") -> list[dict[str, Any]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise _problem(f"{name}:1", "the mapping table is empty: expected a header "
                       "new_id,new_name,units (or new_id,new_name,old_id)") from None
    known = {"new_id", "new_name", "units", "old_id", "parent", *NEW_FIELDS}
    for h in header:
        if h not in known:
            raise _problem(f"{name}:1", f"unknown column {h!r}; expected "
                           + ", ".join(sorted(known)), h)
    long = "old_id" in header
    for need in ("new_id", "new_name", "old_id" if long else "units"):
        if need not in header:
            raise _problem(f"{name}:1", f"missing column {need!r} (the header is "
                           f"{','.join(header)})")
    limit = max_mapping_rows()
    rows: list[dict[str, Any]] = []
    by_new: dict[str, dict[str, Any]] = {}
    for line, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise _problem(f"{name}:{line}", f"{len(cells)} cells; the header has "
                           f"{len(header)}")
        rec = {h: c.strip() for h, c in zip(header, cells)}
        where = f"{name}:{line}"
        if not rec["new_id"]:
            raise _problem(where, "new_id: is required")
        if long:
            row = by_new.get(rec["new_id"])
            if row is None:
                row = by_new[rec["new_id"]] = _row(rec, [], where)
                rows.append(row)
            elif rec["new_name"] and rec["new_name"] != row["new"]["name"]:
                raise _problem(where, f"new_name {rec['new_name']!r} differs from "
                               f"{row['new']['name']!r} given for {rec['new_id']} at "
                               f"{row['where']}")
            if not rec["old_id"]:
                raise _problem(where, "old_id: is required")
            row["units"].append(rec["old_id"])
        else:
            rows.append(_row(rec, [u.strip() for u in rec["units"].split(";") if u.strip()],
                             where))
        if len(rows) > limit:
            raise _problem(where, f"more than {limit} rows; the limit of a mapping table "
                           "(BOMAY_SCENARIO_MAX_MAPPING_ROWS)", len(rows))
    if not rows:
        raise _problem(f"{name}:2", "the mapping table has no rows")
    return rows


def _row(rec: dict[str, str], units: list[str], where: str) -> dict[str, Any]:
    new: dict[str, Any] = {"id": rec["new_id"], "name": rec.get("new_name", "")}
    new.update({k: rec[k] for k in NEW_FIELDS if rec.get(k)})
    out: dict[str, Any] = {"new": new, "units": units, "where": where}
    if rec.get("parent"):
        out["parent"] = rec["parent"]
    return out


def mapping_from_yaml(text: str, name: str = "mapping.yaml") -> list[dict[str, Any]]:
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise _problem(name, f"not valid YAML: {exc}") from None
    if node is None:
        raise _problem(f"{name}:1", "the mapping table is empty")
    limit = max_mapping_rows()
    rows: list[dict[str, Any]] = []
    if isinstance(data, list):
        for item, sub in zip(data, node.value):
            where = f"{name}:{sub.start_mark.line + 1}"
            if not isinstance(item, dict):
                raise _problem(where, "expected a mapping {new: {id, name}, units: [...]}",
                               item)
            rows.append({**item, "where": where})
    elif isinstance(data, dict):
        for (key_node, _), (new_id, item) in zip(node.value, data.items()):
            where = f"{name}:{key_node.start_mark.line + 1}"
            if isinstance(item, list):
                item = {"units": item}
            if not isinstance(item, dict):
                raise _problem(where, f"{new_id}: expected {{name, units: [...]}}", item)
            new = {"id": str(new_id), "name": item.get("name", "")}
            new.update({k: item[k] for k in NEW_FIELDS if item.get(k)})
            row = {"new": new, "units": item.get("units"), "where": where}
            if item.get("parent"):
                row["parent"] = item["parent"]
            extra = set(item) - {"name", "units", "parent", *NEW_FIELDS}
            if extra:
                raise _problem(where, f"unknown field {sorted(extra)[0]}; expected name, "
                               "units, parent, " + ", ".join(NEW_FIELDS))
            rows.append(row)
    else:
        raise _problem(f"{name}:1", "expected a list of rows or a mapping {new id: {name, "
                       "units}}")
    if len(rows) > limit:
        raise _problem(rows[limit]["where"], f"more than {limit} rows; the limit of a "
                       "mapping table (BOMAY_SCENARIO_MAX_MAPPING_ROWS)", len(rows))
    return rows


def expand_mappings(operations: list[Any], base: Path | None) -> list[Any]:
    """A plan's operations with each `consolidate_map` that names a `mapping` file given
    its rows (and `source`, the file's name)."""
    out = []
    for op in operations:
        if isinstance(op, dict) and op.get("op") == "consolidate_map" and "mapping" in op:
            op = dict(op)
            path = op.pop("mapping")
            if not isinstance(path, str) or not path.strip():
                raise _problem("mapping", "expected the path of a CSV or YAML mapping table",
                               path)
            op["rows"] = read_mapping(path.strip(), base=base)
            op.setdefault("source", path.strip())
        out.append(op)
    return out
