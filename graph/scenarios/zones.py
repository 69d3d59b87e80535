"""Areas that become units of the level below when their level ends.

When the district level ended on 2025-07-01, the island districts were not dissolved into
their province: each became a commune-level special zone (`đặc khu`, the resolutions
1654..1687/NQ-UBTVQH15 arranging each province's communes), most formed from the whole
district: Huyện Bạch Long Vĩ (no communes under it) -> Đặc khu Bạch Long Vĩ, Huyện Cát Hải
and its township and communes -> Đặc khu Cát Hải. The district's bodies became the zone's
(Huyện ủy Cát Hải -> Đảng ủy đặc khu Cát Hải, UBND huyện -> UBND đặc khu), now of the
commune level, directly under the province's.

`dissolve_level` says so with `become: [{area, new: {id, name, ...}, names, units,
except}]`. Each area listed whole, instead of being dissolved:

- is succeeded by `new` (kind and level: the level below, a district's is a `commune`),
  directly under the upper area, together with the areas under it (its communes): one
  CONSOLIDATE, inputs the area and its lower areas;
- each of its bodies is succeeded by a body of the new unit (`body_spec`'s id and name,
  the level the new unit's, a committee named by the old area's kind, `Huyện ủy`, written
  as the new one's, `Đảng ủy đặc khu`; or the name `names` gives it), formed together with
  the peers the lower areas' bodies have among the area's (paired as a dissolved level's
  bodies are with the upper area's: `_pair_down`): one CONSOLIDATE per body, so headcount
  is summed, posts, functions and relations handed over, and duplicated leadership and
  support functions are counted as in any consolidation;
- the lower areas' bodies without a peer, and whatever else is of these areas (cells,
  units under their bodies), move into the new unit as they are.

Not every zone was a whole district: Nghị quyết 1654/NQ-UBTVQH15 (An Giang) formed Đặc khu
Phú Quốc from Thành phố Phú Quốc less xã Thổ Châu, and Đặc khu Thổ Châu from that commune
alone. An entry with `units` is formed from those areas under `area` alone (their bodies
succeeded by the new unit's; what hung under the area's bodies hangs under their peers
above); the entry for the whole area takes what no such entry takes, less its `except`,
which move up to the upper area as a dissolved area's do; with no entry for the whole area,
the area is dissolved as any of the level's (`ZoneMixin.become_areas`).
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING, Callable

from graph.model import Unit
from graph.scenarios.body_names import COMMITTEE_WORDS, split_area_name
from graph.scenarios.operations import Becoming
from graph.scenarios.territory import NEVER_PAIRED, TERRITORIAL_KINDS, TerritoryMixin, pair

if TYPE_CHECKING:  # pragma: no cover - the applier's helpers, for the type checker
    from graph.scenarios.operations import NewUnit


def lower_level_name(name: str, old_area_name: str, new_area_name: str) -> str:
    """A body's name once its area is of a level whose committees are not named by its
    kind: the committee words of the old area (`Huyện ủy`, `COMMITTEE_WORDS`) become the
    Party committee of the new one's kind, `Đảng ủy đặc khu` (`Huyện ủy Cát Hải` ->
    `Đảng ủy đặc khu Cát Hải`, `Ban Tổ chức Huyện ủy Cát Hải` -> `Ban Tổ chức Đảng ủy đặc
    khu Cát Hải`), and the Youth Union's (`Huyện đoàn` -> `Đoàn đặc khu`); the place and
    the territorial words are `body_spec`'s."""
    old_prefix, _ = split_area_name(old_area_name)
    new_prefix, _ = split_area_name(new_area_name)
    word = COMMITTEE_WORDS.get(old_prefix.lower())
    if not word or not new_prefix or new_prefix.lower() in COMMITTEE_WORDS:
        return name
    name = re.sub(rf"(?<!\w){word} (ủy|uỷ)(?!\w)",
                  lambda m: f"Đảng {m.group(1)} {new_prefix.lower()}", name)
    # the Youth Union's committee likewise: `Huyện đoàn Cát Hải` -> `Đoàn đặc khu Cát Hải`
    # (a commune-level Youth Union is named `Đoàn <kind> <place>`)
    return re.sub(rf"(?<!\w){word} đoàn(?!\w)", f"Đoàn {new_prefix.lower()}", name)


def _end(ids: list[str]) -> str:
    return "ends" if len(ids) == 1 else "end"


