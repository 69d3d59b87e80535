"""Where things are written in a YAML plan file: the line of each top-level key, of each
operation and of each of its keys, of each row of a `consolidate_map` written in the plan
and of each of its names, so that a problem found later (parsing an operation, applying
it) names the line a planner has to change.

Read from the YAML's node tree (`yaml.compose`), never from the loaded values, which
have no positions. Parsed with libyaml when PyYAML has it (`CPlanLoader`, seven times
faster), the pure-Python loader giving the problem of a text libyaml refuses. Shared by `graph.scenarios.files.read_plan` (plan files given to the
CLI) and `loaders.plans` (a dataset's `plans/*.yaml`).
"""

from __future__ import annotations

import gc
import os
import re
import unicodedata
from collections import deque
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterator

import yaml

#: How an operation's problems name it (`graph.scenarios.operations`): "operation 3".
_OPERATION = re.compile(r"operation (\d+)")


@dataclass(frozen=True)
class PlanLines:
    """The 1-based lines of a plan file's keys: `top` (top-level key -> line) and, per
    operation, key -> line (key '' is the operation's own line; `rows[0]`,
    `rows[0].names`, `rows[0].names=Tân Lập` for rows written in the plan)."""

    top: dict[str, int] = field(default_factory=dict)
    operations: list[dict[str, int]] = field(default_factory=list)

    def of_operation(self, index: int, key: str | None = None) -> int | None:
        """The line of operation `index` (from 1), or of its `key` (a problem's field:
        `units`, `rows[2].names`, `new.id`) when written; None: no such operation."""
        if not 1 <= index <= len(self.operations):
            return None
        lines = self.operations[index - 1]
        if key:
            for candidate in (key, key.split(".")[0], key.split(".")[0].split("[")[0]):
                if candidate in lines:
                    return lines[candidate]
        return lines[""]

    def of_problem(self, problem: dict) -> int | None:
        """The line of one problem of `InvalidParameter.errors` / a conflict's `errors`:
        its operation (`operation`: "operation 2" or 2) and its field; a top-level field's
        line when it names no operation."""
        where = problem.get("operation")
        index = where if isinstance(where, int) else None
        if isinstance(where, str) and (m := _OPERATION.match(where)):
            index = int(m.group(1))
        key = problem.get("field")
        key = str(key) if key else None
        if index is not None:
            return self.of_operation(index, key)
        return self.top.get(key.split(".")[0]) if key else None


class _PlanConstructor(yaml.constructor.SafeConstructor):
    """YAML's safe constructor, but an impossible date (`2020-13-01`, which YAML's own
    reader fails on with a bare ValueError) stays its text, for the field's own check to
    name with its line (every plan file is read with it: the CLI's and a dataset's)."""

    def construct_yaml_timestamp(self, node: yaml.ScalarNode) -> Any:
        try:
            return super().construct_yaml_timestamp(node)
        except ValueError:
            return self.construct_scalar(node)

    def construct_yaml_int(self, node: yaml.ScalarNode) -> Any:
        """A whole number written as one (`12`, `-3`); any other form YAML 1.1 reads as a
        number (`012` octal: 10, `0x1A`, `1_000`, `1:20` base 60) stays its text: an id
        `00012` is the id of a CSV cell `00012`, not the unit `10`, and a number of people
        written `012` is 12 (`graph.scenarios.operations` reads whole numbers from text)."""
        text = str(node.value)
        if _PLAIN_INT.fullmatch(text):
            return int(text)
        return self.construct_scalar(node)


class PlanLoader(_PlanConstructor, yaml.SafeLoader):
    """The plan loader of pure-Python PyYAML: its messages are those a plan's problems
    quote (`not valid YAML: found character '\\t' that cannot start any token`)."""


#: A whole number as a plan writes one: no leading zero, no base, no `_` or `:`.
_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")
PlanLoader.add_constructor("tag:yaml.org,2002:timestamp",  # type: ignore[type-var]
                           PlanLoader.construct_yaml_timestamp)
