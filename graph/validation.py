"""The cross-file rules of the data contract, and the effective intervals events imply.

Pure functions over records (each with the line it was read from) that add every
problem found to a `ProblemCollector` and return the effective `Dataset`. The CSV
loader and the scenario commit share them, so a committed scenario obeys exactly the
rules a loaded folder does. Rules: ids fit the contract's alphabet; references
resolve; each event has the shape of its type; events agree with unit lifetimes (a
unit ended by MERGE/CONSOLIDATE/DISSOLVE/SPLIT ends on the event's date, at most
once); relations, functions, posts and headcount lie in their units' lifetimes (open
bounds are clipped to it); PART_OF has at most one parent at any date and no cycle.

Each problem names file, line, column and field, the value found and what was
expected. The column comes from `locate(file, field)`: the loader passes the
header's position, a dataset that never was a file gets the contract's order.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from collections import defaultdict
from operator import attrgetter
from typing import Any, Callable, Iterable

import networkx as nx

from graph.contract import (BY_FILE, BY_TABLE, DISJOINT_EVENTS, ENDING_EVENTS, EVENT_SHAPES,
                            FILES, FUNCTION_KEYS, ID_PATTERN, ID_RULE, REFERENCE_NAMES, STARTING_EVENTS,
                            valid_id)
from graph.dates import PartialDate
from graph.errors import Problem, ProblemCollector
from graph.model import Dataset, Event, Function, Post, Relation, Unit, UnitName

_MIN, _MAX = dt.date.min, dt.date.max
#: The kinds of the territorial units an `area` (units.csv, names.csv) may name.
AREA_KINDS = frozenset({"province", "district", "commune"})

#: Records of each file (by file name) with the line each was read from.
Records = dict[str, list[tuple[int, Any]]]
#: (file, field) -> the 1-based column of `field` in `file`, None when unknown.
Locate = Callable[[str, str], "int | None"]


def contract_column(file: str, field: str) -> int | None:
    """The column of `field` in the contract's order (how `bomay export` writes it)."""
    spec = BY_FILE.get(file)
    return spec.position(field) if spec else None


def _lo(d: PartialDate | None) -> dt.date:
    return d.first_day() if d else _MIN


def _hi(d: PartialDate | None) -> dt.date:
    return d.first_day() if d else _MAX


class _Reporter:
    __slots__ = ("problems", "locate")

    def __init__(self, problems: ProblemCollector, locate: Locate):
        self.problems, self.locate = problems, locate

    def __call__(self, file: str, line: int | None, field: str | None, message: str,
                 value: Any = None) -> None:
        column = self.locate(file, field) if field else None
        self.problems.add(file, line, field, message, None if value is None else str(value), column)


# -- single-record rules -------------------------------------------------------------------
def _count_rule(lo: int, hi: int | None) -> str:
    if hi is None:
        return f"at least {lo}"
    return f"exactly {lo}" if lo == hi else f"{lo} to {hi}"


def event_shape_problems(kind: str, inputs: tuple[str, ...],
                         outputs: tuple[str, ...]) -> list[tuple[str, str]]:
    """(field, message) for each way an event breaks the shape of its type (none if fine)."""
    shape = EVENT_SHAPES.get(kind)
    if shape is None:
        return []
    in_lo, in_hi, out_lo, out_hi = shape
    out = []
    if len(inputs) < in_lo or (in_hi is not None and len(inputs) > in_hi):
        out.append(("inputs", f"a {kind} event takes {_count_rule(in_lo, in_hi)} input unit(s)"))
    if len(outputs) < out_lo or (out_hi is not None and len(outputs) > out_hi):
        out.append(("outputs", f"a {kind} event takes {_count_rule(out_lo, out_hi)} output "
                    "unit(s)"))
    if kind in DISJOINT_EVENTS and set(inputs) & set(outputs):
        out.append(("outputs", f"a {kind} event cannot list a unit as both input and output"))
    return out


