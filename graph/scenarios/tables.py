"""`DayTables`: a reader's structure on one date, read once as whole tables.

The impact report of a national plan reads every unit of the country (its parent, children,
headcount, leaders and functions) in the baseline and in the scenario: asking the reader
unit by unit costs one overlay correction per call (hundreds of thousands of them), while
the same answers come from one pass over the reader's bulk answers (`all_relations`,
`headcounts()`, `posts()`, `functions()` without a unit: protocol methods every backend
has). Each answer equals the per-unit method's (same records, same order):

- `parent`: the target of the unit's one PART_OF relation valid on the date (a unit with
  two, a broken structure the report warns about, is asked of the reader: which one a
  reader names first is its own order);
- `children`: the sorted ids of the sources of PART_OF relations to the unit valid on it;
- `headcount`: `rules.headcount_on` over the unit's figures in the bulk answer's order
  (date order, as `headcounts(unit_id)` lists them);
- `leaders`: (person, role) of the unit's leadership posts on the date, in the order of
  `posts(unit_id=..., at=...)`;
- `functions`: the function keys the unit holds on the date.

Tables are built lazily, each on first use, so that a caller reading only the structure
never pays for the posts.
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property
from operator import attrgetter

from graph import rules
from graph.model import LEADERSHIP_ROLES, Headcount, Relation
from graph.store import GraphReader

_NONE: tuple = ()
_ORDER = rules.relation_order_key


class DayTables:
    """Whole-table answers of `reader` on `at` (see the module docstring)."""

    def __init__(self, reader: GraphReader, at: dt.date):
        self.reader = reader
        self.at = at

    # -- structure ------------------------------------------------------------------------------
    @cached_property
    def _part_of(self) -> list[Relation]:
        return self.reader.all_relations(self.at, types=("PART_OF",))

    @cached_property
    def _out(self) -> dict[str, list[Relation]]:
        """unit -> its PART_OF relations upwards valid on the date, in relation order."""
        out: dict[str, list[Relation]] = {}
        for r in self._part_of:
            mine = out.get(r.source_id)
            if mine is None:
                out[r.source_id] = [r]
            else:
                mine.append(r)
        for mine in out.values():
            if len(mine) > 1:
                mine.sort(key=_ORDER)
        return out

    @cached_property
    def _parents(self) -> dict[str, str | None]:
        parent = self.reader.parent
        return {uid: rels[0].target_id if len(rels) == 1 else parent(uid, self.at)
                for uid, rels in self._out.items()}

    @cached_property
    def _children(self) -> dict[str, list[str]]:
        sets: dict[str, set[str]] = {}
        for r in self._part_of:
            mine = sets.get(r.target_id)
            if mine is None:
                sets[r.target_id] = {r.source_id}
            else:
                mine.add(r.source_id)
        return {uid: sorted(ids) for uid, ids in sets.items()}

    def parent(self, unit_id: str) -> str | None:
        return self._parents.get(unit_id)

    def parents(self, unit_id: str) -> set[str]:
        """The targets of every PART_OF relation of the unit valid on the date."""
        return {r.target_id for r in self._out.get(unit_id, _NONE)}

    def children(self, unit_id: str) -> list[str]:
        return self._children.get(unit_id, [])

    # -- facts ----------------------------------------------------------------------------------
    @cached_property
    def _headcounts(self) -> dict[str, list[Headcount]]:
        by_unit: dict[str, list[Headcount]] = {}
        for h in self.reader.headcounts(None):
            mine = by_unit.get(h.unit_id)
            if mine is None:
                by_unit[h.unit_id] = [h]
            else:
                mine.append(h)
        return by_unit

    def headcount(self, unit_id: str) -> int | None:
        h = rules.headcount_on(self._headcounts.get(unit_id, _NONE), self.at)
        return h.headcount if h else None

    @cached_property
    def _leaders(self) -> dict[str, list[tuple[str, str]]]:
        out: dict[str, list[tuple[str, str]]] = {}
        for p in self.reader.posts(at=self.at):
            if p.role in LEADERSHIP_ROLES:
                out.setdefault(p.unit_id, []).append((p.person_id, p.role))
        return out

    def leaders(self, unit_id: str) -> list[tuple[str, str]]:
        return list(self._leaders.get(unit_id, _NONE))

    @cached_property
    def _functions(self) -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        unit, key = attrgetter("unit_id"), attrgetter("function")
        for f in self.reader.functions(None, self.at):
            out.setdefault(unit(f), set()).add(key(f))
        return out

    def functions(self, unit_id: str) -> set[str]:
        return self._functions.get(unit_id, set())
