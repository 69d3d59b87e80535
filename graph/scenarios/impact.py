"""`impact(before, after, assumptions) -> report`: what a scenario changes, in numbers.

Pure: reads two states and returns a plain dict (JSON-ready). The report is scoped to
the affected part of the graph: the subtrees (PART_OF, on the date) of the units the
operations act on ("subjects": units that end, start, absorb, move, are renamed, give or
receive functions), read in the baseline and in the scenario, plus the parents of those
units for span of control. Everything a planner needs to check the numbers by hand is in
the report: the scope, the assumptions and, for each saving, where it comes from.

Headcount: a unit's figure on the date is its latest approved figure on or before it
(else its latest actual one). The scenario's recorded headcount conserves people (merged
units' figures are summed); the assumptions then say what the reorganisation saves:

- `remove_duplicate_leadership` (default true): a unit brought together from several,
  holding two or more people in a single-holder leadership role (`single_holder_roles`:
  secretary, standing deputy secretary, head, chair), keeps one; each removed post saves
  `leadership_post_saving` people (default 1);
- `support_saving` (default office_admin, finance_accounting and transport at 0.5): for a
  support function that ends up duplicated inside a merged unit (held by k of the units
  brought together), each of the k - 1 duplicate teams of `support_staff` people
  (default 2) is cut by that ratio.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
import dataclasses
from dataclasses import asdict, dataclass, field
from itertools import compress, repeat, starmap
from operator import attrgetter, eq, itemgetter, not_
from functools import cached_property, partial
from typing import (Any, Callable, Generic, Iterable, Mapping, Protocol, TypeVar, cast,
                    overload)

from graph.embedded.gc_pause import paused_gc
from graph.errors import InvalidParameter
from graph.model import LEADERSHIP_ROLES, Unit
from graph.scenarios.apply import SINGLE_HOLDER_ROLES, LogEntry
from graph.queries.structure import headcount_at
from graph.scenarios.walks import children_reader
from graph.scenarios.state import ScenarioState
from graph.scenarios.tables import DayTables
from graph.store import GraphReader

T = TypeVar("T")

DEFAULT_SUPPORT_SAVING = {"office_admin": 0.5, "finance_accounting": 0.5, "transport": 0.5}
#: From this many roots of the region on, both sides are read as whole tables (one pass over
#: the reader's tables costs about what a few thousand per-unit reads cost).
BULK_ROOTS = 2000


#: The largest staff, saving or span figure an assumption may state.
ASSUMPTION_MAX = 100_000


@dataclass(frozen=True)
class Assumptions:
    remove_duplicate_leadership: bool = True
    leadership_post_saving: float = 1.0
    support_saving: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_SUPPORT_SAVING))
    support_staff: float = 2.0
    max_span: int = 10
    single_holder_roles: tuple[str, ...] = SINGLE_HOLDER_ROLES

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["support_saving"] = dict(self.support_saving)
        out["single_holder_roles"] = list(self.single_holder_roles)
        return out

    @classmethod
    def from_mapping(cls, values: Mapping[str, Any]) -> "Assumptions":
        """From query parameters or a plan file: every value may be text.

        `support_saving` is `office_admin:0.5,transport:0.3` (or a mapping); a key
        `saving.<function>` (or `saving_<function>`) sets one ratio."""
        errors: list[dict[str, Any]] = []
        kwargs: dict[str, Any] = {}
        support = dict(DEFAULT_SUPPORT_SAVING)

        def number(key: str, raw: Any, *, integer: bool = False, ratio: bool = False):
            try:
                value = int(raw) if integer else float(raw)
                # a finite, human-sized figure: staff per team, people per post or a span
                # (an unbounded one overflows the report's integers)
                if not 0 <= value <= (1 if ratio else ASSUMPTION_MAX):
                    raise ValueError
                return value
            except (TypeError, ValueError, OverflowError):
                expected = "a ratio between 0 and 1" if ratio else \
                    f"a whole number from 0 to {ASSUMPTION_MAX}" if integer else \
                    f"a number from 0 to {ASSUMPTION_MAX}"
                errors.append({"field": key, "message": f"expected {expected}",
                               "value": str(raw)})
                return None

        for key, raw in values.items():
            if raw is None or raw == "":
                continue
            if key == "remove_duplicate_leadership":
                text = str(raw).strip().lower()
                if text in ("1", "true", "yes", "on"):
                    kwargs[key] = True
                elif text in ("0", "false", "no", "off"):
                    kwargs[key] = False
                else:
                    errors.append({"field": key, "message": "expected true or false",
                                   "value": str(raw)})
            elif key in ("leadership_post_saving", "support_staff"):
                v = number(key, raw)
                if v is not None:
                    kwargs[key] = v
            elif key == "max_span":
                v = number(key, raw, integer=True)
                if v is not None:
                    kwargs[key] = int(v)
            elif key == "support_saving":
                items = raw.items() if isinstance(raw, Mapping) else (
                    part.split(":", 1) if ":" in part else (part, "")
                    for part in str(raw).split(",") if part.strip())
                for name, value in items:
                    v = number(f"support_saving.{name}", value, ratio=True)
                    if v is not None:
                        support[str(name).strip()] = v
            elif key.startswith(("saving.", "saving_")):
                name = key.split(".", 1)[1] if key.startswith("saving.") else key[7:]
                v = number(key, raw, ratio=True)
                if v is not None:
                    support[name] = v
            elif key == "single_holder_roles":
                roles = raw if isinstance(raw, (list, tuple)) else str(raw).split(",")
                kwargs[key] = tuple(r.strip() for r in roles if r.strip())
            else:
                errors.append({"field": key, "message": "unknown assumption; expected one of "
                               "remove_duplicate_leadership, leadership_post_saving, "
                               "support_saving, saving.<function>, support_staff, max_span, "
                               "single_holder_roles", "value": str(raw)})
        if errors:
            raise InvalidParameter(f"assumptions: {errors[0]['field']}: {errors[0]['message']}",
                                   errors=errors)
        return cls(support_saving=support, **kwargs)


V = TypeVar("V")
V_co = TypeVar("V_co", covariant=True)


class _PerUnit(Protocol[V_co]):
    """What the sections read of a region's per-unit answers: a dict (every unit of the
    region a key), or `_OnRegion` over a whole table."""

    def get(self, uid: str, /) -> V_co | None: ...
    def __contains__(self, uid: object, /) -> bool: ...
    def values(self) -> Iterable[V_co]: ...


class _OnRegion(Generic[V]):
    """A whole table's answers for the units of a region, as the unit-by-unit reading's
    dict holds them (every unit of the region a key, `default` where the table has none),
    without building that dict (200,000 units a side in a national plan): `values()` looks
    each unit up in C, in the region's order."""

    __slots__ = ("_region", "_table", "_default")

    def __init__(self, region: Mapping[str, Any], table: Mapping[str, V], default: V):
        self._region, self._table, self._default = region, table, default

    def get(self, uid: str, /) -> V | None:
        return self._table.get(uid, self._default) if uid in self._region else None

    def __contains__(self, uid: object, /) -> bool:
        return uid in self._region

    def values(self) -> list[V]:
        return list(map(self._table.get, self._region, repeat(self._default)))


