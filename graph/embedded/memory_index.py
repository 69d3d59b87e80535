"""`StructureIndex`: the tree, lifetimes, headcounts and posts of one baseline as day numbers.

The in-memory baseline (`graph.embedded.memory.MemoryGraph`) never changes once built: a load
makes a new one. Its capabilities that walk many units (subtrees, roots, scopes, stats;
see `graph.store.GraphReader`) are answered from this index, built once on first use
(`MemoryGraph.structure_index`) and dropped with the graph it was built from, where every
validity test is a comparison of two integers (a *day number*, `date.toordinal()`)
instead of a dataclass walk. Other readers answer through `graph.store.ReaderDefaults`.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections import defaultdict
from typing import TYPE_CHECKING, Any

from graph import rules
from graph.dates import PartialDate
from graph.embedded.gc_pause import paused_gc
from graph.model import Unit
from graph.store_defaults import breadth_first

if TYPE_CHECKING:
    from graph.embedded.memory import MemoryGraph
    from graph.store import GraphReader

#: Day numbers of open bounds: before and after every real date.
OPEN_LO = 0
OPEN_HI = dt.date.max.toordinal() + 1

_LOCK = threading.Lock()


def day_number(at: dt.date) -> int:
    """The integer the index compares dates as (`date.toordinal()`)."""
    return at.toordinal()


class StructureIndex:
    """Per-unit integer intervals: `life[uid] = (lo, hi)`, `kids[uid] = [(child, lo, hi)]`
    (by child id), `parents[uid] = [(parent, lo, hi)]`, `figures[uid] = (day numbers,
    headcounts)`: the step function of `graph.rules.headcount_steps`, and
    `posts = [(person_id, lo, hi)]`; bounds half-open."""

    def __init__(self, graph: MemoryGraph):
        ordinal: dict[PartialDate, int] = {}

        def lo(value: PartialDate | None) -> int:
            if value is None:
                return OPEN_LO
            n = ordinal.get(value)
            if n is None:
                n = ordinal[value] = value.first_day().toordinal()
            return n

        def hi(value: PartialDate | None) -> int:
            return OPEN_HI if value is None else lo(value)

        data = graph.dataset()
        self.units: dict[str, Unit] = {u.id: u for u in data.units}
        text: dict[PartialDate, str] = {}

        def show(value: PartialDate | None) -> str | None:
            if value is None:
                return None
            shown = text.get(value)
            if shown is None:
                shown = text[value] = str(value)
            return shown

        #: Each unit as `graph.queries.answers.unit_dict` gives it with parent None: answers copy
        #: it (a dict copy is a fraction of the cost of building one) and set the parent.
        self.rows: dict[str, dict[str, Any]] = {
            u.id: {"id": u.id, "name": u.name, "name_en": u.name_en, "abbr": u.abbr,
                   "kind": u.kind, "level": u.level, "area": u.area,
                   "valid_from": show(u.valid_from), "valid_to": show(u.valid_to),
                   "parent": None, "note": u.note, "source": u.source} for u in data.units}
        self.life: dict[str, tuple[int, int]] = {u.id: (lo(u.valid_from), hi(u.valid_to))
                                                 for u in data.units}
        kids: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        parents: dict[str, list[tuple[str, int, int]]] = defaultdict(list)
        for r in data.relations:
            if r.type == "PART_OF":
                span = (lo(r.valid_from), hi(r.valid_to))
                kids[r.target_id].append((r.source_id, *span))
                parents[r.source_id].append((r.target_id, *span))
        for lst in kids.values():
            lst.sort()
        area: dict[str, set[str]] = defaultdict(set)
        for u in data.units:
            if u.area:
                area[u.area].add(u.id)
        #: unit -> (first day, end day, area) of its name rows, for the units with a dated
        #: area (a names.csv row with an `area`): listed under each area they had.
        self.dated_area: dict[str, list[tuple[int, int, str]]] = {}
        for uid, rows in rules.moved_units(data.names).items():
            if uid not in self.units:
                continue
            for n in rows:
                a = n.area or self.units[uid].area
                self.dated_area.setdefault(uid, []).append((lo(n.valid_from), hi(n.valid_to), a))
                if a:
                    area[a].add(uid)
        self.area = {k: sorted(v) for k, v in area.items()}
        self.kids = dict(kids)
        self.parents = dict(parents)
        by_unit = defaultdict(list)
        for h in sorted(data.headcounts, key=rules.headcount_order_key):
            by_unit[h.unit_id].append(h)
        self.figures: dict[str, tuple[list[int], list[int]]] = {}
        for uid, own in by_unit.items():
            steps = rules.headcount_steps(own)
            self.figures[uid] = ([day.toordinal() for day, _ in steps],
                                 [h.headcount for _, h in steps])
        self.posts = [(p.person_id, lo(p.valid_from), hi(p.valid_to)) for p in data.posts]
        self._aggregates: _Aggregates | None = None

    def unit_dict(self, unit_id: str, parent: str | None) -> dict[str, Any]:
        """`graph.queries.answers.unit_dict` of a unit, from its pre-rendered row (a new dict)."""
        out = self.rows[unit_id].copy()
        out["parent"] = parent
        return out

    def alive(self, unit_id: str, d: int) -> bool:
        span = self.life.get(unit_id)
        return span is not None and span[0] <= d < span[1]

    def children(self, unit_id: str, d: int) -> list[str]:
        """Children on day `d` that exist that day, by id."""
        life = self.life
        out = []
        for kid, lo, hi in self.kids.get(unit_id, ()):
            if lo <= d < hi:
                span = life.get(kid)
                if span is not None and span[0] <= d < span[1]:
                    out.append(kid)
        return out

    def in_area(self, unit_id: str, d: int) -> list[str]:
        """The units whose `area` on day `d` is `unit_id` that exist that day, by id."""
        life, dated = self.life, self.dated_area
        return [u for u in self.area.get(unit_id, ()) if life[u][0] <= d < life[u][1]
                and (u not in dated or self.area_on(u, d) == unit_id)]

    def area_on(self, unit_id: str, d: int) -> str:
        """The unit's area on day `d`: its name row's that day (names.csv), else its own."""
        for start, end, area in self.dated_area.get(unit_id, ()):
            if start <= d < end:
                return area
        return self.units[unit_id].area

    def parent(self, unit_id: str, d: int) -> str | None:
        for parent, lo, hi in self.parents.get(unit_id, ()):
            if lo <= d < hi:
                return parent
        return None

    def figure(self, unit_id: str, d: int) -> int | None:
        """The unit's headcount on day `d` (`graph.rules.headcount_steps`), or None."""
        steps = self.figures.get(unit_id)
        if steps is None:
            return None
        i = bisect.bisect_right(steps[0], d)
        return steps[1][i - 1] if i else None

    def ancestors(self, unit_id: str, d: int) -> list[str]:
        return rules.ancestor_ids(lambda uid: self.parent(uid, d), unit_id)

    def roots(self, d: int) -> list[str]:
        """The units alive on day `d` without a parent that day, by id."""
        return sorted(uid for uid, (lo, hi) in self.life.items()
                      if lo <= d < hi and self.parent(uid, d) is None)

    def scope(self, root_id: str, d: int) -> list[str]:
        """`graph.store.GraphReader.scope` on day `d`."""
        return breadth_first(root_id, lambda uid: self.children(uid, d) + self.in_area(uid, d))

    def subtree(self, root_id: str, d: int, depth: int | None) -> dict[str, Any]:
        """`graph.store.GraphReader.subtree` on day `d` (the root exists that day)."""
        life, kids, figures = self.life, self.kids, self.figures
        as_dict, figure = self.unit_dict, self.figure
        root_node: dict[str, Any] = {"unit": as_dict(root_id, self.parent(root_id, d)),
                     "headcount": figure(root_id, d), "child_count": 0, "children": []}
        seen = {root_id}
        limit = -1 if depth is None else depth
        stack: list[tuple[dict[str, Any], str, int]] = [(root_node, root_id, 0)]
        pop, push = stack.pop, stack.append
        while stack:
            node, uid, level = pop()
            found = []
            for kid, lo, hi in kids.get(uid, ()):
                if lo <= d < hi and kid not in seen:
                    span = life.get(kid)
                    if span is not None and span[0] <= d < span[1]:
                        found.append(kid)
            node["child_count"] = len(found)
            if level == limit:
                continue
            seen.update(found)
            children = node["children"]
            for kid in found:
                child: dict[str, Any] = {"unit": as_dict(kid, uid),
                         "headcount": figure(kid, d) if kid in figures else None,
                         "child_count": 0, "children": []}
                children.append(child)
                push((child, kid, level + 1))
        return root_node

    def stats_counts(self, d: int) -> dict[str, Any]:
        """National counts on day `d` from the step functions: units by (kind, level),
        headcount total and units with a figure, people with posts and with concurrent
        posts, and the first `sample` people (by id) holding concurrent posts."""
        if self._aggregates is None:
            with _LOCK:
                if self._aggregates is None:
                    with paused_gc(freeze=True):
                        self._aggregates = _Aggregates(self)
        return self._aggregates.at(d)