def id_problem(ident: str) -> str | None:
    """Why `ident` is not an id of the contract's alphabet, or None when it is one."""
    if valid_id(ident):
        return None
    if ident != ident.strip():
        return f"an id cannot have spaces around it; expected {ID_RULE}"
    return f"not a valid id; expected {ID_RULE}"


# -- the whole dataset ---------------------------------------------------------------------
def effective_dataset(records: Records, problems: ProblemCollector,
                      locate: Locate = contract_column) -> Dataset:
    """Check every cross-file rule over `records` and return the effective Dataset.

    Every problem goes to `problems`; the Dataset is only meaningful when none was found."""
    report = _Reporter(problems, locate)
    get = lambda name: records.get(name, [])  # noqa: E731
    units = {u.id: (line, u) for line, u in get("units.csv")}
    pools = {"units": units, "people": {p.id for _, p in get("people.csv")},
             "documents": {d.id for _, d in get("documents.csv")}}
    warnings: list[str] = []
    _check_ids(records, report)

    def ref(file: str, line: int, field: str, ident: str, table: str) -> bool:
        if ident and ident not in pools[table]:
            bad = id_problem(ident)
            report(file, line, field, bad if bad else f"refers to no {REFERENCE_NAMES[table]}: "
                   f"expected an id from {BY_TABLE[table].file}", ident)
            return False
        return True

    def area_ref(file: str, line: int, ident: str) -> None:
        """An `area` names a unit, and that unit is an area (a province, district or
        commune): a Party committee or a board is not a place a unit belongs to."""
        if not ident or not ref(file, line, "area", ident, "units"):
            return
        area = units[ident][1]
        if area.kind not in AREA_KINDS:
            report(file, line, "area", f"{ident} is not a territorial unit (it is a "
                   f"{area.kind}); expected the id of a {', '.join(sorted(AREA_KINDS))}: the "
                   "area the unit belongs to", ident)

    for line, u in get("units.csv"):
        area_ref("units.csv", line, u.area)

    # Events imply lifetimes: collect the end and start each event gives.
    ended_by: dict[str, tuple[int, Event]] = {}
    started_by: dict[str, tuple[int, Event]] = {}
    for line, e in sorted(get("events.csv"), key=lambda le: le[1].date):
        for field, message in event_shape_problems(e.type, e.inputs, e.outputs):
            report("events.csv", line, field, message, ";".join(getattr(e, field)))
        for field, ids in (("inputs", e.inputs), ("outputs", e.outputs)):
            for ident in ids:
                ref("events.csv", line, field, ident, "units")
        for doc in e.basis:
            ref("events.csv", line, "basis", doc, "documents")
        # A RENAME to a new id ends the old unit and starts the new one on its date
        # (a RENAME that keeps the id changes the name only: see names.csv).
        successor = (e.type == "RENAME" and len(e.inputs) == len(e.outputs) == 1
                     and e.inputs != e.outputs)
        if e.type in ENDING_EVENTS or successor:
            for ident in e.inputs:
                if ident in ended_by:
                    first_line, first = ended_by[ident]
                    report("events.csv", line, "inputs", f"unit {ident} is ended twice: already "
                           f"ended by event {first.id} (line {first_line}) on {first.date}", ident)
                elif ident in units:
                    ended_by[ident] = (line, e)
        if e.type in STARTING_EVENTS or successor:
            for ident in e.outputs:
                if ident in started_by:
                    first_line, first = started_by[ident]
                    report("events.csv", line, "outputs", f"unit {ident} is started twice: already "
                           f"started by event {first.id} (line {first_line}) on {first.date}", ident)
                elif ident in units:
                    started_by[ident] = (line, e)

    effective: dict[str, Unit] = {}
    for ident, (line, u) in units.items():
        start, end = u.valid_from, u.valid_to
        if ident in ended_by:
            e = ended_by[ident][1]
            if end is None:
                end = e.date
            elif end != e.date:
                report("units.csv", line, "valid_to", f"disagrees with event {e.id} ({e.type} on "
                       f"{e.date}) that ends this unit: expected empty or {e.date}", end)
        if ident in started_by:
            e = started_by[ident][1]
            if start is None:
                start = e.date
            elif start != e.date:
                report("units.csv", line, "valid_from", f"disagrees with event {e.id} ({e.type} "
                       f"on {e.date}) that starts this unit: expected empty or {e.date}", start)
        if start and end and _hi(end) < _lo(start):
            report("units.csv", line, "valid_to", f"the unit would end ({end}) before it starts "
                   f"({start})", end)
        effective[ident] = dataclasses.replace(u, valid_from=start, valid_to=end) \
            if (start, end) != (u.valid_from, u.valid_to) else u

    for line, e in get("events.csv"):
        if e.type == "MERGE" and e.outputs and e.outputs[0] in effective:
            target = effective[e.outputs[0]]
            if not target.valid_at(e.date.first_day()):
                report("events.csv", line, "outputs", f"MERGE absorbs into {target.id}, which does "
                       f"not exist on {e.date}", target.id)

    # Lifetimes as (first day, end day, start date, end date), computed once per unit.
    life = {i: (_lo(u.valid_from), _hi(u.valid_to), u.valid_from, u.valid_to)
            for i, u in effective.items()}

    def clip(file: str, line: int, record, lo_life: tuple, hi_life: tuple, unit_ids: tuple):
        """Clip open bounds to the units' common lifetime (from `lo_life`'s start to
        `hi_life`'s end); explicit bounds must lie inside it."""
        life_lo, life_hi = lo_life[0], hi_life[1]
        start, end = record.valid_from, record.valid_to
        if start is not None:
            # A partial bound agrees with the lifetime when its period reaches into it.
            if start.first_day() < life_lo and start.last_day() < life_lo:
                report(file, line, "valid_from", f"starts before {' and '.join(unit_ids)} "
                       f"exist(s) (from {life_lo.isoformat()})", start)
        elif life_lo != _MIN:
            start = lo_life[2]
        if end is not None:
            if end.first_day() > life_hi:
                report(file, line, "valid_to", f"ends after {' and '.join(unit_ids)} stop(s) "
                       f"existing (on {life_hi.isoformat()})", end)
        elif life_hi != _MAX:
            end = hi_life[3]
        if start is record.valid_from and end is record.valid_to:
            return record
        return _WITH_INTERVAL[type(record)](record, start, end)

    relations = []
    for line, r in get("relations.csv"):
        a, b = life.get(r.source_id), life.get(r.target_id)
        if a is None or b is None:
            ref("relations.csv", line, "source_id", r.source_id, "units")
            ref("relations.csv", line, "target_id", r.target_id, "units")
        else:
            # The later start and the earlier end (the first one on ties, as max/min do).
            r = clip("relations.csv", line, r, a if a[0] >= b[0] else b,
                     a if a[1] <= b[1] else b, (r.source_id, r.target_id))
        relations.append((line, r))
    functions = []
    for line, f in get("functions.csv"):
        span = life.get(f.unit_id)
        if span is None:
            ref("functions.csv", line, "unit_id", f.unit_id, "units")
        else:
            f = clip("functions.csv", line, f, span, span, (f.unit_id,))
        if f.function not in FUNCTION_KEYS:
            warnings.append(f"functions.csv:{line}: new function key {f.function!r}")
        functions.append(f)
    posts = []
    for line, p in get("posts.csv"):
        ref("posts.csv", line, "person_id", p.person_id, "people")
        span = life.get(p.unit_id)
        if span is None:
            ref("posts.csv", line, "unit_id", p.unit_id, "units")
        else:
            p = clip("posts.csv", line, p, span, span, (p.unit_id,))
        posts.append(p)
    headcounts = []
    for line, h in get("headcount.csv"):
        span = life.get(h.unit_id)
        if span is None:
            ref("headcount.csv", line, "unit_id", h.unit_id, "units")
        elif not (span[0] <= h.date.first_day() < span[1]):
            u = effective[h.unit_id]
            report("headcount.csv", line, "date", f"outside the lifetime of {u.id} "
                   f"({u.valid_from or '…'} to {u.valid_to or '…'})", h.date)
        headcounts.append(h)

    check_part_of([(line, r) for line, r in relations if r.type == "PART_OF"], report)
    names = _check_names(get("names.csv"), life, ref, area_ref, report)
    plans = []
    for line, p in get("plans"):
        for doc in p.basis:
            ref("plans", line, "basis", doc, "documents")
        for ident in p.units:
            ref("plans", line, "units", ident, "units")
        plans.append(p)

    return Dataset(
        units=tuple(effective[u.id] for _, u in get("units.csv")),
        relations=tuple(r for _, r in relations),
        events=tuple(sorted((e for _, e in get("events.csv")), key=lambda e: (e.date, e.id))),
        functions=tuple(functions),
        headcounts=tuple(headcounts),
        people=tuple(p for _, p in get("people.csv")),
        posts=tuple(posts),
        documents=tuple(d for _, d in get("documents.csv")),
        names=tuple(names),
        plans=tuple(sorted(plans, key=attrgetter("id"))),
        warnings=tuple(warnings),
    )