@dataclass
class _RegionReading:
    """What the report needs from one state, over the affected region."""

    at: dt.date
    units: dict[str, Unit]
    depth: dict[str, int]  # absolute layer, the top unit being layer 1
    children: dict[str, int]
    headcount: _PerUnit[int | None]
    leaders: _PerUnit[list[tuple[str, str]]]  # unit -> [(person, role)]
    #: unit -> its children on `at` (the walk's reading, reused by the scenario's walk)
    _kids: dict[str, list[str]] = field(default_factory=dict, repr=False, compare=False)


def _read_region(reader: GraphReader, roots: Iterable[str], at: dt.date, span_units: Iterable[str],
              reuse: "_RegionReading | None" = None,
              changed: frozenset[str] | None = None) -> _RegionReading:
    """Walk the subtrees of `roots` on `at` (outer roots first), reading each unit once.

    With `reuse` (the baseline's snapshot) and `changed` (units the scenario changed), an
    unchanged unit's children, headcount and posts are taken from `reuse`. A large region
    is read from whole tables instead (`_read_region_tables`: the same answers)."""
    roots = list(dict.fromkeys(roots))
    known = reader.get_units(roots)
    roots = [r for r in roots if (u := known.get(r)) is not None and u.valid_at(at)]
    top = _layers(lambda uid: reader.parent(uid, at), roots)
    roots.sort(key=lambda r: (top[r], r))
    # The baseline's reading, taken over for the units the scenario did not change (only
    # when both `reuse` and `changed` are given).
    base = reuse if changed is not None else None
    base_headcount: dict[str, int | None] = {}
    base_leaders: dict[str, list[tuple[str, str]]] = {}
    if base is not None:  # a unit-by-unit reading: dicts
        assert isinstance(base.headcount, dict) and isinstance(base.leaders, dict)
        base_headcount, base_leaders = base.headcount, base.leaders
    changed_ids: frozenset[str] = changed if changed is not None else frozenset()

    read_kids = children_reader(reader, at)

    def kids(uid: str) -> list[str]:
        if base is not None and uid not in changed_ids and uid in base._kids:
            return base._kids[uid]
        return read_kids(uid)

    all_kids: dict[str, list[str]] = {}
    depth, children = _walk(roots, top, kids, all_kids)
    for uid in span_units:
        if uid not in children and uid is not None:
            u = reader.get_unit(uid)
            if u is not None and u.valid_at(at):
                ks = kids(uid)
                all_kids[uid] = ks
                children[uid] = len(ks)
    region = list(depth)
    units = reader.get_units(region)
    headcount: dict[str, int | None] = {}
    leaders: dict[str, list[tuple[str, str]]] = {}
    for uid in region:
        if base is not None and uid not in changed_ids and uid in base_headcount:
            headcount[uid] = base_headcount[uid]
            leaders[uid] = base_leaders[uid]
            continue
        h = headcount_at(reader, uid, at)
        headcount[uid] = h.headcount if h else None
        leaders[uid] = [(p.person_id, p.role) for p in reader.posts(unit_id=uid, at=at)
                        if p.role in LEADERSHIP_ROLES]
    return _RegionReading(at, units, depth, children, headcount, leaders, all_kids)


#: The children of a unit without any (shared by the readings of a region: never modified).
_NO_KIDS: list[str] = []
#: The leaders of a unit without any (shared by the readings of a region: never modified).
_NO_LEADERS: list[tuple[str, str]] = []
_NO_FUNCTIONS: frozenset[str] = frozenset()


def _read_region_tables(reader: GraphReader, roots: list[str], at: dt.date,
                        span_units: Iterable[str], tables: DayTables,
                        known: Mapping[str, Unit] | None = None, *,
                        any_order: bool = False) -> _RegionReading:
    """`_read_region` over whole tables: the same walk and the same readings (same units,
    same order), each unit read with dict lookups in one loop (no call per unit); the
    headcount and leaders are the tables' answers seen through the region (`_OnRegion`).
    `roots`: without repeats; `known`: the roots' units as `reader.get_units(roots)`
    answers (else asked). `any_order`: the region's units (`units`) may come in another
    order than `reader.get_units` gives them (nothing reads the baseline's in order): they
    are read from `known` (`_units_of`)."""
    if known is None:
        known = reader.get_units(roots)
    get = known.get
    # `u.valid_at(at)` written out, over the dates' first days as stored (a national plan
    # has 200,000 roots)
    roots = [r for r in roots if (u := get(r)) is not None
             and ((s := u.valid_from) is None or s._first <= at)
             and ((e := u.valid_to) is None or at < e._first)]
    top = _layers(tables.parent_of.get, roots)
    # by (layer, id): ids first, then a stable sort by layer (both keys read in C)
    roots.sort()
    roots.sort(key=top.__getitem__)
    kids_of = tables.children_of.get
    depth, children = _walk(roots, top, kids_of)
    for uid in span_units:
        if uid not in children and uid is not None:
            u = reader.get_unit(uid)
            if u is not None and u.valid_at(at):
                children[uid] = len(kids_of(uid, _NO_KIDS))
    units = _units_of(reader, depth, known) if any_order else reader.get_units(depth)
    return _RegionReading(at, units, depth, children,
                          _OnRegion(depth, tables.headcount_of, None),
                          _OnRegion(depth, tables.leaders_of, _NO_LEADERS))


def _units_of(reader: GraphReader, ids: Mapping[str, Any],
              known: Mapping[str, Unit]) -> dict[str, Unit]:
    """`reader.get_units(ids)` (the same units, in the order of `ids`: a reader may answer
    in another), given `known`, its answer for most of them (a region's units are mostly
    its roots): each looked up in C, the reader asked for the others only."""
    units: dict[str, Unit | None] = dict(zip(ids, map(known.get, ids)))
    # the ids `known` has no answer for: the reader's (or none)
    missing = [uid for uid, u in units.items() if u is None]
    if missing:
        found = reader.get_units(missing)
        for uid in missing:
            u = found.get(uid)
            if u is None:
                del units[uid]
            else:
                units[uid] = u
    return units  # type: ignore[return-value]  # no None left


def _units_over(state: GraphReader, baseline: dict[str, Unit],
                ids: Iterable[str]) -> dict[str, Unit]:
    """`state.get_units(ids)` (in another order) from the baseline's answer for them: the
    state's own record of a unit where it set one (`ScenarioState.get_unit`)."""
    assert isinstance(state, ScenarioState)
    out = dict(baseline)
    mine = state.changed_units()
    # the state's records among `ids`, found in C, in the order of `ids` (not a set's
    # order: an answer's order never depends on the process's hash seed)
    hits = list(filter(mine.__contains__, ids))
    out.update(zip(hits, map(mine.__getitem__, hits)))
    return out


