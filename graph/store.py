"""The store protocol: what the API, the analysis and the scenarios need from a backend.

Set-oriented and free of networkx types, so that the embedded backend (SQLite +
networkx in memory, `graph.embedded.store`) and the Neo4j backend (`graph.neo4j.store`)
implement it alike and one contract test suite checks both.

Conventions shared by every method:
- `at` is a `datetime.date` or None; a fact is on `at` when valid_from <= at < valid_to
  (partial dates taken at their first day, empty bounds open). `at=None` means
  "whatever its lifetime" (lists then hold every fact ever recorded).
- Lists come back in a stable order (by id, or by date then id for dated facts;
  `graph.rules` holds the order keys).

Two layers of reads:
- the *primitives* (`get_unit` ... `dataset`): every backend implements them;
- the *capabilities* (`headcount`, `ancestors`, `roots`, `subtree`, `scope`,
  `stats_counts`, `unit_page`, `area_page`, `inferred_area`; `children` and `search_units` are primitives already):
  the queries that walk many units, which a backend should answer natively (the
  embedded backend from its integer index, Neo4j in Cypher). `ReaderDefaults` gives
  each of them an implementation over the primitives (in `graph.store_defaults`): a
  reader class inherits it and overrides what it can answer faster, with the same
  answer. `graph.queries` validate their arguments, then call the capability; they never
  look at the backend's type.
- two hooks with defaults: `pinned()` (the reader on one revision for a read made of
  many calls; the embedded store gives its current in-memory graph) and `warm()`.

The change log (`GraphStore.record_change`, `GraphStore.changes`, and the `change=` of
`replace_dataset`) records every load and commit: when, who, what, and the revisions
before and after.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Protocol, cast, runtime_checkable

from graph import store_defaults as defaults
from graph.model import (Dataset, Document, Event, Function, Headcount, Person, Plan, Post,
                         Relation, Unit, UnitName)

if TYPE_CHECKING:
    from graph.scenarios.changes import ChangeSet

#: How many people holding concurrent posts `stats_counts` names (all are counted).
CONCURRENT_SAMPLE = 20


@dataclass(frozen=True)
class StatsCounts:
    """The counts behind `stats` on a date: units by (kind, level), the headcount total
    and how many units have a figure, people holding posts and people holding two or more
    at once, and the first `CONCURRENT_SAMPLE` of the latter by id with their post count."""

    by_kind_level: dict[tuple[str, str], int]
    headcount: int
    units_with_figure: int
    people_with_posts: int
    people_with_concurrent_posts: int
    concurrent_sample: list[tuple[str, int]]


@dataclass(frozen=True)
class UnitPage:
    """A window of `units(...)` (same filter, same order by id) and the size of the whole;
    of an `area_page`, also the ids of the window's units whose area is inferred."""

    items: list[Unit]
    total: int
    offset: int
    limit: int
    inferred: frozenset[str] = frozenset()