def _check_names(rows: list[tuple[int, UnitName]], life: dict, ref: Callable[..., bool],
                 area_ref: Callable[[str, int, str], None],
                 report: _Reporter) -> list[UnitName]:
    """Former names: each within its unit's lifetime (open bounds clipped to it), two
    names of one unit never on the same date, and a former `area` that is an area."""
    out: list[UnitName] = []
    by_unit: defaultdict[str, list[tuple[int, UnitName]]] = defaultdict(list)
    for line, n in rows:
        if n.area:
            area_ref("names.csv", line, n.area)
        span = life.get(n.unit_id)
        if span is None:
            ref("names.csv", line, "unit_id", n.unit_id, "units")
            out.append(n)
            continue
        start, end = n.valid_from, n.valid_to
        if start is not None and start.last_day() < span[0]:
            report("names.csv", line, "valid_from", f"starts before {n.unit_id} exists (from "
                   f"{span[0].isoformat()})", start)
        if end is not None and end.first_day() > span[1]:
            report("names.csv", line, "valid_to", f"ends after {n.unit_id} stops existing (on "
                   f"{span[1].isoformat()})", end)
        if end is None:
            report("names.csv", line, "valid_to", "a former name needs the date it ended "
                   "(the unit's current name is the one in units.csv)")
        if start is None and span[2] is not None:
            n = dataclasses.replace(n, valid_from=span[2])
        by_unit[n.unit_id].append((line, n))
        out.append(n)
    for unit_id, items in by_unit.items():
        items.sort(key=lambda ln: _lo(ln[1].valid_from))
        for (line_a, a), (line_b, b) in zip(items, items[1:]):
            if _lo(b.valid_from) < _hi(a.valid_to):
                report("names.csv", line_b, "valid_from", f"{unit_id} would have two names at "
                       f"once: {a.name!r} (line {line_a}) until {a.valid_to or 'no end'}",
                       b.valid_from)
    return out


