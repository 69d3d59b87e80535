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

Old units may be named by name, as the annexes of a resolution name them: a `names` column
(`;` between the names) beside or instead of `units`, an `old_name` column beside or
instead of `old_id` (one of the two on each line), and an optional `within` column (the
district or province they lie in, by id or name; a name may also carry it in brackets,
`Tân Lập (Huyện Yên Sơn)`). Names are found when the operation is applied
(`graph.scenarios.mapping_names`).

    new_id,new_name,names,within
    x01,Xã Tân Lập,Tân Lập;Tân Tiến;xã Hòa Bình,Huyện Yên Sơn

YAML: a list of `{new: {id, name, ...}, units: [...], names: [...], within, parent}`, or a
mapping `{new id: {name, units, names, within, ...}}`. Every row keeps where it comes from
(`file.csv:3`, `file.yaml:12`), so that every problem names its row. The number of rows is bounded
(`graph.scenarios.operations.max_mapping_rows`).
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Mapping

import yaml

from graph.errors import InvalidParameter
from graph.scenarios.operations import max_mapping_rows
from graph.scenarios.plan_lines import (InvalidUTF8, PlanTooLarge, compose_plan, decode_text,
                                        read_table_bytes)

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
        text = decode_text(read_table_bytes(path, path.name), path.name)
    except PlanTooLarge as exc:
        raise _problem(path.name, exc.message, exc.value) from None
    except FileNotFoundError:
        raise _problem(str(path), "no such mapping table") from None
    except InvalidUTF8 as exc:
        raise _problem(f"{path.name}:{exc.line}", f"column {exc.column}: {exc.message}",
                       exc.found) from None
    except OSError as exc:
        raise _problem(str(path), f"cannot read the mapping table: {exc.strerror or exc}") \
            from None
    return mapping_from_text(text, path)


def mapping_from_text(text: str, path: Path | str) -> list[dict[str, Any]]:
    """The rows of a mapping table's text: CSV if `path` (where it was read from) ends in
    `.csv`, else YAML; each row's `where` names the file by its name."""
    path = Path(path)
    if path.suffix.lower() == ".csv":
        return mapping_from_csv(text, path.name)
    return mapping_from_yaml(text, path.name)


def mapping_from_csv(text: str, name: str = "mapping.csv") -> list[dict[str, Any]]:
    reader = csv.reader(io.StringIO(text))
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise _problem(f"{name}:1", "the mapping table is empty: expected a header "
                       "new_id,new_name,units (or new_id,new_name,old_id)") from None
    known = {"new_id", "new_name", "units", "names", "old_id", "old_name", "within",
             "parent", *NEW_FIELDS}
    for i, h in enumerate(header):
        if h not in known:
            raise _problem(f"{name}:1", f"unknown column {h!r}; expected "
                           + ", ".join(sorted(known)), h)
        if h in header[:i]:  # the last would silently win over the first
            raise _problem(f"{name}:1", f"column {h!r} given twice (columns "
                           f"{header.index(h) + 1} and {i + 1}): expected each column once", h)
    long = "old_id" in header or "old_name" in header
    for need in ("new_id", "new_name"):
        if need not in header:
            raise _problem(f"{name}:1", f"missing column {need!r} (the header is "
                           f"{','.join(header)})")
    if not long and "units" not in header and "names" not in header:
        raise _problem(f"{name}:1", "missing column 'units' (or 'names'; or 'old_id' or "
                       f"'old_name', one line per old unit) (the header is {','.join(header)})")
    if long and ("units" in header or "names" in header):
        raise _problem(f"{name}:1", "give units/names (one row per new unit) or "
                       "old_id/old_name (one row per old unit), not both")
    limit = max_mapping_rows()
    rows: list[dict[str, Any]] = []
    by_new: dict[str, dict[str, Any]] = {}
    end = reader.line_num  # a quoted cell may span lines: a row starts after the last ends
    for cells in reader:
        line, end = end + 1, reader.line_num
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
            old_id, old_name = rec.get("old_id", ""), rec.get("old_name", "")
            if old_id:
                row["units"].append(old_id)
                if old_name:  # both: the name is checked against the id's, on the date
                    row["unit_names"].append([old_id, _bracketed(old_name, rec.get("within", "")),
                                              where])
            elif old_name:
                row["names"].append(old_name)
                row["names_where"].append(where)
                row["within_by_line"].append(rec.get("within", ""))
            else:
                raise _problem(where, ("old_id or old_name" if "old_name" in header
                                       else "old_id") + ": is required")
        else:
            rows.append(_row(rec, _split(rec.get("units", "")), where,
                             _split(rec.get("names", ""))))
        if len(rows) > limit:
            raise _problem(where, f"more than {limit} rows; the limit of a mapping table "
                           "(BOMAY_SCENARIO_MAX_MAPPING_ROWS)", len(rows))
    if not rows:
        raise _problem(f"{name}:2", "the mapping table has no rows")
    if long:
        for row in rows:
            _within_of_lines(row)
    return rows


def _split(cell: str) -> list[str]:
    return [u.strip() for u in cell.split(";") if u.strip()]