@runtime_checkable
class GraphReader(Protocol):
    """Read access to one state of the graph (the baseline, or a scenario's state)."""

    @property
    def revision(self) -> str:
        """Changes whenever the data changes (used for ETags and commit conflicts)."""

    def get_unit(self, unit_id: str) -> Unit | None: ...

    def get_units(self, unit_ids: Iterable[str]) -> dict[str, Unit]:
        """The units among `unit_ids` that exist in the store (any lifetime)."""

    def units(self, at: dt.date | None = None, *, kind: str | None = None,
              level: str | None = None, area: str | None = None) -> list[Unit]: ...

    def parent(self, unit_id: str, at: dt.date | None) -> str | None:
        """The PART_OF parent on `at` (at=None: the most recent parent)."""

    def children(self, unit_id: str, at: dt.date | None) -> list[str]:
        """Ids of the units PART_OF `unit_id` on `at`, sorted."""

    def relations(self, unit_id: str, at: dt.date | None = None, *,
                  types: Iterable[str] | None = None, direction: str = "out") -> list[Relation]:
        """Relations touching `unit_id`: direction 'out' (unit is source_id), 'in' or 'both'."""

    def all_relations(self, at: dt.date | None = None, *,
                      types: Iterable[str] | None = None) -> list[Relation]: ...

    def get_event(self, event_id: str) -> Event | None: ...

    def events(self, *, unit_id: str | None = None, type: str | None = None,
               basis: str | None = None, date_from: dt.date | None = None,
               date_to: dt.date | None = None) -> list[Event]:
        """Events in date order; `unit_id` matches inputs or outputs; dates inclusive."""

    def functions(self, unit_id: str | None = None, at: dt.date | None = None) -> list[Function]: ...

    def headcounts(self, unit_id: str | None = None) -> list[Headcount]:
        """Headcount figures in date order."""

    def posts(self, *, unit_id: str | None = None, person_id: str | None = None,
              at: dt.date | None = None) -> list[Post]: ...

    def get_person(self, person_id: str) -> Person | None: ...

    def people(self) -> list[Person]: ...

    def get_document(self, document_id: str) -> Document | None: ...

    def documents(self) -> list[Document]: ...

    def search_units(self, text: str, at: dt.date | None = None,
                     limit: int = 20) -> list[tuple[Unit, float]]:
        """Units matching `text` (diacritics-insensitive, abbreviations, English names), best first."""

    def dataset(self) -> Dataset:
        """The whole state as one Dataset (export, scenario bases, commits)."""

    # -- capabilities (defaults in ReaderDefaults; override to answer natively) -------------
    def pinned(self) -> "GraphReader":
        """This reader as of now, for a read made of many calls (a request, a scenario's
        base): it stays on the current revision even if the store is reloaded meanwhile.
        Default: the reader itself (a reader that never changes under its callers)."""

    def warm(self) -> None:
        """Build what the first requests would otherwise wait for (a server calls it once
        it answers, in the background). Default: nothing to build."""

    def headcount(self, unit_id: str, at: dt.date | None) -> Headcount | None:
        """The unit's headcount on `at` by `graph.rules.headcount_on`: its latest approved
        figure dated on or before `at`, else its latest actual one; at=None: the latest."""

    def ancestors(self, unit_id: str, at: dt.date | None) -> list[str]:
        """Ids of the parent of `unit_id` on `at`, its parent, ... up to the root (the unit
        excluded; `graph.rules.ancestor_ids`: stops before a unit seen already)."""

    def roots(self, at: dt.date | None) -> list[str]:
        """Ids of the units on `at` without a parent on `at` (the tops of the forest), sorted."""

    def subtree(self, root_id: str, at: dt.date | None, depth: int | None = None) -> dict[str, Any]:
        """The structure under `root_id` on `at`, nested: `{"unit": unit_dict(unit, parent on
        at), "headcount": int | None, "child_count": int, "children": [<same>, ...]}`,
        children by id; `depth` levels below the root (None: all, 0: the root alone);
        `child_count` counts the children existing on `at` even where `depth` cut them off.
        A child is listed once (the first time a walk reaches it). The caller has checked
        that the root exists on `at` and that depth >= 0. (`unit_dict`:
        `graph.queries.answers.unit_dict`.)"""

    def scope(self, root_id: str, at: dt.date | None) -> list[str]:
        """`root_id` and every unit under it on `at`, breadth first: the PART_OF subtree and,
        for a place (a province, a district), the units whose `area` is that place or a
        place under it, with their own subtrees."""

    def stats_counts(self, at: dt.date | None, root: str | None = None,
                     area: str | None = None) -> StatsCounts:
        """The counts of `stats` on `at`, everywhere, within `scope(root, at)` (units
        existing on `at`), over the units of an area (`area_page(area, at)`'s every unit:
        those naming it and the bodies its chain gives it; `at` is then a date), or, with
        both, over the units of the area within the scope; people are those holding posts
        on `at` (under a root or in an area: posts in those units, each holder's posts
        counted everywhere)."""

    def unit_page(self, at: dt.date | None = None, *, kind: str | None = None,
                  level: str | None = None, area: str | None = None, offset: int = 0,
                  limit: int = 50) -> UnitPage:
        """`units(at, kind=, level=, area=)[offset:offset + limit]` and the total count."""

    def area_page(self, area: str, at: dt.date, *, kind: str | None = None,
                  level: str | None = None, offset: int = 0, limit: int = 50) -> UnitPage:
        """The units on `at` (of `kind`, `level`) whose area on `at` is `area`: those naming
        it (`units(at, area=area)`: their own, dated by names.csv) and the bodies naming
        none whose PART_OF chain gives it on `at` by `graph.areas.infer_areas` (the rule of
        the scenario engine); in id order, `[offset:offset + limit]`, the total, and in
        `inferred` the ids of the window's units whose area is inferred."""

    def inferred_area(self, unit_id: str, at: dt.date) -> str:
        """The area `graph.areas.infer_areas` gives the unit on `at` when it names none
        there (a body whose area the listings infer: `area_page` lists it with that area
        as inferred), else "" (it names one, is an area itself or a central body, does not
        exist on `at`, or its chain gives none). Default: its own chain read
        (`graph.areas.infer_area`), not the day's every body; a backend that keeps the
        day's inferred areas answers from them."""

    def unit_names(self, unit_id: str) -> list[UnitName]:
        """The unit's former names (`names.csv`), oldest first. Default: from `dataset()`."""

    def plans(self) -> list[Plan]:
        """The dataset's plans (`plans/*.yaml`), by id. Default: from `dataset()`."""

    def prefetch(self, unit_ids: Iterable[str]) -> None:
        """A hint: the caller is about to read these units' facts (relations, functions,
        headcounts, posts, events), so a reader over a server may load them in bulk
        beforehand (the Neo4j snapshot does). Answers never change. Default: nothing."""

    # -- batch capabilities: one answer's many lookups in one read (defaults: one call each) -
    def parents(self, unit_ids: Iterable[str], at: dt.date | None) -> dict[str, str | None]:
        """`{id: parent(id, at)}` for each of `unit_ids` (asked order, duplicates once)."""

    def headcounts_at(self, unit_ids: Iterable[str],
                      at: dt.date | None) -> dict[str, Headcount | None]:
        """`{id: headcount(id, at)}` for each of `unit_ids` (asked order, duplicates once)."""

    def units_under(self, roots: Iterable[str], at: dt.date | None, depth: int | None,
                    cap: int) -> int:
        """How many units the trees under `roots` on `at` hold (the roots included, down to
        `depth` levels), counting no further than `cap + 1` (the API's answer bound)."""

    def sourced_subtree(self, root_id: str, at: dt.date | None,
                        depth: int | None = None) -> dict[str, Any]:
        """`subtree(root_id, at, depth)` with each node's `parent_source`,
        `headcount_detail` and its name on `at` (`graph.queries.structure.sourced_tree`):
        the answer of `GET /units/{id}/subtree`. Same preconditions as `subtree`."""

    def sourced_subtree_within(self, root_id: str, at: dt.date | None, depth: int | None,
                               cap: int) -> dict[str, Any] | int:
        """`sourced_subtree` under the API's size bound: the count `units_under([root_id],
        at, depth, cap)` when it passes `cap` (the tree is then not read), else the answer.
        Neo4j counts and answers in one query."""

    def events_touching(self, unit_ids: Iterable[str], date_from: dt.date | None,
                        date_to: dt.date | None) -> list[Event]:
        """`events(date_from=, date_to=)` whose inputs or outputs meet `unit_ids` (same
        order): the events of a scope (a rooted diff), without every event of the dates."""

    def unit_view(self, unit_id: str, at: dt.date | None) -> "GraphReader":
        """A reader answering like this one, loaded beforehand with what one unit's answers
        on `at` read (`unit_detail`, `history`: the unit, its relations, parent, children,
        headcount, posts and their holders, events, functions, names, plans and the units
        they name), for one answer; anything else it passes on. Default: the reader."""