class ZoneMixin(TerritoryMixin):
    """`dissolve_level`'s `become`: an area of the level that ends becomes a unit of the
    level below, with its bodies (mixed into the applier, as `TerritoryMixin` is)."""

    if TYPE_CHECKING:
        # the applier's own helpers (`graph.scenarios.apply._Applier`)
        def new_id(self, unit_id: str) -> None: ...

        def start_unit(self, spec: NewUnit, like: Unit | None,
                       default_kind: str | None = None) -> Unit: ...

        def add_relation(self, source: str, type_: str, target: str, note: str = "") -> None: ...

    def become_areas(self, area: Unit, entries: list[tuple[str, Becoming]], below: str,
                     mode: str, *, first: bool) -> tuple[int, int]:
        """The entries of `become` for one area of the level, `(where, entry)` as written
        (`become[0]`): first each unit formed from some of the areas under it (`units`),
        then the areas the whole area's entry leaves out (`except`) moved up to the upper
        area, then the whole area becoming its unit with the areas left under it; with no
        entry for the whole area, the area is dissolved as any of the level's (`mode`).
        Returns (bodies succeeded by the new units' bodies, bodies of the dissolved area
        merged, moved up or ended)."""
        self.endable(area)
        where0 = entries[0][0]
        upper_id = self.s.parent(area.id, self.day)
        if upper_id is None:
            raise self.conflict(f"{where0}.area: {area.id} has no parent area on {self.date}: "
                                f"{entries[0][1].new.id} has nowhere to stand", unit=area.id,
                                field=f"{where0}.area")
        upper = self.unit(upper_id, "parent area")
        lower = self._lower_areas(area, below, where0)
        by_id = {c.id: c for c in lower}
        for where, b in entries:
            for key, ids in (("units", b.units), ("except", b.except_)):
                unknown = [u for u in ids if u not in by_id]
                if unknown:
                    raise self.conflict(
                        f"{where}.{key}: {unknown[0]} is not a {below} under {area.id} on "
                        f"{self.date} (its {below}s: {', '.join(sorted(by_id)[:10]) or 'none'}"
                        f"{', ...' if len(by_id) > 10 else ''})", unit=unknown[0],
                        field=f"{where}.{key}")
        whole = [(w, b) for w, b in entries if not b.units]
        parts = [(w, b) for w, b in entries if b.units]
        left_out = [by_id[u] for u in whole[0][1].except_] if whole else []
        # the area's bodies' peers above, read before anything moves: where what leaves the
        # area hangs (a commune's Đảng ủy under the Huyện ủy: under the Tỉnh ủy)
        outside = self._outside(area, upper) if parts or left_out else None
        succeeded = 0
        for where, b in parts:
            anchor, *rest = [by_id[u] for u in b.units]
            succeeded += self._form_zone(area, anchor, rest, upper, b, where, below,
                                         first=first, outside=outside)
            first = False
        taken = {u for _, b in parts for u in b.units}
        if not whole:
            return succeeded, self.dissolve_area(area, mode, first=first)
        where, b = whole[0]
        left_out = [c for c in left_out if c.id not in taken]
        if left_out and outside is not None:
            self._move_up(area, left_out, upper, outside)
        gone = taken | {c.id for c in left_out}
        rest = [c for c in lower if c.id not in gone]
        succeeded += self._form_zone(area, area, rest, upper, b, where, below, first=first,
                                     outside=None)
        return succeeded, 0

    def _lower_areas(self, area: Unit, below: str, where: str) -> list[Unit]:
        """The areas under `area` on the date, each of level `below` (else a 409)."""
        kids = self.s.get_units(self.s.children(area.id, self.day))
        lower = [kids[i] for i in sorted(kids) if kids[i].kind in TERRITORIAL_KINDS]
        for c in lower:
            if c.level != below:
                raise self.conflict(
                    f"{where}.area: {c.id} under {area.id} is a {c.kind} of level {c.level}: "
                    f"only areas of the level below ({below}) are brought into a unit of it",
                    unit=c.id, field=f"{where}.area")
            self.endable(c)
        return lower

    def _outside(self, area: Unit, upper: Unit) -> Callable[[str], str]:
        """Where a unit that leaves `area` and hung under one of its bodies hangs from the
        date: the peer above of that body or of its nearest ancestor that has one, else the
        upper area's body the chain hangs from, else the upper area (as a dissolved area's
        units move up: `dissolve_area`). A parent that is none of its bodies stays."""
        peers = self._pair_down(area, upper)
        mine = {b.id for b in self.body_units(area.id)}

        def dest(parent: str) -> str:
            return parent if parent not in mine else self.body_above(parent, mine, peers,
                                                                     area, upper)
        return dest

    def _move_up(self, area: Unit, communes: list[Unit], upper: Unit,
                 outside: Callable[[str], str]) -> None:
        """`communes` leave `area` for the upper area, as they are: their bodies that hang
        under the area's bodies hang under those bodies' peers above."""
        moved: list[str] = []
        for c in communes:
            self.move_child(c.id, area.id, upper.id)
            moved.append(c.id)
            if c.area == area.id:
                self.set_area(c, upper.id)
            for b in self._open_bodies(c.id):
                p = self.s.parent(b.id, self.day)
                if p is not None and (dest := outside(p)) != p:
                    self.move_child(b.id, p, dest)
                    moved.append(b.id)
            self.e.subject(c.id)
        self.e.subject(upper.id, *moved)
        self.event("MOVE", moved, [upper.id],
                   f"move: {', '.join(c.id for c in communes)} "
                   f"{'leaves' if len(communes) == 1 else 'leave'} {area.id} for {upper.id} "
                   f"as the {area.level} level ends", main=False)

    def _open_bodies(self, area_id: str) -> list[Unit]:
        day = self.day
        return [b for b in self.body_units(area_id)
                if b.valid_to is None or b.valid_to.first_day() > day]

    def _pair_siblings(self, other: Unit, anchor: Unit) -> dict[str, str]:
        """`other`'s body -> its peer among `anchor`'s, two areas of one level (their
        Đảng ủy, hanging under the same Huyện ủy, are both at their areas' tops), top-down."""
        peers: dict[str, str] = {}
        frontier: list[tuple[list[Unit], list[Unit]]] = [
            (self._top_bodies(other.id), self._top_bodies(anchor.id))]
        while frontier:
            lo_kids, up_kids = frontier.pop(0)
            if not lo_kids or not up_kids:
                continue
            keys = self._keys(lo_kids + up_kids)
            for group in pair([up_kids, lo_kids], keys):
                if len(group) == 2:
                    peers[group[1].id] = group[0].id
                    frontier.append((self._area_children(other.id).get(group[1].id, []),
                                     self._area_children(anchor.id).get(group[0].id, [])))
        return peers

    def _form_zone(self, area: Unit, anchor: Unit, lower: list[Unit], upper: Unit,
                   becoming: Becoming, where: str, below: str, *, first: bool,
                   outside: Callable[[str], str] | None) -> int:
        """`anchor` and `lower` end; `becoming.new` (of level `below`) starts under `upper`
        and `anchor`'s bodies are succeeded by its bodies, with their peers among `lower`'s.
        The whole area: `anchor` is `area`, `lower` the areas under it. Some of the areas
        under it (`units`): `anchor` the first, `lower` the others, paired as siblings, and
        what hung under `area`'s bodies hangs at `outside(parent)`. Returns how many
        bodies were succeeded."""
        day = self.day
        self.endable(anchor)
        # a Party cell is never succeeded: it follows its Đảng ủy into the successor's
        bodies = [b for b in self._open_bodies(anchor.id) if b.kind not in NEVER_PAIRED]
        mine = {b.id for b in bodies}
        unknown = sorted(set(becoming.names) - mine)
        if unknown:
            raise self.conflict(
                f"{where}.names: {', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} "
                f"not a body of {anchor.id} on {self.date} (its bodies: "
                f"{', '.join(sorted(mine)) or 'none'})", unit=unknown[0], field=f"{where}.names")
        for b in bodies:
            self.endable(b)
        # Each lower area's bodies with a peer among the anchor's join it (pairing before
        # anything moves); the others move into the new unit as they are.
        joined: dict[str, list[Unit]] = {b.id: [] for b in bodies}
        unpaired: list[Unit] = []  # they move into the new unit as they are
        zone_id = becoming.new.id
        for c in lower:
            peers = self._pair_down(c, anchor) if anchor is area else \
                self._pair_siblings(c, anchor)
            for b in self._open_bodies(c.id):
                self.endable(b)
                peer = peers.get(b.id)
                if peer in joined:
                    joined[peer].append(b)
                elif b.kind not in NEVER_PAIRED:
                    unpaired.append(b)
                    self.e.unpaired.append((b.id, c.id, zone_id))
        spec = dataclasses.replace(
            becoming.new, kind=becoming.new.kind or below, level=below,
            area=becoming.new.area if becoming.new.area is not None else (area.area or upper.id))
        self.new_id(spec.id)
        zone = self.start_unit(spec, anchor)
        self._area_index().setdefault(zone.area, []).append(zone.id)
        self.add_relation(zone.id, "PART_OF", upper.id)
        self.e.subject(zone.id, upper.id, anchor.id, *[c.id for c in lower])
        # The successors first, top-down (a body's successor hangs under its parent's), then
        # the hand-overs bottom-up: a body ends before its parent hands its children over,
        # so that no link is moved on the day it is cut.
        depth = {b.id: len(self._chain_within(b.id, mine)) for b in bodies}
        order = sorted(bodies, key=lambda b: (depth[b.id], b.id))
        taken: set[str] = set()
        made: dict[str, Unit] = {}
        for b in order:
            group = [b, *joined[b.id]]
            body = self._successor_spec(b, group, zone, anchor, becoming, taken)
            self.new_id(body.id)
            new = self.start_unit(body, b)
            self._area_index().setdefault(zone.id, []).append(new.id)
            p = self.s.parent(b.id, day)
            parent = made[p].id if p in made else zone.id if p == anchor.id else \
                outside(p) if outside is not None and p is not None else p
            if parent is not None:
                self.add_relation(new.id, "PART_OF", parent)
            made[b.id] = new
        if outside is not None:
            # a lower area's body without a peer that hung under the area's (a commune's
            # Đảng ủy the anchor has no peer for, under the Huyện ủy) leaves it too
            for b in unpaired:
                p = self.s.parent(b.id, day)
                if p is not None and (dest := outside(p)) != p:
                    self.move_child(b.id, p, dest)
        for b in reversed(order):
            new, group = made[b.id], [b, *joined[b.id]]
            ids = [u.id for u in group]
            self.e.subject(new.id, *ids)
            # the lower areas' bodies end first: they hang under the area's (a commune's
            # Đảng ủy under the Huyện ủy)
            self._absorb([*group[1:], b], new.id, None)
            self.e.bodies.append((new.id, tuple(ids)))
            self.event("CONSOLIDATE", ids, [new.id],
                       f"consolidate (hợp nhất): {', '.join(ids)} {_end(ids)} and {new.id} "
                       f"({new.name}) starts as {anchor.id} becomes {zone.id}", main=False)
        # The areas last: what is left under them (bodies without a peer) goes to the zone.
        self._absorb([*lower, anchor], zone.id, None)
        for a in [anchor, *lower]:
            for u in self.area_units(a.id):
                if u.valid_to is None or u.valid_to.first_day() > day:
                    # an area that names the district but hangs elsewhere is no part of the
                    # zone: it goes to the upper area, as a dissolved district's would
                    self.set_area(u, upper.id if u.kind in TERRITORIAL_KINDS else zone.id)
                    self.e.subject(u.id)
        ids = [anchor.id, *[c.id for c in lower]]
        self.event("CONSOLIDATE", ids, [zone.id],
                   f"consolidate (hợp nhất): {', '.join(ids)} {_end(ids)} and {zone.id} ({zone.name}, "
                   f"{zone.level}) starts under {upper.id} as the {area.level} level ends",
                   main=first)
        return len(order)

    def _successor_spec(self, body: Unit, group: list[Unit], zone: Unit, area: Unit,
                        becoming: Becoming, taken: set[str]) -> NewUnit:
        """The body of `zone` that succeeds `body` (and the lower areas' peers in `group`)."""
        spec = self.body_spec(body, zone, taken, group)
        name = becoming.names.get(body.id) or lower_level_name(spec.name, area.name, zone.name)
        name_en = spec.name_en
        if area.name_en and zone.name_en and area.name_en in body.name_en:
            # `Cat Hai District Party Committee` -> `Cat Hai Special Zone Party Committee`
            # (`body_spec` puts the new area's place for the old one's, and the zone's
            # place is its whole English name: `Cat Hai Special Zone District ...`)
            name_en = body.name_en.replace(area.name_en, zone.name_en)
        return dataclasses.replace(
            spec, name=name, name_en=name_en, level=zone.level,
            note=f"Succeeds the bodies of {area.id} as it becomes {zone.id} ({zone.name}).")
