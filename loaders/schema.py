"""The data contract's files and columns (docs/data-format.md is the prose version)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class FileSchema:
    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


SCHEMAS: dict[str, FileSchema] = {s.name: s for s in (
    FileSchema("units.csv", ("id", "name", "kind", "level"),
               ("name_en", "abbr", "area", "valid_from", "valid_to", "note", "source")),
    FileSchema("relations.csv", ("source_id", "type", "target_id"),
               ("valid_from", "valid_to", "note", "source")),
    FileSchema("events.csv", ("id", "date", "type"),
               ("inputs", "outputs", "basis", "description", "source")),
    FileSchema("functions.csv", ("unit_id", "function"), ("valid_from", "valid_to", "source")),
    FileSchema("headcount.csv", ("unit_id", "date", "headcount"), ("basis", "source")),
    FileSchema("people.csv", ("id", "name"), ("source",)),
    FileSchema("posts.csv", ("person_id", "unit_id", "role"), ("valid_from", "valid_to", "source")),
    FileSchema("documents.csv", ("id", "code", "title"), ("issuer", "date", "url", "source")),
)}

#: The order files are read and written in: referenced files first.
FILE_ORDER = ("documents.csv", "units.csv", "people.csv", "relations.csv", "events.csv",
              "functions.csv", "headcount.csv", "posts.csv")
REQUIRED_FILES = ("units.csv",)