class ReaderDefaults:
    """The capabilities of `GraphReader` over its primitives: a reader class inherits this
    (`class MyReader(ReaderDefaults)`) and overrides what it answers natively."""

    def pinned(self) -> GraphReader:
        return cast(GraphReader, self)

    def warm(self) -> None:
        return None

    def headcount(self, unit_id: str, at: dt.date | None) -> Headcount | None:
        return defaults.headcount(cast(GraphReader, self), unit_id, at)

    def ancestors(self, unit_id: str, at: dt.date | None) -> list[str]:
        return defaults.ancestors(cast(GraphReader, self), unit_id, at)

    def roots(self, at: dt.date | None) -> list[str]:
        return defaults.roots(cast(GraphReader, self), at)

    def subtree(self, root_id: str, at: dt.date | None, depth: int | None = None) -> dict[str, Any]:
        return defaults.subtree(cast(GraphReader, self), root_id, at, depth)

    def scope(self, root_id: str, at: dt.date | None) -> list[str]:
        return defaults.scope(cast(GraphReader, self), root_id, at)

    def stats_counts(self, at: dt.date | None, root: str | None = None,
                     area: str | None = None) -> StatsCounts:
        return defaults.stats_counts(cast(GraphReader, self), at, root, area)

    def unit_page(self, at: dt.date | None = None, *, kind: str | None = None,
                  level: str | None = None, area: str | None = None, offset: int = 0,
                  limit: int = 50) -> UnitPage:
        return defaults.unit_page(cast(GraphReader, self), at, kind=kind, level=level,
                                  area=area, offset=offset, limit=limit)

    def area_page(self, area: str, at: dt.date, *, kind: str | None = None,
                  level: str | None = None, offset: int = 0, limit: int = 50) -> UnitPage:
        return defaults.area_page(cast(GraphReader, self), area, at, kind=kind, level=level,
                                  offset=offset, limit=limit)

    def inferred_area(self, unit_id: str, at: dt.date) -> str:
        return defaults.inferred_area(cast(GraphReader, self), unit_id, at)

    def unit_names(self, unit_id: str) -> list[UnitName]:
        names = cast(GraphReader, self).dataset().names
        return sorted((n for n in names if n.unit_id == unit_id),
                      key=lambda n: n.valid_from.first_day() if n.valid_from else dt.date.min)

    def plans(self) -> list[Plan]:
        return sorted(cast(GraphReader, self).dataset().plans, key=lambda p: p.id)

    def prefetch(self, unit_ids: Iterable[str]) -> None:
        return defaults.prefetch(cast(GraphReader, self), unit_ids)

    def parents(self, unit_ids: Iterable[str], at: dt.date | None) -> dict[str, str | None]:
        return defaults.parents(cast(GraphReader, self), unit_ids, at)

    def headcounts_at(self, unit_ids: Iterable[str],
                      at: dt.date | None) -> dict[str, Headcount | None]:
        return defaults.headcounts_at(cast(GraphReader, self), unit_ids, at)

    def units_under(self, roots: Iterable[str], at: dt.date | None, depth: int | None,
                    cap: int) -> int:
        return defaults.units_under(cast(GraphReader, self), roots, at, depth, cap)

    def sourced_subtree(self, root_id: str, at: dt.date | None,
                        depth: int | None = None) -> dict[str, Any]:
        return defaults.sourced_subtree(cast(GraphReader, self), root_id, at, depth)

    def sourced_subtree_within(self, root_id: str, at: dt.date | None, depth: int | None,
                               cap: int) -> dict[str, Any] | int:
        n = self.units_under([root_id], at, depth, cap)  # the bound, then the answer
        return n if n > cap else self.sourced_subtree(root_id, at, depth)

    def unit_view(self, unit_id: str, at: dt.date | None) -> GraphReader:
        return cast(GraphReader, self)

    def events_touching(self, unit_ids: Iterable[str], date_from: dt.date | None,
                        date_to: dt.date | None) -> list[Event]:
        return defaults.events_touching(cast(GraphReader, self), unit_ids, date_from, date_to)