def _walk(roots: list[str], top: dict[str, int], kids: Callable[[str], list[str] | None],
          record: dict[str, list[str]] | None = None) -> tuple[dict[str, int], dict[str, int]]:
    """Breadth first under each root in order (outer roots first), one layer at a time:
    each unit's absolute layer (a root's from `top`) and its number of children; `kids`
    answers a unit's children (None: none), `record` keeps them by unit."""
    depth: dict[str, int] = {}
    children: dict[str, int] = {}
    for root in roots:
        if root in depth:
            continue
        d = depth[root] = top[root]
        frontier = [root]
        while frontier:  # every unit of `frontier` is at layer d
            nxt = []
            d += 1
            for uid in frontier:
                ks = kids(uid) or _NO_KIDS
                if record is not None:
                    record[uid] = ks
                children[uid] = len(ks)
                for k in ks:
                    if k not in depth:
                        depth[k] = d
                        nxt.append(k)
            frontier = nxt
    return depth, children


def _layers(parent_of: Callable[[str], str | None], roots: list[str]) -> dict[str, int]:
    """Each root's layer (the top unit is layer 1), sharing the walks upwards (a national
    plan has tens of thousands of roots under a few hundred units). The answer may hold
    other units too (those above the roots)."""
    memo: dict[str, int] = {}
    # (asked for None, a unit without parent: never a key)
    known = cast(Callable[[str | None], int | None], memo.get)
    for r in roots:
        if r in memo:  # on the chain of a root walked before
            continue
        m = known(parent_of(r))
        if m is not None:  # the common case, as the walk below would find it
            memo[r] = m + 1
            continue
        chain: list[str] = []
        cur: str | None = r
        while cur is not None and cur not in memo and cur not in chain and len(chain) < 1000:
            chain.append(cur)
            cur = parent_of(cur)
        base = memo.get(cur, 0) if cur is not None else 0
        for i, uid in enumerate(reversed(chain)):
            memo[uid] = base + i + 1
    return memo


def _by_kind_and_level(units: Iterable[Unit]) -> tuple[Counter, Counter]:
    """The units counted by kind and by level, from one pass over them."""
    pairs = Counter(map(attrgetter("kind", "level"), units))
    kinds: Counter = Counter()
    levels: Counter = Counter()
    for (kind, level), n in pairs.items():
        kinds[kind] += n
        levels[level] += n
    return kinds, levels


def _compare(before: Counter, after: Counter) -> tuple[tuple[str, "Count"], ...]:
    return tuple((k, Count(before.get(k, 0), after.get(k, 0)))
                 for k in sorted(set(before) | set(after)))


def _num(x: float) -> float | int:
    x = round(x, 2)
    return int(x) if float(x).is_integer() else x


# -- the report, section by section (frozen; `to_dict()` is the API's JSON) --------------------
class _Json:
    """`to_dict()` (and `as_dict`, the name `api.responses` and the pages read)."""

    def to_dict(self) -> dict[str, Any]:  # pragma: no cover - every section overrides it
        raise NotImplementedError

    def as_dict(self) -> dict[str, Any]:
        return self.to_dict()


class _Deferred:
    """Records not made yet: `rows()` answers their fields as tuples, in order (computed
    once); `record(*row)` makes one record, `row_dict(*row)` its `to_dict()`."""

    __slots__ = ("_compute", "_rows", "record", "row_dict")

    def __init__(self, rows: Callable[[], list[tuple]], record: Callable[..., Any],
                 row_dict: Callable[..., dict[str, Any]]):
        self._compute = rows
        self._rows: list[tuple] | None = None
        self.record, self.row_dict = record, row_dict

    def rows(self) -> list[tuple]:
        rows = self._rows
        if rows is None:
            rows = self._rows = self._compute()
        return rows

    def records(self) -> tuple:
        return tuple(starmap(self.record, self.rows()))

    def dicts(self) -> list[dict[str, Any]]:
        return list(starmap(self.row_dict, self.rows()))


class _Records(Generic[T]):
    """A section's field holding a tuple of records, which `impact` may give as a
    `_Deferred` (a national plan moves 155,603 posts: as many records, built, then walked
    by the cyclic collector, when the API only asks for their JSON). To a reader the field
    is a tuple like any other: the records are made on its first read; the section's
    `to_dict` makes the JSON straight from the rows (`dicts`) when nothing read it.

    (A dataclass field whose class attribute is a descriptor: the generated `__init__` sets
    the value through `__set__`, and `__get__` on the class raising AttributeError says
    that the field has no default.)"""

    def __set_name__(self, owner: type, name: str) -> None:
        self._key = f"_{name}_records"

    @overload
    def __get__(self, obj: None, owner: Any = None) -> "_Records[T]": ...
    @overload
    def __get__(self, obj: object, owner: Any = None) -> tuple[T, ...]: ...

    def __get__(self, obj: object | None, owner: Any = None) -> Any:
        if obj is None:
            raise AttributeError(self._key)
        value = obj.__dict__[self._key]
        if type(value) is _Deferred:
            value = obj.__dict__[self._key] = value.records()
        return value

    def __set__(self, obj: object, value: "tuple[T, ...] | _Deferred") -> None:
        obj.__dict__[self._key] = value

    def dicts(self, obj: object) -> list[dict[str, Any]]:
        """The records' `to_dict()`, made from the rows if the records were not made."""
        value = obj.__dict__[self._key]
        if type(value) is _Deferred:
            return value.dicts()
        return [x.to_dict() for x in value]


def _dicts(section: object, name: str) -> list[dict[str, Any]]:
    """The `to_dict()` of a section's `_Records` field `name`, each record's."""
    field: _Records = vars(type(section))[name]
    return field.dicts(section)


@dataclass(frozen=True)
class Scope(_Json):
    """The subjects (units the operations act on) and the parents read for span of control;
    the counts cover the subtrees of the subjects."""

    subjects: tuple[str, ...]
    parents: tuple[str, ...]
    units_before: int
    units_after: int

    def to_dict(self) -> dict[str, Any]:
        return {"subjects": list(self.subjects), "parents": list(self.parents),
                "units_before": self.units_before, "units_after": self.units_after,
                "note": "counts cover the subtrees of the units the operations act on"}


@dataclass(frozen=True)
class Count(_Json):
    before: int
    after: int

    @property
    def change(self) -> int:
        return self.after - self.before

    def to_dict(self) -> dict[str, Any]:
        return {"before": self.before, "after": self.after, "change": self.change}


@dataclass(frozen=True)
class UnitsSection(_Json):
    total: Count
    by_kind: tuple[tuple[str, Count], ...]
    by_level: tuple[tuple[str, Count], ...]
    ended: tuple[str, ...]
    started: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.total.to_dict(),
                "by_kind": {k: c.to_dict() for k, c in self.by_kind},
                "by_level": {k: c.to_dict() for k, c in self.by_level},
                "ended": list(self.ended), "started": list(self.started)}


@dataclass(frozen=True)
class Saving(_Json):
    """One saving of the assumptions: from a duplicated support `function` or a removed
    duplicated leadership post (`role`); `applied` when its unit has a figure to cut."""

    reason: str
    unit: str
    amount: float | int
    how: str
    applied: bool
    function: str | None = None
    role: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"reason": self.reason, "unit": self.unit}
        out |= {"function": self.function} if self.function is not None else {}
        out |= {"role": self.role} if self.role is not None else {}
        out |= {"amount": self.amount, "how": self.how, "applied": self.applied}
        return out | ({"note": self.note} if self.note is not None else {})