class StepFunctions:
    """Integer step functions of the day, one per key, from (day, key, delta) changes:
    `at(d)` is every key's sum of the deltas dated on or before `d` (a binary search)."""

    def __init__(self, changes: list[tuple[int, Any, int]]):
        changes.sort(key=lambda c: c[0])
        self.days: list[int] = []
        self.values: list[dict[Any, int]] = []
        running: dict[Any, int] = defaultdict(int)
        i, n = 0, len(changes)
        while i < n:
            today = changes[i][0]
            while i < n and changes[i][0] == today:
                running[changes[i][1]] += changes[i][2]
                i += 1
            self.days.append(today)
            self.values.append({k: v for k, v in running.items() if v})

    def at(self, d: int) -> dict[Any, int]:
        i = bisect.bisect_right(self.days, d) - 1
        return self.values[i] if i >= 0 else {}


def _steps(points: list[tuple[int, int]], lo: int, hi: int) -> list[tuple[int, int]]:
    """(day, delta) changes of a function given as (day, value) points, zero outside [lo, hi)."""
    out, previous = [], 0
    for when, value in points:
        if when >= hi:
            break
        when = max(when, lo)
        if value != previous:
            out.append((when, value - previous))
            previous = value
    if previous and hi < OPEN_HI:
        out.append((hi, -previous))
    return out