@dataclass(frozen=True)
class StoredScenario:
    """A scenario as persisted: its definition only; its state is recomputed from it."""

    id: str
    name: str
    at: str
    description: str = ""
    operations: tuple[dict[str, Any], ...] = ()
    base_revision: str = ""
    created: str = ""
    committed: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    #: How many times it was saved (0: never): `save_scenario(..., expected_version=)`
    #: refuses a write made over a version that is no longer the stored one. Not part of
    #: equality: two reads of one definition are equal whatever their version.
    version: int = field(default=0, compare=False)

    # The one codec of a stored scenario (every backend stores this JSON document).
    def to_json(self) -> bytes:
        import orjson
        return orjson.dumps({
            "id": self.id, "name": self.name, "at": self.at, "description": self.description,
            "operations": list(self.operations), "base_revision": self.base_revision,
            "created": self.created, "committed": self.committed, "extra": self.extra,
            "version": self.version})

    @classmethod
    def from_json(cls, body: bytes | str) -> "StoredScenario":
        import orjson
        data = orjson.loads(body)
        data["operations"] = tuple(data.get("operations") or ())
        return cls(**data)


def commit_changes(store: "GraphStore", changes: "ChangeSet", *, expected_revision: str,
                   change: ChangeNote) -> str:
    """A scenario commit: write a change set (`graph.scenarios.changes.ChangeSet`, checked
    already) into the baseline in one transaction that refuses (Conflict) when the
    revision is no longer `expected_revision`, records `change` in the change log and
    returns the new revision; either all of it is written or nothing is, and afterwards
    every read answers as over `changes.apply_to(dataset())`.

    An optional capability of a `GraphStore` (not a member of the protocol, so that a
    store without it still is one): the store's own `commit_changes` when it has one (a
    write of the changes alone: `graph.neo4j.commit`), else the default
    (`graph.store_defaults.commit_changes`: the whole dataset with the changes applied,
    through `replace_dataset`)."""
    native = getattr(store, "commit_changes", None)
    if native is not None:
        return native(changes, expected_revision=expected_revision, change=change)
    return defaults.commit_changes(store, changes, expected_revision=expected_revision,
                                   change=change)


