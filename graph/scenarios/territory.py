"""Territorial operations: areas (provinces, districts, communes) that consolidate, merge or
lose a level bring their bodies along.

The bodies of an area are the units whose `area` is that area. When areas consolidate
(or merge), their bodies are paired by position and kind, top-down: the bodies directly
under the areas are paired first (the Party Committee with the Party Committee, the
People's Council with the People's Council, ...), then the bodies under each pair, and so
on. Within one parent, two bodies are peers when they have the same `kind` and

- the same *name key* (the name folded with `graph.text`, without the area's place name
  and the territorial words next to it, abbreviations written out by
  `graph.scenarios.body_names`: `Ban Tổ chức Tỉnh ủy Sơn Hòa` -> `ban to chuc`,
  `HĐND tỉnh X` -> `hoi dong nhan dan`; a name that joins two bodies, as a merged body is
  named, by its part of the body's kind: the Party board `Ban Tổ chức Thành ủy – Phòng Nội
  vụ thành phố Móng Cái` -> `ban to chuc`, `body_names.own_part`), or
- they are the only body of that kind on both sides (not of kind `other`: `KINDLESS`), or
- their keys are the most similar (token overlap) above `MATCH_THRESHOLD`.

Bodies left without a peer where they hang are paired across the areas' trees by name
(`_pair_leftovers`), and, with three areas or more, join the body their peers of the
other areas formed (`_join_formed`: Nam Định's Tỉnh ủy under the Central Committee joins
Hà Nam's and Ninh Bình's, which hang at their areas' tops).

Peers consolidate into one body of the new area (under the new area's corresponding
parent body), named as the peer of the area the new one is named after, else after the
first of them whose name carries its area's place (`body_spec`); a body without a peer
moves to the new area as it is, its former area kept for earlier dates (`set_area`).
Party cells are never paired (a village's cell stays a cell of its village): they follow
their parent.

`TerritoryMixin` is mixed into the applier (`graph.scenarios.apply._Applier`) and uses its
helpers (`unit`, `endable`, `hand_over`, `move_child`, `end_unit`, `event`, ...).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import types
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Callable, Iterable, Mapping, Sequence, TypeVar

from graph import rules
from graph.dates import PartialDate, start_day
from graph.model import Event, Headcount, Relation, Unit, UnitName
from graph.rules import headcount_on
from graph.areas import TERRITORIAL_KINDS, infer_areas, may_infer
from graph.scenarios.body_names import (name_words, carries_place, own_part, rename_for_area,
                                        rename_english_for_area, whole_name_after_committee, with_whole_name,
                                        split_area_name, written_out_head)
from graph.scenarios.mapping_names import resolve_names
from graph.scenarios.operations import (Becoming, ConsolidateMap, DissolveLevel, NewUnit, Selector,
                                        level_below)
from graph.text import words

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

    from graph.scenarios.apply import T as _DatedT, OperationConflict

T = TypeVar("T", bound="DataclassInstance")
_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


_REPLACERS: dict[tuple[type, tuple[str, ...]], Callable[..., Any]] = {}


def _replacer(cls: type, changed: tuple[str, ...]) -> Callable[..., Any]:
    """A function `(record, **changes) -> cls(...)` written out for one class and one set of
    changed fields (the fields read by attribute, none looked up by name at each call)."""
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(f.name for f in dataclasses.fields(cls))
    unknown = [c for c in changed if c not in names]
    if unknown:
        raise TypeError(f"{cls.__name__} has no field {unknown[0]!r}")
    values = [n if n in changed else f"r.{n}" for n in names]
    head = f"def replace(r, *, {', '.join(changed)}):\n" if changed else "def replace(r):\n"
    scope: dict[str, Any] = {"cls": cls, "new": object.__new__}
    if _sets_slots(cls, names):
        # The record made as its generated `__init__` makes it (each field set through its
        # slot), without that `__init__`'s `object.__setattr__` per field: about half the
        # cost of a frozen record, and a national plan makes a million of them.
        lines = ["    o = new(cls)\n"] + [f"    set_{i}(o, {v})\n" for i, v in enumerate(values)]
        code = head + "".join(lines) + "    return o\n"
        scope.update((f"set_{i}", getattr(cls, n).__set__) for i, n in enumerate(names))
    else:
        code = head + f"    return cls({', '.join(values)})\n"
    exec(code, scope)  # noqa: S102 - the code is built from the dataclass's own field names
    return scope["replace"]


def _sets_slots(cls: type, names: tuple[str, ...]) -> bool:
    """Whether `cls(*values)` only sets each field's slot: a dataclass with slots whose
    `__init__` is the generated one (every field a parameter), without `__post_init__`
    nor a `__new__` of its own."""
    params = getattr(cls, "__dataclass_params__", None)
    generated = getattr(getattr(cls, "__init__", None), "__code__", None)
    return (params is not None and params.init
            and generated is not None and generated.co_filename == "<string>"
            and getattr(cls, "__slots__", None) is not None
            and all(isinstance(getattr(cls, n, None), types.MemberDescriptorType)
                    for n in names)
            and all(f.init for f in dataclasses.fields(cls))
            and not hasattr(cls, "__post_init__") and cls.__new__ is object.__new__)


def replace_record(record: T, **changes: Any) -> T:
    """`dataclasses.replace` for the model's records, several times faster (a national plan
    replaces hundreds of thousands of them)."""
    key = (type(record), tuple(changes))
    fn = _REPLACERS.get(key)
    if fn is None:
        fn = _REPLACERS[key] = _replacer(*key)
    return fn(record, **changes)


_rep = replace_record

#: The parent key, in an area's bodies by parent, of those that hang nowhere on the date.
LOOSE = ""
#: Kinds never paired with a peer (they follow their parent as they are).
NEVER_PAIRED = frozenset({"party_cell"})
#: Folded words that name a territorial level or its Party committee (`tỉnh`, `thành phố`,
#: `huyện`, `thị xã`, `xã`, `phường`, `thị trấn`, `quận`, `ủy`), stripped next to a place.
TERRITORIAL_WORDS = frozenset({"tinh", "thanh", "pho", "huyen", "quan", "thi", "xa", "phuong",
                               "tran", "uy", "tp", "tx", "tt"})
#: Folded first words that only say at which level a department is (`Sở`, `Phòng`),
#: left out when two keys are compared (`similarity`; the keys keep them).
LEVEL_WORDS = frozenset({"so", "phong"})
#: The least token overlap (Dice) for two names of one kind to be peers.
MATCH_THRESHOLD = 0.6
#: Below it, even the only bodies of a kind on both sides are not peers.
UNIQUE_THRESHOLD = 0.34
#: Kinds that do not say what a body is (`other`: none of the vocabulary's): the only
#: bodies of such a kind on both sides are peers by their names only (a university
#: area's authority and an industrial zones' authority are not one body).
KINDLESS = frozenset({"other"})


# -- names --------------------------------------------------------------------------------------
def place_of(area_name: str) -> str:
    """`Tỉnh Sơn Hòa` -> `Sơn Hòa`: the area's name without its leading territorial words.

    The words are compared with their diacritics (`body_names.AREA_PREFIXES`): `Huyện Quản
    Bạ` is `Quản Bạ` and `Xã Thanh Vân` is `Thanh Vân`, although `quản` and `thanh` fold to
    the territorial `quan` (quận) and `thanh` (thành). A name written without diacritics
    falls back to the folded words."""
    prefix, place = split_area_name(area_name)
    if prefix or not area_name.isascii():
        return place
    parts = area_name.split()
    i = 0
    while i < len(parts) - 1 and all(w in TERRITORIAL_WORDS for w in words(parts[i])):
        i += 1
    return " ".join(parts[i:])


def name_key(name: str, area_name: str) -> tuple[str, ...]:
    """The folded words of a body's name without the area's place name and the territorial
    words before it (or at the end, when the place is not in the name), its abbreviations
    and short forms written out (`body_names.name_words`: `UBND` -> `uy ban nhan dan`,
    `Tỉnh đoàn` -> `doan thanh nien`)."""
    toks = list(name_words(name))
    place = _place_words(area_name) if area_name else []
    cut = len(toks)
    if place:
        n = len(place)
        for i in range(len(toks) - n, -1, -1):
            if toks[i:i + n] == place:
                toks = toks[:i] + toks[i + n:]
                cut = i
                break
    j = cut
    while j > 0 and toks[j - 1] in TERRITORIAL_WORDS:
        j -= 1
    return tuple(toks[:j] + toks[cut:])


@lru_cache(maxsize=1 << 16)
def _place_words(area_name: str) -> list[str]:
    """The folded words of an area's place name (asked once per body of the area)."""
    return words(place_of(area_name))