def _row(rec: dict[str, str], units: list[str], where: str,
         names: list[str] | None = None) -> dict[str, Any]:
    new: dict[str, Any] = {"id": rec["new_id"], "name": rec.get("new_name", "")}
    new.update({k: rec[k] for k in NEW_FIELDS if rec.get(k)})
    out: dict[str, Any] = {"new": new, "units": units, "where": where}
    if names is None:  # one line per old unit: the names come line by line
        out.update(names=[], names_where=[], within_by_line=[], unit_names=[])
    elif names:
        out["names"] = names
    if rec.get("within") and (names is None or names):
        out["within"] = rec["within"]
    if rec.get("parent"):
        out["parent"] = rec["parent"]
    return out


def _within_of_lines(row: dict[str, Any]) -> None:
    """One line per old unit: the lines' `within` as the row's when they all give the
    same, else each name with its own in brackets (`Tân Lập (Huyện Yên Sơn)`)."""
    lines = row.pop("within_by_line")
    row.pop("within", None)
    if not row["unit_names"]:
        del row["unit_names"]
    if not row["names"]:
        del row["names"], row["names_where"]
        return
    if len(set(lines)) == 1:
        if lines[0]:
            row["within"] = lines[0]
        return
    row["names"] = [_bracketed(n, w) for n, w in zip(row["names"], lines)]


def _bracketed(name: str, within: str) -> str:
    """`Tân Lập`, `Huyện Yên Sơn` -> `Tân Lập (Huyện Yên Sơn)` (added to a bracket there)."""
    if not within:
        return name
    return f"{name.rstrip()[:-1]}, {within})" if name.rstrip().endswith(")") \
        else f"{name} ({within})"


def mapping_from_yaml(text: str, name: str = "mapping.yaml") -> list[dict[str, Any]]:
    try:
        # the plan files' reader: a duplicate new id (a key written twice), an alias bomb
        node, data = compose_plan(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise _problem(f"{name}:{mark.line + 1}" if mark else name,
                       f"not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
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
            for key in ("names", "within", "parent"):
                if item.get(key):
                    row[key] = item[key]
            extra = set(item) - {"name", "units", "names", "within", "parent", *NEW_FIELDS}
            if extra:
                raise _problem(where, f"unknown field {sorted(extra)[0]}; expected name, "
                               "units, names, within, parent, " + ", ".join(NEW_FIELDS))
            rows.append(row)
    else:
        raise _problem(f"{name}:1", "expected a list of rows or a mapping {new id: {name, "
                       "units}}")
    if len(rows) > limit:
        raise _problem(rows[limit]["where"], f"more than {limit} rows; the limit of a "
                       "mapping table (BOMAY_SCENARIO_MAX_MAPPING_ROWS)", len(rows))
    return rows


def mapping_paths(operations: Any) -> list[str]:
    """The mapping table files a plan's operations name (`mapping:`), as written (stripped),
    each once, in their order."""
    out: dict[str, None] = {}
    for op in operations if isinstance(operations, list) else ():
        if isinstance(op, dict) and op.get("op") == "consolidate_map":
            path = op.get("mapping")
            if isinstance(path, str) and path.strip():
                out[path.strip()] = None
    return list(out)


def expand_mappings(operations: list[Any], base: Path | None,
                    tables: Mapping[str, str] | None = None, *, start: int = 1) -> list[Any]:
    """A plan's operations with each `consolidate_map` that names a `mapping` file given
    its rows (and `source`, the file's name): the file's text from `tables` (path as
    written -> text; a dataset's plan keeps its tables so) when given, else the file read
    relative to `base`. A problem of a table names its operation (numbered from `start`),
    so that a plan file's problem says the operation's line."""
    out = []
    for number, op in enumerate(operations, start):
        try:
            out.append(_expanded(op, base, tables))
        except InvalidParameter as exc:
            if exc.detail.startswith("operation "):
                raise
            # the operation's number, for the plan's line (`plan.yaml:7: operation 2
            # (consolidate_map): nope.csv: ...`)
            label = f"operation {number} (consolidate_map)"
            raise InvalidParameter(f"{label}: {exc.detail}", errors=[
                dict(e, operation=e.get("operation", label)) for e in exc.errors]) from None
    return out


def _expanded(op: Any, base: Path | None, tables: Mapping[str, str] | None) -> Any:
    """One operation, a `consolidate_map` naming its table given the table's rows."""
    if isinstance(op, dict) and op.get("op") == "consolidate_map" and "mapping" in op:
        op = dict(op)
        path = op.pop("mapping")
        if "rows" in op:  # the table would silently replace the rows written
            raise _problem("mapping", "give rows or a mapping table, not both", path)
        if not isinstance(path, str) or not path.strip():
            raise _problem("mapping", "expected the path of a CSV or YAML mapping table",
                           path)
        path = path.strip()
        if tables is None:
            op["rows"] = read_mapping(path, base=base)
        elif path in tables:
            op["rows"] = mapping_from_text(tables[path], path)
        else:
            raise _problem(path, "no such mapping table")
        op.setdefault("source", path)
    return op