def check_scenario_version(scenario_id: str, stored: StoredScenario | None,
                           expected: int | None) -> int:
    """The compare-and-set check every backend runs inside its write transaction: the
    stored version (0 if none), or Conflict when `expected` is given and differs."""
    from graph.errors import Conflict
    current = stored.version if stored is not None else 0
    if expected is not None and expected != current:
        state = "was deleted" if stored is None and expected else \
            "already exists" if not expected else f"is at version {current}"
        raise Conflict(f"scenario {scenario_id} changed meanwhile: it {state}, and this write "
                       f"was made over version {expected}; reload it and try again",
                       errors=[{"field": "version", "message": "stale scenario version",
                                "value": expected, "stored": current}])
    return current


@dataclass(frozen=True)
class ChangeNote:
    """What a caller says about a write: `action` (`load`, `commit`, `replace`), `what`
    (the folder loaded, the scenario committed) and `who` (the name of the API token or
    the CLI user; empty when unknown)."""

    action: str = "replace"
    what: str = ""
    who: str = ""


@dataclass(frozen=True)
class Change:
    """One recorded write of the baseline: `seq` (increasing), `when` (ISO 8601, UTC, to
    the second), the caller's note, and the revisions before and after."""

    seq: int
    when: str
    action: str
    what: str
    who: str
    previous_revision: str
    revision: str

    def as_dict(self) -> dict[str, Any]:
        return {"seq": self.seq, "when": self.when, "action": self.action, "what": self.what,
                "who": self.who, "previous_revision": self.previous_revision,
                "revision": self.revision}


@runtime_checkable
class GraphStore(GraphReader, Protocol):
    """A durable store of the baseline graph and of scenario definitions."""

    #: Where the store lives (a file path or a server URI), for messages.
    location: str

    def replace_dataset(self, dataset: Dataset, *, expected_revision: str | None = None,
                        change: ChangeNote | None = None) -> str:
        """Replace the whole baseline atomically; return the new revision.

        With `expected_revision`, refuse (Conflict) when the baseline changed meanwhile
        (in this process or another one). Either everything is replaced or nothing is.
        The write is recorded in the change log in the same transaction, with `change`
        (default: `ChangeNote()`, action `replace`). A store locked by another writer for
        longer than the store waits raises `StoreBusy` (503)."""

    def record_change(self, note: ChangeNote, previous_revision: str,
                      revision: str) -> Change:
        """Append one entry to the change log (for a write not made by `replace_dataset`)."""

    def changes(self, limit: int = 100, offset: int = 0) -> list[Change]:
        """The change log, newest first (`GET /changes`, `bomay changes`)."""

    def is_empty(self) -> bool: ...

    def save_scenario(self, scenario: StoredScenario, *,
                      expected_version: int | None = None) -> StoredScenario:
        """Store `scenario` with version = the stored version + 1; return what was stored.

        With `expected_version` (0: the scenario must not exist yet), a compare-and-set in
        one store transaction: refuse (Conflict) when the stored version is another one,
        so that two writers (threads or processes) never both succeed over one version."""

    def get_scenario(self, scenario_id: str) -> StoredScenario | None: ...

    def list_scenarios(self) -> list[StoredScenario]: ...

    def delete_scenario(self, scenario_id: str, *, expected_version: int | None = None) -> bool:
        """False when there is no such scenario; with `expected_version`, Conflict when the
        stored version is another one (nothing deleted)."""

    def close(self) -> None: ...