@dataclass(frozen=True)
class HeadcountChange(_Json):
    unit: str
    before: int | None
    after: int | None
    operation: int

    def to_dict(self) -> dict[str, Any]:
        return self.row_dict(self.unit, self.before, self.after, self.operation)

    @staticmethod
    def row_dict(unit: str, before: int | None, after: int | None,
                 operation: int) -> dict[str, Any]:
        """`to_dict()` of the record of these fields."""
        return {"unit": unit, "before": before, "after": after, "operation": operation}


@dataclass(frozen=True)
class HeadcountSection(_Json):
    """`after_recorded`: the figures as the operations leave them; `after` = that minus
    the savings applied (the assumptions)."""

    #: None when no unit of the scope has a figure on that side: unknown, not 0.
    before: int | None
    after_recorded: int | None
    savings: tuple[Saving, ...]
    saving_total: float | int
    after: float | int | None
    change: float | int | None
    units_without_figure: Count
    changes: _Records[HeadcountChange] = _Records()

    def to_dict(self) -> dict[str, Any]:
        known_b, known_a = self.before is not None, self.after_recorded is not None
        out: dict[str, Any] = {"before": self.before, "after_recorded": self.after_recorded,
               "savings": [x.to_dict() for x in self.savings],
               "saving_total": self.saving_total, "after": self.after,
               "change": self.change,
               "units_without_figure": {"before": self.units_without_figure.before,
                                        "after": self.units_without_figure.after},
               "changes": _dicts(self, "changes"),
               "known": {"before": known_b, "after": known_a}}
        if not (known_b and known_a):
            out["note"] = ("no unit in scope has a headcount figure "
                           + ("before or after" if not (known_b or known_a) else
                              "before" if not known_b else "after")
                           + ": unknown, not 0")
        return out


@dataclass(frozen=True)
class DuplicatedFunction(_Json):
    """A function held by `holders` of the units brought together into `unit`; `saving`
    when the assumptions give it a ratio, `saving_applied` when it was subtracted."""

    unit: str
    function: str
    holders: int
    operation: int
    saving: float | int | None = None
    saving_applied: bool = False

    def to_dict(self) -> dict[str, Any]:
        out = {"unit": self.unit, "function": self.function, "holders": self.holders,
               "duplicates": self.holders - 1, "operation": self.operation}
        if self.saving is not None:
            out |= {"saving": self.saving, "saving_applied": self.saving_applied}
        return out


@dataclass(frozen=True)
class FunctionEnd(_Json):
    """A function leaving `source`: to `destination`, or nowhere (None)."""

    function: str
    source: str
    destination: str | None
    operation: int

    def to_dict(self) -> dict[str, Any]:
        return self.row_dict(self.function, self.source, self.destination, self.operation)

    @staticmethod
    def row_dict(function: str, source: str, destination: str | None,
                 operation: int) -> dict[str, Any]:
        """`to_dict()` of the record of these fields."""
        out: dict[str, Any] = {"function": function, "from": source}
        if destination is not None:
            out["to"] = destination
        out["operation"] = operation
        return out


@dataclass(frozen=True)
class FunctionsSection(_Json):
    before: int
    after: int
    duplicated: tuple[DuplicatedFunction, ...]
    nowhere: tuple[FunctionEnd, ...]
    moved: _Records[FunctionEnd] = _Records()

    def to_dict(self) -> dict[str, Any]:
        return {"before": self.before, "after": self.after,
                "duplicated": [x.to_dict() for x in self.duplicated],
                "nowhere": [x.to_dict() for x in self.nowhere],
                "moved": _dicts(self, "moved")}


@dataclass(frozen=True)
class DuplicatedPost(_Json):
    unit: str
    role: str
    people: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"unit": self.unit, "role": self.role, "people": list(self.people),
                "duplicates": len(self.people) - 1}


@dataclass(frozen=True)
class PersonAffected(_Json):
    """A post moved (`to`) or ended (`to` None) by operation `operation`; `not_named`: the
    unit whose leader the operation named instead (`leaders`), when that ended the post."""

    person: str
    name: str
    unit: str
    role: str
    to: str | None
    operation: int
    duplicated: bool = False
    not_named: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return self.row_dict(self.person, self.name, self.unit, self.role, self.to,
                             self.operation, self.duplicated, self.not_named)

    @staticmethod
    def row_dict(person: str, name: str, unit: str, role: str, to: str | None,
                 operation: int, duplicated: bool = False,
                 not_named: str | None = None) -> dict[str, Any]:
        """`to_dict()` of the record of these fields."""
        change = f"moves to {to}" if to else (
            f"post ended: not named to lead {not_named}" if not_named else "post ends")
        out = {"person": person, "name": name, "unit": unit, "role": role,
               "leadership": role in LEADERSHIP_ROLES, "change": change, "to": to,
               "operation": operation}
        if duplicated:
            out["duplicated"] = True
        if not_named:
            out["not_named"] = not_named
        return out


@dataclass(frozen=True)
class LeadershipSection(_Json):
    before: int
    after_recorded: int
    duplicated: tuple[DuplicatedPost, ...]
    removed: int
    people_affected: _Records[PersonAffected] = _Records()
    #: The leaders the operations name (`leaders`): (unit, role, person, the people whose
    #: post of that role there ended instead, operation). Their posts are gone from
    #: `after_recorded` already: not duplicates, not in `removed`.
    named: tuple[tuple[str, str, str, tuple[str, ...], int], ...] = ()

    @property
    def after(self) -> int:
        return self.after_recorded - self.removed

    def to_dict(self) -> dict[str, Any]:
        out = {"before": self.before, "after_recorded": self.after_recorded,
               "duplicated": [x.to_dict() for x in self.duplicated], "removed": self.removed,
               "after": self.after, "people_affected": _dicts(self, "people_affected")}
        if self.named:  # only when a plan names leaders (the reports of others unchanged)
            out["named"] = [{"unit": u, "role": r, "person": p, "ended": list(ended),
                             "operation": n} for u, r, p, ended, n in self.named]
            out["ended_not_named"] = sum(len(x[3]) for x in self.named)
        return out


@dataclass(frozen=True)
class SpanReading(_Json):
    """Children per unit with children: max, mean, how many, those over `max_span`."""

    max: int
    mean: float | int
    units_with_children: int
    exceeding: tuple[tuple[str, int], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"max": self.max, "mean": self.mean,
                "units_with_children": self.units_with_children,
                "exceeding": [{"unit": u, "children": n} for u, n in self.exceeding]}


@dataclass(frozen=True)
class SpanSection(_Json):
    max_span: int
    before: SpanReading
    after: SpanReading
    #: (unit, children before or None, children after or None)
    changes: tuple[tuple[str, int | None, int | None], ...]

    def to_dict(self) -> dict[str, Any]:
        return {"max_span": self.max_span, "before": self.before.to_dict(),
                "after": self.after.to_dict(),
                "changes": [{"unit": u, "before": b, "after": a} for u, b, a in self.changes]}


