"""The store protocol: what the API, the analysis and the scenarios need from a backend.

Set-oriented and free of networkx types, so that the embedded backend (SQLite +
networkx in memory, `graph.embedded.store`) and the Neo4j backend (`graph.neo4j.store`)
implement it alike and one contract test suite checks both.

Conventions shared by every method:
- `at` is a `datetime.date` or None; a fact is on `at` when valid_from <= at < valid_to
  (partial dates taken at their first day, empty bounds open). `at=None` means
  "whatever its lifetime" (lists then hold every fact ever recorded).
- Lists come back in a stable order (by id, or by date then id for dated facts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Protocol, runtime_checkable

from graph.model import Dataset, Document, Event, Function, Headcount, Person, Post, Relation, Unit


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


@runtime_checkable
class GraphStore(GraphReader, Protocol):
    """A durable store of the baseline graph and of scenario definitions."""

    #: Where the store lives (a file path or a server URI), for messages.
    location: str

    def replace_dataset(self, dataset: Dataset, *, expected_revision: str | None = None) -> str:
        """Replace the whole baseline atomically; return the new revision.

        With `expected_revision`, refuse (Conflict) when the baseline changed meanwhile.
        Either everything is replaced or nothing is."""

    def is_empty(self) -> bool: ...

    def save_scenario(self, scenario: StoredScenario) -> None: ...

    def get_scenario(self, scenario_id: str) -> StoredScenario | None: ...

    def list_scenarios(self) -> list[StoredScenario]: ...

    def delete_scenario(self, scenario_id: str) -> bool: ...

    def close(self) -> None: ...
