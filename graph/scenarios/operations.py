"""Scenario operations: plain frozen dataclasses, parsed from dicts (YAML / JSON / API bodies).

Every operation has an `op` name, optional `basis` (document ids), an optional effective
`date` (default: the scenario's `at`), an optional `note` (kept in the event's description)
and an optional `event_id`. Parsing checks shapes only (required fields, types, dates,
vocabularies) and reports every problem at once with the field it concerns, as an
`InvalidParameter` (422); whether an operation fits the structure is checked when it is
applied (`graph.scenarios.apply`), as a `Conflict` (409).

The canonical dict form (`operation_to_dict`) is what a scenario stores.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import MISSING, dataclass, field, fields
from typing import Any, ClassVar, Iterable, Mapping

from graph.contract import ID_RULE, ROLES, SNAKE_PATTERN, valid_id
from graph.dates import DateParseError, PartialDate
from graph.errors import InvalidParameter
from graph.model import KINDS, LEVELS



# -- records ------------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class NewUnit:
    """A unit an operation creates. kind, level and area default from the units it replaces."""

    id: str
    name: str
    name_en: str = ""
    abbr: str = ""
    kind: str | None = None
    level: str | None = None
    area: str | None = None
    note: str = ""


@dataclass(frozen=True, kw_only=True)
class SplitPart(NewUnit):
    """One unit a split creates, with what it takes over from the split unit."""

    parent: str | None = None
    children: tuple[str, ...] = ()
    functions: tuple[str, ...] = ()
    headcount: int | None = None


@dataclass(frozen=True, kw_only=True)
class Selector:
    """Units chosen by what they are instead of by id: every unit of `kind` and `level`
    (either may be left out, not both) that is `within` an area (below it by PART_OF, or
    with that `area`) on the operation's date."""

    kind: str | None = None
    level: str | None = None
    within: str | None = None


#: What an operation on territorial units does with the bodies of those areas.
BODIES = ("merge", "keep")
#: What dissolving a level does with that level's bodies.
LEVEL_BODIES = ("end", "merge")


@dataclass(frozen=True, kw_only=True)
class Operation:
    op: ClassVar[str] = ""
    basis: tuple[str, ...] = ()
    date: PartialDate | None = None
    note: str = ""
    event_id: str = ""

    def units_named(self) -> tuple[str, ...]:
        """Existing unit ids the operation refers to (for messages and scoping)."""
        return ()


@dataclass(frozen=True, kw_only=True)
class Merge(Operation):
    """Absorb `units` into the existing unit `into` (sáp nhập); the absorbed units end."""

    op: ClassVar[str] = "merge"
    into: str
    units: tuple[str, ...] = ()
    select: Selector | None = None
    #: For areas (province, district, commune): `merge` their bodies pairwise too, or `keep`.
    bodies: str = "merge"
    #: {role: person id}: who holds that role in `into` (or in the body of it their post
    #: goes to) from the date; the other holders' posts of that role end (`apply`).
    leaders: Mapping[str, str] = field(default_factory=dict)

    def units_named(self):
        return (self.into, *self.units)


@dataclass(frozen=True, kw_only=True)
class Consolidate(Operation):
    """`units` end and one new unit starts (hợp nhất) under `parent`."""

    op: ClassVar[str] = "consolidate"
    units: tuple[str, ...] = ()
    new: NewUnit
    parent: str | None = None
    serves: tuple[str, ...] = ()
    select: Selector | None = None
    #: For areas (province, district, commune): `merge` their bodies pairwise too, or `keep`.
    bodies: str = "merge"
    #: {role: person id}: who holds that role in the new unit (or in the body of it their
    #: post goes to) from the date; the other holders' posts of that role end (`apply`).
    leaders: Mapping[str, str] = field(default_factory=dict)

    def units_named(self):
        return (*self.units, *((self.parent,) if self.parent else ()), *self.serves)


@dataclass(frozen=True, kw_only=True)
class Split(Operation):
    """`unit` ends; each part starts, taking the children and functions listed for it."""

    op: ClassVar[str] = "split"
    unit: str
    into: tuple[SplitPart, ...]

    def units_named(self):
        return (self.unit,)


@dataclass(frozen=True, kw_only=True)
class TransferFunction(Operation):
    """Move `function` (and optionally `headcount` people) from one unit to another."""

    op: ClassVar[str] = "transfer_function"
    function: str
    from_unit: str
    to: str
    headcount: int | None = None

    def units_named(self):
        return (self.from_unit, self.to)


@dataclass(frozen=True, kw_only=True)
class Move(Operation):
    """Re-parent `unit` under `parent`."""

    op: ClassVar[str] = "move"
    unit: str
    parent: str

    def units_named(self):
        return (self.unit, self.parent)


