"""Old units named by name in a mapping table, found on the operation's date.

The annexes of the 2025 resolutions on arranging administrative units name the old units,
not their ids ("các xã Tân Lập, Tân Tiến và xã Hòa Bình (huyện X) thành xã mới ..."), and a
commune's name repeats across districts and provinces. A row of a `consolidate_map` may
therefore give `names` (and a `within`); `resolve_names` turns them into ids when the
operation is applied, for the whole table at once:

- a unit is known by the name it has **on the date** (`graph.queries.provenance.name_on`:
  a former name from `names.csv` on earlier dates), compared in NFC, case-insensitively,
  with whitespace collapsed, and also without the territorial words that open an area's
  name (`body_names.split_area_name`: `Tân Lập` finds `Xã Tân Lập`); only units that exist
  on the date, areas (provinces, districts, communes) unless the row's `kind` names another;
- a qualifier (`within`, or in brackets after the name: `Tân Lập (Huyện Yên Sơn)`, several
  separated by commas) is a unit id, or the name of an area the unit lies in at any depth
  (by PART_OF, or its `area`) on the date or on the day before (an annex names the
  communes with their district even when the plan dissolves the districts on the date
  first);
- among several units of that name, those of the row's `kind`, else of the kind of the
  row's other units, else named exactly as written (`Phường Tân Tiến` over `Xã Tân Tiến`)
  are preferred;
- exactly one unit: its id; none: a problem with the nearest names (rapidfuzz over the
  folded names, as search's typo pass); several: a problem listing every candidate with
  its area. Every problem of the table is reported at once, each naming its row.

One index (name -> units) is built per operation from the units of the kinds asked for
(and one of the day before's areas, when a qualifier needs it); each name then costs a
dictionary look-up and a walk up its candidates' parents, never a pass over the units.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
import unicodedata
from functools import lru_cache
from typing import Any, Iterable

from rapidfuzz import fuzz, process

from graph.model import Unit
from graph.queries.provenance import name_on
from graph.scenarios.body_names import split_area_name
from graph.scenarios.operations import ConsolidateMap, MappingRow
from graph.store import GraphReader
from graph.text import words

#: Unit kinds a name finds unless the row's `kind` says otherwise.
AREA_KINDS = ("province", "district", "commune")
#: How many nearest names a problem about an unknown name suggests.
SUGGESTIONS = 5
#: The least rapidfuzz `WRatio` (0-100) between folded names for a suggestion.
SUGGESTION_CUTOFF = 70
#: The most problems the message lists one per line (the `errors` hold every one).
MAX_LINES = 50
#: The prefixes of the keys of `NameIndex.keys_above` (never in an id: ids are [a-z0-9-]).
_FULL, _PLACE = "\x01", "\x02"
#: A name's qualifier in brackets at its end: `Tân Lập (Huyện Yên Sơn, Tỉnh Tuyên Quang)`.
_QUALIFIED = re.compile(r"^(?P<name>.*?)\s*\((?P<within>[^()]*)\)\s*$")


def name_key(name: str) -> str:
    """`  Xã  Tân LẬP ` -> `xã tân lập`: NFC, case-folded, whitespace collapsed, the tone
    mark of a closing `oa`, `oe`, `uy` on its first vowel (`Hoà` -> `hòa`)."""
    return " ".join(map(_tone_on_first, unicodedata.normalize("NFC", name).casefold().split()))


#: The tone marks of Vietnamese (combining, after NFD): grave, acute, tilde, hook, dot.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")
_LETTERS = re.compile(r".[\u0300-\u036f]*", re.DOTALL)


@lru_cache(maxsize=1 << 15)
def _tone_on_first(word: str) -> str:
    """`hoà` -> `hòa`, `thuý` -> `thúy`, `khoẻ` -> `khỏe`: the two ways of placing the tone
    on a syllable that ends in `oa`, `oe` or `uy` (both in use: the annexes write `Hoà`
    where the data has `Hòa`) as one. A vowel pair before a consonant (`hoàng`), and `qu`
    (`quý`: the `u` belongs to the consonant), have one way only and stay as they are."""
    letters = _LETTERS.findall(unicodedata.normalize("NFD", word))
    if len(letters) < 2:
        return word
    first, last = letters[-2], letters[-1]
    if first[0] + last[0] not in ("oa", "oe", "uy") or len(first) > 1 or (
            len(letters) > 2 and letters[-3][0] == "q"):
        return word
    tone = [c for c in last[1:] if c in _TONES]
    if not tone:
        return word
    letters[-2], letters[-1] = first + tone[0], last.replace(tone[0], "", 1)
    return unicodedata.normalize("NFC", "".join(letters))


def place_key(name: str) -> str:
    """`Xã Tân Lập` -> `tân lập`: `name_key` without the opening territorial words."""
    return name_key(split_area_name(" ".join(name.split()))[1])


def split_qualifier(text: str) -> tuple[str, tuple[str, ...]]:
    """`Tân Lập (Huyện Yên Sơn, Tỉnh X)` -> (`Tân Lập`, (`Huyện Yên Sơn`, `Tỉnh X`))."""
    m = _QUALIFIED.match(text)
    if m is None or not m.group("name").strip():
        return text.strip(), ()
    return m.group("name").strip(), tuple(q.strip() for q in m.group("within").split(",")
                                          if q.strip())


class NameIndex:
    """The units of some kinds on one date, by name (built on first use); the units above
    them read on demand."""

    def __init__(self, reader: GraphReader, day: dt.date, kinds: Iterable[str]):
        self.reader, self.day = reader, day
        self._by_place: dict[str, list[str]] | None = None
        self.named: dict[str, Unit] = {}
        self._up: dict[str, tuple[str, ...]] = {}
        self._keys: dict[str, frozenset[str]] = {}
        self._kinds = frozenset(kinds)
        self._any_date: dict[str, list[tuple[str, str, str, str]]] | None = None
        self._eve: NameIndex | None = None
        self._folded: list[str] | None = None
        self._places: list[str] = []

    @property
    def by_place(self) -> dict[str, list[str]]:
        """`place_key` of the name on the date -> the ids of the units of the kinds."""
        if self._by_place is None:
            self._by_place = {}
            for kind in sorted(self._kinds):
                for u in self.reader.units(self.day, kind=kind):
                    named = self.named[u.id] = name_on(self.reader, u, self.day)[0]
                    self._by_place.setdefault(place_key(named.name), []).append(u.id)
        return self._by_place

    def unit(self, unit_id: str) -> Unit | None:
        """The unit as named on the date (None: unknown, or not existing then)."""
        u = self.named.get(unit_id)
        if u is None:
            found = self.reader.get_unit(unit_id)
            if found is None or not found.valid_at(self.day):
                return None
            u = self.named[unit_id] = name_on(self.reader, found, self.day)[0]
        return u

    def up(self, unit_id: str) -> tuple[str, ...]:
        """The units above `unit_id` on the date, nearest first: its PART_OF parents and
        its area (with what is above that)."""
        memo = self._up.get(unit_id)
        if memo is not None:
            return memo
        self._up[unit_id] = ()  # a cycle in the data stops here
        out: list[str] = []
        u = self.unit(unit_id)
        for above in (self.reader.parent(unit_id, self.day), u.area if u else None):
            if above and above not in out and above != unit_id:
                out.append(above)
                out.extend(a for a in self.up(above) if a not in out and a != unit_id)
        memo = self._up[unit_id] = tuple(out)
        return memo

    def keys_above(self, unit_id: str) -> frozenset[str]:
        """What a qualifier may say to find the unit: the ids of the units above it, and
        the `name_key` and `place_key` of the areas among them (read once per unit: the
        namesakes of a national table share their districts and provinces)."""
        keys = self._keys.get(unit_id)
        if keys is None:
            out = set(self.up(unit_id))
            for a in self.up(unit_id):
                u = self.unit(a)
                if u is not None and u.kind in AREA_KINDS:
                    out.add(_FULL + name_key(u.name))
                    out.add(_PLACE + place_key(u.name))
            keys = self._keys[unit_id] = frozenset(out)
        return keys

    def area_label(self, unit_id: str) -> str:
        """The areas a unit lies in, nearest first (`Huyện Yên Sơn, Tỉnh Tuyên Quang`)."""
        names = [u.name for a in self.up(unit_id)
                 if (u := self.unit(a)) is not None and u.kind in AREA_KINDS]
        return ", ".join(names)

    def candidate(self, unit_id: str) -> dict[str, str]:
        u = self.unit(unit_id)
        assert u is not None
        out = {"id": unit_id, "name": u.name, "kind": u.kind, "area": self.area_label(unit_id)}
        if self._eve is not None:
            before = self._eve.area_label(unit_id)
            if before != out["area"]:
                out["area_before"] = before
        return out

    def eve(self) -> "NameIndex":
        """The same index on the day before the date (built on the first call): the areas
        as a resolution's annex names them when the plan ends them on the date first (the
        district level dissolved, then the communes consolidated `(huyện X)`)."""
        if self._eve is None:
            self._eve = NameIndex(self.reader, self.day - dt.timedelta(days=1), AREA_KINDS)
        return self._eve

    def other_dates(self, name: str, allowed: frozenset[str]) -> list[str]:
        """`Xã Đông Thành (pa-d2-c2, until 2020-01-01)`: the units of the allowed kinds that
        bear `name` on other dates (a former name, or a unit that does not exist on the
        date). The index of every date is built on the first call only."""
        if self._any_date is None:
            self._any_date = {}
            for kind in sorted(self._kinds):
                for u in self.reader.units(None, kind=kind):
                    rows = self.reader.unit_names(u.id)
                    start = max((r.valid_to for r in rows if r.valid_to is not None),
                                key=lambda d: d.first_day(), default=u.valid_from)
                    spans = [(r.name, r.valid_from, r.valid_to) for r in rows]
                    spans.append((u.name, start, u.valid_to))
                    for text, since, until in spans:
                        self._any_date.setdefault(place_key(text), []).append(
                            (u.id, u.kind, text, _span(since, until)))
        key, out = place_key(name), []
        for uid, kind, text, span in self._any_date.get(key, ()):
            named = self.named.get(uid)
            if kind in allowed and not (named is not None and place_key(named.name) == key):
                out.append(f"{text} ({uid}, {span})")
        return out

    def nearest(self, name: str, allowed: frozenset[str],
                limit: int = SUGGESTIONS) -> list[str]:
        """The ids of the units whose names are nearest to `name` (folded, typo-tolerant)."""
        if self._folded is None:
            self._places = list(self.by_place)
            self._folded = [" ".join(words(k)) for k in self._places]
        found = process.extract(" ".join(words(place_key(name))), self._folded,
                                scorer=fuzz.WRatio, score_cutoff=SUGGESTION_CUTOFF,
                                limit=SUGGESTIONS * 4)
        out: list[str] = []
        for _, _, i in found:
            out += [uid for uid in self.by_place[self._places[i]]
                    if self.named[uid].kind in allowed]
            if len(out) >= limit:
                break
        return out[:limit]


@dataclasses.dataclass
class _Problem:
    where: str
    message: str
    value: str
    candidates: list[dict[str, str]]
    #: The row's key (a table's column) the value is in: `names`, `old_name`, `within`.
    key: str = "names"
    #: A name given beside an id, that is not the id's (`_Resolver.check_name`).
    checked: bool = False
    #: No unit bears the name: the candidates are the nearest names, not namesakes.
    nearest: bool = False

    def as_error(self) -> dict[str, Any]:
        out: dict[str, Any] = {"field": self.where, "message": self.message,
                               "value": self.value, "key": self.key}
        if self.candidates:
            out["candidates"] = self.candidates
            if self.nearest:
                out["nearest"] = list(dict.fromkeys(c["name"] for c in self.candidates))
        return out

    def line(self) -> str:
        return f"{self.where}: {self.message}"


class _Resolver:
    def __init__(self, index: NameIndex, when: str):
        self.index, self.when = index, when
        self.problems: list[_Problem] = []
        #: The key of the row the names come from (`old_name`: one line per old unit).
        self.key = "names"

    def _listing(self, ids: Iterable[str]) -> str:
        out = []
        for c in map(self.index.candidate, ids):
            area = f", {c['area']}" if c["area"] else ""
            before = f"; the day before: {c['area_before'] or 'none'}" \
                if "area_before" in c else ""
            out.append(f"{c['name']} ({c['id']}{area}{before})")
        return "; ".join(out)

    def check_name(self, where: str, uid: str, written: str) -> None:
        """A line giving both an id and a name (`old_id`, `old_name`): the id's name on the
        date must be the name (compared as names are found, the territorial words too when
        both say one: `Phường Tân Tiến` is not `Xã Tân Tiến`), in the areas it is given in
        brackets (the line's `within`)."""
        unit = self.index.unit(uid)
        if unit is None:
            return  # unknown, or not existing on the date: the consolidation says so
        name, own = split_qualifier(written)
        said, their = split_area_name(" ".join(name.split()))[0], split_area_name(unit.name)[0]
        if place_key(name) != place_key(unit.name) or (
                said and their and name_key(said) != name_key(their)):
            formerly = [f"{r.name!r} {_span(r.valid_from, r.valid_to)}"
                        for r in self.index.reader.unit_names(uid)
                        if place_key(r.name) == place_key(name)]
            named = [u for u in self.index.by_place.get(place_key(name), ())
                     if u != uid and all(self.qualifies(u, q) for q in own) and (
                         not said or name_key(split_area_name(self.index.named[u].name)[0])
                         == name_key(said))]
            message = (f"old_id {uid} is named {unit.name!r} on {self.when}, not {name!r}"
                       + (f" (so named {'; '.join(formerly)})" if formerly else "")
                       + (f"; so named: {self._listing(named)}" if named else ""))
        else:
            outside = [q for q in own if not self.qualifies(uid, q)]
            if not outside:
                return
            area = self.index.area_label(uid)
            message = (f"old_id {uid} ({unit.name}) is not within {', '.join(outside)} on "
                       f"{self.when}" + (f": it lies in {area}" if area else ""))
        self.problems.append(_Problem(where, message, written, [self.index.candidate(uid)],
                                      "old_name", checked=True))

    def qualifies(self, uid: str, qualifier: str) -> bool:
        """Whether the unit lies in `qualifier` (an id, or an area's name) on the date or
        on the day before (the annex names the old district even when the plan dissolved
        it on the date first; a district of that name on the date may be another)."""
        return _lies_in(self.index, uid, qualifier) or _lies_in(self.index.eve(), uid,
                                                                 qualifier)

    def check_qualifier(self, where: str, qualifier: str, key: str = "within") -> bool:
        """A qualifier must be a unit or the name of an area on the date, or else on the
        day before (an area the plan ended on the date)."""
        if _names_area(self.index, qualifier) or _names_area(self.index.eve(), qualifier):
            return True
        near = self.index.nearest(qualifier, frozenset(AREA_KINDS))
        if near:
            listing, candidates = self._listing(near), [self.index.candidate(u) for u in near]
        else:  # the nearest areas of the day before (a district the plan ended on the date)
            eve = self.index.eve()
            near = eve.nearest(qualifier, frozenset(AREA_KINDS))
            candidates = [eve.candidate(u) for u in near]
            listing = "; ".join(f"{c['name']} ({c['id']}"
                                + (f", {c['area']}" if c["area"] else "")
                                + f"; ended on {self.when})" for c in candidates)
        self.problems.append(_Problem(
            where, f"within {qualifier!r}: no unit with that id and no area of that name "
            f"on {self.when} or the day before" + (
                f"; nearest: {listing}" if near else ""),
            qualifier, candidates, key, nearest=True))
        return False

    def resolve(self, where: str, written: str, within: tuple[str, ...], allowed: frozenset[str],
                prefer: tuple[frozenset[str], ...]) -> str | None:
        """The id of the one unit `written` names, or None (a problem recorded)."""
        name, own = split_qualifier(written)
        qualifiers = (*own, *within)
        if not all([self.check_qualifier(where, q, self.key if q in own else "within")
                    for q in qualifiers]):
            return None
        named = sorted(u for u in self.index.by_place.get(place_key(name), ())
                       if self.index.named[u].kind in allowed)
        found = [u for u in named if all(self.qualifies(u, q) for q in qualifiers)]
        if not found:
            if named:
                message = (f"no unit named {name!r} within {', '.join(qualifiers)} on "
                           f"{self.when}; of that name elsewhere: {self._listing(named)}")
                near = named
            else:
                near = self.index.nearest(name, allowed, SUGGESTIONS * 4)
                # the nearest names within the qualifiers first
                inside = [u for u in near if all(self.qualifies(u, q) for q in qualifiers)]
                near = (inside + [u for u in near if u not in inside])[:SUGGESTIONS]
                before = self.index.other_dates(name, allowed)
                message = f"no unit named {name!r} on {self.when}" + (
                    f"; so named on other dates: {'; '.join(before)}" if before else "") + (
                    f"; nearest: {self._listing(near)}" if near else "")
            self.problems.append(_Problem(where, message, written,
                                          [self.index.candidate(u) for u in near], self.key,
                                          nearest=not named))
            return None
        for kinds in prefer:
            narrower = [u for u in found if self.index.named[u].kind in kinds]
            if narrower:
                found = narrower
        if len(found) > 1:
            full = name_key(name)
            exact = [u for u in found if name_key(self.index.named[u].name) == full]
            found = exact or found
        if len(found) > 1:
            found.sort()
            self.problems.append(_Problem(
                where, f"{len(found)} units are named {name!r} on {self.when}"
                + (f" within {', '.join(qualifiers)}" if qualifiers else "")
                + f": {self._listing(found)}; add `within` (a district or province, by id "
                "or name) or give the id", written,
                [self.index.candidate(u) for u in found], self.key))
            return None
        return found[0]


def resolve_names(reader: GraphReader, op: ConsolidateMap,
                  day: dt.date) -> tuple[ConsolidateMap, list[dict[str, Any]], str]:
    """`op` with every row's names turned into ids (after the row's ids), the problems
    (`{field, message, value, key, candidates}`, and `nearest`, the names of the
    candidates, when no unit bears the name; none when all resolved) and a one-line-each
    text of them. An operation without names is returned as it is."""
    if not any(r.names or r.unit_names for r in op.rows):
        return op, [], ""
    kinds = set(AREA_KINDS) | {r.new.kind for r in op.rows if r.names and r.new.kind}
    index = NameIndex(reader, day, kinds)
    res = _Resolver(index, day.isoformat())
    listed: dict[str, str] = {u: r.where or f"row {i + 1}"
                              for i, r in enumerate(op.rows) for u in r.units}
    row_of = {u: i for i, r in enumerate(op.rows) for u in r.units}
    rows: list[MappingRow] = []
    for i, row in enumerate(op.rows):
        label = row.where or f"row {i + 1}"
        within = tuple(q.strip() for q in (row.within or "").split(",") if q.strip())
        for given, written, w in row.unit_names:  # their areas in brackets, not `within`
            res.check_name(w or label, given, written)
        if not row.names:
            rows.append(dataclasses.replace(row, unit_names=()) if row.unit_names else row)
            continue
        res.key = "old_name" if row.names_where else "names"
        allowed = frozenset(AREA_KINDS) | ({row.new.kind} if row.new.kind else set())
        own_kinds = {u.kind for uid in row.units if (u := index.unit(uid)) is not None}
        wheres = row.names_where or (label,) * len(row.names)
        # names first resolved without the row's other kinds, then the ambiguous ones again
        # with the kinds of the units found: `Quản Bạ` beside two communes is the commune
        first = {n: _quiet(res, w, n, within, allowed, _prefer(row.new.kind, own_kinds))
                 for n, w in zip(row.names, wheres)}
        found_kinds = own_kinds | {index.named[u].kind for u in first.values() if u}
        ids = list(row.units)
        for n, w in zip(row.names, wheres):
            uid = first[n] or res.resolve(w, n, within, allowed,
                                          _prefer(row.new.kind, found_kinds))
            if uid is None:
                continue
            if uid in listed:
                # the row's ids and names are all old units: each one once
                again = "already among the row's units by id: give each old unit once" \
                    if row_of.get(uid) == i and uid in row.units else \
                    f"also listed by {listed[uid]}"
                res.problems.append(_Problem(w, f"{n!r} is {uid}, {again}", n,
                                             [index.candidate(uid)], res.key))
                continue
            listed[uid], row_of[uid] = w, i
            ids.append(uid)
        rows.append(dataclasses.replace(row, units=tuple(ids), names=(), within=None,
                                        names_where=(), unit_names=()))
    # a wrong `within` is one problem per row, not one per name
    problems = list({(p.where, p.message): p for p in res.problems}.values())
    text = "" if not problems else problems[0].line() if len(problems) == 1 else (
        f"{len(problems)} names of the mapping table do not give one unit each"
        + (", or not the unit of the id beside them," if any(p.checked for p in problems)
           else "") + f" on {day}:\n"
        + "\n".join(f"  {p.line()}" for p in problems[:MAX_LINES])
        + (f"\n  ... and {len(problems) - MAX_LINES} more (every one in `errors`)"
           if len(problems) > MAX_LINES else ""))
    return dataclasses.replace(op, rows=tuple(rows)), [p.as_error() for p in problems], text


def _lies_in(index: NameIndex, uid: str, qualifier: str) -> bool:
    """Whether the unit lies in `qualifier` (an id, or an area's name) on the index's date."""
    keys = index.keys_above(uid)
    return qualifier in keys or _qualifier_key(qualifier) in keys


@lru_cache(maxsize=1 << 14)
def _qualifier_key(qualifier: str) -> str:
    """A qualifier's key in `NameIndex.keys_above`: written with its territorial word
    (`Huyện Yên Sơn`), the area's whole name; without (`Yên Sơn`), its place."""
    full, place = name_key(qualifier), place_key(qualifier)
    return _FULL + full if full != place else _PLACE + place


def _names_area(index: NameIndex, qualifier: str) -> bool:
    """Whether `qualifier` is a unit's id or an area's name on the index's date."""
    return index.unit(qualifier) is not None or any(
        index.named[u].kind in AREA_KINDS for u in index.by_place.get(place_key(qualifier), ()))


def _span(since: Any, until: Any) -> str:
    if until is None:
        return f"from {since}" if since else "always"
    return f"{since} until {until}" if since else f"until {until}"


def _prefer(kind: str | None, others: set[str]) -> tuple[frozenset[str], ...]:
    """The kinds to prefer, strongest first: the row's `kind`, then its other units'."""
    return tuple(frozenset(k) for k in ({kind} if kind else set(), others) if k)


def _quiet(res: _Resolver, where: str, name: str, within: tuple[str, ...],
           allowed: frozenset[str], prefer: tuple[frozenset[str], ...]) -> str | None:
    """`res.resolve` without keeping its problems (a first pass)."""
    mark = len(res.problems)
    uid = res.resolve(where, name, within, allowed, prefer)
    del res.problems[mark:]
    return uid