PlanLoader.add_constructor("tag:yaml.org,2002:int",  # type: ignore[type-var]
                           PlanLoader.construct_yaml_int)

if yaml.__with_libyaml__:
    class CPlanLoader(_PlanConstructor, yaml.CSafeLoader):
        """The same loader on libyaml's parser (`yaml.CParser`): the same constructors and
        resolver, the same nodes and marks (line, column, character offset), some 7 times
        faster to parse and compose (`bench/plan_parse.py`)."""

    CPlanLoader.add_constructor("tag:yaml.org,2002:timestamp",  # type: ignore[type-var]
                                CPlanLoader.construct_yaml_timestamp)
    CPlanLoader.add_constructor("tag:yaml.org,2002:int",  # type: ignore[type-var]
                                CPlanLoader.construct_yaml_int)
    _FAST: type | None = CPlanLoader
else:  # PyYAML built without libyaml: the pure-Python loader reads every plan
    _FAST = None


def fast_loader() -> type | None:
    """The libyaml plan loader, or None when PyYAML has no libyaml."""
    return _FAST


#: How many values a plan file's aliases may add to it when they are expanded: an alias
#: repeats the value it names, and nine aliases of nine aliases... ("billion laughs") make
#: a few lines stand for billions of values that every later reading (a check, a message
#: quoting a value) would walk.
MAX_ALIAS_VALUES = 100_000
#: How many characters a plan file's aliases may add to it when expanded: a few aliases of
#: one long text (`name: &s <1 MB>`, then `name: *s` in 400 operations) make a 1 MB file
#: store 400 MB of operations, which a bound on the number of values does not see.
MAX_ALIAS_CHARS = 1_000_000
#: The largest plan file read (BOMAY_PLAN_MAX_BYTES overrides it): a plan is a few
#: operations, its mapping tables are files of their own (bounded by their rows); reading
#: YAML costs about 0.6 s a MB with libyaml (6 s with pure-Python PyYAML), so a larger
#: file is refused unread.
MAX_PLAN_BYTES = 20 * 1024 * 1024


def max_plan_bytes() -> int:
    """The largest plan file read, in bytes: BOMAY_PLAN_MAX_BYTES, else `MAX_PLAN_BYTES`."""
    raw = os.environ.get("BOMAY_PLAN_MAX_BYTES", "")
    return int(raw) if raw.strip().isdigit() and int(raw) > 0 else MAX_PLAN_BYTES


class PlanTooLarge(ValueError):
    """A plan file beyond a bound (its bytes, its operations), refused before it is read
    further: `name` the file, `line` where the excess starts (None: the whole file),
    `field`, `value` what was found and `limit` the bound's name, `max` its value."""

    def __init__(self, name: str, message: str, *, line: int | None, field: str | None,
                 value: int, limit: str, max: int) -> None:
        self.name, self.message, self.line, self.field = name, message, line, field
        self.value, self.limit, self.max = value, limit, max
        where = f"{name}:{line}" if line is not None else name
        super().__init__(f"{where}: {message}")

    def problem(self) -> dict[str, Any]:
        """The item of a problem's `errors`: file, line, field, message and the bound."""
        return {"file": self.name, "line": self.line, "field": self.field,
                "message": self.message, "value": self.value, "limit": self.limit,
                "max": self.max}


def read_plan_bytes(path: Path, name: str) -> bytes:
    """A plan file's bytes, or PlanTooLarge when it holds more than `max_plan_bytes()`:
    its size is looked at first, and no more than the bound (and one byte) is ever read
    (a device or a pipe has no size to look at). OSError as `Path.read_bytes`."""
    return _read_bounded(path, name, "the plan file", "a plan file", "expected a smaller plan (keep a long "
                         "list of consolidations in a mapping table file, `mapping:`)")