def located(dataset: Dataset) -> Records:
    """A Dataset's records by file, each with the line it would have in `bomay export`."""
    return {f.file: [(i, r) for i, r in enumerate(getattr(dataset, f.table), start=2)]
            for f in FILES}


def check_dataset(dataset: Dataset) -> tuple[Dataset, list[Problem]]:
    """Every rule over a Dataset that never was a folder (a scenario about to be committed):
    the effective Dataset and the problems, located as in the files `bomay export` writes."""
    problems = ProblemCollector()
    records = located(dataset)
    _check_unique(records, _Reporter(problems, contract_column))
    checked = effective_dataset(records, problems)
    return checked, problems.problems


def _check_unique(records: Records, report: _Reporter) -> None:
    """Ids unique within their file (the loader checks this while parsing a folder; a
    Dataset that never was one is checked here)."""
    for spec in FILES:
        if spec.key is None:
            continue
        key = attrgetter(spec.key)
        first: dict[str, int] = {}
        for line, record in records.get(spec.file, ()):
            ident = key(record)
            if ident in first:
                report(spec.file, line, spec.key, DUPLICATE_ID, ident)
            else:
                first[ident] = line


#: The problem of an id used twice (by the whole-dataset and the scoped checks alike).
DUPLICATE_ID = "duplicate id: another record of this file has it"


