"""Areas that become units of the level below when their level ends.

When the district level ended on 2025-07-01, thirteen island districts were not dissolved
into their province: each became a commune-level special zone (`đặc khu`, Nghị quyết
1656..1687/NQ-UBTVQH15), formed from the whole district: Huyện Bạch Long Vĩ (no communes
under it) -> Đặc khu Bạch Long Vĩ, Huyện Cát Hải and its township and communes -> Đặc
khu Cát Hải. The district's bodies became the zone's (Huyện ủy Cát Hải -> Đảng ủy đặc khu
Cát Hải, UBND huyện -> UBND đặc khu), now of the commune level, directly under the
province's.

`dissolve_level` says so with `become: [{area, new: {id, name, ...}, names}]`. Each listed
area of the level, instead of being dissolved:

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
"""

from __future__ import annotations

import dataclasses
import re
from typing import TYPE_CHECKING

from graph.model import Unit
from graph.scenarios.body_names import COMMITTEE_WORDS, split_area_name
from graph.scenarios.operations import Becoming
from graph.scenarios.territory import TERRITORIAL_KINDS, TerritoryMixin

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

    def become_area(self, area: Unit, becoming: Becoming, where: str, below: str, *,
                    first: bool) -> int:
        """`area` and the areas under it end; `becoming.new` (of level `below`) starts under
        the upper area and the area's bodies are succeeded by its bodies. `where` names
        the entry in messages (`become[0]`). Returns how many bodies were succeeded."""
        self.endable(area)
        upper_id = self.s.parent(area.id, self.day)
        if upper_id is None:
            raise self.conflict(f"{where}.area: {area.id} has no parent area on {self.date}: "
                                f"{becoming.new.id} has nowhere to stand", unit=area.id,
                                field=f"{where}.area")
        upper = self.unit(upper_id, "parent area")
        day = self.day
        kids = self.s.get_units(self.s.children(area.id, day))
        lower = [kids[i] for i in sorted(kids) if kids[i].kind in TERRITORIAL_KINDS]
        for c in lower:
            if c.level != below:
                raise self.conflict(
                    f"{where}.area: {c.id} under {area.id} is a {c.kind} of level {c.level}: "
                    f"only areas of the level below ({below}) are brought into "
                    f"{becoming.new.id}", unit=c.id, field=f"{where}.area")
            self.endable(c)

        def open_bodies(area_id: str) -> list[Unit]:
            return [b for b in self.body_units(area_id)
                    if b.valid_to is None or b.valid_to.first_day() > day]

        bodies = open_bodies(area.id)
        mine = {b.id for b in bodies}
        unknown = sorted(set(becoming.names) - mine)
        if unknown:
            raise self.conflict(
                f"{where}.names: {', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} "
                f"not a body of {area.id} on {self.date} (its bodies: "
                f"{', '.join(sorted(mine)) or 'none'})", unit=unknown[0], field=f"{where}.names")
        for b in bodies:
            self.endable(b)
        # Each lower area's bodies with a peer among the area's join it (pairing before
        # anything moves); the others move into the new unit as they are.
        joined: dict[str, list[Unit]] = {b.id: [] for b in bodies}
        for c in lower:
            peers = self._pair_down(c, area)
            for b in open_bodies(c.id):
                self.endable(b)
                peer = peers.get(b.id)
                if peer in joined:
                    joined[peer].append(b)
        spec = dataclasses.replace(
            becoming.new, kind=becoming.new.kind or below, level=below,
            area=becoming.new.area if becoming.new.area is not None else (area.area or upper.id))
        self.new_id(spec.id)
        zone = self.start_unit(spec, area)
        self._area_index().setdefault(zone.area, []).append(zone.id)
        self.add_relation(zone.id, "PART_OF", upper.id)
        self.e.subject(zone.id, upper.id, area.id, *[c.id for c in lower])
        # The successors first, top-down (a body's successor hangs under its parent's), then
        # the hand-overs bottom-up: a body ends before its parent hands its children over,
        # so that no link is moved on the day it is cut.
        depth = {b.id: len(self._chain_within(b.id, mine)) for b in bodies}
        order = sorted(bodies, key=lambda b: (depth[b.id], b.id))
        taken: set[str] = set()
        made: dict[str, Unit] = {}
        for b in order:
            group = [b, *joined[b.id]]
            body = self._successor_spec(b, group, zone, area, becoming, taken)
            self.new_id(body.id)
            new = self.start_unit(body, b)
            self._area_index().setdefault(zone.id, []).append(new.id)
            p = self.s.parent(b.id, day)
            parent = made[p].id if p in made else zone.id if p == area.id else p
            if parent is not None:
                self.add_relation(new.id, "PART_OF", parent)
            made[b.id] = new
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
                       f"({new.name}) starts as {area.id} becomes {zone.id}", main=False)
        # The areas last: what is left under them (bodies without a peer) goes to the zone.
        self._absorb([*lower, area], zone.id, None)
        for a in [area, *lower]:
            for u in self.area_units(a.id):
                if u.valid_to is None or u.valid_to.first_day() > day:
                    # an area that names the district but hangs elsewhere is no part of the
                    # zone: it goes to the upper area, as a dissolved district's would
                    self.set_area(u, upper.id if u.kind in TERRITORIAL_KINDS else zone.id)
                    self.e.subject(u.id)
        ids = [area.id, *[c.id for c in lower]]
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
