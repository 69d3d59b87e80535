"""The warning an operation gives when it leaves two units of one name under one parent.

A territorial reform brings bodies and areas of several areas under one parent: a
district level dissolved puts every commune under the province, two provinces merged put
their communes side by side, and communes of one name (Xã Tân Lập of two districts) then
stand under one parent, told apart by id only. Planners rename one of them in the same
plan (the 2025 reform renamed such communes), so the log says which, as of the date:
only names shared with a unit that arrived under that parent in this operation (moved
there or started there), never a clash the baseline already had.
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from typing import Iterable

from graph.queries.provenance import name_on
from graph.store import GraphReader

#: How many shared names a warning lists before "and N more".
SHOWN = 5
_PART_OF = ("PART_OF",)


def name_key(name: str) -> str:
    """A name as two spellings of it compare: NFC, case folded, spaces collapsed."""
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


def arrivals(reader: GraphReader, moved: Iterable[tuple[str, str | None, str | None]],
             started: Iterable[str], day: dt.date) -> dict[str, set[str]]:
    """parent -> the units that came under it on `day`: moved there, or started there."""
    out: dict[str, set[str]] = {}
    for unit, _, parent in moved:
        if parent:
            out.setdefault(parent, set()).add(unit)
    for unit in started:
        for rel in reader.relations(unit, day, types=_PART_OF, direction="out"):
            out.setdefault(rel.target_id, set()).add(unit)
    return out


def same_names(reader: GraphReader, came: dict[str, set[str]],
               day: dt.date) -> list[tuple[str, str, list[str]]]:
    """(parent, name, the units bearing it) for each name two units under one parent bear
    on `day`, one of which is among those that came under it; sorted by parent, name."""
    out = []
    for parent in sorted(came):
        by_name: dict[str, list[tuple[str, str]]] = {}
        for child in reader.children(parent, day):
            unit = reader.get_unit(child)
            if unit is None:
                continue
            named, _ = name_on(reader, unit, day)
            by_name.setdefault(name_key(named.name), []).append((child, named.name))
        new = came[parent]
        for _, bearers in sorted(by_name.items()):
            if len(bearers) > 1 and any(uid in new for uid, _ in bearers):
                out.append((parent, bearers[0][1], sorted(uid for uid, _ in bearers)))
    return out


def _named(reader: GraphReader, unit_id: str, day: dt.date) -> str:
    """`Name (id)` as of `day`, or the id of a unit the reader does not know."""
    unit = reader.get_unit(unit_id)
    return f"{name_on(reader, unit, day)[0].name} ({unit_id})" if unit else unit_id


def same_name_warning(reader: GraphReader, moved: Iterable[tuple[str, str | None, str | None]],
                      started: Iterable[str], day: dt.date) -> str | None:
    """The warning for the names an operation made shared under one parent, or None."""
    clashes = same_names(reader, arrivals(reader, moved, started, day), day)
    if not clashes:
        return None
    shown = "; ".join(f"{name!r} under {_named(reader, parent, day)}: {', '.join(units)}"
                      for parent, name, units in clashes[:SHOWN])
    more = f"; and {len(clashes) - SHOWN} more" if len(clashes) > SHOWN else ""
    many = len(clashes) > 1
    return (f"{len(clashes)} {'names are' if many else 'name is'} now borne by more than one "
            f"unit under one parent: {shown}{more} (rename one of each, e.g. with a "
            "`rename` operation, so that they are told apart by name)")
