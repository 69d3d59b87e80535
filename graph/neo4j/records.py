"""Records <-> Neo4j properties: what a node or relationship of the Neo4j store holds.

Each record's data-contract columns become properties (dates as their ISO text, kept
partial, plus a first-day `*_day` Date for as-of filters and ordering; no property for an
empty value: Neo4j stores no null and no empty list), with `gen` and `seq` (its position in
the dataset: every "dataset order" is `seq` order). Units also carry their folded names
and the words and abbreviation the full-text index searches.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator, Mapping, Sequence

from graph.codec import TABLES
from graph.dates import PartialDate
from graph.errors import StoreError
from graph.model import Dataset, Relation
from graph.codec import cell_kind
from graph.neo4j.cypher import REL_TYPES, is_date
from graph.text import fold, words

def props(table: str, record: Any, seq: int, gen: str) -> dict[str, Any]:
    """The node (or relationship) properties of one record."""
    out: dict[str, Any] = {"gen": gen, "seq": seq}
    for column in TABLES[table][1]:
        value = getattr(record, column)
        if is_date(table, column):
            out[column] = str(value) if value is not None else None
            out[f"{column}_day"] = value.first_day() if value is not None else None
            if table == "headcounts":
                out["date_prec"] = (value.month is not None) + (value.day is not None)
        elif isinstance(value, tuple):
            out[column] = list(value) or None  # no empty lists stored: they have no type
        else:
            out[column] = value
    if table == "units":
        out["name_folded"] = fold(record.name)
        out["name_en_folded"] = fold(record.name_en)
        out["abbr_key"] = abbr_key(record.abbr) if record.abbr else None
        # one string of words for the full-text index (whitespace analyzer)
        out["search_words"] = " ".join(sorted(set(words(record.name) + words(record.name_en)
                                                  + words(record.id)))) or None
    return out


def abbr_key(text: str) -> str:
    """How an abbreviation is stored and looked up: folded, without spaces."""
    return fold(text).strip().replace(" ", "")


def parse_date(text: str | None) -> PartialDate | None:
    return PartialDate.parse(text) if text else None


def _decoder(table: str) -> Callable[[Mapping[str, Any]], Any]:
    cls, columns = TABLES[table]
    conv: list[tuple[str, Callable[[Any], Any]]] = []
    for c in columns:
        kind = cell_kind(table, c)
        if kind == "date":
            conv.append((c, parse_date))
        elif kind == "list":
            conv.append((c, lambda v: tuple(v or ())))
        elif kind == "int":
            conv.append((c, int))
        else:
            conv.append((c, lambda v: v if v is not None else ""))

    def decode(p: Mapping[str, Any]) -> Any:
        return cls(**{c: f(p.get(c)) for c, f in conv})
    return decode


#: Dataset attribute -> a function from a node's property map to its record.
DECODE = {table: _decoder(table) for table in TABLES}


def ordered(table: str, rows: list[dict[str, Any]], key: str = "p") -> list[Any]:
    """Decode rows (`row[key]` a property map) in dataset order (their `seq`)."""
    decode = DECODE[table]
    return [decode(r[key]) for r in sorted(rows, key=lambda r: r[key]["seq"])]


def relation(row: Mapping[str, Any]) -> Relation:
    return Relation(source_id=row["source_id"], type=row["type"], target_id=row["target_id"],
                    valid_from=parse_date(row.get("valid_from")),
                    valid_to=parse_date(row.get("valid_to")),
                    note=row.get("note") or "", source=row.get("source") or "")


def chunks(items: Sequence[Any], size: int) -> Iterator[tuple[int, Sequence[Any]]]:
    for start in range(0, len(items), size):
        yield start, items[start:start + size]


def check_references(dataset: Dataset) -> None:
    """Refuse relations of an unknown type or to an unknown unit before writing anything."""
    unit_ids = {u.id for u in dataset.units}
    for rel in dataset.relations:
        if rel.type not in REL_TYPES:
            raise StoreError(f"unknown relation type {rel.type!r}; expected one of "
                             + ", ".join(REL_TYPES))
        for end in (rel.source_id, rel.target_id):
            if end not in unit_ids:
                raise StoreError(f"a {rel.type} relation refers to the unknown unit {end!r}")


def links(dataset: Dataset) -> dict[str, list[dict[str, Any]]]:
    """Rows of the links written after the records ({'a': from key, 'b': to key}): only
    IN_AREA (the others are written by the query creating their record)."""
    return {"IN_AREA": [{"a": u.id, "b": u.area} for u in dataset.units if u.area]}


_LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/')


def lucene_escape(text: str) -> str:
    return "".join("\\" + ch if ch in _LUCENE_SPECIAL else ch for ch in text)


def lucene_query(text: str) -> str | None:
    """The full-text query of a search: every word of `text` among a unit's words (the
    last one also as a prefix when it has two letters or more), or the whole text as its
    abbreviation. None when `text` has no word."""
    terms = words(text)
    if not terms:
        return None
    last = terms[-1] + ("*" if len(terms[-1]) >= 2 else "")
    must = " ".join(f"+{t}" for t in terms[:-1] + [last])  # words are [0-9a-z]: no escaping
    return f"search_words:({must}) OR abbr_key:{lucene_escape(abbr_key(text))}"