# -- the rules around some units (a commit that writes only its changes) -------------------
def neighbourhood(reader: Any, unit_ids: Iterable[str]) -> Dataset:
    """The records the rules need to judge the facts of `unit_ids` in `reader` (a
    `graph.store.GraphReader`, e.g. a scenario's state): the units themselves with every
    relation, event, function, headcount figure, post and former name of theirs; the
    PART_OF chains above them at any date (a cycle closes through them); and the units,
    people and documents those records refer to (areas up to the top), so that every
    reference that resolves in the whole graph resolves here. Read by scoped queries,
    never the whole graph."""
    focus = sorted(set(unit_ids))
    relations: dict[Relation, None] = {}
    events: dict[str, Event] = {}
    functions: list = []
    headcounts: list = []
    posts: list = []
    names: list = []
    for uid in focus:
        relations.update(dict.fromkeys(reader.relations(uid, None, direction="both")))
        functions += reader.functions(uid, None)
        headcounts += reader.headcounts(uid)
        posts += reader.posts(unit_id=uid)
        names += reader.unit_names(uid)
        for e in reader.events(unit_id=uid):
            events.setdefault(e.id, e)
    climbed = set(focus)
    stack = [r.target_id for r in relations if r.type == "PART_OF"]
    while stack:
        uid = stack.pop()
        if uid in climbed:
            continue
        climbed.add(uid)
        for r in reader.relations(uid, None, types=("PART_OF",)):
            relations.setdefault(r, None)
            stack.append(r.target_id)
    wanted = set(focus) | climbed
    for r in relations:
        wanted.update((r.source_id, r.target_id))
    for e in events.values():
        wanted.update(e.inputs + e.outputs)
    wanted.update(x.unit_id for x in (*functions, *headcounts, *posts, *names))
    wanted.update(n.area for n in names if n.area)
    units: dict[str, Unit] = {}
    pending = wanted
    while pending:  # the units, then their areas up to the top
        found = reader.get_units(sorted(pending))
        units.update(found)
        pending = {u.area for u in found.values() if u.area and u.area not in units}
    people = {p.person_id: reader.get_person(p.person_id) for p in posts}
    documents = {d: reader.get_document(d) for e in events.values() for d in e.basis}
    return Dataset(
        units=tuple(units[i] for i in sorted(units)),
        relations=tuple(relations),
        events=tuple(sorted(events.values(), key=lambda e: (e.date, e.id))),
        functions=tuple(functions), headcounts=tuple(headcounts),
        people=tuple(p for _, p in sorted(people.items()) if p is not None),
        posts=tuple(posts),
        documents=tuple(d for _, d in sorted(documents.items()) if d is not None),
        names=tuple(names))


def check_around(reader: Any, unit_ids: Iterable[str], *, base: Any = None,
                 new_ids: dict[str, Iterable[str]] | None = None
                 ) -> tuple[Dataset, Dataset, list[Problem]]:
    """The rules of `check_dataset` over the `neighbourhood` of `unit_ids` only: the records
    read, their effective versions (same tables, same order) and the problems found. The
    problems are those the whole-dataset check finds about these records; their lines are
    left out (a neighbourhood is no file: its positions would mislead). `new_ids` (file
    table -> ids a change adds: `units`, `events`) are checked unique against `base`."""
    around = neighbourhood(reader, unit_ids)
    checked, problems = check_dataset(around)
    collector = ProblemCollector([_unlined(p) for p in problems])
    report = _Reporter(collector, contract_column)
    for table, ids in (new_ids or {}).items():
        ids = list(ids)
        if base is None or not ids:
            continue
        if table == "units":
            taken = set(base.get_units(ids))
        else:  # events
            taken = {i for i in ids if base.get_event(i) is not None}
        taken.update(i for i in ids if ids.count(i) > 1)  # twice among the new ones
        for ident in sorted(taken):
            report(BY_TABLE[table].file, None, BY_TABLE[table].key, DUPLICATE_ID, ident)
    return around, checked, collector.problems