@dataclass(frozen=True, kw_only=True)
class Establish(Operation):
    """New units start (thành lập), each under its `parent`: a plan that creates units
    without saying which old ones they come from (seed 000: 9 cells become 4 + 2)."""

    op: ClassVar[str] = "establish"
    new: tuple[SplitPart, ...]

    def units_named(self):
        return tuple(p.parent for p in self.new if p.parent)


@dataclass(frozen=True, kw_only=True)
class Rename(Operation):
    """Rename `unit` in place, or (with `new_id`) replace it by a successor with the new name."""

    op: ClassVar[str] = "rename"
    unit: str
    name: str
    name_en: str | None = None
    abbr: str | None = None
    new_id: str | None = None

    def units_named(self):
        return (self.unit,)


@dataclass(frozen=True, kw_only=True)
class Dissolve(Operation):
    """`unit` ends; its children go to `children_to`, its functions to `functions_to`."""

    op: ClassVar[str] = "dissolve"
    unit: str
    children_to: str | None = None
    #: One unit for every function, or {function: unit}.
    functions_to: str | Mapping[str, str] | None = None
    #: Functions allowed to end with the unit (True: every function not sent elsewhere).
    drop_functions: bool | tuple[str, ...] = False

    def units_named(self):
        return (self.unit,)


@dataclass(frozen=True, kw_only=True)
class CreateSharedAgency(Operation):
    """A new agency that SERVES each of `serves` and takes over `functions` from them."""

    op: ClassVar[str] = "create_shared_agency"
    new: NewUnit
    serves: tuple[str, ...]
    functions: tuple[str, ...] = ()
    parent: str | None = None
    headcount: int | None = None
    #: {member: n}: people moving from a member to the agency.
    transfer_headcount: Mapping[str, int] = field(default_factory=dict)

    def units_named(self):
        return (*self.serves, *((self.parent,) if self.parent else ()))


@dataclass(frozen=True, kw_only=True)
class Becoming:
    """An area of a level that ends which becomes a unit of the level below instead of
    being dissolved (2025: an island district that became a commune-level `đặc khu`):
    `new` succeeds `area` and the areas under it, its bodies succeed theirs; or, with
    `units`, some of the areas under it alone (`graph.scenarios.zones`)."""

    area: str
    new: NewUnit
    #: {body id of the area: the name of the body that succeeds it}, where the default
    #: (the body's name with the new unit's territorial words) is not what the plan says.
    names: Mapping[str, str] = field(default_factory=dict)
    #: The areas under `area` (its communes) `new` is formed from, alone: not the area nor
    #: its bodies (2025: xã Thổ Châu of Thành phố Phú Quốc -> Đặc khu Thổ Châu). Empty:
    #: the whole area, less the areas other entries take and `except_`.
    units: tuple[str, ...] = ()
    #: (`except`) Areas under `area` the whole area's `new` leaves out: they move up to the
    #: upper area as a dissolved area's do.
    except_: tuple[str, ...] = ()


@dataclass(frozen=True, kw_only=True)
class DissolveLevel(Operation):
    """End a territorial level (e.g. every district `within` a province): its areas end,
    the areas below them (communes) move up to the area above (the province), the units
    hanging under the level's bodies move to the corresponding bodies above; the level's
    own bodies `end` (default) or `merge` into their peers above. The areas listed in
    `become` are succeeded by a unit of the level below instead, with their bodies."""

    op: ClassVar[str] = "dissolve_level"
    level: str
    within: str | None = None
    bodies: str = "end"
    become: tuple[Becoming, ...] = ()

    def units_named(self):
        return ((self.within,) if self.within else ()) + tuple(b.area for b in self.become)


@dataclass(frozen=True, kw_only=True)
class MappingRow:
    """One row of a mapping table: the new unit and the units it is formed from, by id
    (`units`) or by name (`names`, found on the operation's date by
    `graph.scenarios.mapping_names`), or both."""

    new: NewUnit
    units: tuple[str, ...] = ()
    #: Old units by name as a resolution's annex writes them (`Tân Lập`, `Xã Tân Lập`,
    #: `Tân Lập (Huyện Yên Sơn)`: the area in brackets, an id or a name).
    names: tuple[str, ...] = ()
    #: The area (id or name, at any depth) the named units lie in.
    within: str | None = None
    parent: str | None = None
    #: Where the row comes from (`file.csv:12`), for messages.
    where: str = ""
    #: Where each name comes from, when the table gives one line per old unit.
    names_where: tuple[str, ...] = ()
    #: Old units of `units` given with their name too (a line with both `old_id` and
    #: `old_name`): (id, the name as written, where); the name is checked against the
    #: id's name on the operation's date.
    unit_names: tuple[tuple[str, str, str], ...] = ()
    #: {role: person id}: the new unit's leaders, as a `consolidate`'s `leaders`.
    leaders: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True)