def read_table_bytes(path: Path, name: str) -> bytes:
    """A plan's mapping table's bytes, under the same bound as a plan file (its rows have
    their own, `max_mapping_rows`, counted once it is read): PlanTooLarge beyond it."""
    return _read_bounded(path, name, "the mapping table", "a mapping table", "expected a smaller table (a "
                         "national mapping of 10,000 communes is about 1 MB)")


def _read_bounded(path: Path, name: str, what: str, holder: str, expected: str) -> bytes:
    limit = max_plan_bytes()
    size = path.stat().st_size
    if size <= limit:
        with path.open("rb") as f:
            data = f.read(limit + 1)
        size = max(size, len(data))
    if size > limit:
        raise PlanTooLarge(name, f"{what} is {size:,} bytes, more than the {limit:,} bytes "
                           f"{holder} may hold ({_mib(limit)}BOMAY_PLAN_MAX_BYTES): {expected}",
                           line=None, field=None, value=size, limit="max_plan_bytes",
                           max=limit)
    return data


def _mib(n: int) -> str:
    """The bound in MiB, with the separator that follows it (nothing below 1 MiB)."""
    return f"{n / (1024 * 1024):g} MiB; " if n >= 1024 * 1024 else ""


#: Where the bound on a plan file's operations comes from, as its problem names it.
CONFIGURED_BOUND = "max_operations; BOMAY_SCENARIO_MAX_OPERATIONS"
#: A dataset's plans are data, not requests: held to the built-in bound, whatever bound a
#: server is configured with for what clients send (a lower one must not stop it starting).
DATASET_BOUND = "max_operations, the built-in bound a dataset's plans are held to"


def check_operation_count(node: yaml.Node | None, name: str, limit: int,
                          bound: str = CONFIGURED_BOUND) -> None:
    """PlanTooLarge, at the line of the first operation beyond `limit`, when the plan
    (`node`, composed: nothing is built from it yet) lists more operations than a scenario
    may hold. A `consolidate_map` is one operation, however many rows it has."""
    items = _operation_nodes(node)
    if len(items) > limit:
        raise too_many_operations(name, len(items), limit, items[limit].start_mark.line + 1,
                                  bound)


def too_many_operations(name: str, count: int, limit: int, line: int | None,
                        bound: str = CONFIGURED_BOUND) -> PlanTooLarge:
    """The problem of a plan file of `count` operations, more than `limit`; `line`: that
    of operation `limit + 1`, the first beyond (None: a JSON file keeps no lines);
    `bound`: where `limit` comes from."""
    return PlanTooLarge(name, f"{count:,} operations, more than the {limit:,} a scenario may "
                        f"hold ({bound}): expected at most {limit:,} (operation {limit + 1} "
                        "is the first beyond; a consolidate_map counts as one)", line=line,
                        field="operations", value=count, limit="max_operations", max=limit)


def _operation_nodes(node: yaml.Node | None) -> list[yaml.Node]:
    """The nodes of a plan's operations: a list of them, or a mapping's `operations`."""
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode) and key.value == "operations" \
                    and isinstance(value, yaml.SequenceNode):
                return list(value.value)
    return []


class PlanYAMLError(yaml.MarkedYAMLError):
    """A plan file (or a mapping table) that is YAML but not one bomay reads: a key written
    twice in one mapping (YAML keeps the last silently), aliases that expand past
    `MAX_ALIAS_VALUES` or refer to the value holding them, nesting too deep to read.
    `field`: the key written twice."""

    field: str | None = None


def decode_text(data: bytes, name: str) -> str:
    """A plan file's or a mapping table's bytes as text (UTF-8, with or without a BOM);
    bytes that are not UTF-8 are an InvalidUTF8 naming their line and column."""
    if data.startswith(b"\xef\xbb\xbf"):  # utf-8-sig would count its errors from after it
        data = data[3:]
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        column = exc.start - (data.rfind(b"\n", 0, exc.start) + 1) + 1
        raise InvalidUTF8(name, line, column, data[exc.start:exc.end].hex(" ")) from None


