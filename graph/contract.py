"""The data contract, declared once: files, columns, types, vocabularies, event shapes, ids.

Every other part reads this module: the CSV loader (headers, required values,
vocabularies, the id alphabet), the cross-file rules (`graph.validation`), the row
codec of the stores (`graph.codec`), the CSV export, the synthetic generator and
the scenario commit. `docs/data-format.md` is the prose version and
`tests/graph/test_contract.py` checks that the two agree.

Pure data: no import from the rest of bomay, so that `graph.model` can take its
vocabularies from here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# -- vocabularies ----------------------------------------------------------------------------
KINDS = frozenset({
    "party_committee", "standing_committee", "party_board", "inspection_committee",
    "party_office", "party_cell", "government", "people_council", "department",
    "inspectorate", "front", "mass_org", "shared_agency", "subcommittee", "centre",
    "province", "district", "commune", "ministry", "other",
})
#: Territorial levels, from the top down (the order is used for display).
LEVELS = ("central", "province", "district", "commune")
RELATION_TYPES = frozenset({"PART_OF", "SERVES", "GUIDED_BY"})
#: (minimum inputs, maximum inputs, minimum outputs, maximum outputs) per event type;
#: None is "no maximum".
EVENT_SHAPES: dict[str, tuple[int, int | None, int, int | None]] = {
    "ESTABLISH": (0, None, 1, None),
    "DISSOLVE": (1, None, 0, 0),
    "MERGE": (1, None, 1, 1),
    "CONSOLIDATE": (1, None, 1, 1),
    "SPLIT": (1, 1, 1, None),
    "RENAME": (1, 1, 1, 1),
    "TRANSFER_FUNCTION": (1, 1, 1, 1),
    "MOVE": (1, None, 0, 1),
}
EVENT_TYPES = frozenset(EVENT_SHAPES)
#: Event types whose inputs stop existing on the event's date.
ENDING_EVENTS = frozenset({"MERGE", "CONSOLIDATE", "DISSOLVE", "SPLIT"})
#: Event types whose outputs start existing on the event's date.
STARTING_EVENTS = frozenset({"ESTABLISH", "CONSOLIDATE", "SPLIT"})
#: Event types that make a unit the successor of another (lineage).
LINEAGE_EVENTS = frozenset({"MERGE", "CONSOLIDATE", "SPLIT", "RENAME"})
#: Event types that may not list one unit as both input and output.
DISJOINT_EVENTS = frozenset({"MERGE", "CONSOLIDATE", "SPLIT"})
#: The known function keys; a new snake_case key is accepted with a warning.
FUNCTION_KEYS = frozenset({
    "personnel", "inspection", "propaganda", "mass_mobilisation", "training", "office_admin",
    "finance_accounting", "transport", "legal", "social_welfare", "supervision_criticism",
    "internal_affairs", "emulation_rewards", "public_services",
})
#: The known roles of a post; any other snake_case role is accepted.
ROLES = frozenset({"secretary", "deputy_secretary", "standing_deputy_secretary", "head",
                   "deputy_head", "chair", "vice_chair", "member", "standing_member"})
HEADCOUNT_BASES = frozenset({"approved", "actual"})
#: What a plan of `plans/*.yaml` is: only planned, or adopted (decided) but not recorded as
#: done; neither is a fact of the baseline.
PLAN_STATUSES = ("planned", "adopted")

# -- the id alphabet -------------------------------------------------------------------------
#: An id: ASCII letters, digits, `_`, `-`, `.` and `:`, starting with a letter, digit or `_`,
#: without `..` and at most ID_MAX_LENGTH long. Ids end up in URLs, file names and logs:
#: no `/`, no spaces, no control characters, no quotes. (One pattern, so that checking a
#: national dataset's ids is one C call per id.)
ID_MAX_LENGTH = 200
ID_PATTERN = re.compile(r"(?!.*\.\.)[A-Za-z0-9_][A-Za-z0-9_.:-]{0,%d}" % (ID_MAX_LENGTH - 1))
ID_RULE = ("ASCII letters, digits, '_', '-', '.', ':' (starting with a letter, digit or '_', "
           f"no '..', at most {ID_MAX_LENGTH} characters)")
#: What a `web_address` column holds: an absolute address of one of WEB_SCHEMES with a
#: host, and nothing a browser would have to encode or strip (docs/data-format.md).
WEB_SCHEMES = ("http", "https")
WEB_ADDRESS_RULE = "an absolute http:// or https:// address"
#: A key of an open vocabulary (function keys, roles).
SNAKE_PATTERN = re.compile(r"[a-z][a-z0-9_]*")
#: What separates the items of an id-list cell.
LIST_SEPARATOR = ";"


def valid_id(text: str) -> bool:
    """Whether `text` is an id of the contract's alphabet."""
    return ID_PATTERN.fullmatch(text) is not None


