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
  (date order, as `headcounts(unit_id)` lists them): the latest approved figure dated on
  or before the date, else the latest actual one;
- `leaders`: (person, role) of the unit's leadership posts on the date, in the order of
  `posts(unit_id=..., at=...)`;
- `functions`: the function keys the unit holds on the date.

Given `baseline`, the tables of a scenario's baseline on the same date, a scenario's tables
of facts its overlay barely touches are the baseline's corrected for the units it touches
(headcount: a national plan adds figures for a few thousand merged units, while reading
the whole table again through the overlay re-sorts every figure).

Besides the per-unit methods, the whole tables are public (`parent_of`, `children_of`,
`headcount_of`, `leaders_of`, `functions_of`: plain dicts) so that a pass over 200,000
units reads them with a dict lookup per unit, not a method call. Each table is built on
first use, so that a caller reading only the structure never pays for the posts; the
parent and children tables come from the same single pass over the PART_OF relations.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from functools import cached_property
from operator import attrgetter

from graph.model import LEADERSHIP_ROLES, Headcount, Relation
from graph.scenarios.state import ScenarioState
from graph.store import GraphReader

_NONE: tuple = ()
_SOURCE, _TARGET = attrgetter("source_id"), attrgetter("target_id")


class DayTables:
    """Whole-table answers of `reader` on `at` (see the module docstring)."""

    def __init__(self, reader: GraphReader, at: dt.date, baseline: "DayTables | None" = None):
        self.reader = reader
        self.at = at
        #: The tables of the state's baseline on the same date (else None: read in bulk).
        self.baseline = baseline if (
            baseline is not None and isinstance(reader, ScenarioState)
            and baseline.reader is reader.base and baseline.at == at) else None

    # -- structure ------------------------------------------------------------------------------
    @cached_property
    def _structure(self) -> tuple[dict[str, str | None], dict[str, list[str]],
                                  dict[str, list[Relation]]]:
        """(parent_of, children_of, the units with two or more PART_OF links upwards and
        those links), from one pass over the PART_OF relations valid on the date."""
        links = self.reader.all_relations(self.at, types=("PART_OF",))
        sources, targets = list(map(_SOURCE, links)), list(map(_TARGET, links))
        # each unit's target, made in C (a unit with several links gets its last one here,
        # replaced below: the order of the keys is never read)
        parent_of: dict[str, str | None] = dict(zip(sources, targets))
        several: dict[str, list[Relation]] = {}
        if len(parent_of) < len(sources):
            twice = {uid for uid, n in Counter(sources).items() if n > 1}
            for r in links:
                if r.source_id in twice:
                    several.setdefault(r.source_id, []).append(r)
            # Two links upwards on one date: the reader's own choice (a broken structure).
            parent = self.reader.parent
            for uid in several:
                parent_of[uid] = parent(uid, self.at)
        children_of: dict[str, list[str]] = {}
        get = children_of.get
        for source, target in zip(sources, targets):
            kids = get(target)
            if kids is None:
                children_of[target] = [source]
            else:
                kids.append(source)
        # Sorted and without repeats, as `children()` answers (most units have one child or
        # none: only the longer lists are sorted).
        for uid, kids in children_of.items():
            if len(kids) > 1:
                children_of[uid] = sorted(set(kids))
        return parent_of, children_of, several

    @property
    def parent_of(self) -> dict[str, str | None]:
        """unit -> its parent on the date (units without a PART_OF link upwards absent)."""
        return self._structure[0]

    @property
    def children_of(self) -> dict[str, list[str]]:
        """unit -> its children on the date, sorted (units without children absent)."""
        return self._structure[1]

    @property
    def several_parents(self) -> dict[str, list[Relation]]:
        """The units with two or more PART_OF links upwards valid on the date: the links."""
        return self._structure[2]

    def parent(self, unit_id: str) -> str | None:
        return self._structure[0].get(unit_id)

    def parents(self, unit_id: str) -> set[str]:
        """The targets of every PART_OF relation of the unit valid on the date."""
        several = self._structure[2].get(unit_id)
        if several is not None:
            return {r.target_id for r in several}
        parent = self._structure[0].get(unit_id)  # a unit with one link: its target
        return {parent} if parent is not None else set()

    def children(self, unit_id: str) -> list[str]:
        return self._structure[1].get(unit_id, [])

    # -- facts ----------------------------------------------------------------------------------
    @cached_property
    def headcount_of(self) -> dict[str, int | None]:
        """unit -> its headcount on the date (units without a figure on it absent).

        One pass over the figures in date order: the figures dated on or before the date
        are a prefix of each unit's list, and `rules.headcount_on` picks the last approved
        figure of that prefix, else its last figure."""
        at = self.at
        if self.baseline is not None and isinstance(self.reader, ScenarioState):
            return self._headcounts_over(self.baseline.headcount_of, self.reader)
        last: dict[str, Headcount] = {}
        approved: dict[str, Headcount] = {}
        for h in self.reader.headcounts(None):
            if h.date.first_day() <= at:
                last[h.unit_id] = h
                if h.basis != "actual":
                    approved[h.unit_id] = h
        out: dict[str, int | None] = {uid: h.headcount for uid, h in last.items()}
        out.update((uid, h.headcount) for uid, h in approved.items())
        return out

    def _headcounts_over(self, baseline: dict[str, int | None],
                         state: ScenarioState) -> dict[str, int | None]:
        """The baseline's table, with the units whose figures the state hides or adds
        read one by one (`headcount(unit_id, at)`: the per-unit rule itself)."""
        out = dict(baseline)
        hidden, added = state.overlay()["headcounts"]
        for uid in {h.unit_id for h in hidden} | {h.unit_id for h in added}:
            h = state.headcount(uid, self.at)
            if h is None:
                out.pop(uid, None)
            else:
                out[uid] = h.headcount
        return out

    def headcount(self, unit_id: str) -> int | None:
        return self.headcount_of.get(unit_id)

    @cached_property
    def leaders_of(self) -> dict[str, list[tuple[str, str]]]:
        """unit -> (person, role) of its leadership posts on the date (units without absent)."""
        out: dict[str, list[tuple[str, str]]] = {}
        leading = LEADERSHIP_ROLES
        for p in self.reader.posts(at=self.at):
            if p.role in leading:
                mine = out.get(p.unit_id)
                if mine is None:
                    out[p.unit_id] = [(p.person_id, p.role)]
                else:
                    mine.append((p.person_id, p.role))
        return out

    def leaders(self, unit_id: str) -> list[tuple[str, str]]:
        return list(self.leaders_of.get(unit_id, _NONE))

    @cached_property
    def functions_of(self) -> dict[str, set[str]]:
        """unit -> the function keys it holds on the date (units holding none absent)."""
        out: dict[str, set[str]] = {}
        for f in self.reader.functions(None, self.at):
            mine = out.get(f.unit_id)
            if mine is None:
                out[f.unit_id] = {f.function}
            else:
                mine.add(f.function)
        return out

    def functions(self, unit_id: str) -> set[str]:
        return self.functions_of.get(unit_id, set())