def similarity(a: Sequence[str], b: Sequence[str]) -> float:
    """Dice overlap of two keys' words (1.0 for two empty keys), a leading `LEVEL_WORDS`
    left out: `Sở` (a province's department) and `Phòng` (a district's office) only say
    at which level a department is, so `Phòng Tài chính - Kế hoạch` is as close to `Sở Tài
    chính` as to another `Phòng Tài chính`."""
    if not a and not b:
        return 1.0
    if len(a) > 1 and a[0] in LEVEL_WORDS:
        a = a[1:]
    if len(b) > 1 and b[0] in LEVEL_WORDS:
        b = b[1:]
    sa, sb = set(a), set(b)
    return 2 * len(sa & sb) / (len(sa) + len(sb))


def pair(lists: Sequence[Sequence[Unit]], keys: dict[str, tuple[str, ...]]) -> list[list[Unit]]:
    """Group the bodies of several areas (one list per area, the anchor area first) into
    peers: at most one body of each area per group."""
    groups: list[list[Unit]] = []
    by_kind: dict[str, list[int]] = {}
    for lst in lists:
        taken: set[int] = set()
        assign: dict[str, int] = {}
        kinds: dict[str, list[Unit]] = {}
        for u in lst:
            kinds.setdefault(u.kind, []).append(u)
        for kind, mine in kinds.items():
            cands = by_kind.get(kind, [])
            # 1. the same key
            for u in mine:
                for gi in cands:
                    if gi not in taken and keys[groups[gi][0].id] == keys[u.id]:
                        assign[u.id] = gi
                        taken.add(gi)
                        break
            rest = [u for u in mine if u.id not in assign]
            free = [gi for gi in cands if gi not in taken]
            # 2. the only one of its kind on both sides
            if len(rest) == 1 and len(free) == 1 and kind not in KINDLESS and (
                    similarity(keys[rest[0].id], keys[groups[free[0]][0].id])
                    >= UNIQUE_THRESHOLD or not keys[rest[0].id]
                    or not keys[groups[free[0]][0].id]):
                assign[rest[0].id] = free[0]
                taken.add(free[0])
                rest = []
            # 3. the most similar, best pairs first
            if rest and free:
                scored = sorted(((similarity(keys[u.id], keys[groups[gi][0].id]), u.id, gi)
                                 for u in rest for gi in free), key=lambda t: (-t[0], t[1], t[2]))
                for score, uid, gi in scored:
                    if score < MATCH_THRESHOLD:
                        break
                    if uid in assign or gi in taken:
                        continue
                    assign[uid] = gi
                    taken.add(gi)
        for u in lst:
            slot = assign.get(u.id)
            if slot is None:
                groups.append([u])
                slot = len(groups) - 1
                by_kind.setdefault(u.kind, []).append(slot)
                taken.add(slot)
            else:
                groups[slot].append(u)
    return groups