class InvalidUTF8(ValueError):
    """Bytes that are not UTF-8 text, at a line and column (1-based, in bytes)."""

    def __init__(self, name: str, line: int, column: int, found: str) -> None:
        self.name, self.line, self.column, self.found = name, line, column, found
        super().__init__(f"{name}:{line}:{column}: bytes that are not UTF-8 text: expected "
                         f"a UTF-8 file (with or without BOM) (got {found!r})")

    @property
    def message(self) -> str:
        return "bytes that are not UTF-8 text: expected a UTF-8 file (with or without BOM)"


def compose_plan(text: str, *, max_operations: int | None = None, name: str = "plan",
                 bound: str = CONFIGURED_BOUND,
                 loader: type | None = None) -> tuple[yaml.Node | None, Any]:
    """A plan file's node tree and its content; a PlanYAMLError (with the line and column)
    for a duplicate key, an alias bomb or a cycle of aliases; with `max_operations`, a
    PlanTooLarge (naming the file `name`) for a plan of more operations, before its
    values are built (`bound`: where that bound comes from).

    Parsed with libyaml (`CPlanLoader`) when PyYAML has it; a text libyaml refuses is read
    again with `PlanLoader`, whose problem (its words, line and column) is the one given, as
    before: libyaml words its problems otherwise (`did not find expected key`); libyaml's
    is given for a problem beyond `EXACT_PROBLEM_CHARS` into the text. A text
    either reads is read (libyaml reads a tab after a key, `a: [x?y]`, which PyYAML refuses).
    `loader`: that one only (the bench compares them)."""
    if loader is not None:
        return _compose_with(loader, text, max_operations, name, bound)
    if _FAST is not None:
        try:
            return _compose_with(_FAST, text, max_operations, name, bound)
        except PlanYAMLError:
            raise  # found on the nodes, which both parsers give alike
        except (yaml.YAMLError, RecursionError) as exc:
            mark = getattr(exc, "problem_mark", None)
            if mark is not None and mark.index > EXACT_PROBLEM_CHARS:
                raise  # libyaml's words: PyYAML would take minutes to reach the place
    return _compose_with(PlanLoader, text, max_operations, name, bound)


#: How far into a text (in characters) a problem libyaml finds is read again by the
#: pure-Python loader for its words (some 6 s a MB): beyond, libyaml's own problem is given,
#: at the same line and column (`did not find expected key` for PyYAML's `expected <block
#: end>, but found ...`), so that a 20 MiB file broken at its end is refused in seconds.
EXACT_PROBLEM_CHARS = 2_000_000


def _compose_with(cls: type, text: str, max_operations: int | None, name: str,
                  bound: str) -> tuple[yaml.Node | None, Any]:
    loader = cls(text)
    with _no_cyclic_gc():
        return _compose_read(loader, max_operations, name, bound)


@contextmanager
def _no_cyclic_gc() -> Iterator[None]:
    """Python's cyclic collector paused while a plan is composed and built: the nodes and
    values form no cycles, but the hundreds of thousands of objects of a large plan
    started a collection of every object again and again (4/5 of libyaml's reading of a
    5 MB plan). Restored as it was (another thread may have paused it too)."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def _compose_read(loader: Any, max_operations: int | None, name: str,
                  bound: str) -> tuple[yaml.Node | None, Any]:
    try:
        try:
            node = loader.get_single_node()
        except RecursionError:
            raise PlanYAMLError(problem="nested too deeply to read: expected a plan of "
                                "mappings and lists a few levels deep",
                                problem_mark=loader.get_mark()) from None
        if node is None:
            return None, None
        check_plan_node(node)
        if max_operations is not None:
            check_operation_count(node, name, max_operations, bound)
        return node, loader.construct_document(node)
    finally:
        loader.dispose()


def compose_text(text: str) -> yaml.Node | None:
    """A YAML text's node tree: `yaml.compose`, faster (see `_libyaml_first`)."""
    return _libyaml_first(lambda loader: yaml.compose(text, Loader=loader))