class ConsolidateMap(Operation):
    """A mapping table (new unit <- old units) as one operation: one consolidation per row,
    applied in the table's order (areas bring their bodies along, as in `consolidate`)."""

    op: ClassVar[str] = "consolidate_map"
    rows: tuple[MappingRow, ...]
    bodies: str = "merge"
    #: The table's file, when it came from one (kept for messages).
    source: str = ""

    def units_named(self):
        return tuple(u for r in self.rows for u in r.units)


OPERATIONS: dict[str, type[Operation]] = {cls.op: cls for cls in (
    Merge, Consolidate, Split, TransferFunction, Move, Rename, Dissolve, CreateSharedAgency,
    DissolveLevel, ConsolidateMap, Establish)}

#: The most rows one mapping table may hold (BOMAY_SCENARIO_MAX_MAPPING_ROWS overrides it).
MAX_MAPPING_ROWS = 20_000


def max_mapping_rows() -> int:
    import os
    raw = os.environ.get("BOMAY_SCENARIO_MAX_MAPPING_ROWS", "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else MAX_MAPPING_ROWS



# -- parsing ------------------------------------------------------------------------------------
class _Errors:
    def __init__(self, where: str):
        self.where = where
        self.items: list[dict[str, Any]] = []

    def add(self, field_name: str, message: str, value: Any = None) -> None:
        self.items.append({"field": field_name, "message": message,
                           "value": value if isinstance(value, (str, int, float, bool,
                                                                type(None))) else str(value),
                           "operation": self.where})


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text.strip())


def id_text(value: Any) -> Any:
    """An id as its text: a whole number (YAML reads `unit: 12` as one, JSON has `12`) is
    the id `12`, as a CSV cell gives it; anything else is returned as it is, for the
    caller's check. Not a float (`1.10` would be the id `1.1`), nor a bool."""
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return value


#: What a number given for an id is told (a float, or a bool: YAML's `yes`, `no`, `on`).
_QUOTE_ID = "expected an id as text (YAML reads it as a number or a yes/no: write it in quotes)"


class _Reader:
    """Typed access to one operation's dict, recording every problem with its field."""

    def __init__(self, data: Mapping[str, Any], errors: _Errors, prefix: str = ""):
        self.data, self.errors, self.prefix = data, errors, prefix
        self.used: set[str] = set()

    def _name(self, key: str) -> str:
        return f"{self.prefix}{key}"

    def raw(self, key: str) -> Any:
        self.used.add(key)
        return self.data.get(key)

    def text(self, key: str, *, required: bool = False, unit_id: bool = False,
             number: bool = False) -> str | None:
        """The key's text; a unit id (`unit_id`: checked as one) or a value that may be one
        (`number`) given as a whole number is taken as its text (`id_text`)."""
        value = self.raw(key)
        if unit_id or number:
            value = id_text(value)
        if value is None or value == "":
            if required:
                self.errors.add(self._name(key), "is required")
            return None
        if not isinstance(value, str):
            self.errors.add(self._name(key), _QUOTE_ID if (unit_id or number) and isinstance(
                value, (float, bool)) else "expected a text value", value)
            return None
        value = _nfc(value)
        if unit_id and not valid_id(value):
            self.errors.add(self._name(key), f"expected a unit id: {ID_RULE}", value)
            return None
        return value

    def ids(self, key: str, *, required: bool = False, min_count: int = 0) -> tuple[str, ...]:
        value = self.raw(key)
        if value is None or value == "" or value == []:
            if required:
                self.errors.add(self._name(key), "is required: expected a list of unit ids")
            return ()
        value = id_text(value)
        if isinstance(value, str):
            value = [part for part in re.split(r"[;,]", value)]
        if isinstance(value, (list, tuple)):
            value = [id_text(v) for v in value]
        if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
            numbers = isinstance(value, (float, bool)) or isinstance(value, list) and any(
                isinstance(v, (float, bool)) for v in value)
            self.errors.add(self._name(key), _QUOTE_ID if numbers else "expected a list of ids",
                            value)
            return ()
        out = tuple(_nfc(v) for v in value if v.strip())
        bad = [v for v in out if not valid_id(v)]
        if bad:
            self.errors.add(self._name(key), f"expected ids of {ID_RULE}", bad[0])
        dup = sorted({v for v in out if out.count(v) > 1})
        if dup:
            self.errors.add(self._name(key), f"lists {', '.join(dup)} more than once", dup[0])
        if len(out) < min_count:
            self.errors.add(self._name(key), f"expected at least {min_count} ids", value)
        return out

    def function_keys(self, key: str) -> tuple[str, ...]:
        keys = self.ids(key)
        for k in keys:
            if not SNAKE_PATTERN.fullmatch(k):
                self.errors.add(self._name(key), "expected function keys in snake_case", k)
        return keys

    def integer(self, key: str) -> int | None:
        value = self.raw(key)
        if value is None or value == "":
            return None
        if isinstance(value, bool) or not isinstance(value, int) or value < 0:
            # a number YAML 1.1 would read otherwise stays its text (`plan_lines.PlanLoader`:
            # `012`, `1_000`): a whole number of people as written
            if isinstance(value, str) and value.strip().replace("_", "").isdigit():
                return int(value.strip().replace("_", ""))
            self.errors.add(self._name(key), "expected a whole number of people (0 or more)",
                            value)
            return None
        return value

    def date(self, key: str) -> PartialDate | None:
        value = self.raw(key)
        if value is None or value == "":
            return None
        try:
            return PartialDate.parse(str(value))
        except DateParseError as exc:
            self.errors.add(self._name(key), str(exc), value)
            return None

    def choice(self, key: str, allowed: Iterable[str], what: str) -> str | None:
        value = self.text(key)
        if value is not None and value not in allowed:
            self.errors.add(self._name(key), f"unknown {what}; expected one of "
                            f"{', '.join(sorted(allowed))}", value)
            return None
        return value

    def unknown(self, allowed: Iterable[str]) -> None:
        allowed = set(allowed)
        for key in self.data:
            if key not in allowed:
                self.errors.add(self._name(key), "unknown field; expected one of "
                                + ", ".join(sorted(allowed)), key)


