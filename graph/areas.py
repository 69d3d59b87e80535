"""The area of a body that names none (`area` empty), inferred from its PART_OF chain on a
date: the one rule the territorial operations (`graph.scenarios.territory`: whose bodies
come along when areas consolidate), the diff's area changes (`graph.scenarios.diff_areas`)
and the area listings of the stores (`GraphReader.area_page`: `GET /units?area=`, `bomay
units --area`) take it by, so that they never disagree on whose body a unit is. It lives
here, beside the domain model rather than in `graph.scenarios`, so that the backends
(`graph.store_defaults`, `graph.embedded`, `graph.neo4j`) read it without importing the
scenario engine (which imports them); with it the territorial words of an area's name
(`split_area_name`, re-exported by `graph.scenarios.body_names`).

A body's parent is the one it has on the date, else the one it had on the eve (a link an
operation of the date has just cut). The body's area on the date is

- the parent itself, when it is an area (a commune's People's Committee under the
  commune), or
- the parent's area, when it names one (a department under `UBND tỉnh X`, which names
  `X`; dated by names.csv for a unit that moved: `rules.area_on`), or
- else the parent's inferred area, by this rule, up the chain (a cycle stops it).

When the body's `level` is not that area's, it is the area of its level directly under
that area whose place its name carries (a commune's Party Committee under the district's,
on the Party's own line: `Đảng ủy phường Minh Khai` is Phường Minh Khai's), the longest
such place; none if two of those areas carry it alike. When the chain reaches no area (a
`Tỉnh ủy` under the Central Committee, or a body that hangs nowhere), it is the one area
of its level, anywhere, whose place its name holds as whole words (the longest place; none
if two areas have it). Else the body has no area and follows its parent as it is.

The areas compared by place are those of the eve first (the areas an operation of the date
consolidates: the area they form may carry the same place), then those of the date (an area
an earlier operation of the date formed).
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, Callable, Collection, Iterable, Protocol

import unicodedata
from functools import lru_cache

from graph import rules
from graph.model import Unit, UnitName

#: Unit kinds that are areas: their bodies come along when they consolidate or merge.
TERRITORIAL_KINDS = frozenset({"province", "district", "commune"})
#: The territorial words that open an area's name (`Tỉnh Hà Giang`, `Thị trấn Tam Sơn`),
#: lower-cased with their diacritics: `Quản Bạ`, `Thanh Vân`, `Phố Cáo` are places whose
#: first word folds to a territorial word (`quận`, `thành`, `phố`) but is none.
AREA_PREFIXES: tuple[tuple[str, ...], ...] = tuple(sorted((tuple(p.split()) for p in (
    "tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu",
    "tp", "tp.", "tx", "tx.", "tt", "tt.")), key=len, reverse=True))
#: A word of a name, as `_area_by_place` compares them with an area's place.
_WORD = re.compile(r"\w+")
#: The longest place, in words, looked for in a name (`_area_by_place`).
_PLACE_WORDS = 6


def carries_place(name: str, area_name: str) -> bool:
    """Whether a body's name holds its area's place (`Ban Tuyên giáo Tỉnh ủy Hà Giang` for
    `Tỉnh Hà Giang`; `Ban Tuyên giáo` does not): the names `rename_for_area` renames."""
    _, place = split_area_name(area_name)
    return bool(place) and place in name


@lru_cache(maxsize=1 << 16)  # an area's name is split for each of its bodies
def split_area_name(area_name: str) -> tuple[str, str]:
    """`Thị trấn Tam Sơn` -> (`Thị trấn`, `Tam Sơn`); `Huyện Quản Bạ` -> (`Huyện`, `Quản Bạ`):
    the leading territorial words (compared with their diacritics) and the place."""
    parts = area_name.split()
    low = [unicodedata.normalize("NFC", p).lower() for p in parts]
    for prefix in AREA_PREFIXES:
        n = len(prefix)
        if len(parts) > n and tuple(low[:n]) == prefix:
            return " ".join(parts[:n]), " ".join(parts[n:])
    return "", area_name


class AreaReader(Protocol):
    """What `infer_areas` reads of a graph on a date (a `GraphReader`, a `ScenarioState`,
    or one side of the diff, `diff_areas._Side`): asked by position, on dates only."""

    def parent(self, unit_id: str, at: dt.date, /) -> str | None: ...

    def children(self, unit_id: str, at: dt.date, /) -> list[str]: ...

    def get_unit(self, unit_id: str, /) -> Unit | None: ...

    def get_units(self, unit_ids: Iterable[str], /) -> dict[str, Unit]: ...

    def unit_names(self, unit_id: str, /) -> list[UnitName]: ...

    def units(self, at: dt.date, /, *, kind: str) -> list[Unit]: ...


def may_infer(unit: Unit) -> bool:
    """Whether `unit`, naming no area, is one whose area `infer_areas` looks for: a body
    (not itself an area) of a territorial level or of none; a central body is no area's
    (and not looked up: on Neo4j a query each)."""
    return unit.kind not in TERRITORIAL_KINDS and (
        not unit.level or unit.level in TERRITORIAL_KINDS)


def blank_body(unit: Unit) -> bool:
    """Whether `unit` names no area and is one `infer_areas` gives one (`may_infer`): the
    bodies an area listing looks up by their chain (those with a dated area are read on
    the date: `rules.area_on`)."""
    return not unit.area and may_infer(unit)


def inferred_members(reader: AreaReader, candidates: Iterable[Unit], area: str,
                     day: dt.date, dated: Collection[str]) -> list[Unit]:
    """The units among `candidates` (bodies naming no area on `day`) whose area on `day`
    is `area` by `infer_areas`, in id order: what an area listing adds to the units that
    name `area` themselves (`GraphReader.area_page`)."""
    mine = [u for u in candidates if blank_body(u)]
    if not mine:
        return []
    found = infer_areas(reader, mine, day, dated)
    return sorted((u for u in mine if found.get(u.id) == area), key=rules.unit_order_key)


class ChainReader:
    """An `AreaReader` over a `GraphReader` for one day's inference (`ChainReader(reader,
    day).load(candidates)`): the candidates' PART_OF chains read a level at a time in
    batches (the `parents` and `get_units` capabilities: a query a level on Neo4j, not a
    query a unit), up to the first area or unit naming its own; whatever else the rule
    asks (the eve's parents of the others, an area's children, name rows, the areas of a
    kind) asked of the reader once and kept."""

    def __init__(self, reader: "_Chains", day: dt.date):
        self.reader, self.day = reader, day
        self._units: dict[str, Unit] = {}
        self._parent: dict[tuple[str, dt.date], str | None] = {}
        self._asked: dict[tuple[str, str, dt.date | None], object] = {}

    def load(self, units: Iterable[Unit]) -> "ChainReader":
        frontier = []
        for u in units:
            if u.id not in self._units:
                self._units[u.id] = u
                frontier.append(u.id)
        eve = self.day - dt.timedelta(days=1)
        while frontier:
            ups = dict(self.reader.parents(frontier, self.day))
            for uid, p in ups.items():
                self._parent[(uid, self.day)] = p
            orphans = [uid for uid, p in ups.items() if p is None]
            if orphans:  # the rule reads the eve's parent of a unit without one that day
                for uid, p in self.reader.parents(orphans, eve).items():
                    self._parent[(uid, eve)] = p
                    ups[uid] = p
            ahead = [p for p in dict.fromkeys(ups.values()) if p and p not in self._units]
            got = self.reader.get_units(ahead)
            self._units.update(got)
            # the rule goes up past a parent only when it is no area and names none
            frontier = [p for p, pu in got.items()
                        if pu.kind not in TERRITORIAL_KINDS and not pu.area]
        return self

    def _ask(self, what: str, uid: str, on: dt.date | None, call: Callable[[], Any]) -> Any:
        key = (what, uid, on)
        if key not in self._asked:
            self._asked[key] = call()
        return self._asked[key]

    def parent(self, unit_id: str, at: dt.date, /) -> str | None:
        key = (unit_id, at)
        if key not in self._parent:
            self._parent[key] = self.reader.parent(unit_id, at)
        return self._parent[key]

    def children(self, unit_id: str, at: dt.date, /) -> list[str]:
        return self._ask("children", unit_id, at, lambda: self.reader.children(unit_id, at))

    def get_unit(self, unit_id: str, /) -> Unit | None:
        if unit_id not in self._units:
            found = self.reader.get_unit(unit_id)
            if found is None:
                return None
            self._units[unit_id] = found
        return self._units[unit_id]

    def get_units(self, unit_ids: Iterable[str], /) -> dict[str, Unit]:
        ids = list(unit_ids)
        missing = [i for i in ids if i not in self._units]
        if missing:
            self._units.update(self.reader.get_units(missing))
        return {i: self._units[i] for i in ids if i in self._units}

    def unit_names(self, unit_id: str, /) -> list[UnitName]:
        return self._ask("names", unit_id, None, lambda: self.reader.unit_names(unit_id))

    def units(self, at: dt.date, /, *, kind: str) -> list[Unit]:
        return self._ask("units", kind, at, lambda: self.reader.units(at, kind=kind))


def infer_area(reader: "_Chains", unit: Unit, day: dt.date) -> str:
    """The area `infer_areas` gives one body naming no area on `day` ("" if none), with
    only its own PART_OF chain read (`ChainReader`), not the day's every blank body: what
    a unit's own answer says of its area (`GraphReader.inferred_area`). The units whose
    name rows the rule reads for a parent's area are those of the chain that name one (a
    superset of the dated ones it can meet: the rule reads a parent's area only up the
    chain `load` walked), so the names table is not read."""
    chains = ChainReader(reader, day).load([unit])
    naming = {uid for uid, u in chains._units.items() if u.area}
    return infer_areas(chains, [unit], day, naming).get(unit.id, "")


class _Chains(AreaReader, Protocol):
    """What `ChainReader` reads of a `GraphReader`: an `AreaReader` with batched parents."""

    def parents(self, unit_ids: Iterable[str], at: dt.date | None, /) -> dict[str, str | None]: ...


def infer_areas(reader: AreaReader, units: Iterable[Unit], day: dt.date,
                dated: Collection[str]) -> dict[str, str]:
    """unit id -> its area on `day`, for each of `units` (bodies that name no area) whose
    PART_OF chain gives one (the module's rule). `dated`: the units whose area names.csv
    dates (`ScenarioState.dated_area_units`: their name rows are read for a parent's area;
    a superset does no harm)."""
    eve = day - dt.timedelta(days=1)
    memo: dict[str, str] = {}
    busy: set[str] = set()  # the chain being walked (a cycle stops there)
    places: dict[str, dict[str, set[str]]] = {}  # filled on first use

    def infer(u: Unit) -> str:
        known = memo.get(u.id)
        if known is not None:
            return known
        busy.add(u.id)
        found = ""
        # the day's parent, else the eve's (a link this operation has just cut)
        parent = reader.parent(u.id, day) or reader.parent(u.id, eve)
        pu = reader.get_unit(parent) if parent is not None else None
        if pu is not None and pu.id not in busy:
            if pu.kind in TERRITORIAL_KINDS:
                found = pu.id
            elif pu.area:
                found = pu.area if pu.id not in dated else rules.area_on(
                    pu, reader.unit_names(pu.id), day)
            else:
                found = infer(pu)
        if found:
            found = _area_of_level(reader, u, found, day)
        elif pu is None or pu.kind not in TERRITORIAL_KINDS:
            # its chain reaches no area (a `Tỉnh ủy` under the Central Committee, on the
            # Party's line, or a body that hangs nowhere): the one area of its level whose
            # place its name carries
            found = _area_by_place(reader, u, day, places)
        busy.discard(u.id)
        memo[u.id] = found
        return found

    out: dict[str, str] = {}
    for u in units:
        area = infer(u)
        if area:
            out[u.id] = area
    return out


def _area_by_place(reader: AreaReader, unit: Unit, day: dt.date,
                   places: dict[str, dict[str, set[str]]]) -> str:
    """The one area of `unit`'s level whose place `unit`'s name holds as whole words, the
    longest such place, among the areas of the day before (those the operation
    consolidates; the area they form may carry the same place), else among those of the
    date; "" if none, or if two areas have it. `places` ((day, level) -> place -> area ids)
    is built on first use."""
    if not unit.level:
        return ""
    eve = day - dt.timedelta(days=1)
    if not places:
        places[""] = {}  # built, even if no area has a place
        for on in (eve, day):
            for kind in sorted(TERRITORIAL_KINDS):
                for a in reader.units(on, kind=kind):
                    place = split_area_name(a.name)[1]
                    if place:
                        places.setdefault(f"{on}/{a.level or a.kind}", {}).setdefault(
                            place, set()).add(a.id)
    words = _WORD.findall(unit.name)
    for on in (eve, day):
        mine = places.get(f"{on}/{unit.level}")
        if not mine:
            continue
        for n in range(min(len(words), _PLACE_WORDS), 0, -1):  # the longest place first
            found: set[str] = set()
            for i in range(len(words) - n + 1):
                found |= mine.get(" ".join(words[i:i + n]), set())
            if found:
                return next(iter(found)) if len(found) == 1 else ""
    return ""


def _area_of_level(reader: AreaReader, unit: Unit, area_id: str, day: dt.date) -> str:
    """`area_id` if it is of `unit`'s level (or either says none), else the one area of the
    unit's level directly under it whose place the unit's name carries (the longest such
    place), else ""."""
    au = reader.get_unit(area_id)
    if au is None:
        return ""
    level = au.level or au.kind
    if not unit.level or not level or unit.level == level:
        return area_id
    # the areas under it the day before (those this operation consolidates are no longer
    # under it on the day, and the area they form would carry the same place), else on the
    # day (an area an earlier operation of the date formed)
    eve = day - dt.timedelta(days=1)
    for on in (eve, day):
        below = reader.get_units(reader.children(area_id, on))
        places = sorted(((len(split_area_name(a.name)[1]), a.id) for a in below.values()
                         if a.kind in TERRITORIAL_KINDS and (a.level or a.kind) == unit.level
                         and a.valid_at(on) and carries_place(unit.name, a.name)),
                        reverse=True)
        if places:
            if len(places) > 1 and places[0][0] == places[1][0]:
                return ""  # two areas' places alike: the name does not tell
            return places[0][1]
    return ""