def safe_load_text(text: str) -> Any:
    """`yaml.safe_load` of a text, faster (see `_libyaml_first`)."""
    return _libyaml_first(
        lambda loader: yaml.load(text, Loader=loader))  # noqa: S506 - safe loaders only


def _libyaml_first(read: Callable[[type], Any]) -> Any:
    """`read(loader)` with libyaml's safe loader when PyYAML has it, else (or when libyaml
    refuses the text) with PyYAML's own, whose error (its words, line and column) is the
    one raised: the one place the plain (position-free) readers choose their parser."""
    if _FAST is not None:
        try:
            return read(yaml.CSafeLoader)
        except yaml.YAMLError:
            pass
    return read(yaml.SafeLoader)


def load_plan_yaml(text: str) -> Any:
    """A plan file's YAML content, read with `PlanLoader` (see `compose_plan`)."""
    return compose_plan(text)[1]


def check_plan_node(root: yaml.Node) -> None:
    """Refuse, at its line and column, a key written twice in one mapping, an alias that
    refers to the value holding it, and aliases that expand the file by more than
    `MAX_ALIAS_VALUES` values or `MAX_ALIAS_CHARS` characters. Iterative: a deep file
    cannot exhaust the stack. Nothing is expanded: each node is counted once."""
    if _plain_tree(root):
        return  # no alias, no key twice: nothing to refuse (the walk below costs 5 times more)
    sizes: dict[int, int] = {}  # id(node) -> its values once expanded
    chars: dict[int, int] = {}  # id(node) -> the characters of its texts once expanded
    written = 0  # the characters of the texts as written (each node once)
    open_: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        children = _children(node)
        if done:
            open_.discard(key)
            sizes[key] = min(1 + sum(sizes[id(c)] for c in children), 1 << 62)
            own = len(node.value) if isinstance(node, yaml.ScalarNode) else 0
            written += own
            chars[key] = min(own + sum(chars[id(c)] for c in children), 1 << 62)
            continue
        if key in sizes:
            continue
        if key in open_:
            raise PlanYAMLError(problem="an alias refers to the value that holds it: expected "
                                "a value that ends", problem_mark=node.start_mark)
        open_.add(key)
        if isinstance(node, yaml.MappingNode):
            _check_keys(node)
        stack.append((node, True))
        for child in children:
            if id(child) in open_:
                raise PlanYAMLError(problem="an alias refers to the value that holds it: "
                                    "expected a value that ends",
                                    problem_mark=child.start_mark)
            if id(child) not in sizes:
                stack.append((child, False))
    if sizes[id(root)] > len(sizes) + MAX_ALIAS_VALUES:
        raise PlanYAMLError(problem=f"its aliases expand it to {sizes[id(root)]:,} values, "
                            f"more than {MAX_ALIAS_VALUES:,} beyond those written: write "
                            "the values out, or use fewer aliases",
                            problem_mark=_first_alias(root))
    if chars[id(root)] > written + MAX_ALIAS_CHARS:
        raise PlanYAMLError(problem=f"its aliases expand it to {chars[id(root)]:,} "
                            f"characters, more than {MAX_ALIAS_CHARS:,} beyond the "
                            f"{written:,} written: write the values out, or use fewer "
                            "aliases", problem_mark=_first_alias(root))