def _new_unit(r: _Reader, key: str, cls: type[NewUnit] = NewUnit, *,
              default_kind: str | None = None) -> NewUnit | None:
    value = r.raw(key)
    if value is None:
        r.errors.add(r._name(key), "is required: expected {id, name, ...} for the new unit")
        return None
    if not isinstance(value, Mapping):
        r.errors.add(r._name(key), "expected a mapping {id, name, kind, level, ...}", value)
        return None
    return _new_unit_from(value, r.errors, f"{r._name(key)}.", cls, default_kind=default_kind)


def _new_units_from(field: str, items: Iterable[Any], errors: _Errors) -> list[SplitPart]:
    """The new units of a `split` (`into`) or an `establish` (`new`): each a mapping, no id
    twice; each problem under `field[i]`."""
    made: list[SplitPart] = []
    for i, part in enumerate(items):
        if not isinstance(part, Mapping):
            errors.add(f"{field}[{i}]", "expected a mapping {id, name, ...}", part)
            continue
        p = _new_unit_from(part, errors, f"{field}[{i}].", SplitPart)
        if p is not None:
            made.append(p)
    ids = [p.id for p in made]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        errors.add(field, f"new unit id {dup} is used twice", dup)
    return made

def _new_unit_from(value: Mapping[str, Any], errors: _Errors, prefix: str,
                   cls: type[NewUnit] = NewUnit, *, default_kind: str | None = None):
    n = _Reader(value, errors, prefix)
    kwargs: dict[str, Any] = dict(
        id=n.text("id", required=True, unit_id=True), name=n.text("name", required=True),
        name_en=n.text("name_en") or "", abbr=n.text("abbr") or "",
        kind=n.choice("kind", KINDS, "kind") or default_kind,
        level=n.choice("level", LEVELS, "level"), area=n.text("area", unit_id=True),
        note=n.text("note") or "")
    allowed = {"id", "name", "name_en", "abbr", "kind", "level", "area", "note"}
    if cls is SplitPart:
        kwargs.update(parent=n.text("parent", unit_id=True), children=n.ids("children"),
                      functions=n.function_keys("functions"), headcount=n.integer("headcount"))
        allowed |= {"parent", "children", "functions", "headcount"}
    n.unknown(allowed)
    if kwargs["id"] is None or kwargs["name"] is None:
        return None
    return cls(**kwargs)


def parse_operation(data: Any, *, index: int = 1) -> Operation:
    """One operation from its dict form; InvalidParameter listing every problem."""
    ops, errors = _parse(data, index)
    if errors.items:
        raise _invalid(errors.items)
    assert ops is not None
    return ops


