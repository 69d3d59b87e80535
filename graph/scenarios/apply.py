"""`apply(state, operations) -> (state, log)`: operations on a scenario's state, pure.

Each operation is checked against the state it is applied to, on its effective date,
and refused with a `Conflict` (409) that says why: a unit unknown or not existing on
that date, a unit that already ends, an id already taken, a cycle, two parents, children
or functions that would be orphaned. Applying copies the input state's overlay once and
edits the copy, so neither the input state nor the baseline is ever changed, and the cost
is that of the units the operations touch.

An operation's changes follow the data contract: a unit that ends gets `valid_to` = the
date; the facts that reach past it (relations, functions, posts) are ended on that date and,
where the operation says so, continue from that date on the unit that takes them over;
headcount is summed into (or split from) the units that carry on; every operation records
dated events (MERGE, CONSOLIDATE, SPLIT, TRANSFER_FUNCTION, MOVE, RENAME, DISSOLVE,
ESTABLISH) that a commit writes into the baseline.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import gc
from dataclasses import dataclass, field
from typing import Any, Callable, ClassVar, Iterable, Mapping, Protocol, Sequence, TypeVar

from graph.contract import LEVELS
from graph.dates import PartialDate
from graph.embedded.gc_pause import paused_gc
from graph.errors import Conflict
from graph.model import Event, Function, Headcount, Post, Relation, Unit, UnitName
from graph.queries.structure import headcount_at
from graph.rules import headcount_on
from graph.scenarios.name_clash import same_name_warning
from graph.scenarios.walks import ancestors
from graph.scenarios.operations import (Consolidate, CreateSharedAgency, Dissolve, Merge, Move,
                                        Establish, NewUnit, Operation, Rename, Split, TransferFunction,
                                        operation_to_dict, parse_operations)
from graph.scenarios.state import ScenarioState
from graph.scenarios.territory import (TERRITORIAL_KINDS, _replacer,
                                      area_never_held,
                                      replace_record as _rep)
from graph.scenarios.zones import ZoneMixin
from graph.store import GraphReader



class _Dated(Protocol):
    """A record (a dataclass) with a validity interval (Relation, Function, Post, Unit...)."""

    __dataclass_fields__: ClassVar[dict[str, dataclasses.Field[Any]]]

    @property
    def valid_from(self) -> PartialDate | None: ...

    @property
    def valid_to(self) -> PartialDate | None: ...


T = TypeVar("T", bound=_Dated)
#: From this many records in a state's overlay on, `apply` freezes them (see there).
FREEZE_RECORDS = 100_000
#: Leadership roles one person at most holds in a unit at a time (duplicates after a merge).
SINGLE_HOLDER_ROLES = ("secretary", "standing_deputy_secretary", "head", "chair")


class OperationConflict(Conflict):
    """An operation that does not apply: its number (from 1), its kind and the reason, kept
    apart so that a caller can name it differently (an undo renumbers the operations after
    the one removed) without rewriting the message."""

    def __init__(self, index: int, op: str, reason: str, *,
                 errors: list[dict[str, Any]] | None = None, context: str = ""):
        self.index, self.op, self.reason, self.context = index, op, reason, context
        super().__init__(f"{context}operation {index} ({op}): {reason}", errors=errors)

    def renamed(self, *, index: int | None = None, context: str | None = None) \
            -> "OperationConflict":
        """The same conflict, with another number or another context before it."""
        index = self.index if index is None else index
        errors = [dict(e, operation=index) if e.get("operation") == self.index else e
                  for e in self.errors]
        return OperationConflict(index, self.op, self.reason, errors=errors,
                                 context=self.context if context is None else context)


@dataclass(frozen=True)
class LogEntry:
    """What one operation did, in terms the impact report and the diff read."""

    index: int
    op: str
    date: str
    summary: str
    events: tuple[Event, ...] = ()
    subjects: tuple[str, ...] = ()
    ended: tuple[str, ...] = ()
    started: tuple[str, ...] = ()
    #: (unit, old parent, new parent)
    moved: tuple[tuple[str, str | None, str | None], ...] = ()
    #: (unit, old name, new name, new id or the same id)
    renamed: tuple[tuple[str, str, str, str], ...] = ()
    #: (function, from unit, to unit or None when it ends nowhere)
    functions: tuple[tuple[str, str, str | None], ...] = ()
    #: (unit, function, how many of the units brought together held it)
    duplicated_functions: tuple[tuple[str, str, int], ...] = ()
    #: (person, unit, role, new unit or None when the post ends)
    posts: tuple[tuple[str, str, str, str | None], ...] = ()
    #: (unit, headcount before or None, headcount after or None)
    headcount: tuple[tuple[str, int | None, int | None], ...] = ()
    warnings: tuple[str, ...] = ()
    #: Bodies of areas brought together: (the body they form or join, the bodies ended).
    bodies: tuple[tuple[str, tuple[str, ...]], ...] = ()
    #: Bodies of areas without a peer: (body, its old area, its new area).
    unpaired: tuple[tuple[str, str, str], ...] = ()
    #: Recorded baseline events from the date on that the operation overrides.
    overrides: tuple[str, ...] = ()
    #: Leaders the operation names (`leaders`): (unit, role, the person named, the posts of
    #: that role ended there instead, as (person, the unit the post was handed over from)).
    leaders: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = ()

    def as_dict(self) -> dict[str, Any]:
        """The same as `to_dict()` (the name `api.responses` and the pages read)."""
        return self.to_dict()

    def to_dict(self) -> dict[str, Any]:
        return {
            "index": self.index, "op": self.op, "date": self.date, "summary": self.summary,
            "events": [e.as_dict() for e in self.events], "subjects": list(self.subjects),
            "ended": list(self.ended), "started": list(self.started),
            "moved": [{"unit": u, "from": a, "to": b} for u, a, b in self.moved],
            "renamed": [{"unit": u, "from": a, "to": b, "id": i} for u, a, b, i in self.renamed],
            "functions": [{"function": f, "from": a, "to": b} for f, a, b in self.functions],
            "duplicated_functions": [{"unit": u, "function": f, "holders": n}
                                     for u, f, n in self.duplicated_functions],
            "posts": [{"person": p, "unit": u, "role": r, "to": t}
                      for p, u, r, t in self.posts],
            "headcount": [{"unit": u, "before": a, "after": b} for u, a, b in self.headcount],
            "warnings": list(self.warnings),
            "bodies": [{"unit": u, "from": list(ins)} for u, ins in self.bodies],
            "unpaired": [{"unit": u, "from_area": a, "to_area": b} for u, a, b in self.unpaired],
            "overrides": list(self.overrides),
        } | ({"leaders": [{"unit": u, "role": r, "person": p,
                            "ended": [{"person": q, "unit": f} for q, f in ended]}
                           for u, r, p, ended in self.leaders]} if self.leaders else {})


@dataclass
class _Entry:
    """A LogEntry being filled."""

    subjects: list[str] = field(default_factory=list)
    ended: list[str] = field(default_factory=list)
    started: list[str] = field(default_factory=list)
    moved: list[tuple] = field(default_factory=list)
    renamed: list[tuple] = field(default_factory=list)
    functions: list[tuple] = field(default_factory=list)
    duplicated: list[tuple] = field(default_factory=list)
    posts: list[tuple] = field(default_factory=list)
    headcount: list[tuple] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    bodies: list[tuple] = field(default_factory=list)
    unpaired: list[tuple] = field(default_factory=list)
    overrides: list[str] = field(default_factory=list)
    leaders: list[tuple] = field(default_factory=list)
    #: the subjects listed so far (each listed once)
    _seen: set[str] = field(default_factory=set, repr=False)

    def subject(self, *ids: str) -> None:
        seen = self._seen
        for i in ids:
            if i and i not in seen:
                seen.add(i)
                self.subjects.append(i)


# -- public API ----------------------------------------------------------------------------------
def new_state(base: GraphReader, at: PartialDate | dt.date | str, *, name: str = "scenario",
              event_prefix: str | None = None) -> ScenarioState:
    """An empty scenario over `base`, as of `at`."""
    return ScenarioState(base, at, name=name, event_prefix=event_prefix)


def apply(state: ScenarioState | GraphReader, operations: Iterable[Operation | dict] | Operation,
          *, at: PartialDate | dt.date | str | None = None) -> tuple[ScenarioState, list[LogEntry]]:
    """Apply `operations` in order; return the new state and one log entry per operation.

    `state` is a ScenarioState (or a plain reader, then taken as of `at`). Pure: the input
    is never changed; on a Conflict nothing is returned and nothing changed.
    """
    if not isinstance(state, ScenarioState):
        if at is None:
            raise ValueError("apply on a plain reader needs `at`")
        state = ScenarioState(state, at)
    if isinstance(operations, (Operation, dict)):
        operations = [operations]
    given = list(operations)
    dicts = [o for o in given if isinstance(o, dict)]
    parsed = iter(parse_operations(dicts, start=len(state.operations) + 1) if dicts else [])
    ops: list[Operation] = [next(parsed) if isinstance(o, dict) else o for o in given]
    out = state.draft()
    log: list[LogEntry] = []
    # A national plan creates millions of acyclic records: the collector's full passes over
    # the baseline would cost a third of the time (measured) and free nothing.
    with paused_gc():
        for op in ops:
            index = len(out.operations) + 1
            entry = _Applier(out, op, index).run()
            out.record(op, entry)
            log.append(entry)
        # A large state's records live as long as the state: frozen, the first collection
        # after the block does not walk them (about 0.5 s of a national plan; reference
        # counting still frees them). Not for small plans: a server would also freeze, for
        # good, whatever cyclic garbage its other threads hold at that moment.
        if sum(v for k, v in out.changes().items() if k != "events") >= FREEZE_RECORDS:
            gc.freeze()
    return out, log


def operations_as_dicts(state: ScenarioState) -> list[dict[str, Any]]:
    return [operation_to_dict(op) for op in state.operations]


# -- the applier ---------------------------------------------------------------------------------
def _replacers(*changed: str) -> Callable[[Any], Callable[..., Any]]:
    """record -> the replacer of its class for the fields `changed` (`replace_record`
    without its per-call key: the hottest record edits of a national plan)."""
    cache: dict[type, Callable[..., Any]] = {}

    def of(record: Any) -> Callable[..., Any]:
        fn = cache.get(type(record))
        if fn is None:
            fn = cache[type(record)] = _replacer(type(record), changed)
        return fn
    return of


_ENDED = _replacers("valid_to")
_MOVED_TO = _replacers("valid_from", "target_id", "source")
_MOVED_FROM = _replacers("valid_from", "source_id", "source")
_MOVED_UNIT = _replacers("valid_from", "unit_id", "source")


def _ends_after(record: Any, day: dt.date) -> bool:
    end = record.valid_to
    return end is None or end.first_day() > day


def _starts_on_or_after(record: Any, day: dt.date) -> bool:
    return record.valid_from is not None and record.valid_from.first_day() >= day


def _rank(area: Unit) -> int:
    """An area's place from the top (province 1, district 2, commune 3), by its kind."""
    return LEVELS.index(area.kind) if area.kind in LEVELS else len(LEVELS)