class _Aggregates:
    """The step functions behind national `stats` (built once per index)."""

    SAMPLE = 20

    def __init__(self, index: StructureIndex):
        units: list[tuple[int, Any, int]] = []
        for uid, (lo, hi) in index.life.items():
            row = index.rows[uid]
            key = (row["kind"], row["level"])
            units.append((lo, key, 1))
            if hi < OPEN_HI:
                units.append((hi, key, -1))
        self.units = StepFunctions(units)
        heads: list[tuple[int, Any, int]] = []
        for uid, (figure_days, _) in index.figures.items():
            lo, hi = index.life.get(uid, (OPEN_LO, OPEN_LO))
            days = sorted({lo, *figure_days})
            points = [(when, index.figure(uid, when)) for when in days]
            for when, delta in _steps([(w, v or 0) for w, v in points], lo, hi):
                heads.append((when, "total", delta))
            for when, delta in _steps([(w, int(v is not None)) for w, v in points], lo, hi):
                heads.append((when, "units", delta))
        self.headcount = StepFunctions(heads)
        by_person: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for person, lo, hi in index.posts:
            by_person[person].append((lo, 1))
            if hi < OPEN_HI:
                by_person[person].append((hi, -1))
        people: list[tuple[int, Any, int]] = []
        #: (person id, [(lo, hi, posts held)]) of the people who ever held posts at once.
        self.concurrent: list[tuple[str, list[tuple[int, int, int]]]] = []
        for person, changes in by_person.items():
            changes.sort()
            held_at: list[tuple[int, int]] = []
            held = 0
            for i, (when, delta) in enumerate(changes):
                held += delta
                if i + 1 == len(changes) or changes[i + 1][0] != when:
                    held_at.append((when, held))
            for when, delta in _steps([(w, int(h >= 1)) for w, h in held_at], OPEN_LO, OPEN_HI):
                people.append((when, "with_posts", delta))
            for when, delta in _steps([(w, int(h >= 2)) for w, h in held_at], OPEN_LO, OPEN_HI):
                people.append((when, "concurrent", delta))
            periods = [(w, held_at[i + 1][0] if i + 1 < len(held_at) else OPEN_HI, h)
                       for i, (w, h) in enumerate(held_at) if h >= 2]
            if periods:
                self.concurrent.append((person, periods))
        self.concurrent.sort()
        self.people = StepFunctions(people)

    def at(self, d: int) -> dict[str, Any]:
        sample = []
        for person, periods in self.concurrent:
            held = next((h for lo, hi, h in periods if lo <= d < hi), 0)
            if held:
                sample.append((person, held))
                if len(sample) >= self.SAMPLE:
                    break
        heads, people = self.headcount.at(d), self.people.at(d)
        return {"by_kind_level": self.units.at(d), "headcount": heads.get("total", 0),
                "units_with_figure": heads.get("units", 0),
                "people_with_posts": people.get("with_posts", 0),
                "people_with_concurrent_posts": people.get("concurrent", 0),
                "concurrent_sample": sample}


def warm(reader: "GraphReader") -> None:
    """Build what the first requests of `reader` would otherwise wait for (`GraphReader.warm`:
    for the in-memory baseline, its indexes, step functions and search index); kept here
    for the callers written against it."""
    reader.warm()