def parse_operations(items: Any, *, start: int = 1) -> tuple[Operation, ...]:
    """A list of operations; every problem of every operation reported at once."""
    if isinstance(items, Mapping):
        items = [items]
    if not isinstance(items, (list, tuple)):
        raise InvalidParameter("expected a list of operations",
                               errors=[{"field": "operations", "message": "expected a list",
                                        "value": str(items)}])
    parsed: list[Operation | None] = []
    problems = []
    for offset, item in enumerate(items):
        op, errors = _parse(item, start + offset)
        problems += errors.items
        parsed.append(op)
    if problems:
        raise _invalid(problems)
    out: list[Operation] = []
    for maybe in parsed:
        # _parse gives None only along with a problem, and any problem raised above
        assert maybe is not None
        out.append(maybe)
    return tuple(out)


def _invalid(problems: list[dict[str, Any]]) -> InvalidParameter:
    first = problems[0]
    more = f" (and {len(problems) - 1} more problem{'s' if len(problems) > 2 else ''})" \
        if len(problems) > 1 else ""
    return InvalidParameter(f"{first['operation']}: {first['field']}: {first['message']}{more}",
                            errors=problems)


def _parse(data: Any, index: int) -> tuple[Operation | None, _Errors]:
    errors = _Errors(f"operation {index}")
    if not isinstance(data, Mapping):
        errors.add("op", "expected a mapping with an 'op' field", data)
        return None, errors
    data = dict(data)
    if "op" not in data and "type" in data:
        data["op"] = data.pop("type")
    name = data.get("op")
    if not isinstance(name, str) or name.strip().lower() not in OPERATIONS:
        errors.add("op", ("is required; " if name is None else "unknown operation; ")
                   + "expected one of " + ", ".join(OPERATIONS), name)
        return None, errors
    name = name.strip().lower()
    errors.where = f"operation {index} ({name})"
    r = _Reader(data, errors)
    common: dict[str, Any] = dict(basis=r.ids("basis"), date=r.date("date"),
                                  note=r.text("note") or "",
                                  event_id=r.text("event_id", unit_id=True) or "")
    r.used.add("op")
    kwargs: dict[str, Any] = {}
    if name == "merge":
        select = _selector(r)
        kwargs = dict(into=r.text("into", required=True, unit_id=True),
                      units=r.ids("units", required=select is None, min_count=0 if select
                                  else 1), select=select,
                      bodies=r.choice("bodies", BODIES, "bodies mode") or "merge",
                      leaders=_leaders(r))
    elif name == "consolidate":
        select = _selector(r)
        kwargs = dict(units=r.ids("units", required=select is None,
                                  min_count=0 if select else 2),
                      new=_new_unit(r, "new"), parent=r.text("parent", unit_id=True),
                      serves=r.ids("serves"), select=select,
                      bodies=r.choice("bodies", BODIES, "bodies mode") or "merge",
                      leaders=_leaders(r))
    elif name == "dissolve_level":
        kwargs = dict(level=r.choice("level", LEVELS, "level"),
                      within=r.text("within", unit_id=True),
                      bodies=r.choice("bodies", LEVEL_BODIES, "bodies mode") or "end")
        if kwargs["level"] is None and "level" not in {e["field"] for e in errors.items}:
            errors.add("level", "is required: the level to dissolve (e.g. district)")
        kwargs["become"] = _becoming(r, kwargs["level"])
    elif name == "consolidate_map":
        kwargs = dict(rows=_mapping_rows(r), bodies=r.choice("bodies", BODIES, "bodies mode")
                      or "merge", source=r.text("source") or "")
    elif name == "split":
        parts_raw = r.raw("into")
        parts: list[SplitPart] = []
        if not isinstance(parts_raw, (list, tuple)) or len(parts_raw) < 2:
            errors.add("into", "is required: expected a list of at least 2 new units "
                       "{id, name, children, functions, ...}", parts_raw)
        else:
            parts = _new_units_from("into", parts_raw, errors)
        kwargs = dict(unit=r.text("unit", required=True, unit_id=True), into=tuple(parts))
    elif name == "establish":
        raw_new = r.raw("new")
        if isinstance(raw_new, Mapping):
            raw_new = [raw_new]
        created: list[SplitPart] = []
        if not isinstance(raw_new, (list, tuple)) or not raw_new:
            errors.add("new", "is required: a new unit {id, name, kind, parent, ...} or a "
                       "list of them", raw_new)
        else:
            created = _new_units_from("new", raw_new, errors)
        kwargs = dict(new=tuple(created))
    elif name == "transfer_function":
        function = r.text("function", required=True)
        if function and not SNAKE_PATTERN.fullmatch(function):
            errors.add("function", "expected a function key in snake_case", function)
        kwargs = dict(function=function, from_unit=r.text("from", required=True, unit_id=True),
                      to=r.text("to", required=True, unit_id=True),
                      headcount=r.integer("headcount"))
    elif name == "move":
        kwargs = dict(unit=r.text("unit", required=True, unit_id=True),
                      parent=r.text("parent", required=True, unit_id=True))
    elif name == "rename":
        kwargs = dict(unit=r.text("unit", required=True, unit_id=True),
                      name=r.text("name", required=True), name_en=r.text("name_en"),
                      abbr=r.text("abbr"), new_id=r.text("new_id", unit_id=True))
    elif name == "dissolve":
        kwargs = dict(unit=r.text("unit", required=True, unit_id=True),
                      children_to=r.text("children_to", unit_id=True),
                      functions_to=_functions_to(r), drop_functions=_drop(r))
    elif name == "create_shared_agency":
        kwargs = dict(new=_new_unit(r, "new", default_kind="shared_agency"),
                      serves=r.ids("serves", required=True, min_count=1),
                      functions=r.function_keys("functions"),
                      parent=r.text("parent", unit_id=True), headcount=r.integer("headcount"),
                      transfer_headcount=_headcount_map(r, "transfer_headcount"))
    cls = OPERATIONS[name]
    allowed = {"op", "basis", "date", "note", "event_id"} | {
        {"from_unit": "from"}.get(f.name, f.name) for f in fields(cls)}
    r.unknown(allowed)
    if errors.items:
        return None, errors
    return cls(**common, **kwargs), errors