def _life(unit: Unit) -> str:
    start = unit.valid_from or "an unknown date"
    if unit.valid_to is None:
        return f"it exists from {start}"
    return f"it existed from {start} until {unit.valid_to}, that day excluded"


#: Kinds a consolidation does not change (`same_kind`): areas, and the leading bodies an
#: area's bodies are paired by.
KIND_FIXED = TERRITORIAL_KINDS | {"party_committee", "people_council", "government"}


class _Applier(ZoneMixin):
    def __init__(self, state: ScenarioState, op: Operation, index: int):
        self.s = state
        self.op = op
        self.index = index
        self.date: PartialDate = op.date or state.at_date
        self.day: dt.date = self.date.first_day()
        self.e = _Entry()
        self.source = f"scenario:{state.event_prefix}"
        self.where = f"operation {index} ({op.op})"
        self._event_seq = 0
        #: new area -> its inputs' children's PART_OF links (input, link), not handed over
        #: yet: the area's bodies follow it (`merge_bodies` pairs them first, then hands over
        #: the links of those that do not consolidate)
        self.pending_links: dict[str, list[tuple[str, Relation]]] = {}

    # -- helpers: checks ------------------------------------------------------------------------
    def conflict(self, message: str, **info: Any) -> OperationConflict:
        message = f"{self.row_label}{message}"
        return OperationConflict(self.index, self.op.op, message,
                                 errors=[{"operation": self.index, "op": self.op.op,
                                          "message": message, **info}])

    def unit(self, unit_id: str, role: str = "unit") -> Unit:
        unit = self.s.get_unit(unit_id)
        if unit is None:
            raise self.conflict(f"{role} {unit_id} is unknown", unit=unit_id)
        if not unit.valid_at(self.day):
            raise self.conflict(f"{role} {unit_id} does not exist on {self.date} ({_life(unit)})",
                                unit=unit_id)
        return unit

    def recorded_future(self, unit: Unit, events: list[Event] | None = None) -> bool:
        """Whether the unit's end (or the events after the date) are the baseline's, not the
        scenario's: a what-if from an earlier date may replace them. `events`: the unit's
        events from the date on, when the caller has read them already."""
        if unit.id in self.s.changed_units():
            return False
        start = unit.valid_from
        if start is not None and start.first_day() >= self.day:
            return False
        if unit.valid_to is not None and unit.valid_to.first_day() > self.day:
            return True
        if events is None:
            events = self.s.events(unit_id=unit.id, date_from=self.day)
        return any(not self.s.is_scenario_event(e.id) for e in events)

    def override_future(self, unit: Unit) -> Unit:
        """Replace the recorded future of `unit` from the date on (a what-if dated before
        later recorded changes): the baseline events it takes part in from the date on are
        overridden (listed in the report), its end is opened, its facts starting from the
        date are hidden and those ending from the date are opened (the operation then ends
        or hands them over as it says)."""
        s, day = self.s, self.day
        for ev in s.events(unit_id=unit.id, date_from=day):
            if not s.is_scenario_event(ev.id):
                s.hide_event(ev)
                self.e.overrides.append(ev.id)
                born = [u for u in ev.outputs if u != unit.id and (b := s.get_unit(u)) is not None
                        and b.valid_from is not None and b.valid_from == ev.date]
                if born:
                    self.e.warnings.append(
                        f"recorded event {ev.id} ({ev.type} on {ev.date}) is overridden from "
                        f"{self.date}; the units it started ({', '.join(born)}) stay in the "
                        "baseline")
        if unit.valid_to is not None and unit.valid_to.first_day() >= day:
            unit = _rep(unit, valid_to=None)
            s.put_unit(unit, new=s.is_new(unit.id))

        def redo(record, replace) -> bool:
            if _starts_on_or_after(record, day):
                replace(record, None)
            elif record.valid_to is not None and record.valid_to.first_day() >= day:
                replace(record, _rep(record, valid_to=None))
                return True
            return False
        for rel in s.relations(unit.id, None, direction="both"):
            if redo(rel, s.replace_relation) and rel.type == "PART_OF" and \
                    rel.target_id == unit.id:
                # a child that left it from the date on stays: its recorded new parent goes
                for other in s.relations(rel.source_id, None, types=("PART_OF",)):
                    if other.target_id != unit.id and _starts_on_or_after(other, day):
                        s.replace_relation(other, None)
        for fn in s.functions(unit.id, None):
            redo(fn, s.replace_function)
        for post in s.posts(unit_id=unit.id):
            redo(post, s.replace_post)
        for h in s.headcounts(unit.id):
            if h.date.first_day() >= day:
                s.replace_headcount(h, None)
        return unit

    def endable(self, unit: Unit) -> None:
        day = self.day
        # The unit's events from the date on, read once (a national plan ends 100k units).
        future = self.s.events(unit_id=unit.id, date_from=day)
        if self.recorded_future(unit, future):
            unit = self.override_future(unit)
            future = self.s.events(unit_id=unit.id, date_from=day)
        if unit.valid_to is not None:
            ended_by = [e.id for e in self.s.events(unit_id=unit.id)
                        if unit.id in e.inputs and e.date == unit.valid_to]
            by = f" (event {ended_by[0]})" if ended_by else ""
            raise self.conflict(f"unit {unit.id} already ends on {unit.valid_to}{by}; only a "
                                "unit that is still open can be ended", unit=unit.id)
        same_day = [e for e in future if e.date.first_day() <= day
                    and e.type == "MERGE" and unit.id in e.outputs]
        if same_day:
            ev = same_day[0]
            raise self.conflict(f"unit {unit.id} absorbs other units on {ev.date} (event {ev.id}); "
                                "a unit cannot end on the day it absorbs others: end it a day "
                                "later", unit=unit.id, event=ev.id)
        later = [e for e in future if e.date.first_day() > day]
        if later:
            ev = later[0]
            raise self.conflict(f"unit {unit.id} takes part in a later event ({ev.id}, {ev.type} "
                                f"on {ev.date}); it cannot end on {self.date}", unit=unit.id,
                                event=ev.id)

    def new_id(self, unit_id: str) -> None:
        if self.s.get_unit(unit_id) is not None:
            raise self.conflict(f"a unit with id {unit_id} already exists", unit=unit_id)

    def distinct(self, ids: Sequence[str], what: str) -> None:
        dup = sorted({i for i in ids if list(ids).count(i) > 1})
        if dup:
            raise self.conflict(f"{what} lists {', '.join(dup)} more than once")

    def documents(self) -> None:
        for doc in self.op.basis:
            if self.s.get_document(doc) is None:
                raise self.conflict(f"basis {doc} is not a known document (documents.csv)",
                                    document=doc)

    def parent_of(self, unit_id: str) -> str | None:
        return self.s.parent(unit_id, self.day)

    def not_inside(self, target: str, units: Iterable[str], what: str) -> None:
        """`target` must not be one of `units` nor below one of them (a cycle)."""
        units = set(units)
        if target in units:
            raise self.conflict(f"{what}: {target} cannot be placed under itself (cycle)",
                                unit=target)
        chain = ancestors(self.s, target, self.day)
        for i, a in enumerate(chain):
            if a in units:
                path = " → ".join([target, *chain[:i + 1]])
                raise self.conflict(f"{what}: {target} is inside {a} ({path}), so this would make "
                                    f"a PART_OF cycle", unit=target, cycle=path)

    # -- helpers: facts -------------------------------------------------------------------------
    def _cut(self, record: T, replace) -> T | None:
        """End `record` on the date; return its part from the date on (the tail)."""
        if _starts_on_or_after(record, self.day):
            replace(record, None)
            return record
        replace(record, _ENDED(record)(record, valid_to=self.date))
        return _rep(record, valid_from=self.date)

    def _cut_start(self, record: T, replace) -> PartialDate | None:
        """End `record` on the date like `_cut`; return the start of its tail (a caller
        that moves the tail elsewhere builds the moved record at once, from `record`)."""
        start = record.valid_from  # `_starts_on_or_after` written out (a call per record)
        if start is not None and start._first >= self.day:
            replace(record, None)
            return start
        replace(record, _ENDED(record)(record, valid_to=self.date))
        return self.date

    def _clip(self, record: T, *unit_ids: str) -> T | None:
        """Clip an open or late end to the end of the units' lifetimes; None if nothing is left."""
        get = self.s.get_unit
        return self._clip_at(record, *[u.valid_to if (u := get(uid)) is not None else None
                                       for uid in unit_ids])

    def _clip_at(self, record: T, *ends: PartialDate | None) -> T | None:
        """`_clip` given the units' ends (None: open, or no such unit): a hand-over clips
        every record it moves to the same unit's end, read once."""
        end = record.valid_to
        for limit in ends:  # the earliest of the ends (any order gives the same)
            if limit is not None and (end is None or limit < end):
                end = limit
        start = record.valid_from
        if end is not None and start is not None and end.first_day() <= start.first_day():
            return None
        return record if end == record.valid_to else _ENDED(record)(record, valid_to=end)

    # `_ends_after` written out in the three below (hundreds of thousands of records each),
    # the end's first day read as stored (`PartialDate._first`, what `first_day()` returns)
    def rels_from(self, unit_id: str, direction: str) -> list[Relation]:
        day = self.day
        return [r for r in self.s.relations(unit_id, None, direction=direction)
                if (end := r.valid_to) is None or end._first > day]

    def funcs_from(self, unit_id: str) -> list[Function]:
        day = self.day
        return [f for f in self.s.functions(unit_id, None)
                if (end := f.valid_to) is None or end._first > day]

    def posts_from(self, unit_id: str) -> list[Post]:
        day = self.day
        return [p for p in self.s.posts(unit_id=unit_id)
                if (end := p.valid_to) is None or end._first > day]

    def has_relation(self, source: str, type_: str, target: str) -> bool:
        return any(r.target_id == target for r in self.s.relations(source, self.day,
                                                                   types=(type_,)))

    def held_functions(self, unit_id: str) -> list[str]:
        return sorted({f.function for f in self.s.functions(unit_id, self.day)})

    def holds(self, unit_id: str, role: str, person: str) -> bool:
        return any(p.person_id == person and p.role == role
                   for p in self.s.posts(unit_id=unit_id, at=self.day))

    def add_relation(self, source: str, type_: str, target: str, note: str = "") -> None:
        rel = Relation(source_id=source, type=type_, target_id=target, valid_from=self.date,
                       note=note, source=self.source)
        clipped = self._clip(rel, source, target)
        if clipped is not None:
            self.s.replace_relation(None, clipped)

    def set_headcount(self, unit_id: str, value: int) -> None:
        for h in self.s.headcounts(unit_id):
            if h.date == self.date and h.basis in ("approved", ""):
                self.s.replace_headcount(h, None)
        self.s.replace_headcount(None, Headcount(unit_id=unit_id, date=self.date,
                                                  headcount=value, basis="approved",
                                                  source=self.source))

    def headcount(self, unit_id: str) -> int | None:
        h = headcount_at(self.s, unit_id, self.day)
        return h.headcount if h else None

    def end_unit(self, unit: Unit, *, figures: list[Headcount] | None = None,
                 part_of: list[Relation] | None = None) -> None:
        """End the unit on the date, with its PART_OF link upwards, and drop its later figures.
        `figures` (its headcounts) and `part_of` (its PART_OF links upwards from the date on):
        what a caller has read already."""
        s = self.s
        day = self.day
        if unit.valid_from is None or unit.valid_from.first_day() < day:
            held = area_never_held(unit, s.unit_names(unit.id), day)
            if held is not None:  # the area it took today never held: it ends in its own
                if (held.name, held.name_en, held.abbr) == (unit.name, unit.name_en, unit.abbr):
                    s.replace_name(held, None)
                unit = _rep(unit, area=held.area)
        s.put_unit(_ENDED(unit)(unit, valid_to=self.date), new=s.is_new(unit.id))
        for n in s.unit_names(unit.id):  # its name rows end with it (a later-dated rename)
            if n.valid_to is None or n.valid_to.first_day() > day:
                keep = n.valid_from is None or n.valid_from.first_day() < day
                s.replace_name(n, _rep(n, valid_to=self.date) if keep else None)
        if part_of is None:
            part_of = [r for r in self.rels_from(unit.id, "out") if r.type == "PART_OF"]
        for rel in part_of:
            self._cut_start(rel, s.replace_relation)
        # A figure dated on the day itself was counted (headcount_at reads up to the day).
        if figures is None:
            figures = s.headcounts(unit.id)
        if figures:
            day = self.day
            for h in figures:
                if h.date.first_day() == day:
                    s.replace_headcount(h, None)
            late = [h for h in figures if h.date.first_day() > day]
            for h in late:
                s.replace_headcount(h, None)
            if late:
                text = ", ".join(f"{h.date}: {h.headcount}" for h in late)
                self.e.warnings.append(f"headcount figures of {unit.id} dated after {self.date} "
                                       f"({text}) no longer apply and are left out")
        self.e.ended.append(unit.id)

    def start_unit(self, spec: NewUnit, like: Unit | None, default_kind: str | None = None) -> Unit:
        kind = spec.kind or (like.kind if like else default_kind)
        level = spec.level or (like.level if like else None)
        if kind is None or level is None:
            raise self.conflict(f"new unit {spec.id}: say its "
                                f"{'kind' if kind is None else 'level'}", unit=spec.id)
        area = spec.area if spec.area is not None else (like.area if like else "")
        if area:
            self.unit(area, "area")
        unit = Unit(id=spec.id, name=spec.name, kind=kind, level=level, name_en=spec.name_en,
                    abbr=spec.abbr, area=area, valid_from=self.date, note=spec.note,
                    source=self.source)
        self.s.put_unit(unit, new=True)
        self.e.started.append(unit.id)
        return unit

    def hand_over(self, src: str, dest: str, *, children: bool = True,
                  relations: bool = True, functions: bool = True,
                  posts: bool = True,
                  held_by_src: list[Function] | None = None,
                  dest_has: dict[str, set] | None = None,
                  links_to: list[tuple[str, Relation]] | None = None) -> list[Relation] | None:
        """Move what `src` holds from the date on to `dest` (merge, consolidate, successor).
        Returns `src`'s PART_OF links upwards from the date on when it read them (with
        `relations`): they are not handed over, and `end_unit` cuts them. `held_by_src`:
        `funcs_from(src)`, when the caller has read it. `dest_has`: what `dest` holds on
        the date, kept from one hand-over to the next into the same `dest` (the caller's
        dict, empty at first): each set is read once and kept up to date with what is
        moved into `dest` (a later read would add only that; what it would drop, the
        links between `dest` and an earlier `src`, cut here, are never asked again: that
        `src`'s own links are cut too). `links_to`: the children's PART_OF links are
        listed there as (`src`, link), not handed over (the caller does it)."""
        s = self.s
        day = self.day
        if dest_has is None:
            dest_has = {}
        get_unit = s.get_unit
        dest_unit = get_unit(dest)
        dest_end = dest_unit.valid_to if dest_unit is not None else None  # for `_clip_at`
        # What `dest` already has, read once (not once per record handed over), and only
        # when `src` has something of the kind: a national plan hands over 100k bodies,
        # most with no relation but their PART_OF links.
        dest_rels: set[tuple[str, str, str]] | None = dest_has.get("relations")
        # Both ends read at once, when `src` has no link to itself: handing over what comes
        # in then changes nothing of what goes out (only a link from `src` to itself is
        # both), so the links going out are those the one read lists (in the same order).
        into: list[Relation]
        out_of: list[Relation] | None = None
        if relations:
            both = self.rels_from(src, "both")
            if all(r.source_id != r.target_id for r in both):
                into = [r for r in both if r.target_id == src]
                out_of = [r for r in both if r.source_id == src]
            else:
                into = self.rels_from(src, "in")
        else:
            into = self.rels_from(src, "in")
        for rel in into:
            if rel.type == "PART_OF":
                if links_to is not None:
                    links_to.append((src, rel))
                elif children:
                    self.move_child_link(rel, src, dest, dest_end)
            elif relations:
                if dest_rels is None:
                    dest_rels = dest_has["relations"] = self._relation_keys(dest)
                start = self._cut_start(rel, s.replace_relation)
                key = (rel.source_id, rel.type, dest)
                if rel.source_id == dest or key in dest_rels:
                    continue
                giver = get_unit(rel.source_id)
                moved = self._clip_at(_MOVED_TO(rel)(rel, valid_from=start, target_id=dest,
                                                     source=self.source),
                                      giver.valid_to if giver else None, dest_end)
                if moved is not None:
                    s.replace_relation(None, moved)
                    if moved.valid_at(day):
                        dest_rels.add(key)
        part_of: list[Relation] | None = None
        if relations:
            part_of = []
            for rel in self.rels_from(src, "out") if out_of is None else out_of:
                if rel.type == "PART_OF":
                    part_of.append(rel)
                    continue
                if dest_rels is None:
                    dest_rels = dest_has["relations"] = self._relation_keys(dest)
                start = self._cut_start(rel, s.replace_relation)
                key = (dest, rel.type, rel.target_id)
                if rel.target_id == dest or key in dest_rels:
                    continue
                taker = get_unit(rel.target_id)
                moved = self._clip_at(_MOVED_FROM(rel)(rel, valid_from=start, source_id=dest,
                                                       source=self.source),
                                      dest_end, taker.valid_to if taker else None)
                if moved is not None:
                    s.replace_relation(None, moved)
                    if moved.valid_at(day):
                        dest_rels.add(key)
        if functions:
            held: set[str] | None = dest_has.get("functions")
            for fn in self.funcs_from(src) if held_by_src is None else held_by_src:
                if held is None:
                    held = dest_has["functions"] = {f.function for f in s.functions(dest, day)}
                fn_start = self._cut_start(fn, s.replace_function)
                if fn.valid_at(day):
                    self.e.functions.append((fn.function, src, dest))
                if fn.function in held:
                    continue
                moved_fn = self._clip_at(_MOVED_UNIT(fn)(fn, valid_from=fn_start, unit_id=dest,
                                                         source=self.source), dest_end)
                if moved_fn is not None:
                    s.replace_function(None, moved_fn)
                    if moved_fn.valid_at(day):
                        held.add(fn.function)
        if posts:
            holding: set[tuple[str, str]] | None = dest_has.get("posts")
            for post in self.posts_from(src):
                if holding is None:
                    holding = dest_has["posts"] = {(p.person_id, p.role)
                                                   for p in s.posts(unit_id=dest, at=day)}
                post_start = self._cut_start(post, s.replace_post)
                if post.valid_at(day):
                    self.e.posts.append((post.person_id, src, post.role, dest))
                if (post.person_id, post.role) in holding:
                    continue
                moved_post = self._clip_at(_MOVED_UNIT(post)(post, valid_from=post_start,
                                                             unit_id=dest, source=self.source),
                                           dest_end)
                if moved_post is not None:
                    s.replace_post(None, moved_post)
                    if moved_post.valid_at(day):
                        holding.add((post.person_id, post.role))
        return part_of

    def move_child_link(self, rel: Relation, src: str, dest: str,
                        dest_end: PartialDate | None) -> None:
        """Hand the PART_OF link `rel` (a child's, to `src`) over to `dest` from the date on:
        cut it, and add the moved link (clipped to the child's end and `dest_end`, `dest`'s)."""
        s = self.s
        start = self._cut_start(rel, s.replace_relation)
        old_child = rel.source_id
        if old_child != dest:
            child_unit = s.get_unit(old_child)
            moved = self._clip_at(_MOVED_TO(rel)(rel, valid_from=start, target_id=dest,
                                                 source=self.source),
                                  child_unit.valid_to if child_unit else None, dest_end)
            if moved is not None:
                s.replace_relation(None, moved)
            if rel.valid_at(self.day):
                self.e.moved.append((old_child, src, dest))

    def _relation_keys(self, unit_id: str) -> set[tuple[str, str, str]]:
        """(source, type, target) of the unit's relations, both ways, on the date."""
        return {(r.source_id, r.type, r.target_id)
                for r in self.s.relations(unit_id, self.day, direction="both")}

    def end_facts(self, unit_id: str) -> None:
        """End every relation, function and post of a unit that stops without a successor."""
        s = self.s
        for rel in self.rels_from(unit_id, "both"):
            self._cut_start(rel, s.replace_relation)
        for fn in self.funcs_from(unit_id):
            self._cut_start(fn, s.replace_function)
        for post in self.posts_from(unit_id):
            self._cut_start(post, s.replace_post)
            if post.valid_at(self.day):
                self.e.posts.append((post.person_id, unit_id, post.role, None))

    def name_leaders(self, leaders: Mapping[str, str], dest: str, *,
                     since: tuple[int, int] = (0, 0)) -> None:
        """The operation's `leaders` ({role: person}), once everything is handed over:
        in `dest` or in the body formed or joined with it (areas bring their bodies along)
        where the person holds that role on the date, the other posts of that role end on
        the date (those handed over from the inputs, and the absorbing unit's own); the
        person's other posts are untouched. A person holding no such post there is a
        conflict naming who does. `since`: where the log's bodies and posts of this
        consolidation start (a mapping table's row: the rows before it are not its own)."""
        if not leaders:
            return
        s, day = self.s, self.day
        units = list(dict.fromkeys([dest, *(b for b, _ in self.e.bodies[since[0]:])]))
        posts = self.e.posts
        named: list[str] = []
        for role, person in leaders.items():
            held = {u: [p for p in s.posts(unit_id=u, at=day) if p.role == role]
                    for u in units}
            led = [u for u, ps in held.items() if any(p.person_id == person for p in ps)]
            if not led:
                holders = sorted({p.person_id for ps in held.values() for p in ps})
                who = (f"it is held by {', '.join(holders)}" if holders
                       else "nobody holds it there")
                raise self.conflict(
                    f"leaders.{role}: {person} holds no {role} post in {dest} or the units "
                    f"brought into it on {self.date}; {who}", field=f"leaders.{role}",
                    role=role, person=person, holders=holders)
            for u in led:
                ended: list[tuple[str, str]] = []
                for post in held[u]:
                    if post.person_id == person:
                        continue
                    # a post handed over on the date is removed, the unit's own is cut
                    self._cut_start(post, s.replace_post)
                    handed = [i for i in range(since[1], len(posts))
                              if posts[i][0] == post.person_id and posts[i][2] == role
                              and posts[i][3] == u]
                    for i in handed:  # the hand-over becomes the post's end
                        q, src, r, _ = posts[i]
                        posts[i] = (q, src, r, None)
                        ended.append((q, src))
                    if not handed:
                        posts.append((post.person_id, u, role, None))
                        ended.append((post.person_id, u))
                self.e.leaders.append((u, role, person, tuple(ended)))
                named.append(f"{role} of {u}: {person}")
        main = next((ev for ev in self.e.events if ev.outputs and ev.outputs[0] == dest), None)
        if main is not None:
            ev = dataclasses.replace(main, description=f"{main.description} Leaders named: "
                                     f"{'; '.join(named)}.")
            s.replace_event(ev)
            self.e.events[self.e.events.index(main)] = ev

    def move_child(self, child: str, old_parent: str | None, new_parent: str) -> None:
        """Re-parent `child` from the date on; a later re-parenting in the baseline stays."""
        later_starts: list[PartialDate] = []
        for rel in self.rels_from(child, "out"):
            if rel.type != "PART_OF":
                continue
            if rel.valid_at(self.day):
                self._cut_start(rel, self.s.replace_relation)
            elif _starts_on_or_after(rel, self.day):
                if rel.target_id == old_parent:
                    self.s.replace_relation(rel, _rep(rel, target_id=new_parent,
                                                                      source=self.source))
                else:
                    # _starts_on_or_after is true only for a record with a start date
                    assert rel.valid_from is not None
                    later_starts.append(rel.valid_from)
        link = Relation(source_id=child, type="PART_OF", target_id=new_parent,
                        valid_from=self.date, valid_to=min(later_starts) if later_starts else None,
                        source=self.source)
        clipped = self._clip(link, child, new_parent)
        if clipped is not None:
            self.s.replace_relation(None, clipped)
        self.e.moved.append((child, old_parent, new_parent))

    def duplicates(self, units: Sequence[str], dest: str, *,
                   held: dict[str, list[Function]] | None = None) -> None:
        """Record the functions more than one of `units` holds on the date (`held`: units'
        functions of every date, when the caller has read them)."""
        counts: dict[str, int] = {}
        day = self.day
        for uid in units:
            known = held.get(uid) if held is not None else None
            keys = self.held_functions(uid) if known is None else \
                {f.function for f in known if f.valid_at(day)}
            for f in keys:
                counts[f] = counts.get(f, 0) + 1
        for f, n in sorted(counts.items()):
            if n > 1:
                self.e.duplicated.append((dest, f, n))

    def event(self, type_: str, inputs: Sequence[str], outputs: Sequence[str],
              description: str, *, main: bool = True) -> Event:
        """Record an event; the operation's main event takes its id (`event_id`, or
        `<prefix>-<nn>`), the others that id with a suffix `-2`, `-3`..."""
        base = self.op.event_id or f"{self.s.event_prefix}-{self.index:02d}"
        if main:
            ident = base
        else:
            self._event_seq += 1
            ident = f"{base}-{self._event_seq + 1}"
        if self.s.get_event(ident) is not None:
            raise self.conflict(f"an event with id {ident} already exists; give the operation "
                                "another event_id", event=ident)
        note = f" {self.op.note}" if self.op.note else ""
        ev = Event(id=ident, date=self.date, type=type_, inputs=tuple(inputs),
                   outputs=tuple(outputs), basis=self.op.basis,
                   description=f"{description}.{note}".strip(), source=self.source)
        self.s.add_event(ev)
        self.e.events.append(ev)
        return ev

    def check_cycles(self, starts: list[str]) -> None:
        """No PART_OF cycle through the links this operation added, on its date or on any
        later date where the structure changes (a later operation, a later re-parenting)."""
        if not starts:
            return
        starts = list(dict.fromkeys(starts))
        pending = {self.day} | {e.date.first_day() for e in self.s.scenario_events()
                                if e.date.first_day() > self.day}
        checked: set[dt.date] = set()
        while pending:
            day = min(pending)
            pending.discard(day)
            checked.add(day)
            clear: set[str] = set()  # units whose chain upwards is known to end, on `day`
            # Each unit's PART_OF relations of every date and its parent on `day`, read once
            # (`part_of_and_parent`) for its parent and for the later dates its parent changes.
            read = self.s.part_of_and_parent
            part_of: dict[str, tuple[list[Relation], str | None]] = {}
            for start in starts:
                if start in clear:  # walked already on `day`, its links looked through
                    continue
                chain, cur = [start], start
                while True:
                    known = part_of.get(cur)
                    if known is None:
                        known = part_of[cur] = read(cur, day)
                    parent = known[1]
                    if parent is None:
                        break
                    if parent in chain:
                        loop = chain[chain.index(parent):] + [parent]
                        raise self.conflict(f"this would make a PART_OF cycle on {day.isoformat()}: "
                                            + " → ".join(loop), cycle=loop)
                    if parent in clear:  # its chain ends, and its links were looked through
                        break
                    chain.append(parent)
                    cur = parent
                clear.update(chain)
                for uid in chain:
                    for rel in part_of[uid][0]:
                        if rel.valid_from is not None:
                            start_day = rel.valid_from._first
                            if start_day > day and start_day not in checked:
                                pending.add(start_day)

    # -- operations -----------------------------------------------------------------------------
    def run(self) -> LogEntry:
        self.documents()
        handler = getattr(self, f"do_{self.op.op}")
        # By identity: hashing every relation (its dates) would cost more than the operation.
        known = {id(r) for r in self.s.added_relations()}
        summary = handler(self.op)
        for dest, links in self.pending_links.items():  # none: `merge_bodies` took them
            self._hand_children(links, dest, ())
        self.check_cycles([r.source_id for r in self.s.added_relations()
                           if r.type == "PART_OF" and id(r) not in known])
        e = self.e
        ended = set(e.ended)
        e.moved = [m for m in e.moved if m[0] not in ended]
        inferred = self.inferred_warning()
        if inferred:
            e.warnings.append(inferred)
        clash = same_name_warning(self.s, e.moved, e.started, self.day)
        if clash:
            e.warnings.append(clash)
        return LogEntry(index=self.index, op=self.op.op, date=str(self.date), summary=summary,
                        events=tuple(e.events), subjects=tuple(e.subjects),
                        ended=tuple(e.ended), started=tuple(e.started), moved=tuple(e.moved),
                        renamed=tuple(e.renamed), functions=tuple(e.functions),
                        duplicated_functions=tuple(e.duplicated), posts=tuple(e.posts),
                        headcount=tuple(e.headcount), warnings=tuple(e.warnings),
                        bodies=tuple(e.bodies), unpaired=tuple(e.unpaired),
                        overrides=tuple(dict.fromkeys(e.overrides)),
                        leaders=tuple(e.leaders))

    def _absorb(self, inputs: Sequence[Unit], dest: str, dest_headcount: int | None, *,
                links_to: list[tuple[str, Relation]] | None = None) -> None:
        """Shared by merge and consolidate: the inputs end, `dest` takes over everything
        (their children's PART_OF links too, unless `links_to` is given: listed there as
        (input, link), the caller hands them over)."""
        # Each input's figures read once: for its headcount here and by `end_unit`, which
        # only `end_unit` itself changes.
        own = {u.id: self.s.headcounts(u.id) for u in inputs}
        figures = {uid: h.headcount if (h := headcount_on(hs, self.day)) else None
                   for uid, hs in own.items()}
        # Each input's functions read once too, for the duplicates and for its hand-over:
        # an input's hand-over changes no other input's functions.
        fns = {u.id: self.s.functions(u.id, None) for u in inputs}
        self.duplicates([u.id for u in inputs] + [dest], dest, held=fns)
        day = self.day
        dest_has: dict[str, set] = {}  # what `dest` holds, read once for all the inputs
        for u in inputs:
            part_of = self.hand_over(u.id, dest, links_to=links_to, held_by_src=[
                f for f in fns[u.id] if f.valid_to is None or f.valid_to.first_day() > day],
                dest_has=dest_has)
            self.end_unit(u, figures=own[u.id], part_of=part_of)
        known = [v for v in figures.values() if v is not None]
        if known or dest_headcount is not None:
            total = sum(known) + (dest_headcount or 0)
            self.set_headcount(dest, total)
            for uid, v in figures.items():
                self.e.headcount.append((uid, v, None))
            self.e.headcount.append((dest, dest_headcount, total))
            missing = [uid for uid, v in figures.items() if v is None]
            if missing:
                self.e.warnings.append(f"no headcount figure for {', '.join(missing)} on "
                                       f"{self.date}: {dest}'s figure counts only the others")

    def areas_apart(self, units: Sequence[Unit], into: Unit | None = None) -> None:
        """Refuse bringing an area (a province, district or commune) together with a body
        (a Party committee, a board...): an area consolidates or merges with areas only,
        its bodies following it (`territory`), and a body with bodies. Areas are brought
        together with areas of the same level only (a province with a commune is
        nonsense); a `merge` of areas `into` an area of a higher level (a district into its
        province) is refused too, naming `dissolve_level`, whose job that is."""
        units = list(units) + ([into] if into is not None else [])
        areas = [u for u in units if u.kind in TERRITORIAL_KINDS]
        bodies = [u for u in units if u.kind not in TERRITORIAL_KINDS]
        if areas and bodies:
            raise self.conflict(
                f"{areas[0].id} is an area ({areas[0].kind}) and {bodies[0].id} is not "
                f"({bodies[0].kind}): an area is brought together with areas only (its "
                "bodies follow it), a body with bodies", unit=bodies[0].id)
        if not areas:
            return
        first = into if into is not None else areas[0]
        other = next((u for u in areas if (u.kind, u.level) != (first.kind, first.level)),
                     None)
        if other is None:
            return
        info = {"unit": other.id, "kind": other.kind, "level": other.level,
                "expected": {"kind": first.kind, "level": first.level}}
        what = (f"{other.id} is a {other.kind} (level {other.level}) and {first.id} is a "
                f"{first.kind} (level {first.level})")
        if into is not None and _rank(into) < _rank(other):
            raise self.conflict(
                f"{what}: a {other.kind} is not merged into a {into.kind}; areas are brought "
                f"together with areas of the same level, and a {other.level} level ends into "
                f"the area above it with dissolve_level (level: {other.level}, within: "
                f"{into.id})", **info)
        raise self.conflict(f"{what}: areas are brought together with areas of the same "
                            f"level (expected a {first.kind} of level {first.level})", **info)

    def same_kind(self, inputs: Sequence[Unit], spec: NewUnit) -> None:
        """Refuse a consolidation that changes what an area or a leading body is (two
        communes into a `province`, two People's Committees into a `party_committee`): a
        territorial level changes with dissolve_level, and the pairing of an area's bodies
        and the counts by kind read those kinds, so the change would be applied silently.
        Other bodies may become a new kind, as planners make them (the Front's and the
        mass organisations' offices into one `shared_agency`, two departments into a
        `centre`), with a warning saying so."""
        kinds = sorted({u.kind for u in inputs})
        if spec.kind is None or spec.kind in kinds:
            return
        listing = ", ".join(f"{u.id}: {u.kind}" for u in inputs)
        fixed = sorted(({spec.kind, *kinds}) & KIND_FIXED)
        if not fixed:
            self.e.warnings.append(
                f"the new unit {spec.id} is a {spec.kind}; the units it brings together were "
                f"{listing}: counts by kind see one {spec.kind} instead")
            return
        allowed = kinds[0] if len(kinds) == 1 else f"one of {', '.join(kinds)}"
        raise self.conflict(
            f"the new unit {spec.id} is a {spec.kind}, but the units it brings together are "
            f"{'a ' + kinds[0] if len(kinds) == 1 else 'of kinds ' + ', '.join(kinds)} "
            f"({listing}): a consolidation keeps the kind of an area or a leading body "
            f"({', '.join(fixed)}); give kind {allowed}, or leave kind out (it defaults to "
            "the first unit's)",
            unit=spec.id, kind=spec.kind, expected={"kind": kinds},
            inputs={u.id: u.kind for u in inputs})

    def do_merge(self, op: Merge) -> str:
        into = self.unit(op.into, "unit (into)")
        if self.recorded_future(into):  # it takes part in the what-if: its recorded future goes
            into = self.override_future(into)
        units = op.units if op.select is None else tuple(
            u for u in self.select_units(op.select) if u != op.into)
        if not units:
            raise self.conflict("select chooses no unit to merge on " + str(self.date))
        self.distinct(units, "units")
        inputs = [self.unit(uid) for uid in units]
        for u in inputs:
            if u.id == into.id:
                raise self.conflict(f"unit {u.id} cannot be merged into itself", unit=u.id)
            self.endable(u)
        self.areas_apart(inputs, into)
        self.not_inside(into.id, [u.id for u in inputs], "merge")
        self.e.subject(into.id, *[u.id for u in inputs])
        self._absorb(inputs, into.id, self.headcount(into.id))
        names = ", ".join(u.id for u in inputs)
        self.event("MERGE", [u.id for u in inputs], [into.id],
                   f"merge (sáp nhập): {names} absorbed into {into.id}")
        if op.bodies == "merge" and into.kind in TERRITORIAL_KINDS:
            self.merge_bodies([u for u in inputs if u.kind in TERRITORIAL_KINDS], into,
                              into_existing=True)
        elif into.kind in TERRITORIAL_KINDS:
            self.warn_kept_bodies(inputs, into)
        self.name_leaders(op.leaders, into.id)
        return f"{names} merged into {into.id} on {self.date}"

    def do_consolidate(self, op: Consolidate) -> str:
        units = op.units if op.select is None else tuple(self.select_units(op.select))
        if len(units) < 2:
            raise self.conflict(f"select chooses {len(units)} unit{'s' if len(units) != 1 else ''}"
                                f" on {self.date} ({', '.join(units) or 'none'}); a "
                                "consolidation needs at least 2")
        new = self.consolidate_units(units, op.new, op.parent, op.serves)
        inputs = [self.s.get_unit(u) for u in units]
        if op.bodies == "merge" and any(u.kind in TERRITORIAL_KINDS for u in inputs):
            self.merge_bodies(inputs, new, into_existing=False)
        elif any(u.kind in TERRITORIAL_KINDS for u in inputs):
            self.warn_kept_bodies(inputs, new)
        self.name_leaders(op.leaders, new.id)
        names = ", ".join(units)
        return f"{names} consolidated into the new unit {new.id} on {self.date}"

    def consolidate_units(self, units: Sequence[str], spec: NewUnit, parent: str | None,
                          serves: Sequence[str], *, main: bool = True,
                          body: bool = False,
                          links_to: list[tuple[str, Relation]] | None = None) -> Unit:
        """The units end and the new unit `spec` starts under `parent` (default: their
        common parent), taking over everything; one CONSOLIDATE event. `links_to`: the
        units' children's PART_OF links are listed there, not handed over (`_absorb`)."""
        self.distinct(units, "units")
        inputs = [self.unit(uid) for uid in units]
        for u in inputs:
            self.endable(u)
        if not body:
            self.areas_apart(inputs)
            self.same_kind(inputs, spec)
        self.new_id(spec.id)
        if parent is None:
            # read only when the parent is not given (a body's is: its peers' new parent)
            parents = {u.id: self.parent_of(u.id) for u in inputs}
            distinct = sorted({p for p in parents.values() if p is not None})
            if len(distinct) > 1:
                listing = ", ".join(f"{u}: {p}" for u, p in parents.items())
                raise self.conflict(f"the units have different parents ({listing}); say which "
                                    f"one the new unit {spec.id} is part of with `parent`",
                                    parents=parents)
            parent = distinct[0] if distinct else None
        if parent is not None:
            self.unit(parent, "parent")
            if not body:  # a body's parent is the new body of its parents: no cycle
                self.not_inside(parent, [u.id for u in inputs], f"parent {parent}")
        for target in serves:
            self.unit(target, "serves")
            if target in units:
                raise self.conflict(f"the new unit cannot serve {target}, which it replaces",
                                    unit=target)
        if links_to is None and not body and self.pair_first \
                and self.op.op in ("consolidate", "consolidate_map") \
                and getattr(self.op, "bodies", "") == "merge" \
                and any(u.kind in TERRITORIAL_KINDS for u in inputs):
            # the areas' bodies follow them (the caller's `merge_bodies`, the same test)
            links_to = self.pending_links[spec.id] = []
        new = self.start_unit(spec, inputs[0])
        if new.area:
            self._area_index().setdefault(new.area, []).append(new.id)
        self.e.subject(new.id, *[u.id for u in inputs])
        if parent is not None:
            self.add_relation(new.id, "PART_OF", parent)
        self._absorb(inputs, new.id, None, links_to=links_to)
        for target in serves:
            if not self.has_relation(new.id, "SERVES", target):
                self.add_relation(new.id, "SERVES", target)
        names = ", ".join(u.id for u in inputs)
        self.event("CONSOLIDATE", [u.id for u in inputs], [new.id],
                   f"consolidate (hợp nhất): {names} end and {new.id} ({new.name}) starts",
                   main=main)
        return new

    def do_split(self, op: Split) -> str:
        unit = self.unit(op.unit)
        self.endable(unit)
        for part in op.into:
            self.new_id(part.id)
        old_parent = self.parent_of(unit.id)
        children = self.s.children(unit.id, self.day)
        functions = self.held_functions(unit.id)
        assigned: dict[str, str] = {}
        for part in op.into:
            for child in part.children:
                if child not in children:
                    raise self.conflict(f"{child} (given to {part.id}) is not a child of "
                                        f"{unit.id} on {self.date}; its children are: "
                                        f"{', '.join(children) or 'none'}", unit=child)
                if child in assigned:
                    raise self.conflict(f"{child} is given to both {assigned[child]} and "
                                        f"{part.id}: it would have two parents", unit=child)
                assigned[child] = part.id
            for f in part.functions:
                if f not in functions:
                    raise self.conflict(f"function {f} (given to {part.id}) is not held by "
                                        f"{unit.id} on {self.date}; it holds: "
                                        f"{', '.join(functions) or 'none'}", function=f)
            if part.parent is not None:
                self.unit(part.parent, f"parent of {part.id}")
                if part.parent == unit.id:
                    raise self.conflict(f"{part.id} cannot be part of {unit.id}, which ends")
                self.not_inside(part.parent, [unit.id], f"parent of {part.id}")
        orphans = [c for c in children if c not in assigned]
        lost = [f for f in functions if not any(f in p.functions for p in op.into)]
        if orphans or lost:
            what = []
            if orphans:
                what.append(f"children {', '.join(orphans)}")
            if lost:
                what.append(f"functions {', '.join(lost)}")
            raise self.conflict(f"splitting {unit.id} would orphan {' and '.join(what)}: give "
                                "each to one of the new units (`children`, `functions`)",
                                orphans=orphans, functions=lost)
        figure = self.headcount(unit.id)
        given = [p.headcount for p in op.into]
        shares: list[int | None] = list(given)
        if figure is not None and all(g is None for g in given):
            n = len(op.into)
            shares = [figure // n + (1 if i < figure % n else 0) for i in range(n)]
            self.e.warnings.append(f"the headcount of {unit.id} ({figure}) is divided evenly: "
                                   + ", ".join(f"{p.id} {v}" for p, v in zip(op.into, shares))
                                   + " (give `headcount` per new unit to choose)")
        parts = []
        for part, share in zip(op.into, shares):
            new = self.start_unit(part, unit)
            parts.append(new)
            parent = part.parent if part.parent is not None else old_parent
            if parent is not None:
                self.add_relation(new.id, "PART_OF", parent)
            if share is not None:
                self.set_headcount(new.id, share)
                self.e.headcount.append((new.id, None, share))
        self.e.subject(unit.id, *[p.id for p in parts])
        # Children and functions as assigned; other relations copied to every part.
        for rel in self.rels_from(unit.id, "in"):
            tail = self._cut(rel, self.s.replace_relation)
            if tail is None:
                continue
            if rel.type == "PART_OF":
                target = assigned.get(rel.source_id)
                if target is None:  # a child joining after the date: give it to the first part
                    target = parts[0].id
                targets = [target]
                if rel.valid_at(self.day):
                    self.e.moved.append((rel.source_id, unit.id, target))
            else:
                targets = [p.id for p in parts if p.id != rel.source_id]
            for t in targets:
                moved = self._clip(_rep(tail, target_id=t, source=self.source),
                                   rel.source_id, t)
                if moved is not None:
                    self.s.replace_relation(None, moved)
        for rel in self.rels_from(unit.id, "out"):
            tail = self._cut(rel, self.s.replace_relation)
            if tail is None or rel.type == "PART_OF":
                continue
            for p in parts:
                moved = self._clip(_rep(tail, source_id=p.id, source=self.source),
                                   p.id, rel.target_id)
                if moved is not None:
                    self.s.replace_relation(None, moved)
        for fn in self.funcs_from(unit.id):
            fn_tail = self._cut(fn, self.s.replace_function)
            takers = [p.id for p, spec in zip(parts, op.into) if fn.function in spec.functions]
            for t in takers:
                self.e.functions.append((fn.function, unit.id, t))
                if fn_tail is not None:
                    moved_fn = self._clip(_rep(fn_tail, unit_id=t, source=self.source), t)
                    if moved_fn is not None:
                        self.s.replace_function(None, moved_fn)
        for post in self.posts_from(unit.id):
            self._cut_start(post, self.s.replace_post)
            if post.valid_at(self.day):
                self.e.posts.append((post.person_id, unit.id, post.role, None))
        if figure is not None:
            self.e.headcount.append((unit.id, figure, None))
        self.end_unit(unit)
        names = ", ".join(p.id for p in parts)
        self.event("SPLIT", [unit.id], [p.id for p in parts],
                   f"split (chia tách): {unit.id} ends and {names} start")
        return f"{unit.id} split into {names} on {self.date}"

    def do_transfer_function(self, op: TransferFunction) -> str:
        src = self.unit(op.from_unit, "unit (from)")
        dest = self.unit(op.to, "unit (to)")
        if src.id == dest.id:
            raise self.conflict("a function cannot be transferred from a unit to itself")
        held = self.held_functions(src.id)
        if op.function not in held:
            raise self.conflict(f"{src.id} does not hold the function {op.function} on "
                                f"{self.date}; it holds: {', '.join(held) or 'none'}",
                                unit=src.id, function=op.function)
        self.e.subject(src.id, dest.id)
        already = op.function in self.held_functions(dest.id)
        if already:
            self.e.duplicated.append((dest.id, op.function, 2))
        for fn in self.funcs_from(src.id):
            if fn.function != op.function:
                continue
            tail = self._cut(fn, self.s.replace_function)
            if tail is not None and not already:
                moved = self._clip(_rep(tail, unit_id=dest.id, source=self.source),
                                   dest.id)
                if moved is not None:
                    self.s.replace_function(None, moved)
        self.e.functions.append((op.function, src.id, dest.id))
        if op.headcount:
            have = self.headcount(src.id)
            if have is None or have < op.headcount:
                raise self.conflict(f"{src.id} has {'no headcount figure' if have is None else have}"
                                    f" on {self.date}; {op.headcount} people cannot move from it",
                                    unit=src.id)
            other = self.headcount(dest.id)
            self.set_headcount(src.id, have - op.headcount)
            self.set_headcount(dest.id, (other or 0) + op.headcount)
            self.e.headcount += [(src.id, have, have - op.headcount),
                                 (dest.id, other, (other or 0) + op.headcount)]
        self.event("TRANSFER_FUNCTION", [src.id], [dest.id],
                   f"{op.function}: the function moves from {src.id} to {dest.id}")
        return f"function {op.function} moved from {src.id} to {dest.id} on {self.date}"

    def do_move(self, op: Move) -> str:
        unit = self.unit(op.unit)
        parent = self.unit(op.parent, "parent")
        old = self.parent_of(unit.id)
        if old == parent.id:
            raise self.conflict(f"{unit.id} is already part of {parent.id} on {self.date}")
        self.not_inside(parent.id, [unit.id], "move")
        later = [r for r in self.s.relations(unit.id, None, types=("PART_OF",))
                 if r.valid_from is not None and r.valid_from.first_day() > self.day]
        if later:
            r = later[0]
            raise self.conflict(f"{unit.id} already becomes part of {r.target_id} from "
                                f"{r.valid_from}; moving it under {parent.id} from {self.date} "
                                "would give it two parents", unit=unit.id)
        self.e.subject(unit.id)
        self.move_child(unit.id, old, parent.id)
        self.event("MOVE", [unit.id], [parent.id],
                   f"move: {unit.id} moves from {old or 'no parent'} to {parent.id}")
        return f"{unit.id} moved from {old or 'no parent'} to {parent.id} on {self.date}"

    def do_establish(self, op: Establish) -> str:
        for part in op.new:
            self.new_id(part.id)
        started = []
        for part in op.new:
            parent = self.unit(part.parent, f"parent of {part.id}") if part.parent else None
            if part.kind is None:
                raise self.conflict(f"new unit {part.id}: say its kind", unit=part.id)
            new = self.start_unit(part, parent)  # level and area default from the parent
            started.append(new)
            if parent is not None:
                self.add_relation(new.id, "PART_OF", parent.id)
            if part.headcount is not None:
                self.set_headcount(new.id, part.headcount)
                self.e.headcount.append((new.id, None, part.headcount))
        self.e.subject(*[u.id for u in started])
        self.event("ESTABLISH", [], [u.id for u in started],
                   "establish: " + ", ".join(u.id for u in started) + " start")
        return f"{', '.join(u.id for u in started)} established on {self.date}"

    def do_rename(self, op: Rename) -> str:
        unit = self.unit(op.unit)
        if op.new_id is None:
            if op.name == unit.name and op.name_en in (None, unit.name_en) and \
                    op.abbr in (None, unit.abbr):
                raise self.conflict(f"{unit.id} is already called {op.name!r}")
            renamed = _rep(
                unit, name=op.name, name_en=unit.name_en if op.name_en is None else op.name_en,
                abbr=unit.abbr if op.abbr is None else op.abbr,
                note=(unit.note + " " if unit.note else "") + f"Renamed on {self.date} "
                f"(formerly {unit.name!r}).")
            self.s.put_unit(renamed, new=self.s.is_new(unit.id))
            # The old name stays the unit's name before the date (names.csv once committed).
            ends = [n.valid_to for n in self.s.unit_names(unit.id) if n.valid_to is not None]
            start = max(ends, key=lambda d: d.first_day()) if ends else unit.valid_from
            self.s.add_name(UnitName(unit_id=unit.id, name=unit.name, name_en=unit.name_en,
                                     abbr=unit.abbr, valid_from=start, valid_to=self.date,
                                     source=self.source))
            self.e.subject(unit.id)
            self.e.renamed.append((unit.id, unit.name, op.name, unit.id))
            self.event("RENAME", [unit.id], [unit.id],
                       f"rename: {unit.name!r} becomes {op.name!r}")
            return f"{unit.id} renamed {op.name!r} on {self.date}"
        self.endable(unit)
        self.new_id(op.new_id)
        spec = NewUnit(id=op.new_id, name=op.name,
                       name_en=unit.name_en if op.name_en is None else op.name_en,
                       abbr=unit.abbr if op.abbr is None else op.abbr)
        new = self.start_unit(spec, unit)
        self.e.subject(unit.id, new.id)
        parent = self.parent_of(unit.id)
        if parent is not None:
            self.add_relation(new.id, "PART_OF", parent)
        figure = self.headcount(unit.id)
        self.hand_over(unit.id, new.id)
        self.e.functions[:] = []  # a successor carries every function over: not a transfer
        self.end_unit(unit)
        if figure is not None:
            self.set_headcount(new.id, figure)
            self.e.headcount.append((new.id, None, figure))
        self.e.renamed.append((unit.id, unit.name, op.name, new.id))
        self.event("RENAME", [unit.id], [new.id],
                   f"rename: {unit.id} ({unit.name!r}) is succeeded by {new.id} ({op.name!r})")
        return f"{unit.id} succeeded by {new.id} ({op.name!r}) on {self.date}"

    def do_dissolve(self, op: Dissolve) -> str:
        unit = self.unit(op.unit)
        self.endable(unit)
        children = self.s.children(unit.id, self.day)
        functions = self.held_functions(unit.id)
        if isinstance(op.functions_to, str):
            mapping = {f: op.functions_to for f in functions}
        else:
            mapping = dict(op.functions_to or {})
            for f in mapping:
                if f not in functions:
                    raise self.conflict(f"functions_to names {f}, which {unit.id} does not hold on "
                                        f"{self.date}; it holds: {', '.join(functions) or 'none'}",
                                        function=f)
        if op.drop_functions is True:
            dropped = [f for f in functions if f not in mapping]
        else:
            dropped = list(op.drop_functions or ())
            for f in dropped:
                if f not in functions:
                    raise self.conflict(f"drop_functions names {f}, which {unit.id} does not hold "
                                        f"on {self.date}", function=f)
        joining = [r for r in self.rels_from(unit.id, "in")
                   if r.type == "PART_OF" and r.valid_from is not None
                   and r.valid_from.first_day() > self.day]
        orphans = children + [f"{r.source_id} (joining on {r.valid_from})" for r in joining] \
            if op.children_to is None else []
        lost = [f for f in functions if f not in mapping and f not in dropped]
        if orphans or lost:
            what = []
            if orphans:
                what.append(f"children {', '.join(orphans)} (give `children_to`)")
            if lost:
                what.append(f"functions {', '.join(lost)} (give `functions_to`, or "
                            "`drop_functions` to let them end)")
            raise self.conflict(f"dissolving {unit.id} would orphan {' and '.join(what)}",
                                orphans=orphans, functions=lost)
        if op.children_to is not None and (children or joining):
            self.unit(op.children_to, "children_to")
            self.not_inside(op.children_to, [unit.id], "children_to")
        for dest in sorted(set(mapping.values())):
            self.unit(dest, "functions_to")
            if dest == unit.id:
                raise self.conflict("functions_to cannot be the unit that is dissolved")
        self.e.subject(unit.id, *sorted(set(mapping.values())))
        if children or joining:
            # without children_to they would be orphans, and the check above raised
            assert op.children_to is not None
            children_to = op.children_to
            for child in children:
                self.move_child(child, unit.id, children_to)
            for rel in joining:  # children that join later (in the baseline) join children_to
                moved = self._clip(_rep(rel, target_id=children_to, source=self.source),
                                   rel.source_id, children_to)
                self.s.replace_relation(rel, moved)
            if children:
                self.event("MOVE", children, [children_to],
                           f"move: the children of {unit.id} move to {children_to} before it "
                           "is dissolved", main=False)
        by_dest: dict[str, list[str]] = {}
        for f, dest in mapping.items():
            by_dest.setdefault(dest, []).append(f)
        for dest, fs in sorted(by_dest.items()):
            for f in fs:
                duplicated = f in self.held_functions(dest)
                if duplicated:
                    self.e.duplicated.append((dest, f, 2))
                for fn in self.funcs_from(unit.id):
                    if fn.function == f:
                        tail = self._cut(fn, self.s.replace_function)
                        if tail is not None and not duplicated:
                            moved_fn = self._clip(_rep(tail, unit_id=dest,
                                                       source=self.source), dest)
                            if moved_fn is not None:
                                self.s.replace_function(None, moved_fn)
                self.e.functions.append((f, unit.id, dest))
            self.event("TRANSFER_FUNCTION", [unit.id], [dest],
                       f"{';'.join(fs)}: the function{'s' if len(fs) > 1 else ''} of {unit.id} "
                       f"move{'' if len(fs) > 1 else 's'} to {dest} before it is dissolved",
                       main=False)
        for f in dropped:
            self.e.functions.append((f, unit.id, None))
        figure = self.headcount(unit.id)
        if figure is not None:
            self.e.headcount.append((unit.id, figure, None))
        self.end_facts(unit.id)
        self.end_unit(unit)
        self.event("DISSOLVE", [unit.id], [], f"dissolve (giải thể): {unit.id} ends")
        return f"{unit.id} dissolved on {self.date}"

    def do_create_shared_agency(self, op: CreateSharedAgency) -> str:
        members = [self.unit(uid, "member (serves)") for uid in op.serves]
        self.new_id(op.new.id)
        for uid in op.transfer_headcount:
            if uid not in op.serves:
                raise self.conflict(f"transfer_headcount names {uid}, which the agency does not "
                                    "serve", unit=uid)
        parent = op.parent
        if parent is None:
            parents = {self.parent_of(m.id) for m in members}
            parent = parents.pop() if len(parents) == 1 else None
        else:
            self.unit(parent, "parent")
        agency = self.start_unit(op.new, members[0], default_kind="shared_agency")
        if op.new.kind is None:
            agency = _rep(agency, kind="shared_agency")
            self.s.put_unit(agency, new=True)
        self.e.subject(agency.id, *[m.id for m in members])
        if parent is not None:
            self.add_relation(agency.id, "PART_OF", parent)
        for m in members:
            self.add_relation(agency.id, "SERVES", m.id)
        givers: dict[str, list[str]] = {}
        for f in op.functions:
            holders = [m.id for m in members if f in self.held_functions(m.id)]
            if len(holders) > 1:
                self.e.duplicated.append((agency.id, f, len(holders)))
            if not holders:
                self.e.warnings.append(f"no member holds {f} on {self.date}: the agency starts "
                                       "it as a new function")
            for h in holders:
                for fn in self.funcs_from(h):
                    if fn.function == f:
                        self._cut_start(fn, self.s.replace_function)
                self.e.functions.append((f, h, agency.id))
                givers.setdefault(h, []).append(f)
            self.s.replace_function(None, Function(unit_id=agency.id, function=f,
                                                    valid_from=self.date, source=self.source))
        total = op.headcount
        moved_total = 0
        for uid, n in op.transfer_headcount.items():
            have = self.headcount(uid)
            if have is None or have < n:
                raise self.conflict(f"{uid} has {'no headcount figure' if have is None else have}"
                                    f" on {self.date}; {n} people cannot move from it", unit=uid)
            self.set_headcount(uid, have - n)
            self.e.headcount.append((uid, have, have - n))
            moved_total += n
        if total is None and op.transfer_headcount:
            total = moved_total
        if total is not None:
            self.set_headcount(agency.id, total)
            self.e.headcount.append((agency.id, None, total))
        self.event("ESTABLISH", [], [agency.id],
                   f"establish: shared agency {agency.id} ({agency.name}) serving "
                   f"{', '.join(m.id for m in members)}")
        for h, fs in givers.items():
            self.event("TRANSFER_FUNCTION", [h], [agency.id],
                       f"{';'.join(fs)}: taken over by the shared agency {agency.id}", main=False)
        return (f"shared agency {agency.id} created on {self.date}, serving "
                f"{len(members)} units" + (f" and taking over {', '.join(op.functions)}"
                                           if op.functions else ""))