# -- files and columns -----------------------------------------------------------------------
#: Column types: `id` (an id of the alphabet: the row's own, or one it refers to),
#: `ids` (a `;`-list of ids), `text`, `date` (ISO 8601, maybe partial), `int` (a whole
#: number >= 0), `choice` (one of a closed vocabulary), `key` (snake_case, open vocabulary).
COLUMN_TYPES = ("id", "ids", "text", "date", "int", "choice", "key")


@dataclass(frozen=True)
class Column:
    name: str
    type: str = "text"
    required: bool = False
    #: The table whose ids an `id`/`ids` column refers to (None: the row's own id).
    refers: str | None = None
    #: The vocabulary of a `choice` (closed) or `key` (known keys of an open vocabulary).
    vocabulary: frozenset[str] | tuple[str, ...] | None = None
    #: What one value is called in a problem ("unknown event type"); default: the name.
    label: str = ""
    #: A `text` column that, when not empty, must hold a web address (WEB_ADDRESS_RULE):
    #: pages and exports render it as a link, so no other text may be stored there.
    web_address: bool = False

    @property
    def what(self) -> str:
        return self.label or self.name.replace("_", " ")


@dataclass(frozen=True)
class FileSpec:
    """One file of the contract: its Dataset table, its file name and its columns in order."""

    table: str
    file: str
    columns: tuple[Column, ...]
    #: The column holding the row's own unique id (None: rows have no id).
    key: str | None = None
    required: bool = False
    #: `csv` (one CSV file), or `yaml` (a folder of YAML files, one record per file).
    format: str = "csv"

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def position(self, name: str) -> int | None:
        """The 1-based position of `name` in the contract's column order."""
        names = self.names
        return names.index(name) + 1 if name in names else None

    def of_type(self, *types: str) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.type in types)


def _interval() -> tuple[Column, Column]:
    return Column("valid_from", "date"), Column("valid_to", "date")