def _leaders(r: _Reader) -> dict[str, str]:
    """`leaders` of a merge or a consolidate: {role: person id}, each role one the data
    contract knows (`graph.contract.ROLES`); every problem under `leaders.<role>`."""
    value = r.raw("leaders")
    if value is None or value == {}:
        return {}
    if not isinstance(value, Mapping):
        r.errors.add(r._name("leaders"), "expected a mapping {role: person id} (e.g. "
                     "{secretary: p-001})", value)
        return {}
    out: dict[str, str] = {}
    for role, person in value.items():
        key = r._name(f"leaders.{role}")
        if not isinstance(role, str) or role not in ROLES:
            r.errors.add(key, "unknown role; expected one of " + ", ".join(sorted(ROLES)),
                         role)
            continue
        if not isinstance(person, str) or not person.strip():
            r.errors.add(key, "expected a person id as text (in quotes if it is a number)",
                         person)
            continue
        out[role] = _nfc(person)
    return out


def _selector(r: _Reader) -> Selector | None:
    value = r.raw("select")
    if value is None:
        return None
    if not isinstance(value, Mapping):
        r.errors.add("select", "expected a mapping {kind, level, within}", value)
        return None
    n = _Reader(value, r.errors, "select.")
    sel = Selector(kind=n.choice("kind", KINDS, "kind"), level=n.choice("level", LEVELS, "level"),
                   within=n.text("within", unit_id=True))
    n.unknown({"kind", "level", "within"})
    if sel.kind is None and sel.level is None and not any(
            e["field"].startswith("select.") for e in r.errors.items):
        r.errors.add("select", "give a kind or a level (or both), and optionally within",
                     value)
    if r.data.get("units"):
        r.errors.add("select", "give either units or select, not both", value)
    return sel


def _mapping_rows(r: _Reader) -> tuple[MappingRow, ...]:
    value = r.raw("rows")
    if not isinstance(value, (list, tuple)) or not value:
        r.errors.add("rows", "is required: expected a list of rows {new: {id, name, ...}, "
                     "units: [...]} (or a mapping table file in a plan)", value)
        return ()
    limit = max_mapping_rows()
    if len(value) > limit:
        r.errors.add("rows", f"{len(value)} rows; the limit is {limit} per mapping table "
                     "(BOMAY_SCENARIO_MAX_MAPPING_ROWS)", len(value))
        return ()
    out: list[MappingRow] = []
    seen_new: dict[str, str] = {}
    seen_old: dict[str, str] = {}
    for i, row in enumerate(value):
        where = row.get("where") if isinstance(row, Mapping) else None
        label = str(where) if where else f"rows[{i}]"
        if not isinstance(row, Mapping):
            r.errors.add(label, "expected a mapping {new: {id, name}, units: [...]}", row)
            continue
        n = _Reader(row, r.errors, f"{label}: ")
        new = _new_unit(n, "new")
        names = _names(n)
        units = n.ids("units", required=not names, min_count=0 if names else 1)
        within = n.text("within", number=True)  # an area's id (or its name)
        parent = n.text("parent", unit_id=True)
        names_where = _names_where(n, len(names))
        unit_names = _unit_names(n, units)
        leaders = _leaders(n)
        n.raw("where")
        n.unknown({"new", "units", "names", "within", "parent", "where", "names_where",
                   "unit_names", "leaders"})
        if within and not names:
            r.errors.add(f"{label}: within", "only qualifies names: give names with it",
                         within)
        if new is None:
            continue
        if new.id in seen_new:
            r.errors.add(f"{label}: new.id", f"new unit {new.id} is also made by "
                         f"{seen_new[new.id]}", new.id)
        seen_new.setdefault(new.id, label)
        for u in units:
            if u in seen_old and seen_old[u] != label:  # twice in one row: `n.ids` says so
                r.errors.add(f"{label}: units", f"{u} is also listed by {seen_old[u]}", u)
            seen_old.setdefault(u, label)
        out.append(MappingRow(new=new, units=units, names=names, within=within,
                              parent=parent, where=str(where or ""), names_where=names_where,
                              unit_names=unit_names, leaders=leaders))
    return tuple(out)


