"""The fixed vocabulary of the Neo4j store's Cypher text: labels, relationship types,
navigation links, the as-of predicate and projections, all from the data contract.

Nothing here is derived from data (`graph.neo4j.cypher` has the rule: values travel as
`$parameters`)."""

from __future__ import annotations

from graph.codec import TABLES, cell_kind
from graph.model import RELATION_TYPES

# -- fixed vocabulary of the Cypher text ------------------------------------------------------
#: Dataset attribute -> node label, in write order (referenced nodes first).
_LABEL_OF: dict[str, str] = {
    "units": "Unit", "documents": "Document", "people": "Person", "events": "Event",
    "functions": "Function", "headcounts": "Headcount", "posts": "Post", "names": "UnitName",
    "plans": "Plan",
}
#: The labels of the tables the data contract has (every table but the relations).
LABELS: dict[str, str] = {t: label for t, label in _LABEL_OF.items() if t in TABLES}
_UNLABELLED = set(TABLES) - set(LABELS) - {"relations"}
assert not _UNLABELLED, f"graph.neo4j.cypher has no node label for {_UNLABELLED}"
#: The relationship types of domain relations (the data contract's whitelist).
REL_TYPES: tuple[str, ...] = ("PART_OF", "SERVES", "GUIDED_BY")
assert frozenset(REL_TYPES) == RELATION_TYPES, "REL_TYPES must follow graph.model.RELATION_TYPES"
REL_PATTERN = "|".join(REL_TYPES)
#: Labels whose records have an id; the others are keyed by (gen, seq).
ID_LABELS = ("Unit", "Document", "Person", "Event", "Plan")
#: Navigation links: name -> (from label, from key, rel type, to label, to key).
LINKS: dict[str, tuple[str, str, str, str, str]] = {
    "IN_AREA": ("Unit", "id", "IN_AREA", "Unit", "id"),
    "INPUT": ("Event", "id", "INPUT", "Unit", "id"),
    "OUTPUT": ("Event", "id", "OUTPUT", "Unit", "id"),
    "BASED_ON": ("Event", "id", "BASED_ON", "Document", "id"),
    "HAS_FUNCTION": ("Unit", "id", "HAS_FUNCTION", "Function", "seq"),
    "HAS_HEADCOUNT": ("Unit", "id", "HAS_HEADCOUNT", "Headcount", "seq"),
    "HOLDS": ("Person", "id", "HOLDS", "Post", "seq"),
    "AT": ("Post", "seq", "AT", "Unit", "id"),
}


def is_date(table: str, column: str) -> bool:
    """A partial-date column (stored as its text plus a first-day `<column>_day` Date)."""
    return cell_kind(table, column) == "date"


#: The full-text index of unit search: folded words (name, English name, id) and the
#: folded abbreviation, tokenised on whitespace only (the words are folded already; the
#: standard analyzer would drop English stop words such as "of").
FULLTEXT_INDEX = "bomay_unit_search"
#: Subtree queries with a bounded PART_OF path length exist for these bounds (a depth d
#: needs paths of d + 1 to count the children cut off); deeper asks use the unbounded one.
SUBTREE_BOUNDS = tuple(range(1, 9))
#: The version of this data model, written into the Meta node.
SCHEMA_VERSION = "2"


def asof(var: str) -> str:
    """`var` (a node or relationship with *_day properties) holds on $at (or $at is null)."""
    return (f"($at IS NULL OR (({var}.valid_from_day IS NULL OR {var}.valid_from_day <= $at) "
            f"AND ({var}.valid_to_day IS NULL OR $at < {var}.valid_to_day)))")


def projection(var: str, table: str) -> str:
    columns = TABLES[table][1]
    return var + " {" + ", ".join(f".{c}" for c in columns) + ", .seq}"


CURRENT = "MATCH (m:Meta {key: 'current'}) "


def _BY_ID(var: str, label: str) -> str:  # noqa: N802 - reads as a clause
    """An index hint: seek `var` by its unique (gen, id). Without it a plan cached while
    the store was empty (or small) scans the generation's `gen` index per row instead,
    which made a load time out at 6 provinces."""
    return f"USING INDEX {var}:{label}(gen, id) "