def _plain_tree(root: yaml.Node) -> bool:
    """Whether `root` holds every node once (no alias) and no mapping a key twice: what
    `check_plan_node` then has nothing to refuse in. Any doubt (an alias, a key written
    twice) is False, for the full walk to say what and where, in its order."""
    mapping, scalar, merge = yaml.MappingNode, yaml.ScalarNode, "tag:yaml.org,2002:merge"
    seen = {id(root)}
    stack = [root]
    while stack:
        node = stack.pop()
        if node.__class__ is scalar:
            continue
        if node.__class__ is mapping:
            keys: set[Any] = set()
            for key, value in node.value:
                if key.__class__ is scalar and key.tag != merge:
                    if key.value in keys:
                        return False
                    keys.add(key.value)
                for child in (key, value):
                    if id(child) in seen:
                        return False
                    seen.add(id(child))
                    stack.append(child)
        else:
            for child in node.value:
                if id(child) in seen:
                    return False
                seen.add(id(child))
                stack.append(child)
    return True


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []


def _check_keys(node: yaml.MappingNode) -> None:
    seen: dict[str, int] = {}
    for key, _ in node.value:
        if not isinstance(key, yaml.ScalarNode) or key.tag == "tag:yaml.org,2002:merge":
            continue
        if key.value in seen:
            error = PlanYAMLError(problem=f"duplicate key {key.value!r} (also on line "
                                  f"{seen[key.value]}): expected each key once in a mapping",
                                  problem_mark=key.start_mark)
            error.field = str(key.value)
            raise error
        seen[key.value] = key.start_mark.line + 1


def _first_alias(root: yaml.Node) -> Any:
    """The mark of the first value written as an alias (a node met a second time)."""
    seen: set[int] = set()
    queue = deque([root])
    while queue:
        node = queue.popleft()
        for child in _children(node):
            if id(child) in seen:
                return child.start_mark
            seen.add(id(child))
            queue.append(child)
    return root.start_mark


def plan_lines(text: str) -> PlanLines:
    """The lines of a YAML plan's text (empty when it is not YAML: its own parse says why)."""
    try:
        node = compose_text(text)
    except yaml.YAMLError:
        return PlanLines()
    return node_lines(node)


def node_lines(node: yaml.Node | None) -> PlanLines:
    """`plan_lines` of a composed node: a mapping with `operations`, or a list of them."""
    top: dict[str, int] = {}
    ops: list[dict[str, int]] = []
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            top[str(key.value)] = key.start_mark.line + 1
            if key.value == "operations" and isinstance(value, yaml.SequenceNode):
                ops = [_item_lines(item) for item in value.value]
    elif isinstance(node, yaml.SequenceNode):
        ops = [_item_lines(item) for item in node.value]
    return PlanLines(top, ops)


def _item_lines(item: yaml.Node) -> dict[str, int]:
    out = {"": item.start_mark.line + 1}
    if isinstance(item, yaml.MappingNode):
        for key, value in item.value:
            out[str(key.value)] = key.start_mark.line + 1
            if key.value == "rows" and isinstance(value, yaml.SequenceNode):
                for i, row in enumerate(value.value):
                    out.update(_row_lines(f"rows[{i}]", row))
    return out


def _row_lines(prefix: str, row: yaml.Node) -> dict[str, int]:
    """The lines of a `consolidate_map` row written in the plan: `rows[0]`, each key
    (`rows[0].names`) and each name of a list (`rows[0].names=Tân Lập`), for its problems."""
    out = {prefix: row.start_mark.line + 1}
    if isinstance(row, yaml.MappingNode):
        for key, value in row.value:
            out[f"{prefix}.{key.value}"] = key.start_mark.line + 1
            if key.value == "names" and isinstance(value, yaml.SequenceNode):
                for item in value.value:
                    if isinstance(item, yaml.ScalarNode):
                        out[f"{prefix}.names={name_text(str(item.value))}"] = \
                            item.start_mark.line + 1
    return out


def name_text(text: str) -> str:
    """A name as the operation keeps it (NFC, whitespace collapsed)."""
    return " ".join(unicodedata.normalize("NFC", text).split())