def _unit_names(r: _Reader, units: tuple[str, ...]) -> tuple[tuple[str, str, str], ...]:
    """A row's `unit_names`: `{id: name}`, or `[[id, name, where], ...]` (the stored form),
    each id one of the row's `units`."""
    value = r.raw("unit_names")
    if value is None or value == [] or value == {}:
        return ()
    if isinstance(value, Mapping):
        value = [[id_text(k), v] for k, v in value.items()]
    elif isinstance(value, (list, tuple)):
        value = [[id_text(v[0]), *v[1:]] if isinstance(v, (list, tuple)) and v else v
                 for v in value]
    if not isinstance(value, (list, tuple)) or not all(
            isinstance(v, (list, tuple)) and len(v) in (2, 3)
            and all(isinstance(x, str) for x in v) for v in value):
        r.errors.add(r._name("unit_names"), "expected {unit id: its name} (the names checked "
                     "against the ids)", value)
        return ()
    out = tuple((_nfc(v[0]), " ".join(_nfc(v[1]).split()), v[2] if len(v) == 3 else "")
                for v in value)
    for uid, _, _ in out:
        if uid not in units:
            r.errors.add(r._name("unit_names"), f"{uid} is not one of the row's units", uid)
    return out


def _names(r: _Reader) -> tuple[str, ...]:
    """A row's `names`: a list of texts, or one text with `;` between the names."""
    value = r.raw("names")
    if value is None or value == "" or value == []:
        return ()
    if isinstance(value, str):
        value = value.split(";")
    if not isinstance(value, (list, tuple)) or not all(isinstance(v, str) for v in value):
        r.errors.add(r._name("names"), "expected a list of unit names", value)
        return ()
    out = tuple(" ".join(_nfc(v).split()) for v in value if v.strip())
    seen: set[str] = set()
    for v in out:
        if v.casefold() in seen:
            r.errors.add(r._name("names"), f"lists {v!r} more than once", v)
        seen.add(v.casefold())
    return out


def _names_where(r: _Reader, count: int) -> tuple[str, ...]:
    value = r.raw("names_where")
    if value is None or value == []:
        return ()
    if not isinstance(value, (list, tuple)) or len(value) != count or not all(
            isinstance(v, str) for v in value):
        r.errors.add(r._name("names_where"), f"expected {count} places (one per name)",
                     value)
        return ()
    return tuple(value)


def level_below(level: str) -> str | None:
    """The territorial level under `level` (`district` under `province`), None under the last."""
    order = ("central", "province", "district", "commune")
    at = order.index(level) if level in order else len(order) - 1
    return order[at + 1] if at + 1 < len(order) else None