@dataclass(frozen=True)
class PartyGroup(_Json):
    """Party cells (or committees) of the region: counts, and those ended, started,
    moved or otherwise changed."""

    count: Count
    ended: tuple[str, ...]
    started: tuple[str, ...]
    moved: tuple[str, ...]
    changed: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {**self.count.to_dict(), "ended": list(self.ended),
                "started": list(self.started), "moved": list(self.moved),
                "changed": list(self.changed)}


@dataclass(frozen=True)
class BodiesSection(_Json):
    """The bodies of areas brought together (territorial consolidation, merge, a level
    dissolved): each body formed or joined with the bodies it replaces, and the bodies
    without a peer (moved to the new area as they are)."""

    groups: tuple[tuple[str, tuple[str, ...], int], ...] = ()
    unpaired: tuple[tuple[str, str, str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {"merged": len(self.groups),
                "bodies_ended": sum(len(ins) for _, ins, _ in self.groups),
                "groups": [{"unit": u, "from": list(ins), "operation": n}
                           for u, ins, n in self.groups],
                "unpaired": [{"unit": u, "from_area": a, "to_area": b, "operation": n}
                             for u, a, b, n in self.unpaired]}


@dataclass(frozen=True)
class ImpactReport(_Json):
    """The impact report of a scenario; `to_dict()` is the JSON the API answers."""

    at_before: dt.date
    at_after: dt.date
    scope: Scope
    assumptions: Assumptions
    units: UnitsSection
    headcount: HeadcountSection
    functions: FunctionsSection
    leadership: LeadershipSection
    span: SpanSection
    depth: Count
    party_cells: PartyGroup
    party_committees: PartyGroup
    warnings: tuple[str, ...]
    operations: tuple[LogEntry, ...]
    bodies: BodiesSection = BodiesSection()
    #: Recorded baseline events the scenario overrides: (event, type, date, operation).
    overrides: tuple[tuple[str, str, str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        # A national report is about a million small dicts and lists: with the collector on,
        # its passes walk the report (and the JSON built so far) again and again, which
        # cost twice the building itself (measured: 1.7 s -> 0.9 s with it paused).
        with paused_gc():
            return self._to_dict()

    def _to_dict(self) -> dict[str, Any]:
        return {
            "at": {"before": self.at_before.isoformat(), "after": self.at_after.isoformat()},
            "scope": self.scope.to_dict(), "assumptions": self.assumptions.as_dict(),
            "units": self.units.to_dict(), "headcount": self.headcount.to_dict(),
            "functions": self.functions.to_dict(), "leadership": self.leadership.to_dict(),
            "span": self.span.to_dict(),
            "depth": {"before": self.depth.before, "after": self.depth.after},
            "party": {"cells": self.party_cells.to_dict(),
                      "committees": self.party_committees.to_dict()},
            "warnings": list(self.warnings),
            "operations": [e.to_dict() for e in self.operations],
            "bodies": self.bodies.to_dict(),
            "overrides": [{"event": i, "type": t, "date": d, "operation": n}
                          for i, t, d, n in self.overrides],
        }


# -- computing it --------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Inputs:
    """What every section reads: both states, their dates, the log and the region."""

    before: GraphReader
    after: GraphReader
    at_before: dt.date
    at_after: dt.date
    log: tuple[LogEntry, ...]
    subjects: tuple[str, ...]
    parents: frozenset[str]
    roots: tuple[str, ...]
    region_before: _RegionReading
    region_after: _RegionReading
    #: Units the scenario changed (None when `after` is not a state over `before`).
    changed_units: "_Changed"
    ended: tuple[str, ...]
    started: tuple[str, ...]
    #: Both readers as whole tables on their dates (a large region), else None.
    tables_before: DayTables | None = None
    tables_after: DayTables | None = None

    @property
    def changed(self) -> frozenset[str] | None:
        return self.changed_units.ids


class _Changed:
    """The units the scenario changed (`ScenarioState.changed_unit_ids`), asked on first use:
    a union over the whole overlay (a quarter of a second for a national plan) that only
    the unit-by-unit reading and the warnings' checks of a suspect unit need."""

    def __init__(self, after: GraphReader, same_base: bool,
                 ids: frozenset[str] | None = None):
        self._after, self._same_base = after, same_base
        if ids is not None:
            self.ids = ids

    @cached_property
    def ids(self) -> frozenset[str] | None:
        after = self._after
        if self._same_base and isinstance(after, ScenarioState):
            return frozenset(after.changed_unit_ids())
        return None


def impact(before: GraphReader, after: GraphReader, assumptions: Assumptions | None = None, *,
           at_before: dt.date | None = None, at_after: dt.date | None = None,
           log: Iterable[LogEntry] | None = None) -> ImpactReport:
    """The impact report of going from `before` to `after` (a ScenarioState over `before`).

    Both are read on the scenario's effective date (its latest operation's date) unless
    `at_before` / `at_after` say otherwise, so that the difference is the scenario's alone.
    """
    with paused_gc():  # whole tables of acyclic records: the collector's passes are wasted
        # one revision throughout, through the store's bulk-filled reader (Neo4j: a snapshot)
        return _impact(before.pinned(), after, assumptions or Assumptions(), at_before, at_after,
                       log)


def _impact(before: GraphReader, after: GraphReader, a: Assumptions,
            at_before: dt.date | None, at_after: dt.date | None,
            log: Iterable[LogEntry] | None) -> ImpactReport:
    x = _inputs(before, after, at_before, at_after, log)
    duplicated, support = _duplicated_functions(x, a)
    dup_posts, people = _leadership_posts(x, a)
    removed = sum(len(d.people) - 1 for d in dup_posts) if a.remove_duplicate_leadership else 0
    named = _named_leaders(x)
    savings = _apply_savings(x, support + (_leadership_savings(dup_posts, a) if removed else [])
                             + _named_savings(named, a))
    applied = {(s.unit, s.function): s.applied for s in savings if s.function is not None}
    duplicated = [DuplicatedFunction(d.unit, d.function, d.holders, d.operation, d.saving,
                                     applied.get((d.unit, d.function), False))
                  if d.saving is not None else d for d in duplicated]
    rb, ra = x.region_before, x.region_after
    units_b, units_a = list(rb.units.values()), list(ra.units.values())
    (kinds_b, levels_b), (kinds_a, levels_a) = _by_kind_and_level(units_b), \
        _by_kind_and_level(units_a)
    party = _party(x, kinds_b, kinds_a)
    return ImpactReport(
        at_before=x.at_before, at_after=x.at_after,
        scope=Scope(x.subjects, tuple(sorted(x.parents)), len(units_b), len(units_a)),
        assumptions=a,
        units=UnitsSection(Count(len(units_b), len(units_a)),
                           _compare(kinds_b, kinds_a),
                           _compare(levels_b, levels_a),
                           x.ended, x.started),
        headcount=_headcount(x, savings),
        functions=FunctionsSection(
            before=_functions_held(before, x.at_before, x.subjects, x.tables_before),
            after=_functions_held(after, x.at_after, x.subjects, x.tables_after),
            duplicated=tuple(duplicated),
            nowhere=_nowhere(x),
            # 80,000 in a national plan: made when read (`_Records`)
            moved=_Deferred(partial(_functions_moved, x.log), FunctionEnd,
                            FunctionEnd.row_dict)),
        leadership=LeadershipSection(
            before=sum(map(len, rb.leaders.values())),
            after_recorded=sum(map(len, ra.leaders.values())),
            duplicated=tuple(dup_posts), removed=removed, people_affected=people,
            named=named),
        span=SpanSection(a.max_span, _span(rb, a), _span(ra, a), _span_changes(rb, ra)),
        depth=Count(max(rb.depth.values(), default=0), max(ra.depth.values(), default=0)),
        party_cells=party["party_cell"], party_committees=party["party_committee"],
        warnings=tuple(_warnings(x)),
        operations=x.log,
        bodies=BodiesSection(
            tuple((u, ins, e.index) for e in x.log for u, ins in e.bodies),
            tuple((u, a, b, e.index) for e in x.log for u, a, b in e.unpaired)),
        overrides=tuple((i, ev.type if ev else "", str(ev.date) if ev else "", e.index)
                        for e in x.log for i in e.overrides
                        for ev in [before.get_event(i)]),
    )


def _inputs(before: GraphReader, after: GraphReader, at_before: dt.date | None,
            at_after: dt.date | None, log: Iterable[LogEntry] | None) -> _Inputs:
    if isinstance(after, ScenarioState):
        at_after = at_after or after.effective_at
        log = tuple(after.log) if log is None else tuple(log)
    if at_after is None:
        raise ValueError("impact needs at_after when `after` is not a ScenarioState")
    at_before = at_before or at_after
    log = tuple(log or ())

    subjects: list[str] = []
    parents: set[str] = set()
    for entry in log:
        subjects += entry.subjects
        parents.update(filter(None, map(itemgetter(1), entry.moved)))
        parents.update(filter(None, map(itemgetter(2), entry.moved)))
    subjects = list(dict.fromkeys(subjects))
    # The region: the subtrees of the subjects, and of every unit moved (a unit moved out of
    # a subject's subtree stays in the region on both sides).
    roots = list(dict.fromkeys(subjects + [m[0] for e in log for m in e.moved]))
    # A plan acting on many units (a national reform) reads both sides as whole tables,
    # once, instead of unit by unit (the same answers; `graph.scenarios.tables`).
    bulk = len(roots) >= BULK_ROOTS
    same_base = isinstance(after, ScenarioState) and at_before == at_after and (
        before is after.base or before.pinned() is after.base)
    tb = DayTables(before, at_before) if bulk else None
    # the scenario's tables of facts it barely touches: the baseline's, corrected
    ta = DayTables(after, at_after, tb) if tb is not None and same_base else \
        DayTables(after, at_after) if bulk else None
    for tables, reader, at in ((tb, before, at_before), (ta, after, at_after)):
        parent_of = tables.parent_of.get if tables is not None else (
            lambda uid, reader=reader, at=at: reader.parent(uid, at))
        parents.update(filter(None, map(parent_of, subjects)))

    changed = _Changed(after, same_base)
    if tb is not None and ta is not None:
        known_b = before.get_units(roots)
        # (the baseline's units are counted and looked up, never read in order)
        region_b = _read_region_tables(before, roots, at_before, parents, tb, known_b,
                                       any_order=True)
        region_a = _read_region_tables(after, roots, at_after, parents, ta, _units_over(
            after, known_b, roots) if same_base else None)
    else:
        region_b = _read_region(before, roots, at_before, parents)
        region_a = _read_region(after, roots, at_after, parents,
                                reuse=region_b if same_base else None, changed=changed.ids)
    return _Inputs(before, after, at_before, at_after, log, tuple(subjects), frozenset(parents),
                   tuple(roots), region_b, region_a, changed,
                   tuple(u for e in log for u in e.ended),
                   tuple(u for e in log for u in e.started), tb, ta)


def _functions_held(reader: GraphReader, at: dt.date, units: Iterable[str],
                    tables: DayTables | None) -> int:
    """How many distinct functions each of `units` holds on `at`, summed."""
    if tables is not None:
        # each unit's set looked up and counted in C
        return sum(map(len, map(tables.functions_of.get, units, repeat(_NO_FUNCTIONS))))
    return sum(len({f.function for f in reader.functions(u, at)}) for u in units)


def _duplicated_functions(x: _Inputs, a: Assumptions) \
        -> tuple[list[DuplicatedFunction], list[Saving]]:
    duplicated = []
    # The extra holders of a support function that end up in one unit, over the whole
    # plan: a province's Sở Tài chính formed from two, then given each district's finance
    # office, is one saving of (6 - 1) duplicates, not five of (2 - 1).
    extra: dict[tuple[str, str], int] = {}
    for entry in x.log:
        for unit, function, holders in entry.duplicated_functions:
            ratio = a.support_saving.get(function)
            saving = None
            if ratio is not None:
                saving = _num((holders - 1) * a.support_staff * ratio)
                extra[unit, function] = extra.get((unit, function), 0) + holders - 1
            duplicated.append(DuplicatedFunction(unit, function, holders, entry.index, saving))
    savings = []
    for (unit, function), n in extra.items():
        ratio = a.support_saving[function]
        savings.append(Saving(
            "duplicated support function", unit, _num(n * a.support_staff * ratio),
            f"({n + 1} - 1) {_plural(n, 'duplicate')} × {_num(a.support_staff)} staff × "
            f"{_num(ratio)}", applied=False, function=function))
    return duplicated, savings


def _plural(n: int, word: str) -> str:
    return word if n == 1 else word + "s"


def _leadership_posts(x: _Inputs, a: Assumptions) -> tuple[list[DuplicatedPost], _Deferred]:
    """Single-holder posts held by several people in the units that received posts, and
    every person whose post moved or ended (`PersonAffected` records, made when read: a
    national plan moves 155,603 posts)."""
    receivers = sorted({to for e in x.log for _, _, _, to in e.posts if to})
    known = set(receivers)
    receivers += [s for s in x.started if s not in known]
    dup_posts = []
    leaders, single = x.region_after.leaders, frozenset(a.single_holder_roles)
    for uid in receivers:
        ls = leaders.get(uid)
        if ls is None:
            ls = [(p.person_id, p.role) for p in x.after.posts(unit_id=uid, at=x.at_after)
                  if p.role in LEADERSHIP_ROLES]
        by_role: dict[str, list[str]] = {}
        for person, role in ls:
            if role in single:
                holders = by_role.setdefault(role, [])
                if person not in holders:
                    holders.append(person)
        dup_posts += [DuplicatedPost(uid, role, tuple(people))
                      for role, people in sorted(by_role.items()) if len(people) > 1]
    # read later from the same revision: `before` is pinned
    log, get_person = x.log, x.before.get_person

    def people() -> list[tuple]:
        duplicated_holders = {(person, d.unit, d.role) for d in dup_posts
                              for person in d.people}
        # (person, unit, role) -> (operation, person, the post's change): the last change
        # of a post wins, in the place of its first (made in C: 155,603 posts in a national
        # plan)
        changes: dict[tuple[str, str, str],
                      tuple[int, str, tuple[str, str, str, str | None]]] = {}
        for e in log:
            changes.update(zip(map(_POST_KEY, e.posts),
                               zip(repeat(e.index), map(_FIRST, e.posts), e.posts)))
        # sorted by (operation, person), ties in that order: by person, then (stable) by
        # operation, each key read in C
        ordered = list(changes.values())
        ordered.sort(key=_SECOND)
        ordered.sort(key=_FIRST)
        posts = [post for _, _, post in ordered]
        persons, tos, roles = list(map(_FIRST, posts)), list(map(_FOURTH, posts)), \
            list(map(_THIRD, posts))
        names = [p.name if p else "" for p in map(get_person, persons)]
        rows = list(zip(persons, names, map(_SECOND, posts), roles, tos, map(_FIRST, ordered),
                        map(duplicated_holders.__contains__, zip(persons, tos, roles))))
        # the posts a named leader ended: (person, unit handed over from, role) -> the unit
        not_named = {(q, src, role): unit for e in log for unit, role, _, ended in e.leaders
                     for q, src in ended}
        if not_named:
            rows = [(*row, not_named.get((row[0], row[2], row[3]))) if row[4] is None
                    else row for row in rows]
        return rows
    return dup_posts, _Deferred(people, PersonAffected, PersonAffected.row_dict)


_FIRST, _SECOND, _THIRD, _FOURTH = itemgetter(0), itemgetter(1), itemgetter(2), itemgetter(3)
#: a post change's (person, unit, role)
_POST_KEY = itemgetter(0, 1, 2)


def _named_leaders(x: _Inputs) -> tuple[tuple[str, str, str, tuple[str, ...], int], ...]:
    """The leaders the operations name, with the people whose posts ended instead."""
    return tuple((unit, role, person, tuple(q for q, _ in ended), e.index)
                 for e in x.log for unit, role, person, ended in e.leaders)


def _named_savings(named: Iterable[tuple[str, str, str, tuple[str, ...], int]],
                   a: Assumptions) -> list[Saving]:
    """A saving for each post a named leader ended (the plan's decision, whatever
    `remove_duplicate_leadership` says): the posts a duplicate would have counted, counted
    once here, since the unit holds no duplicate any more."""
    out = []
    for unit, role, person, ended, _ in named:
        if not ended:
            continue
        n = len(ended)
        out.append(Saving("leadership post ended: not named to lead", unit,
                          _num(n * a.leadership_post_saving),
                          f"{n} {_plural(n, 'post')} × {_num(a.leadership_post_saving)} "
                          f"({role}: {person} named)", applied=False, role=role))
    return out


def _leadership_savings(dup_posts: list[DuplicatedPost], a: Assumptions) -> list[Saving]:
    # (amount, how) by the number of posts removed: a handful of values, 30,000 savings
    figures: dict[int, tuple[float | int, str]] = {}
    out = []
    for d in dup_posts:
        n = len(d.people) - 1
        figure = figures.get(n)
        if figure is None:
            figure = figures[n] = (_num(n * a.leadership_post_saving),
                                   f"{n} {_plural(n, 'post')} × "
                                   f"{_num(a.leadership_post_saving)}")
        out.append(Saving("duplicated leadership post removed", d.unit, figure[0], figure[1],
                          applied=False, role=d.role))
    return out


def _apply_savings(x: _Inputs, savings: list[Saving]) -> list[Saving]:
    """A saving counts only where the unit it comes from has a headcount figure to cut, and
    never beyond that figure."""
    left: dict[str, float] = {}
    out = []
    in_region = x.region_after.headcount
    figures = in_region.get
    for item in savings:
        unit = item.unit
        figure = figures(unit)
        if figure is None and unit not in in_region:
            h = headcount_at(x.after, unit, x.at_after)
            figure = h.headcount if h else None
        if figure is None:
            # `dataclasses.replace(item, applied=False, note=...)` written out (thousands)
            out.append(Saving(item.reason, unit, item.amount, item.how, False, item.function,
                              item.role, f"{unit} has no headcount figure: not subtracted"))
            continue
        left.setdefault(unit, float(figure))
        amount = min(float(item.amount), left[unit])
        left[unit] -= amount
        if amount < item.amount:
            out.append(dataclasses.replace(
                item, applied=True, amount=_num(amount),
                note=f"capped at what is left of {unit}'s figure"))
        else:
            # `dataclasses.replace(item, applied=True)` written out (tens of thousands)
            out.append(Saving(item.reason, unit, item.amount, item.how, True, item.function,
                              item.role, item.note))
    return out


def _headcount(x: _Inputs, savings: list[Saving]) -> HeadcountSection:
    rb, ra = x.region_before, x.region_after
    # (sum of the figures: `filter(None, ...)` drops the units without one, and zeros;
    # how many units have none), read in C over 200,000 units
    figures_b, figures_a = list(rb.headcount.values()), list(ra.headcount.values())
    before, after_recorded = sum(filter(None, figures_b)), sum(filter(None, figures_a))
    without_b, without_a = figures_b.count(None), figures_a.count(None)
    saving_total = sum(s.amount for s in savings if s.applied)
    known_b, known_a = without_b < len(figures_b), without_a < len(figures_a)
    return HeadcountSection(
        before=before if known_b else None,
        after_recorded=after_recorded if known_a else None, savings=tuple(savings),
        saving_total=_num(saving_total),
        after=_num(after_recorded - saving_total) if known_a else None,
        change=_num(after_recorded - saving_total - before) if known_a and known_b else None,
        units_without_figure=Count(without_b, without_a),
        # 60,000 figures in a national plan: made when read (`_Records`)
        changes=_Deferred(partial(_headcount_changes, x.log), HeadcountChange,
                          HeadcountChange.row_dict))


def _headcount_changes(log: tuple[LogEntry, ...]) -> list[tuple]:
    """The rows of `HeadcountSection.changes`."""
    return [(u, b, a, e.index) for e in log for u, b, a in e.headcount]


def _functions_moved(log: tuple[LogEntry, ...]) -> list[tuple]:
    """The rows of `FunctionsSection.moved`: the functions given to another unit."""
    return [(f, src, dest, e.index) for e in log for f, src, dest in e.functions
            if dest is not None]


def _nowhere(x: _Inputs) -> tuple[FunctionEnd, ...]:
    """Functions dropped by an operation that no unit holds any more on the date (a dropped
    function another unit still holds is not lost)."""
    dropped = [(f, src, e.index) for e in x.log for f, src, dest in e.functions if dest is None]
    if not dropped:
        return ()
    wanted = {f for f, _, _ in dropped}
    if x.tables_after is not None:  # the same answer, read once for `functions.after`
        held = set().union(*x.tables_after.functions_of.values()) & wanted
    else:
        held = {fn.function for fn in x.after.functions(None, x.at_after)
                if fn.function in wanted}
    return tuple(FunctionEnd(f, src, None, n) for f, src, n in dropped if f not in held)


def _span(region: _RegionReading, a: Assumptions) -> SpanReading:
    with_children = {u: n for u, n in region.children.items() if n > 0}
    exceeding = sorted(((u, n) for u, n in with_children.items() if n > a.max_span),
                       key=lambda d: (-d[1], d[0]))
    return SpanReading(max(with_children.values(), default=0),
                       _num(sum(with_children.values()) / len(with_children))
                       if with_children else 0, len(with_children), tuple(exceeding))


def _span_changes(rb: _RegionReading, ra: _RegionReading) -> tuple:
    b, a = rb.children, ra.children
    # the units whose count changed (and is not 0 on both sides), then only those sorted
    # (counts are never negative: `max(nb or 0, na or 0) > 0` is `nb or na`)
    changed = [u for u, nb in b.items() if nb != (na := a.get(u)) and (nb or na)]
    changed += [u for u, na in a.items() if na and u not in b]
    changed.sort()
    return tuple((u, b.get(u), a.get(u)) for u in changed)


_PARTY_KINDS = ("party_cell", "party_committee")


def _party(x: _Inputs, kinds_b: Counter, kinds_a: Counter) -> dict[str, PartyGroup]:
    """The party cells' and committees' groups (`_PARTY_KINDS`); `kinds_b` / `kinds_a`: the
    regions' units counted by kind. A unit's kind is the scenario's reading's, else the
    baseline's, else the readers' (`_kind`); each list of units is sorted out by kind with
    set operations over the regions' units of each kind (made in C: a national plan names
    350,000 units in these lists)."""
    units_b, units_a = x.region_before.units, x.region_after.units
    ended_started = set(x.ended) | set(x.started)

    def by_kind(units: dict[str, Unit]) -> tuple[dict[str, set[str]], set[str]]:
        """The units of each party kind, and those without a kind."""
        kinds = list(map(_KIND, units.values()))
        return ({k: set(compress(units, map(eq, kinds, repeat(k)))) for k in _PARTY_KINDS},
                set(compress(units, map(not_, kinds))))
    (party_a, kindless_a), (party_b, kindless_b) = by_kind(units_a), by_kind(units_b)
    # as sets, once: an operation between a set and a dict's keys walks all the keys
    # (200,000 a side), between two sets only the smaller one
    keys_a, keys_b = set(units_a), set(units_b)

    def of_kinds(ids: Iterable[str]) -> dict[str, tuple[str, ...]]:
        wanted = set(ids)
        # of `wanted`: the scenario's reading's units of each kind, then the baseline's
        # reading's that the scenario's does not hold (each an intersection with the
        # kind's units, a small set)
        found = {k: (wanted & party_a[k]) | ((wanted & party_b[k]) - keys_a)
                 for k in _PARTY_KINDS}
        # read of the readers: the units in neither reading, or without a kind in it
        for i in (wanted - keys_a - keys_b) | (wanted & kindless_a) | (
                (wanted & kindless_b) - keys_a):
            mine = found.get(_kind(x.before, x.after, i) or "")
            if mine is not None:
                mine.add(i)
        return {k: tuple(sorted(v)) for k, v in found.items()}
    ended, started = of_kinds(x.ended), of_kinds(x.started)
    moved = of_kinds(m[0] for e in x.log for m in e.moved)
    changed = of_kinds(s for s in x.subjects if s not in ended_started)
    return {kind: PartyGroup(Count(kinds_b[kind], kinds_a[kind]), ended=ended[kind],
                             started=started[kind], moved=moved[kind], changed=changed[kind])
            for kind in _PARTY_KINDS}


_KIND = attrgetter("kind")


def _warnings(x: _Inputs) -> list[str]:
    """The operations' warnings, then checks of the result: orphans, cycles, two parents."""
    after, at = x.after, x.at_after
    warnings = [w for e in x.log for w in e.warnings]
    # A unit reached by the walk hangs under a unit that exists: only the roots of the walk
    # and the units the scenario changed can be orphans. Each unit's check is read first,
    # the costly sets only for a unit that fails it (`x.changed` is a union over the
    # overlay, never needed when the structure is sound).
    ta, tb = x.tables_after, x.tables_before
    parent_after: Callable[[str], str | None] = ta.parent_of.get if ta is not None else (
        lambda uid: after.parent(uid, at))
    parent_before: Callable[[str], str | None] = tb.parent_of.get if tb is not None else (
        lambda uid: x.before.parent(uid, x.at_before))
    roots: set[str] | None = None

    def checked(uid: str) -> bool:
        nonlocal roots
        if roots is None:
            roots = set(x.roots)
        changed = x.changed
        return uid in roots or changed is None or uid in changed
    units_before, units_after = x.region_before.units, x.region_after.units
    parents = list(map(parent_after, units_after))
    # the parents that do not exist on the date, each asked once (units share parents)
    missing = set()
    for p in set(parents):
        if p is not None:
            pu = after.get_unit(p)
            if pu is None or not pu.valid_at(at):
                missing.add(p)
    suspects = [(uid, p) for uid, p in zip(units_after, parents) if p is None or p in missing]
    for uid, p in suspects:
        if p is not None:
            if checked(uid):
                warnings.append(f"orphan: {uid} is part of {p}, which does not exist on "
                                f"{at.isoformat()}")
        elif parent_before(uid) is not None and uid in units_before and checked(uid):
            warnings.append(f"orphan: {uid} had a parent ({parent_before(uid)}) "
                            "and has none in the scenario")
    # Chains upwards shared between subjects: a unit known to reach a top is not walked again.
    clear: set[str] = set()
    clear_add = clear.add
    for uid in x.subjects:
        if uid in clear:  # the loop below would find it at once
            continue
        p = parent_after(uid)
        if p is None or p in clear:  # the loop below: a chain of one, cleared
            clear_add(uid)
            continue
        chain: list[str] = []
        cur: str | None = uid
        while cur is not None and cur not in clear and cur not in chain and len(chain) < 1000:
            chain.append(cur)
            cur = parent_after(cur)
        if cur is not None and cur in chain:
            loop = chain[chain.index(cur):] + [cur]
            warnings.append(f"cycle: {' → '.join(chain[:chain.index(cur)] + loop)}")
        else:
            clear.update(chain)
    # Over whole tables, only the units with several links upwards can have two parents.
    several = ta.several_parents if ta is not None else None
    for uid in x.region_after.units if several is None or several else ():
        if (several is None or uid in several) and (
                (changed := x.changed) is None or uid in changed):
            targets = ta.parents(uid) if ta is not None else {
                r.target_id for r in after.relations(uid, at, types=("PART_OF",))}
            if len(targets) > 1:
                warnings.append(f"two parents: {uid} is part of "
                                f"{' and '.join(sorted(targets))} on {at.isoformat()}")
    return warnings


def _kind(before: GraphReader, after: GraphReader, uid: str) -> str | None:
    u = after.get_unit(uid) or before.get_unit(uid)
    return u.kind if u else None