#: Every file, in the contract's order (the order of a Dataset's tables, of the stored
#: columns and of `bomay export`). Adding a column is one edit here (plus the record
#: field in graph/model.py and its line in docs/data-format.md).
FILES: tuple[FileSpec, ...] = (
    FileSpec("units", "units.csv", (
        Column("id", "id", True), Column("name", required=True), Column("name_en"),
        Column("abbr"), Column("kind", "choice", True, vocabulary=KINDS),
        Column("level", "choice", True, vocabulary=LEVELS),
        Column("area", "id", refers="units"), *_interval(), Column("note"), Column("source"),
    ), key="id", required=True),
    FileSpec("relations", "relations.csv", (
        Column("source_id", "id", True, refers="units"),
        Column("type", "choice", True, vocabulary=RELATION_TYPES),
        Column("target_id", "id", True, refers="units"), *_interval(), Column("note"),
        Column("source"),
    )),
    FileSpec("events", "events.csv", (
        Column("id", "id", True), Column("date", "date", True),
        Column("type", "choice", True, vocabulary=EVENT_TYPES, label="event type"),
        Column("inputs", "ids", refers="units"), Column("outputs", "ids", refers="units"),
        Column("basis", "ids", refers="documents"), Column("description"), Column("source"),
    ), key="id"),
    FileSpec("functions", "functions.csv", (
        Column("unit_id", "id", True, refers="units"),
        Column("function", "key", True, vocabulary=FUNCTION_KEYS, label="function key"),
        *_interval(), Column("source"),
    )),
    FileSpec("headcounts", "headcount.csv", (
        Column("unit_id", "id", True, refers="units"), Column("date", "date", True),
        Column("headcount", "int", True, label="number of people"),
        Column("basis", "choice", vocabulary=HEADCOUNT_BASES), Column("source"),
    )),
    FileSpec("people", "people.csv", (
        Column("id", "id", True), Column("name", required=True), Column("source"),
    ), key="id"),
    FileSpec("posts", "posts.csv", (
        Column("person_id", "id", True, refers="people"),
        Column("unit_id", "id", True, refers="units"),
        Column("role", "key", True, vocabulary=ROLES), *_interval(), Column("source"),
    )),
    FileSpec("documents", "documents.csv", (
        Column("id", "id", True), Column("code", required=True), Column("title", required=True),
        Column("issuer"), Column("date", "date"), Column("url", web_address=True),
        Column("source"),
    ), key="id"),
    # Names a unit had before (or between) renames that kept its id, and the area it
    # belonged to before it moved: the unit's own name/name_en/abbr/area are its latest;
    # a row here answers for the dates it covers (an empty `area`: the unit's own).
    FileSpec("names", "names.csv", (
        Column("unit_id", "id", True, refers="units"), Column("name", required=True),
        Column("name_en"), Column("abbr"), Column("area", "id", refers="units"),
        *_interval(), Column("source"),
    )),
    # Plans (`plans/*.yaml`): kept beside the baseline, never part of it. `units` (the
    # units the plan would change), `tables` (the mapping tables it names, as written) and
    # `body` (the file as written) are filled by the loader; `file` is the file's name
    # inside `plans/`; `adopted` the date an adopted plan was adopted on.
    FileSpec("plans", "plans", (
        Column("id", "id", True), Column("name", required=True),
        Column("status", "choice", True, vocabulary=PLAN_STATUSES, label="plan status"),
        Column("date", "date"), Column("adopted", "date"), Column("at", "date"),
        Column("basis", "ids", refers="documents"), Column("units", "ids", refers="units"),
        Column("description"), Column("source"), Column("file"), Column("tables"),
        Column("body"),
    ), key="id", format="yaml"),
)
BY_TABLE: dict[str, FileSpec] = {f.table: f for f in FILES}
BY_FILE: dict[str, FileSpec] = {f.file: f for f in FILES}
#: The Dataset's tables, in the contract's order.
TABLE_NAMES: tuple[str, ...] = tuple(f.table for f in FILES)
#: The order files are read and checked in: referenced files first.
FILE_ORDER: tuple[str, ...] = ("documents.csv", "units.csv", "people.csv", "relations.csv",
                               "events.csv", "functions.csv", "headcount.csv", "posts.csv",
                               "names.csv")
#: The folder of plan files inside a dataset folder.
PLANS_FOLDER = "plans"
#: The CSV files of the contract (the plans are a folder of YAML files).
CSV_SPECS: tuple[FileSpec, ...] = tuple(f for f in FILES if f.format == "csv")
REQUIRED_FILES: tuple[str, ...] = tuple(f.file for f in FILES if f.required)
#: The files and their columns in one line: a store can keep it beside its rows and
#: tell that a change of the contract makes them unreadable in its column order.
SIGNATURE: str = ";".join(f"{f.file}:{','.join(f.names)}" for f in FILES)
#: What a reference to each table is called in a problem ("refers to no unit").
REFERENCE_NAMES = {"units": "unit", "people": "person", "documents": "document"}
