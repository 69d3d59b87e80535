"""Records <-> Neo4j properties: what a node or relationship of the Neo4j store holds.

Each record's data-contract columns become properties (dates as their ISO text, kept
partial, plus a first-day `*_day` Date for as-of filters and ordering; no property for an
empty value: Neo4j stores no null and no empty list, and an empty text is not stored
either, the decoders read it back as ''), with `gen` and `seq` (its position in
the dataset: every "dataset order" is `seq` order). Units also carry the folded words and
abbreviation the full-text index searches. A load sends each record as a compact row (a
list in `node_columns` order, `row_encoder`); `props` is the same as a map.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Callable, Iterator, Mapping, Sequence

from graph.codec import TABLES
from graph.dates import PartialDate
from graph.errors import StoreError
from graph.model import Dataset, Relation
from graph.codec import cell_kind
from graph.names_forms import FORMS_VERSION, name_words
from graph.neo4j.vocabulary import REL_TYPES, is_date
from graph.text import fold, words


#: The version of the stored `search_words` and `abbr_key` (`SEARCH_WORDS_REVISION`: how
#: `search_words` and `abbr_key` put them together, bumped when that changes; the forms'
#: reading, `FORMS_VERSION`): the Meta node records it, and a store holding words of another
#: version folds them again when opened (`graph.neo4j.search_migration`).
SEARCH_WORDS_REVISION = 1
SEARCH_WORDS_VERSION = f"{SEARCH_WORDS_REVISION}:{FORMS_VERSION}"
#: Unit properties beyond the contract's columns: what the full-text index searches.
_UNIT_EXTRAS = ("abbr_key", "search_words")
#: Relation columns that are the relationship itself (its type and ends), not properties.
_REL_ENDS = ("source_id", "type", "target_id")


@lru_cache(maxsize=None)
def node_columns(table: str) -> tuple[str, ...]:
    """The properties of one record's node (or relationship), besides `gen`, in the order
    of its compact row (`row_encoder`): `seq`, each column (a date also as its first day
    `<column>_day`, a headcount's date also with its precision), then the unit extras."""
    out = ["seq"]
    for column in TABLES[table][1]:
        if table == "relations" and column in _REL_ENDS:
            continue
        out.append(column)
        if is_date(table, column):
            out.append(f"{column}_day")
            if table == "headcounts":
                out.append("date_prec")
    if table in ("units", "names"):  # a former name is searched too (graph.neo4j.search)
        out.extend(_UNIT_EXTRAS)
    return tuple(out)


#: Every property of a record's node or relationship (`schema:property_keys` makes each a
#: key of the database before any node holds it).
PROPERTY_KEYS = sorted({"gen", "source_id", "type", "target_id"}
                       | {c for table in TABLES for c in node_columns(table)})


#: How one value of each column kind becomes its properties' values (`r` the record).
_VALUE_CODE = {
    "date": "None if r.{c} is None else r.{c}.iso, None if r.{c} is None else r.{c}._first",
    "list": "list(r.{c}) or None",  # no empty lists stored: they have no type
    "int": "r.{c}",
    "text": "r.{c} or None",  # no empty texts stored: the decoders read a missing one as ''
}


@lru_cache(maxsize=None)
def row_encoder(table: str) -> Callable[[Any, float], list[Any]]:
    """A function `(record, seq) -> list` of the values of `node_columns(table)` (None: no
    property; Neo4j stores no null). Relations get their `source_id` and `target_id`
    first. Generated per table from the fixed column names (never from data), as
    `graph.codec.row_encoder` is: one call per record is what keeps a national load's
    client side small."""
    cells = ["seq"]
    for column in TABLES[table][1]:
        if table == "relations" and column in _REL_ENDS:
            continue
        kind = cell_kind(table, column)
        cells.append(_VALUE_CODE[kind].format(c=column))
        if table == "headcounts" and kind == "date":
            cells.append(f"None if r.{column} is None else "
                         f"(r.{column}.month is not None) + (r.{column}.day is not None)")
    if table == "units":
        # one string of words for the full-text index (whitespace analyzer)
        cells.append("abbr_key(r.abbr) if r.abbr else None")
        cells.append("search_words(r.name, r.name_en, r.id, r.kind)")
    if table == "names":  # a former name's words: no id (the embedded former index has none)
        cells.append("abbr_key(r.abbr) if r.abbr else None")
        cells.append("search_words(r.name, r.name_en)")
    if table == "relations":
        cells = ["r.source_id", "r.target_id"] + cells
    source = f"def f(r, seq):\n    return [{', '.join(cells)}]\n"
    namespace: dict[str, Any] = {"abbr_key": abbr_key, "search_words": search_words}
    exec(source, namespace)  # noqa: S102 - fixed column names only
    return namespace["f"]


def props(table: str, record: Any, seq: float, gen: str) -> dict[str, Any]:
    """The node (or relationship) properties of one record, as a map (None: no property).
    The same values as a load's compact rows (`row_encoder`), so that a record written by
    a commit cannot differ from a loaded one."""
    values = row_encoder(table)(record, seq)
    out: dict[str, Any] = {"gen": gen}
    if table == "relations":
        out.update(source_id=values[0], type=record.type, target_id=values[1])
        values = values[2:]
    out.update(zip(node_columns(table), values))
    return out


def search_words(name: str, name_en: str, uid: str = "", kind: str = "") -> str | None:
    """The words the full-text index holds for a unit (or a former name: no id, no kind):
    those of its name, English name and id, and its name's canonical words
    (`graph.names_forms.name_words`, of its kind: `HĐND` also as `hoi dong nhan dan`, the
    district `Huyện Đoàn Hùng` not as the Youth Union), so that Lucene finds a unit by
    either form, as the embedded `SearchIndex` does. Lucene's hits are only candidates
    (`SearchIndex` ranks them): a former name, read without its unit's kind, may hold a
    form more, never one less. None: no word."""
    found = {*words(name), *words(name_en), *words(uid), *name_words(name, kind)}
    return " ".join(sorted(found)) or None


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


def links(dataset: Dataset) -> dict[str, list[list[Any]]]:
    """Compact rows of the links written after the records ([from key, to key]): only
    IN_AREA (the others are written by the query creating their record)."""
    return {"IN_AREA": [[u.id, u.area] for u in dataset.units if u.area]}


_LUCENE_SPECIAL = set('+-&|!(){}[]^"~*?:\\/')


def lucene_escape(text: str) -> str:
    return "".join("\\" + ch if ch in _LUCENE_SPECIAL else ch for ch in text)


def lucene_query(text: str) -> str | None:
    """The full-text query of a search: every word of `text` among a unit's words (the
    last one also as a prefix when it has two letters or more), or every canonical word
    of `text` (`graph.names_forms`: `HĐND` as `hoi dong nhan dan`; the last one as a
    prefix too unless it is a written-out form) when they differ, or the whole text as its
    abbreviation. None when `text` has no word."""
    terms = words(text)
    if not terms:
        return None
    clauses = [f"search_words:({_all_of(terms, prefix=True)})"]
    cterms = list(name_words(text))
    if cterms != terms:
        clauses.append(f"search_words:({_all_of(cterms, prefix=cterms[-1] == terms[-1])})")
    clauses.append(f"abbr_key:{lucene_escape(abbr_key(text))}")
    return " OR ".join(clauses)


def _all_of(terms: list[str], prefix: bool) -> str:
    """Lucene's `+a +b +c*`: every term, the last as a prefix too (`prefix`, two letters
    or more). Words are [0-9a-z]: no escaping."""
    last = terms[-1] + ("*" if prefix and len(terms[-1]) >= 2 else "")
    return " ".join(f"+{t}" for t in terms[:-1] + [last])