def _becoming(r: _Reader, level: str | None) -> tuple[Becoming, ...]:
    """`become` of a dissolve_level: the areas that become units of the level below, each
    `{area, new: {id, name, ...}, names: {body id: name}}`; every problem under
    `become[i].field`."""
    raw = r.raw("become")
    if raw is None:
        return ()
    if isinstance(raw, Mapping):
        raw = [raw]
    if not isinstance(raw, (list, tuple)) or not raw:
        r.errors.add("become", "expected a list of {area, new: {id, name, ...}}: the areas "
                     "that become units of the level below", raw)
        return ()
    below = level_below(level) if level else None
    if level and below is None:
        r.errors.add("become", f"a {level} has no level below it to become a unit of", level)
        return ()
    out: list[Becoming] = []
    at: list[int] = []  # each entry's index in the list as written
    for i, item in enumerate(raw):
        where = f"become[{i}]"
        if not isinstance(item, Mapping):
            r.errors.add(where, "expected a mapping {area, new: {id, name, ...}}", item)
            continue
        b = _Reader(item, r.errors, f"{where}.")
        area = b.text("area", required=True, unit_id=True)
        new = _new_unit(b, "new")
        if new is not None and below is not None:
            if new.kind is not None and new.kind != below:
                r.errors.add(f"{where}.new.kind", f"a {level} that becomes a unit of the level "
                             f"below is a {below}", new.kind)
            if new.level is not None and new.level != below:
                r.errors.add(f"{where}.new.level", f"a {level} that becomes a unit of the level "
                             f"below is of level {below}", new.level)
        units = b.ids("units")
        left_out = b.ids("except")
        if "units" in item and not units:
            r.errors.add(f"{where}.units", "expected a list of the ids of the areas under the "
                         "area the new unit is formed from (leave it out for the whole area)",
                         item.get("units"))
        if units and left_out:
            r.errors.add(f"{where}.except", "an entry with `units` is formed from those "
                         "alone: `except` belongs to the entry that takes the whole area",
                         list(left_out))
        names = b.raw("names")
        given: dict[str, str] = {}
        if names is not None:
            if not isinstance(names, Mapping):
                r.errors.add(f"{where}.names", "expected a mapping {body id: new name}", names)
            else:
                for k, v in names.items():
                    if not isinstance(v, str) or not v.strip():
                        r.errors.add(f"{where}.names.{k}", "expected the name of the body "
                                     "that succeeds it", v)
                    else:
                        given[str(id_text(k))] = _nfc(v)
        b.used.add("names")
        b.unknown({"area", "new", "names", "units", "except"})
        if area is not None and new is not None:
            out.append(Becoming(area=area, new=new, names=given, units=units,
                                except_=left_out))
            at.append(i)
    # an area may be listed once whole and once more for each unit formed from some of
    # the areas under it (`units`), each of those taken by one entry only
    for key, what, among in ((lambda x: x.area, "area", [x for x in out if not x.units]),
                             (lambda x: x.new.id, "new.id", out)):
        seen = [key(x) for x in among]
        for dup in sorted({v for v in seen if seen.count(v) > 1}):
            r.errors.add("become", f"{what} {dup} is listed twice", dup)
    taken: dict[str, int] = {}
    for i, x in zip(at, out):
        for u in x.units:
            if u in taken:
                r.errors.add(f"become[{i}].units", f"{u} is also taken by "
                             f"become[{taken[u]}]", u)
            taken.setdefault(u, i)
    return tuple(out)


def _functions_to(r: _Reader) -> str | dict[str, str] | None:
    value = id_text(r.raw("functions_to"))
    if value is None or value == "":
        return None
    if isinstance(value, str):
        return r.text("functions_to", unit_id=True)
    if isinstance(value, Mapping) and all(isinstance(k, str) and isinstance(id_text(v), str)
                                          for k, v in value.items()):
        return {_nfc(k): _nfc(id_text(v)) for k, v in value.items()}
    r.errors.add("functions_to", "expected a unit id, or a mapping {function: unit id}", value)
    return None


def _drop(r: _Reader) -> bool | tuple[str, ...]:
    value = r.raw("drop_functions")
    if value is None or value is False:
        return False
    if value is True:
        return True
    return r.function_keys("drop_functions")


def _headcount_map(r: _Reader, key: str) -> dict[str, int]:
    value = r.raw(key)
    if value is None or value == {}:
        return {}
    if not isinstance(value, Mapping):
        r.errors.add(key, "expected a mapping {unit id: number of people}", value)
        return {}
    out = {}
    for unit, n in value.items():
        if isinstance(n, bool) or not isinstance(n, int) or n < 0:
            r.errors.add(f"{key}.{unit}", "expected a whole number of people (0 or more)", n)
        else:
            out[_nfc(str(id_text(unit)))] = n
    return out


# -- dict form ----------------------------------------------------------------------------------
def _plain(value: Any) -> Any:
    if isinstance(value, PartialDate):
        return str(value)
    if isinstance(value, (NewUnit, Selector, MappingRow, Becoming)):
        # a field named for a Python keyword is written as the plan writes it (`except`)
        return {k.removesuffix("_"): _plain(v) for k, v in _fields(value).items()}
    if isinstance(value, tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    return value


def _fields(record: Any) -> dict[str, Any]:
    """Fields that differ from their defaults (so the dict form stays short)."""
    out = {}
    for f in fields(record):
        value = getattr(record, f.name)
        if f.default is not MISSING and value == f.default:
            continue
        if f.default_factory is not MISSING and value == f.default_factory():
            continue
        out[f.name] = value
    return out


def operation_to_dict(op: Operation) -> dict[str, Any]:
    """The canonical dict form (what a stored scenario holds); `parse_operation` reads it back."""
    out: dict[str, Any] = {"op": op.op}
    for name, value in _fields(op).items():
        out[{"from_unit": "from"}.get(name, name)] = _plain(value)
    return out