def _unlined(p: Problem) -> Problem:
    import re
    return dataclasses.replace(p, line=None, message=re.sub(r" \(line \d+\)", "", p.message))


def _check_ids(records: Records, report: _Reporter) -> None:
    """The row's own ids (units, events, people, documents) fit the contract's alphabet.

    A reference only needs checking when it resolves to nothing (see `ref`): any other
    equals an id checked here."""
    match = ID_PATTERN.fullmatch
    for spec in FILES:
        if spec.key is None:
            continue
        key = attrgetter(spec.key)
        for line, record in records.get(spec.file, ()):
            if match(key(record)) is None:
                ident = key(record)
                report(spec.file, line, spec.key, id_problem(ident) or "not a valid id", ident)


#: A copy of a dated record with another interval (faster than `dataclasses.replace`).
_WITH_INTERVAL = {
    Relation: lambda r, start, end: Relation(r.source_id, r.type, r.target_id, start, end,
                                             r.note, r.source),
    Function: lambda f, start, end: Function(f.unit_id, f.function, start, end, f.source),
    Post: lambda p, start, end: Post(p.person_id, p.unit_id, p.role, start, end, p.source),
}


def check_part_of(part_of: list[tuple[int, Relation]], report: Callable[..., None]) -> None:
    """At most one PART_OF parent at any date; no PART_OF cycle that holds at one date.

    A cycle is reported on every row that makes it up, each naming the whole cycle."""
    by_child = defaultdict(list)
    for line, r in part_of:
        by_child[r.source_id].append((line, r))
    for child, edges in by_child.items():
        if len(edges) < 2:
            continue
        edges.sort(key=lambda le: _lo(le[1].valid_from))
        latest_line, latest = edges[0]
        for line, r in edges[1:]:
            if _lo(r.valid_from) < _hi(latest.valid_to):
                report("relations.csv", line, "target_id", f"{child} would have two PART_OF "
                       f"parents at once: {latest.target_id} (line {latest_line}) and "
                       f"{r.target_id} from {r.valid_from or 'the start'}", r.target_id)
            if _hi(r.valid_to) > _hi(latest.valid_to):
                latest_line, latest = line, r

    # A unit on a cycle has a child: leave out the edges of the leaves (most units).
    parents = {r.target_id for _, r in part_of}
    graph = nx.DiGraph()
    graph.add_edges_from((r.source_id, r.target_id) for _, r in part_of if r.source_id in parents)
    components = [c for c in nx.strongly_connected_components(graph) if len(c) > 1]
    cyclic = set().union(*components)
    on_cycle: defaultdict[tuple[str, str], list[tuple[int, Relation]]] = defaultdict(list)
    for line, r in part_of:
        if r.source_id in cyclic and r.target_id in cyclic:
            on_cycle[(r.source_id, r.target_id)].append((line, r))
    reported: set[tuple[int, str]] = set()
    for component in components:
        sub = graph.subgraph(component)
        for cycle in _bounded(nx.simple_cycles(nx.DiGraph(sub)), 1000):
            first = cycle.index(min(cycle))  # report each cycle from its smallest id, stably
            cycle = cycle[first:] + cycle[:first]
            spans = [on_cycle[(a, b)] for a, b in zip(cycle, cycle[1:] + cycle[:1])]
            # A cycle matters only if some choice of its edges holds on one common date.
            for choice in _bounded(itertools.product(*spans), 1000):
                lo = max(_lo(r.valid_from) for _, r in choice)
                hi = min(_hi(r.valid_to) for _, r in choice)
                if lo < hi:
                    path = " → ".join(cycle + cycle[:1])
                    message = f"PART_OF cycle {path} (from {lo if lo != _MIN else 'the start'})"
                    for line, r in sorted(choice, key=lambda lr: lr[0]):
                        if (line, message) not in reported:
                            reported.add((line, message))
                            report("relations.csv", line, "target_id", message, r.target_id)
                    break


def _bounded(iterable: Iterable, n: int):
    for i, item in enumerate(iterable):
        if i >= n:
            return
        yield item