class TerritoryMixin:
    """Territorial operations of the applier (see the module docstring)."""

    s: Any
    day: dt.date
    date: PartialDate
    e: Any
    row_label: str = ""
    #: Pair a new area's (or body's) children before handing their links over, so that a
    #: child that consolidates is never handed a link it cuts at once (`_pair_walk`). The
    #: same result either way but for the order the overlay's relations are added in
    #: (tested); False: every link handed over first, as `_absorb` does by itself.
    pair_first: bool = True
    #: The areas being brought together and the one they form (`merge_bodies`): a body
    #: under a unit of none of them is at its area's top (`_depth`).
    _bringing: frozenset[str] = frozenset()
    #: Where `merge_bodies`'s entries start in the log's `bodies`.
    _formed_from: int = 0

    if TYPE_CHECKING:
        # The host's helpers (`graph.scenarios.apply._Applier`), declared for the type
        # checker only: at run time they are the host's.
        source: str

        def conflict(self, message: str, **info: Any) -> OperationConflict: ...

        def unit(self, unit_id: str, role: str = "unit") -> Unit: ...

        def endable(self, unit: Unit) -> None: ...

        def _cut_start(self, record: _DatedT, replace: Callable[..., Any]) -> Any: ...

        def rels_from(self, unit_id: str, direction: str) -> list[Relation]: ...

        def has_relation(self, source: str, type_: str, target: str) -> bool: ...

        def held_functions(self, unit_id: str) -> list[str]: ...

        def headcount(self, unit_id: str) -> int | None: ...

        def end_unit(self, unit: Unit, *, figures: list[Headcount] | None = None,
                     part_of: list[Relation] | None = None) -> None: ...

        def end_facts(self, unit_id: str) -> None: ...

        def move_child(self, child: str, old_parent: str | None, new_parent: str) -> None: ...

        def event(self, type_: str, inputs: Sequence[str], outputs: Sequence[str],
                  description: str, *, main: bool = True) -> Event: ...

        def _absorb(self, inputs: Sequence[Unit], dest: str,
                    dest_headcount: int | None) -> None: ...

        def consolidate_units(self, units: Sequence[str], spec: NewUnit, parent: str | None,
                              serves: Sequence[str], *, main: bool = True,
                              body: bool = False,
                              links_to: list[tuple[str, Relation]] | None = None) -> Unit: ...

        def move_child_link(self, rel: Relation, src: str, dest: str,
                            dest_end: Any) -> None: ...

        pending_links: dict[str, list[tuple[str, Relation]]]

        def name_leaders(self, leaders: Mapping[str, str], dest: str, *,
                         since: tuple[int, int] = (0, 0)) -> None: ...

        def become_areas(self, area: Unit, entries: list[tuple[str, Becoming]], below: str,
                         mode: str, *, first: bool) -> tuple[int, int]: ...


    # -- lookups -----------------------------------------------------------------------------
    def _area_index(self) -> dict[str, list[str]]:
        """area id -> the units with that area on the date that exist then (built once per
        operation: one pass over the units). A unit with a dated area (names.csv: one that
        moved after the date, in the record) is indexed under the area it had that day."""
        index = self._areas
        if index is None:
            index = {}
            dated = self._dated = self.s.dated_area_units()
            self._inferred = {}
            without: list[Unit] = []
            for u in self.s.units(self.day):
                area = u.area if u.id not in dated else self.area_of(u)
                if area:
                    index.setdefault(area, []).append(u.id)
                elif may_infer(u):
                    without.append(u)
            if without:
                self._inferred = inferred = infer_areas(self.s, without, self.day, dated)
                dated.update(inferred)  # read through `area_of`, as a dated area is
                for u in without:
                    area = inferred.get(u.id)
                    if area:
                        index.setdefault(area, []).append(u.id)
            self._areas = index
        return index

    #: The units with a dated area (`ScenarioState.dated_area_units`), read with the index,
    #: and those whose area is inferred from their PART_OF chain (`_inferred`).
    _dated: set[str] | None = None
    #: unit id -> the area of a body that names none, from its PART_OF chain on the date.
    _inferred: dict[str, str] | None = None
    #: the inferred bodies the operation took as an area's (unit id -> area), in order.
    _taken_inferred: dict[str, str] | None = None
    # Built once per operation (each applier runs one), on first use: the area index, an
    # area's bodies by parent (`_area_children`), the name keys (`_keys`), the areas' names.
    _areas: dict[str, list[str]] | None = None
    _area_kids: dict[str, tuple[int, dict[str, list[Unit]]]] | None = None
    _key_memo: dict[tuple[str, str, str], tuple[str, ...]] | None = None
    _area_names: dict[str, str] | None = None

    def area_of(self, unit: Unit) -> str:
        """The unit's area on the date."""
        dated = self._dated
        if dated is None:
            self._area_index()
            dated = self._dated or set()
        if unit.id not in dated:
            return unit.area
        if not unit.area and self._inferred and unit.id in self._inferred:
            return self._inferred[unit.id]
        return rules.area_on(unit, self.s.unit_names(unit.id), self.day)

    def area_units(self, area_id: str) -> list[Unit]:
        """The bodies of an area that exist on the date and are still open after it."""
        ids = self._area_index().get(area_id, ())
        units = self.s.get_units(ids)
        dated, day = self._dated or (), self.day
        return [u for i in ids if (u := units.get(i)) is not None
                and (u.area if i not in dated else self.area_of(u)) == area_id
                and u.valid_at(day)]

    def body_units(self, area_id: str) -> list[Unit]:
        """`area_units` without the areas among them: a district whose `area` names its
        province is an area under it, never one of its bodies (it is not paired, merged or
        ended with them; it moves with its area as it is)."""
        out = [u for u in self.area_units(area_id) if u.kind not in TERRITORIAL_KINDS]
        inferred = self._inferred
        if inferred:
            taken = self._taken_inferred
            if taken is None:
                taken = self._taken_inferred = {}
            for u in out:
                if not u.area and u.id in inferred:
                    taken[u.id] = area_id
        return out

    def inferred_warning(self) -> str | None:
        """The warning an operation gives when it took bodies that name no `area` as an
        area's by their PART_OF chain (`areas.infer_areas`): how many, and the first few."""
        taken = self._taken_inferred
        if not taken:
            return None
        shown = ", ".join(f"{u} ({a})" for u, a in sorted(taken.items())[:5])
        more = f", and {len(taken) - 5} more" if len(taken) > 5 else ""
        return (f"{len(taken)} {'body names' if len(taken) == 1 else 'bodies name'} no area: "
                f"taken as bodies of the area their PART_OF chain reaches: {shown}{more} "
                "(give `area` in units.csv to say otherwise, or `bodies: keep`)")

    def set_area(self, unit: Unit, area: str) -> Unit:
        """Move `unit` to `area` from the date; the dates before keep its former area
        (names.csv rows, `keep_former_area`)."""
        moved = _rep(unit, area=area)
        self.s.put_unit(moved, new=self.s.is_new(unit.id))
        self._area_index().setdefault(area, []).append(unit.id)
        if unit.area != area or self.area_of(unit) != area:
            self.keep_former_area(unit)
        return moved

    def keep_former_area(self, unit: Unit) -> None:
        """Date `unit.area` to the days before the operation's: each name row before the
        date keeps the area it says, or gets the unit's own (a row across the date is cut
        there), and every day before the date no row covers gets a row (the unit's own
        name, its own area). From the date on the unit's own area holds: rows after it
        (a recorded later move a what-if replaces) say none. A unit that starts on the
        date has no earlier days to keep."""
        day, old = self.day, unit.area or (self._inferred or {}).get(unit.id, "")
        if unit.valid_from is not None and unit.valid_from.first_day() >= day:
            return
        rows = self.s.unit_names(unit.id)  # oldest first
        cursor = unit.valid_from
        for n in rows:
            if start_day(n.valid_from) >= day:
                if n.area:
                    self.s.replace_name(n, _rep(n, area=""))
                continue
            if start_day(cursor) < start_day(n.valid_from):  # days with the unit's own name
                self._add_area_row(unit, old, cursor, n.valid_from)
            end = n.valid_to
            if end is not None and end.first_day() > day:  # across the date: cut it
                self.s.replace_name(n, _rep(n, area=n.area or old, valid_to=self.date))
                self.s.add_name(_rep(n, area="", valid_from=self.date))
                cursor = self.date
                continue
            if not n.area:
                self.s.replace_name(n, _rep(n, area=old))
            cursor = end
        if start_day(cursor) < day:
            self._add_area_row(unit, old, cursor, self.date)

    def _add_area_row(self, unit: Unit, area: str, start: Any, end: Any) -> None:
        self.s.add_name(UnitName(unit_id=unit.id, name=unit.name, name_en=unit.name_en,
                                 abbr=unit.abbr, area=area, valid_from=start, valid_to=end,
                                 source=self.source))

    def select_units(self, sel: Selector) -> list[str]:
        """The ids a selector chooses on the date, in id order. A `within` that ends on the
        date (a district whose level the plan dissolved first, as a resolution's annex
        still names it) chooses the units that were in it the day before and go on."""
        within, day = sel.within, self.day
        if within is not None:
            w = self.s.get_unit(within)
            eve = day - dt.timedelta(days=1)
            if w is not None and w.valid_to is not None and w.valid_to.first_day() == day \
                    and w.valid_at(eve):
                day = eve
            else:
                self.unit(within, "select.within")
        found = self.s.units(day, kind=sel.kind, level=sel.level)
        if day != self.day:
            found = [u for u in found if u.valid_at(self.day)]
        if within is None:
            return [u.id for u in found]
        memo: dict[str, bool] = {within: True}
        out = []
        for u in found:
            if u.id == within:
                continue
            chain, cur, res = [], u.id, False
            while True:
                if cur in memo:
                    res = memo[cur]
                    break
                chain.append(cur)
                p = self.s.parent(cur, day)
                if p is None or p in chain:
                    res = False
                    break
                cur = p
            for c in chain:
                memo[c] = res
            if res or (u.area if day == self.day
                       else rules.area_on(u, self.s.unit_names(u.id), day)) == within:
                out.append(u.id)
        return out

    def _pairable_children(self, parent: str, areas: set[str],
                           inside: set[str] | None = None,
                           children: list[str] | None = None) -> dict[str, list[Unit]]:
        """The bodies of `areas` directly under `parent`, by area. A parent outside the
        areas (a province's Party Committee over thousands of communes' committees) is
        looked up from the areas' side, so that the cost is the areas' size. `children`:
        `parent`'s children on the date, when the caller knows them (a body of the areas'
        that is not handed them yet, `_pair_walk`)."""
        pu = self.s.get_unit(parent)
        if children is None and inside is not None and pu is not None \
                and parent not in inside and self.area_of(pu) not in inside:
            out: dict[str, list[Unit]] = {}
            for a in sorted(areas):
                mine = self._area_children(a).get(parent)
                if mine:
                    out[a] = mine
            return out
        kids = self.s.get_units(self.s.children(parent, self.day) if children is None
                                else children)
        out = {}
        self._area_index()  # the dated areas are read with it
        dated = self._dated or ()
        for uid in sorted(kids):
            u = kids[uid]
            area = u.area if uid not in dated else self.area_of(u)
            if area in areas and u.kind not in NEVER_PAIRED and u.kind not in TERRITORIAL_KINDS:
                out.setdefault(area, []).append(u)
        if pu is not None and pu.kind in TERRITORIAL_KINDS and (inside is None
                                                                 or parent in inside):
            # An area's bodies that hang nowhere (a source that names the People's Committee
            # but not what it is part of) stand directly under their area: under the area
            # the walk starts from, not under another area it meets (they would be paired
            # twice).
            for a in sorted(areas):
                loose = self._area_children(a).get(LOOSE)
                if loose:
                    out[a] = sorted(out.get(a, []) + loose, key=lambda u: u.id)
        return out

    def _area_children(self, area_id: str) -> dict[str, list[Unit]]:
        """parent -> the pairable bodies of an area under it, on the date (cached until the
        area gains a unit)."""
        cache = self._area_kids
        if cache is None:
            cache = self._area_kids = {}
        size = len(self._area_index().get(area_id, ()))
        hit = cache.get(area_id)
        if hit is not None and hit[0] == size:
            return hit[1]
        by_parent: dict[str, list[Unit]] = {}
        for u in self.body_units(area_id):
            if u.kind in NEVER_PAIRED or (u.valid_to is not None
                                          and u.valid_to.first_day() <= self.day):
                continue
            p = self.s.parent(u.id, self.day)
            by_parent.setdefault(LOOSE if p is None else p, []).append(u)
        cache[area_id] = (size, by_parent)
        return by_parent

    def _keys(self, units: Iterable[Unit]) -> dict[str, tuple[str, ...]]:
        # A level that ends pairs each of its areas with the upper area's bodies: those are
        # keyed once per operation, not once per lower area (692 districts at national size).
        known = self._key_memo
        if known is None:
            known = self._key_memo = {}
        self._area_index()  # the dated areas are read with it
        dated = self._dated or ()
        out = {}
        for u in units:
            place = self._area_name(u.area if u.id not in dated else self._key_area(u))
            memo = (u.name, u.kind, place)
            key = known.get(memo)
            if key is None:
                # a name that joins two bodies is keyed by its part of the body's kind
                key = known[memo] = name_key(own_part(u.name, u.kind), place)
            out[u.id] = key
        return out

    def _area_name(self, area_id: str) -> str:
        """An area's name (read once per operation)."""
        names = self._area_names
        if names is None:
            names = self._area_names = {}
        name = names.get(area_id)
        if name is None:
            a = self.s.get_unit(area_id) if area_id else None
            name = names[area_id] = a.name if a else ""
        return name

    def _key_area(self, unit: Unit) -> str:
        """The area whose place a body with a dated area is keyed without: its area on the
        date, or, when its name does not carry that area's place, a former area's whose
        place it does carry (a body moved as it is keeps its old area's place in its name:
        `Sở Ngoại vụ tỉnh Hà Giang` under Tuyên Quang)."""
        here = self.area_of(unit)
        if carries_place(unit.name, self._area_name(here)):
            return here
        former = [n.area for n in reversed(self.s.unit_names(unit.id)) if n.area]
        for area in dict.fromkeys(former + [unit.area]):
            if carries_place(unit.name, self._area_name(area)):
                return area
        return here

    # -- the bodies of consolidated or merged areas ------------------------------------------
    def body_spec(self, body: Unit, new_area: Unit, taken: set[str],
                  group: Sequence[Unit] = ()) -> NewUnit:
        """The new body replacing `body` (the first of its `group` of peers) in `new_area`:
        the id from `body`'s with the new area's; the name (and `name_en`, `abbr`) from a
        peer whose name carries its area's place, with the new area's: first the peer of
        the area the new one is named after (Hải Phòng's `Thành ủy Hải Phòng` when Tỉnh
        Hải Dương and Thành phố Hải Phòng form Thành phố Hải Phòng: its name is already
        right), then the first that carries its place (`Ban Tuyên giáo Tỉnh ủy Hà Giang`
        before `Ban Tuyên giáo`); when none carries its place, the namesake's as it is (its
        committee words are the new area's kind's: Hải Phòng's `Văn phòng Thành ủy`, not
        Hải Dương's `Văn phòng Tỉnh ủy`, for the city); else `body`'s. Its head (the body
        words before the committee and place words) is written out as another peer writes it
        when the name abbreviates it (`written_out_head`: Hải Dương's `UBKT Tỉnh ủy Hải
        Dương` and Hải Phòng's `Ủy ban Kiểm tra Thành ủy` form the `Ủy ban Kiểm tra Thành
        ủy Hải Phòng`), as official names write them."""
        prefix = f"{self.area_of(body)}-"
        suffix = body.id[len(prefix):] if body.id.startswith(prefix) else body.id
        base = f"{new_area.id}-{suffix}"
        ident, n = base, 1
        while ident in taken or self.s.get_unit(ident) is not None:
            n += 1
            ident = f"{base}-{n}"
        taken.add(ident)
        name, name_en, abbr = self._body_naming(body, new_area, group)
        return NewUnit(id=ident, name=name, name_en=name_en, abbr=abbr, kind=body.kind,
                       level=body.level, area=new_area.id,
                       note=f"Formed from the bodies of the areas consolidated into "
                            f"{new_area.id}.")

    def _body_naming(self, body: Unit, new_area: Unit,
                     group: Sequence[Unit] = ()) -> tuple[str, str, str]:
        """The name, `name_en` and `abbr` of the body `body_spec` forms from `group` in
        `new_area` (the rules there)."""
        named, old_area = body, self.s.get_unit(self.area_of(body))
        new_place = split_area_name(new_area.name)[1]
        best = None
        whole = False  # the namesake's bodies write the whole name: so shall the new ones
        places: list[tuple[Unit, str]] = []  # each peer with its area's place
        for i, u in enumerate(group or (body,)):
            area = self.s.get_unit(self.area_of(u))
            places.append((u, split_area_name(area.name)[1] if area is not None else ""))
            if area is None:
                continue
            namesake = area.name.lower() == new_area.name.lower()
            whole = whole or namesake and self._writes_whole_name(area)
            if not carries_place(u.name, area.name):
                if not namesake:
                    continue
                rank = (3, i)  # right for the new area, but for the place it leaves out
            else:
                rank = (0 if namesake else
                        1 if split_area_name(area.name)[1] == new_place else 2, i)
            if best is None or rank < best[0]:
                best = (rank, u, area)
        if best is not None:
            _, named, old_area = best
        name = named.name
        name_en = named.name_en
        if old_area is not None:
            name = rename_for_area(name, old_area.name, new_area.name)
            name_en = rename_english_for_area(name_en, old_area.name_en, new_area.name_en)
        if whole:
            name = with_whole_name(name, new_area.name)
        name = written_out_head(name, new_place, ((u.name, place) for u, place in places
                                                  if u is not named), body.kind)
        return name, name_en, named.abbr

    def _writes_whole_name(self, area: Unit) -> bool:
        """Whether `area`'s bodies write its whole name after their committee words
        (`whole_name_after_committee`: Thành phố Hồ Chí Minh's `Thành ủy Thành phố Hồ Chí
        Minh`); read once per area and operation."""
        memo = self._whole_names
        if memo is None:
            memo = self._whole_names = {}
        found = memo.get(area.id)
        if found is None:
            found = memo[area.id] = any(whole_name_after_committee(u.name, area.name)
                                        for u in self.body_units(area.id))
        return found

    #: area id -> `_writes_whole_name`'s answer, in this operation.
    _whole_names: dict[str, bool] | None = None

    def merge_bodies(self, areas: Sequence[Unit], target: Unit, *, into_existing: bool) -> None:
        """Pair and bring together the bodies of `areas` in the area `target` (new, or an
        existing area that absorbs them: its own bodies are then the anchors)."""
        sources = {a.id for a in areas}
        areas_all = sources | ({target.id} if into_existing else set())
        order = ([target.id] if into_existing else []) + [a.id for a in areas]
        taken: set[str] = set()
        singles: dict[str, Unit] = {}  # the bodies the walk finds no peer for, in its order
        formed_from = self._formed_from = len(self.e.bodies)  # this call's (a table has many)
        self._bringing = frozenset(areas_all | {target.id})
        self._pair_walk([target.id], areas_all, order, target, into_existing, taken,
                        self.pending_links.pop(target.id, None), singles)
        # Bodies of the areas that hang elsewhere (a commune's Party Committee under the
        # district's): paired under the parent they share.
        elsewhere: set[str] = set()
        in_order = [a.id for a in areas]  # the operation's order: a set's would vary by run
        for a in in_order:
            for u in self.body_units(a):
                if u.kind in NEVER_PAIRED or u.id in singles or (
                        u.valid_to is not None and u.valid_to.first_day() <= self.day):
                    continue
                p = self.s.parent(u.id, self.day)
                pu = self.s.get_unit(p) if p is not None else None
                if pu is not None and self.area_of(pu) not in areas_all and pu.id not in areas_all \
                        and pu.id != target.id:
                    elsewhere.add(pu.id)
        if elsewhere:
            self._pair_walk(sorted(elsewhere), areas_all, order, target, into_existing, taken,
                            None, singles)
        self._pair_leftovers(singles, order, target, into_existing, taken, formed_from)
        # Everything else of the areas (cells, bodies under a body without a peer, bodies
        # hanging elsewhere) now belongs to the target area.
        for a in in_order:
            for u in self.area_units(a):
                if u.valid_to is None or u.valid_to.first_day() > self.day:
                    self.set_area(u, target.id)

    def _pair_walk(self, frontier: list[str], areas_all: set[str], order: list[str],
                   target: Unit, into_existing: bool, taken: set[str],
                   handed: list[tuple[str, Relation]] | None = None,
                   singles: dict[str, Unit] | None = None) -> None:
        """Pair the bodies under each unit of `frontier`, then under each pair, downwards.
        `handed`: the links to hand `target` (its areas' children's), not handed yet.
        `singles`: the bodies without a peer under their parent are collected there
        (`_pair_leftovers` pairs them across parents, the caller moves the rest)."""
        inside = areas_all | {target.id}
        # A new body formed here takes its peers' children only once they are paired in
        # turn: a child that consolidates ends its link to its old parent itself, so that
        # only the others' links are handed over (new body -> the bodies it was formed from).
        # Handing every link over first, as `_absorb` does, wrote a link to the new body for
        # each child that consolidates, and cut it again at once (188,860 links of a national
        # reform's commune table).
        formed: dict[str, list[tuple[str, Relation]]] = {}
        if handed is not None:
            formed[target.id] = handed
        day = self.day
        while frontier:
            parent = frontier.pop(0)
            handed = formed.pop(parent, None)
            if handed is None:
                by_area = self._pairable_children(parent, areas_all, inside)
            else:
                # `parent`'s children on the date once handed the links: those whose moved
                # link (`move_child_link`: from the date, clipped to the child's end and to
                # the new body's) holds on the date
                end = self.s.get_unit(parent).valid_to
                get = self.s.get_unit
                kids = sorted({r.source_id for _, r in handed
                               if r.source_id != parent and r.valid_at(day)
                               and ((c := get(r.source_id)) is None or c.valid_to is None
                                    or c.valid_to._first > day)}) \
                    if end is None or end._first > day else []
                by_area = self._pairable_children(parent, areas_all, inside, kids)
            if not by_area:
                if handed:
                    self._hand_children(handed, parent, ())
                continue
            pu = self.s.get_unit(parent)
            top = pu is not None and pu.kind in TERRITORIAL_KINDS
            lists = [by_area.get(a, []) for a in order]
            keys = self._keys(u for lst in lists for u in lst)
            groups = pair(lists, keys)
            if handed:
                self._hand_children(handed, parent, {u.id for g in groups if len(g) > 1
                                                     for u in g})
            for group in groups:
                first = group[0]
                if len(group) == 1:
                    if singles is not None:
                        singles.setdefault(first.id, first)
                    elif self.area_of(first) != target.id:
                        self.e.unpaired.append((first.id, self.area_of(first), target.id))
                        # a subject: the impact counts the areas' bodies, peers or not
                        self.e.subject(first.id)
                        self.set_area(first, target.id)
                    frontier.append(first.id)
                    continue
                anchor = self._anchor_elsewhere(group, target) \
                    if into_existing and self.area_of(first) != target.id else None
                if into_existing and self.area_of(first) == target.id:
                    self._merge_into_peer(first, group[1:])
                    frontier.append(first.id)
                elif anchor is not None:
                    self._merge_into_peer(anchor, group)
                    where = self.s.parent(anchor.id, day)
                    self.e.warnings.append(
                        f"{anchor.id} takes in {', '.join(u.id for u in group)} (peers under "
                        f"{parent}): it stays where it hangs, "
                        + (f"under {where}" if where else "nowhere"))
                    frontier.append(anchor.id)
                else:
                    spec = self.body_spec(first, target, taken, group)
                    # bodies that hung nowhere form one that hangs nowhere either
                    under: str | None = parent
                    if top and all(self.s.parent(u.id, self.day) is None for u in group):
                        under = None
                    links: list[tuple[str, Relation]] | None = \
                        None if into_existing or not self.pair_first else []
                    new = self.consolidate_units([u.id for u in group], spec, under, (),
                                                 main=False, body=True, links_to=links)
                    if links is not None:
                        formed[new.id] = links
                    self.e.bodies.append((new.id, tuple(u.id for u in group)))
                    frontier.append(new.id)

    def warn_kept_bodies(self, areas: Sequence[Unit], target: Unit) -> None:
        """`bodies: keep`: the areas' bodies (and the areas under them whose `area` names
        them) keep their areas, which end on the date: a warning says how many, so that a
        report whose scope holds the areas only (no headcount, no posts) says why."""
        counts = [(a, n) for a in areas if a.kind in TERRITORIAL_KINDS and a.id != target.id
                  and (n := len(self.area_units(a.id)))]
        if counts:
            listing = ", ".join(f"{a.id} ({a.name}) {n}" for a, n in counts)
            self.e.warnings.append(
                f"bodies: keep: {sum(n for _, n in counts)} units keep an area that ends on "
                f"{self.date} ({listing}); they are neither brought together nor moved to "
                f"{target.id}")

    def _merge_into_peer(self, first: Unit, others: Sequence[Unit]) -> None:
        """The bodies `others` of the merged areas merge into their peer `first`, a body of
        the absorbing area (one MERGE event). When `first` has no headcount figure on the
        date and the others have, its figure becomes theirs: a warning says so, as a
        consolidation's does."""
        ids = [u.id for u in others]
        for u in others:
            self.endable(u)
        own = self.headcount(first.id)
        known = [u for u in ids if self.headcount(u) is not None] if own is None else []
        self._absorb(others, first.id, own)
        if known:
            self.e.warnings.append(f"no headcount figure for {first.id} on {self.date}: its "
                                   f"figure after the merge counts only {', '.join(known)}")
        self.e.subject(first.id, *ids)
        self.e.bodies.append((first.id, tuple(ids)))
        self.event("MERGE", ids, [first.id],
                   f"merge (sáp nhập): {', '.join(ids)} absorbed into {first.id} "
                   "with their areas", main=False)

    def _pair_leftovers(self, singles: dict[str, Unit], order: list[str], target: Unit,
                        into_existing: bool, taken: set[str], formed_from: int = 0) -> None:
        """The bodies the walk found no peer for under their parent, paired across the
        areas' trees: one body of each of two or more areas, of one kind, with the same
        name key and at most one parent between them (Bắc Ninh's `Liên đoàn Lao động tỉnh
        Bắc Ninh` under its Front, Bắc Giang's `LĐLĐ tỉnh Bắc Giang` hanging nowhere: one
        federation of the new province, under the new Front). The new body goes under that
        parent (in a merge, the absorbing area's body is the anchor). The others are the
        bodies without a peer: they move to the target area as they are (the caller)."""
        day = self.day
        live = [u for uid in singles if (u := self.s.get_unit(uid)) is not None
                and u.valid_at(day)]
        keys = self._keys(live)
        by_area: dict[str, list[Unit]] = {}
        for u in live:
            by_area.setdefault(self.area_of(u), []).append(u)
        paired: set[str] = set()
        depth: dict[str, int] = {}  # `_depth`'s, read once
        for group in pair([by_area.get(a, []) for a in order], keys) if len(by_area) > 1 else ():
            # peers by their names only (not as the only ones of their kind: they hang
            # in different places), under at most one parent between them
            # A name with no key (`Tỉnh ủy Hà Nam`, `Huyện ủy Yên Sơn`: territorial words
            # and the place only) says only the kind: peers when every one of them is at its
            # area's top (Hà Nam's under its province, Nam Định's under the Central
            # Committee), of one level
            if len(group) < 2 or any(
                    similarity(keys[u.id], keys[group[0].id]) < MATCH_THRESHOLD
                    for u in group[1:]):
                continue
            if not keys[group[0].id] and (len({u.level for u in group}) > 1 or any(
                    self._depth(u.id, target, depth) for u in group)):
                continue
            if into_existing and self.area_of(group[0]) != target.id:
                continue
            # hanging nowhere and hanging from the area itself are one place: the area's top
            parents = {p for u in group if (p := self.s.parent(u.id, day)) is not None}
            if len(parents) > 1:
                parents.discard(target.id)
            apart: list[str] = []
            if len(parents) > 1:
                # under bodies of one kind of other areas (two communes of two districts:
                # each Party Committee under its district's): one body all the same, under
                # the parent of the area the new one is placed in
                above = [self.s.get_unit(p) for p in sorted(parents)]
                if any(u is None for u in above) or len({u.kind for u in above
                                                         if u is not None}) > 1:
                    continue
                apart = sorted(parents)
                parents = {self._parent_among(group, target)}
            ids = [u.id for u in group]
            if into_existing:
                self._merge_into_peer(group[0], group[1:])
                made = group[0].id
            else:
                spec = self.body_spec(group[0], target, taken, group)
                new = self.consolidate_units(ids, spec, next(iter(parents), None), (),
                                             main=False, body=True)
                self.e.bodies.append((new.id, tuple(ids)))
                made = new.id
            if apart:
                where = self.s.parent(made, day)
                self.e.warnings.append(
                    f"{made} brings together {', '.join(ids)}, which hung under "
                    f"{', '.join(apart)}: it hangs under {where}")
            paired.update(ids)
        self._join_formed(singles, paired, target, formed_from)
        for uid, first in singles.items():
            if uid in paired:
                continue
            area = self.area_of(first)
            if area != target.id:
                self.e.unpaired.append((uid, area, target.id))
                # a subject: the impact counts the areas' bodies, peers or not
                self.e.subject(uid)

    def _join_formed(self, singles: dict[str, Unit], paired: set[str], target: Unit,
                     formed_from: int) -> None:
        """A body of a third area left without a peer where it hangs joins the body its
        peers of the other areas formed (or the absorbing area's body that took them in):
        Nam Định's Tỉnh ủy under the Central Committee joins Hà Nam's (under its province)
        and Ninh Bình's (hanging nowhere) in one Tỉnh ủy; its mass organisations hanging
        nowhere join the other two's under their Fronts (`tests/data/r_ninh_binh`). Pairing
        by position finds two of three there, and pairing the leftovers across the trees
        (`_pair_leftovers`) only the bodies none of whose peers were paired. A body joins one
        of its kind and level whose name is its (`MATCH_THRESHOLD`), formed from none of its
        area's, with at most one parent between the two and their areas' tops (hanging
        nowhere, from an area or from a unit outside the areas); the bodies under the two
        then pair as under any pair (`_join`). `paired` gains every body that joined."""
        day = self.day
        index = {made: i for i in range(formed_from, len(self.e.bodies))
                 for made in (self.e.bodies[i][0],)}
        joiners = [u for uid, u in singles.items() if uid not in paired
                   and self.area_of(u) != target.id]
        if not index or not joiners:
            return
        depth: dict[str, int] = {}

        def depth_of(uid: str) -> int:
            return self._depth(uid, target, depth)

        for u in joiners:
            if u.id in paired or not u.valid_at(day) or depth_of(u.id) > 1:
                continue
            area = self.area_of(u)
            best: tuple[float, int, Unit] | None = None
            for made_id, i in index.items():
                made = self.s.get_unit(made_id)
                if made is None or made.kind != u.kind or made.level != u.level \
                        or not made.valid_at(day) or depth_of(made_id) + depth_of(u.id) > 1:
                    continue
                members = [m for uid in self.e.bodies[i][1]
                           if (m := self.s.get_unit(uid)) is not None]
                if any(self.area_of(m) == area for m in members):
                    continue
                # an empty key (`Tỉnh ủy Nam Định`: territorial words and the place only)
                # matches an empty key only
                keys = self._keys([u, made] + members)
                score = max(similarity(keys[u.id], keys[m.id]) for m in [made] + members)
                if score >= MATCH_THRESHOLD and (best is None or (score, -i) > best[:2]):
                    best = (score, -i, made)
            if best is not None:
                paired.update(self._join(best[2], [u], target, index))

    def _anchor_elsewhere(self, group: Sequence[Unit], target: Unit) -> Unit | None:
        """In a merge, the absorbing area's body that `group` (peers of the other areas,
        none of the absorbing area's where they hang) merges into, rather than forming a
        second body of its kind in the area: one of its kind, level and name (as
        `_join_formed` matches them) that hangs elsewhere and has taken in none yet, with at
        most one parent between the two and their areas' tops. Hà Nam and Ninh Bình merged
        into Nam Định: their Tỉnh ủy (at their areas' tops) go into Nam Định's, under the
        Central Committee; their mass organisations (under their Fronts) into Nam Định's,
        hanging nowhere."""
        memo: dict[str, int] = {}
        depth = min(self._depth(u.id, target, memo) for u in group)
        if depth > 1:
            return None
        used = {made for made, _ in self.e.bodies[self._formed_from:]}
        first, day = group[0], self.day
        best: tuple[float, Unit] | None = None
        for u in self.body_units(target.id):
            if u.kind != first.kind or u.level != first.level or u.id in used \
                    or u.kind in NEVER_PAIRED or not u.valid_at(day) \
                    or self._depth(u.id, target, memo) + depth > 1:
                continue
            keys = self._keys([u, *group])
            score = max(similarity(keys[u.id], keys[m.id]) for m in group)
            if not keys[u.id] and (depth or self._depth(u.id, target, memo)):
                continue  # no key: the kind alone, at the tops only (`_pair_leftovers`)
            if score >= MATCH_THRESHOLD and (best is None or score > best[0]):
                best = (score, u)
        return best[1] if best is not None else None

    def _depth(self, uid: str, target: Unit, memo: dict[str, int]) -> int:
        """How far below its area's top a body hangs on the date: 0 at the top (hanging
        nowhere, from an area, the target, or from a unit of no area being brought together:
        a Tỉnh ủy under the Central Committee), 1 under a body at the top, 2 deeper."""
        known = memo.get(uid)
        if known is None:
            p = self.s.parent(uid, self.day)
            pu = self.s.get_unit(p) if p is not None else None
            if pu is None or p == target.id or pu.kind in TERRITORIAL_KINDS or \
                    self.area_of(pu) not in self._bringing:
                known = 0
            else:
                known = min(self._depth(p, target, memo) + 1, 2)
            memo[uid] = known
        return known

    def _join(self, made: Unit, joiners: list[Unit], target: Unit,
              index: dict[str, int]) -> list[str]:
        """`joiners` (bodies of areas not among `made`'s) join `made`, a body this operation
        formed or anchored: they end, `made` takes over their posts, functions, headcount
        and children, and its event (CONSOLIDATE, or the MERGE into the absorbing area's
        body) lists them with its own inputs. The bodies under them, now under `made`,
        join its own of their kind and name in turn (pairing as under any pair). Returns
        every body that joined."""
        ids = [u.id for u in joiners]
        where = self.s.parent(made.id, self.day)
        apart = sorted({p for u in joiners if (p := self.s.parent(u.id, self.day)) is not None
                        and p != where and p != target.id})
        for u in joiners:
            self.endable(u)
        mark = len(self.e.duplicated)
        self._absorb(joiners, made.id, self.headcount(made.id))
        self._coalesce_duplicates(mark)
        i = index.get(made.id)
        if i is None:
            # the absorbing area's body that had no peer so far (a merge): its own MERGE
            self.e.subject(made.id, *ids)
            self.e.bodies.append((made.id, tuple(ids)))
            index[made.id] = len(self.e.bodies) - 1
            self.event("MERGE", ids, [made.id],
                       f"merge (sáp nhập): {', '.join(ids)} absorbed into {made.id} "
                       "with their areas", main=False)
        else:
            made_id, before = self.e.bodies[i]
            self.e.bodies[i] = (made_id, before + tuple(ids))
            self.e.subject(made.id, *ids)
            if self._widen_event(made.id, ids) == "CONSOLIDATE":
                made = self._rename_formed(made, before + tuple(ids), target)
        if apart:
            self.e.warnings.append(
                f"{made.id} brings together {', '.join(self.e.bodies[index[made.id]][1])}, "
                f"of which {', '.join(ids)} hung under {', '.join(apart)}: it hangs under "
                f"{where}")
        joined = list(ids)
        areas = {self.area_of(u) for u in joiners}
        by_area = self._pairable_children(made.id, areas | {target.id})
        anchors = by_area.get(target.id, [])
        lists = [anchors] + [by_area.get(a, []) for a in sorted(areas)]
        if anchors and any(lists[1:]):
            keys = self._keys(u for lst in lists for u in lst)
            mine = {u.id for u in anchors}
            for group in pair(lists, keys):
                if len(group) > 1 and group[0].id in mine:
                    joined += self._join(group[0], list(group[1:]), target, index)
        return joined

    def _widen_event(self, made_id: str, ids: Sequence[str]) -> str | None:
        """Add `ids` to the inputs of the event that formed (or merged into) `made_id`;
        its type (None when there is none)."""
        for n in range(len(self.e.events) - 1, -1, -1):
            ev = self.e.events[n]
            if ev.outputs == (made_id,) and ev.type in ("CONSOLIDATE", "MERGE"):
                inputs = ev.inputs + tuple(ids)
                wide = dataclasses.replace(ev, inputs=inputs, description=ev.description.replace(
                    ", ".join(ev.inputs), ", ".join(inputs), 1))
                self.s.replace_event(wide)
                self.e.events[n] = wide
                return ev.type
        return None

    def _rename_formed(self, made: Unit, inputs: Sequence[str], target: Unit) -> Unit:
        """`made`, a body this operation formed, named as `body_spec` names a body formed
        from all of `inputs` at once: a body of a third area that joins it later
        (`_join_formed`) may be the namesake's, whose name is the right one. Thành phố Hồ
        Chí Minh's `Thành đoàn Thành phố Hồ Chí Minh` (under its Front) joins the Youth
        Unions Bình Dương and Bà Rịa - Vũng Tàu formed under their provinces, which were
        named from `Tỉnh đoàn Bình Dương` (`tests/data/r_ho_chi_minh`)."""
        group = [u for uid in inputs if (u := self.s.get_unit(uid)) is not None]
        if not group:
            return made
        name, name_en, abbr = self._body_naming(group[0], target, group)
        if (name, name_en, abbr) == (made.name, made.name_en, made.abbr):
            return made
        renamed = _rep(made, name=name, name_en=name_en, abbr=abbr)
        self.s.put_unit(renamed, new=True)
        return renamed

    def _coalesce_duplicates(self, mark: int) -> None:
        """The functions a body brings that the body it joins holds already are one entry
        with that body's (k holders, not two entries of 2): entries after `mark` fold into
        one before it, or into the first after it, of the same body and function (in one
        pass: a level that ends at national size gives each Sở thousands)."""
        dup = self.e.duplicated
        head = dup[:mark]
        seen = {(d, f): n for n, (d, f, _) in enumerate(head)}
        for dest, function, holders in dup[mark:]:
            at = seen.get((dest, function))
            if at is None:
                seen[(dest, function)] = len(head)
                head.append((dest, function, holders))
            else:
                d, f, k = head[at]
                head[at] = (d, f, k + holders - 1)
        dup[:] = head

    def _parent_among(self, group: Sequence[Unit], target: Unit) -> str:
        """The parent, among those of `group` (peers hanging under different parents), of
        the one whose parent belongs to the area `target` is placed in (a new commune's
        district), else the first's."""
        day = self.day
        placed = self.s.parent(target.id, day)
        parents = [p for u in group if (p := self.s.parent(u.id, day)) is not None]
        for p in parents:
            pu = self.s.get_unit(p)
            if pu is not None and placed is not None and self.area_of(pu) == placed:
                return p
        return parents[0]

    def _hand_children(self, handed: list[tuple[str, Relation]], dest: str,
                       ending: set[str] | Sequence[str]) -> None:
        """Hand the PART_OF links `handed` ((old parent, link)) over to `dest`, but those
        of the children `ending` (they consolidate: `end_unit` cuts their links)."""
        dest_end = self.s.get_unit(dest).valid_to
        for giver, rel in handed:
            if rel.source_id not in ending:
                self.move_child_link(rel, giver, dest, dest_end)

    # -- a level that ends --------------------------------------------------------------------
    def _pair_down(self, lower: Unit, upper: Unit) -> dict[str, str]:
        """lower body -> its peer among the upper area's bodies (top-down, as in a merge)."""
        peers: dict[str, str] = {}
        # A body another area of the level brought up without a peer (a district's office
        # the province has no peer for) is that area's, not one of the upper area's own:
        # the next area's namesake moves up beside it, never into it.
        came_up = {u for u, _, to in self.e.unpaired if to == upper.id}

        def walk(frontier: list[tuple[str, str]]) -> None:
            while frontier:
                lo, up = frontier.pop(0)
                lo_kids = self._pairable_children(lo, {lower.id}).get(lower.id, [])
                if not lo_kids:
                    continue
                # from the upper area's side: its bodies may hold thousands of children by now
                up_kids = sorted(self._area_children(upper.id).get(up, []),
                                 key=lambda u: u.id) if up != upper.id else \
                    self._top_bodies(upper.id)
                if came_up:
                    up_kids = [u for u in up_kids if u.id not in came_up]
                keys = self._keys(lo_kids + up_kids)
                for group in pair([up_kids, lo_kids], keys):
                    if len(group) == 2:
                        peers[group[1].id] = group[0].id
                        frontier.append((group[1].id, group[0].id))
        walk([(lower.id, upper.id)])
        # Bodies that hang under a body of the upper area, not under their own area (the
        # Party's own line: a Huyện ủy under the Tỉnh ủy): one of the same kind as that
        # parent has it as its peer, and the bodies below the two pair as above.
        claimed = set(peers.values())
        seeds: list[tuple[str, str]] = []
        for p, below in self._area_children(lower.id).items():
            pu = self.s.get_unit(p) if p != LOOSE else None
            if pu is None or self.area_of(pu) != upper.id or pu.id in came_up:
                continue
            for b in below:
                if b.id not in peers and b.kind == pu.kind and pu.id not in claimed:
                    peers[b.id] = pu.id
                    claimed.add(pu.id)
                    seeds.append((b.id, pu.id))
        walk(seeds)
        return peers

    def _top_bodies(self, area_id: str) -> list[Unit]:
        """An area's pairable bodies at its top: those directly under it (or hanging
        nowhere), and those that hang under a unit outside it (neither the area, nor an
        area, nor one of its bodies): on the Party's own line, a `Tỉnh ủy` under the
        Central Committee is the province's top body as its People's Council is."""
        out = list(self._pairable_children(area_id, {area_id}).get(area_id, []))
        have = {u.id for u in out}
        for p, below in self._area_children(area_id).items():
            if p == LOOSE or p == area_id:
                continue
            pu = self.s.get_unit(p)
            if pu is None or pu.kind in TERRITORIAL_KINDS or self.area_of(pu) == area_id:
                continue
            out.extend(b for b in below if b.id not in have)
        return sorted(out, key=lambda u: u.id)

    def do_dissolve_level(self, op: DissolveLevel) -> str:
        areas = self.select_units(Selector(kind=op.level, level=op.level, within=op.within))
        if not areas:
            raise self.conflict(f"no unit of kind and level {op.level} "
                                f"{'within ' + op.within + ' ' if op.within else ''}"
                                f"exists on {self.date}")
        # the areas that become units of the level below (`zones`), each one of the level's
        becoming: dict[str, list[tuple[str, Becoming]]] = {}
        for i, b in enumerate(op.become):
            becoming.setdefault(b.area, []).append((f"become[{i}]", b))
        chosen = set(areas)
        for area_id, entries in becoming.items():
            where = entries[0][0]
            if area_id not in chosen:
                raise self.conflict(
                    f"{where}.area: {area_id} is not a {op.level} "
                    f"{'within ' + op.within + ' ' if op.within else ''}on {self.date} "
                    f"(the level's areas: {', '.join(areas[:10])}"
                    f"{', ...' if len(areas) > 10 else ''})", unit=area_id,
                    field=f"{where}.area")
        below = level_below(op.level) or op.level
        ended_bodies = succeeded = 0
        mark = len(self.e.duplicated)
        for i, area_id in enumerate(areas):
            if area_id in becoming:
                zoned, ended = self.become_areas(self.s.get_unit(area_id), becoming[area_id],
                                                 below, op.bodies, first=i == 0)
                succeeded += zoned
                ended_bodies += ended
                continue
            ended_bodies += self.dissolve_area(self.s.get_unit(area_id), op.bodies, first=i == 0)
        # each district's Phòng merged into the one Sở: one entry of the Sở's function,
        # held by the Sở and every Phòng, not one entry of 2 per district
        self._coalesce_duplicates(mark)
        # an area is dissolved unless an entry takes it whole (not only some of its areas)
        dissolved = len(areas) - len({b.area for b in op.become if not b.units})
        zones = ", ".join(f"{'+'.join(b.units) or b.area} -> {b.new.id}" for b in op.become)
        return (f"{dissolved} {op.level}{'s' if dissolved != 1 else ''} dissolved on "
                f"{self.date}"
                + (f" within {op.within}" if op.within else "")
                + f"; {ended_bodies} of their bodies "
                + ("ended" if op.bodies == "end" else "merged or moved up")
                + (f"; {len(op.become)} became unit{'s' if len(op.become) != 1 else ''} of "
                   f"the {below} level ({zones}), {succeeded} bodies succeeded by theirs"
                   if zones else ""))

    def body_above(self, body_id: str, mine: set[str], peers: dict[str, str], area: Unit,
                   upper: Unit) -> str:
        """The upper body a unit under `body_id` (one of `mine`, the bodies of `area`, which
        ends or becomes a unit of the level below) moves to: the peer (`peers`, by
        `_pair_down`) of the body or of its nearest ancestor that has one, else the upper
        area's body the chain hangs from (a Huyện ủy's Tỉnh ủy), else the upper area."""
        cur: str | None = body_id
        while cur is not None and cur in mine:
            if cur in peers:
                return peers[cur]
            cur = self.s.parent(cur, self.day)
        if cur is not None and cur != area.id:
            above = self.s.get_unit(cur)
            if above is not None and self.area_of(above) == upper.id:
                return cur
        return upper.id

    def dissolve_area(self, area: Unit, mode: str, *, first: bool) -> int:
        """Dissolve one area of a level: what is below it moves up to its parent area."""
        self.endable(area)
        upper_id = self.s.parent(area.id, self.day)
        if upper_id is None:
            raise self.conflict(f"{area.id} has no parent area on {self.date}: its "
                                "units have nowhere to move up to", unit=area.id)
        upper = self.unit(upper_id, "parent area")
        bodies = [b for b in self.body_units(area.id)
                  if b.valid_to is None or b.valid_to.first_day() > self.day]
        mine = {b.id for b in bodies}
        for b in bodies:
            self.endable(b)
        peers = self._pair_down(area, upper)
        self.e.subject(area.id, upper.id)

        # Units below the area or its bodies that are not its bodies (communes and what
        # hangs under the level's bodies) move up.
        moved: list[str] = []
        for parent in [area.id, *mine]:
            for child in self.s.children(parent, self.day):
                if child in mine:
                    continue
                dest = upper.id if parent == area.id else self.body_above(parent, mine, peers,
                                                                          area, upper)
                self.move_child(child, parent, dest)
                moved.append(child)
        # The areas whose `area` names the dissolved one (its communes, when the data says
        # so) are in the upper area from the date on.
        for u in self.area_units(area.id):
            if u.kind in TERRITORIAL_KINDS and (u.valid_to is None
                                                or u.valid_to.first_day() > self.day):
                self.set_area(u, upper.id)
        if moved:
            self.event("MOVE", moved, [upper.id],
                       f"move: the units under {area.id} move up to {upper.id} before it is "
                       "dissolved", main=False)
        # Guidance and service given to the level's bodies go to their peers. Each giver's
        # targets of a type on the date, read once: only the links added here change them
        # (a cut link's target is the level's body, never a peer).
        targets: dict[tuple[str, str], set[str]] = {}
        for b in bodies:
            for rel in self.rels_from(b.id, "in"):
                if rel.type == "PART_OF" or rel.source_id in mine:
                    continue
                # the moved link built at once from the link, and only for a body with a
                # peer (`_cut` built a tail that a body without one threw away)
                start = self._cut_start(rel, self.s.replace_relation)
                peer = peers.get(b.id)
                if peer is None:
                    continue
                given = targets.get((rel.source_id, rel.type))
                if given is None:
                    given = targets[(rel.source_id, rel.type)] = {
                        r.target_id for r in self.s.relations(rel.source_id, self.day,
                                                              types=(rel.type,))}
                if peer not in given:
                    added = _rep(rel, valid_from=start, target_id=peer, source=self.source)
                    self.s.replace_relation(None, added)
                    if added.valid_at(self.day):
                        given.add(peer)
        ended: list[str] = []
        moved_up = 0  # bodies without a peer, moved up as they are (merge mode)
        if mode == "merge":
            depth = {b.id: len(self._chain_within(b.id, mine)) for b in bodies}
            for b in sorted(bodies, key=lambda b: (depth[b.id], b.id)):
                peer = peers.get(b.id)
                if peer is not None:
                    self._absorb([self.s.get_unit(b.id)], peer,
                                 self.headcount(peer))
                    self.e.subject(peer, b.id)
                    self.e.bodies.append((peer, (b.id,)))
                    self.event("MERGE", [b.id], [peer],
                               f"merge (sáp nhập): {b.id} absorbed into {peer} as "
                               f"{area.id} is dissolved", main=False)
                    ended.append(b.id)
                else:
                    u = self.set_area(self.s.get_unit(b.id), upper.id)
                    self.e.unpaired.append((u.id, area.id, upper.id))
                    moved_up += 1
                    self.e.subject(u.id)
                    p = self.s.parent(u.id, self.day)
                    if p == area.id:
                        self.move_child(u.id, area.id, upper.id)
        else:
            day = self.day
            for b in bodies:
                for f in self.held_functions(b.id):
                    self.e.functions.append((f, b.id, None))
                # the body's figures read once, for its headcount and for `end_unit`
                figures = self.s.headcounts(b.id)
                h = headcount_on(figures, day)
                if h is not None and h.headcount is not None:
                    self.e.headcount.append((b.id, h.headcount, None))
                self.end_facts(b.id)
                # `end_facts` cut every link of the body: no PART_OF link is left to cut
                self.end_unit(self.s.get_unit(b.id), figures=figures, part_of=[])
                ended.append(b.id)
            # the bodies that end are subjects: the report reads their subtrees, wherever
            # they hang (a Huyện ủy whose data has no PART_OF to the Tỉnh ủy)
            self.e.subject(*ended)
        self.end_facts(area.id)
        self.end_unit(self.s.get_unit(area.id))
        self.event("DISSOLVE", [area.id] + (ended if mode == "end" else []), [],
                   f"dissolve (giải thể): {area.id} ends; what was below it moves up to "
                   f"{upper.id}", main=first)
        return len(ended) + moved_up

    def _chain_within(self, uid: str, mine: set[str]) -> list[str]:
        out, cur = [], self.s.parent(uid, self.day)
        while cur is not None and cur in mine and cur not in out:
            out.append(cur)
            cur = self.s.parent(cur, self.day)
        return out

    # -- a mapping table ----------------------------------------------------------------------
    def do_consolidate_map(self, op: ConsolidateMap) -> str:
        op, problems, text = resolve_names(self.s, op, self.day)  # names -> ids, on the date
        if problems:  # every problem of the table, each with the operation's number
            exc = self.conflict(text)
            exc.errors = [{**exc.errors[0], **p} for p in problems]
            raise exc
        made = 0
        for i, row in enumerate(op.rows):
            self.row_label = f"{row.where or f'row {i + 1}'}: "
            since = (len(self.e.bodies), len(self.e.posts))  # this row's, for its `leaders`
            new = self.consolidate_units(list(row.units), row.new, row.parent, (),
                                         main=i == 0)
            inputs = [self.s.get_unit(u) for u in row.units]
            if op.bodies == "merge" and any(u.kind in TERRITORIAL_KINDS for u in inputs):
                self.merge_bodies(inputs, new, into_existing=False)
            self.name_leaders(row.leaders, new.id, since=since)
            made += 1
        self.row_label = ""
        return (f"{made} consolidation{'s' if made != 1 else ''} from a mapping table"
                + (f" ({op.source})" if op.source else "") + f" on {self.date}")


def area_never_held(unit: Unit, names: Sequence[UnitName], day: dt.date) -> UnitName | None:
    """For a unit that ends on `day`: the name row that dates its former area when its own
    `area` was taken on that very day (a commune moved up by a level dissolved, then
    consolidated, the same day), so that it never held; else None. Only when the rows
    give an area to every day of its lifetime (as `keep_former_area` writes them): the
    unit then ends in the area of that row, and no answer on any day changes."""
    last = None
    cursor = start_day(unit.valid_from)
    for n in sorted(names, key=lambda n: start_day(n.valid_from)):
        if start_day(n.valid_from) >= day:
            continue
        if not n.area or start_day(n.valid_from) > cursor or n.valid_to is None:
            return None
        cursor, last = n.valid_to.first_day(), n
    if last is None or cursor != day or last.area == unit.area:
        return None
    return last

