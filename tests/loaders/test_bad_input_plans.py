"""Bad input in the newest parts of the data contract, as a careless or hostile user writes
it: a dataset's `plans/*.yaml` and the mapping tables they name, read by the loader on a
small folder of our own (tests/data/t_names). Each problem is refused at its file, line,
column and field, with what was expected; never a crash, never a value silently lost."""

from __future__ import annotations

import shutil
import time
import unicodedata
from pathlib import Path

import pytest

from graph.errors import ValidationFailed
from graph.scenarios.mapping import mapping_from_yaml
from graph.errors import InvalidParameter
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[1] / "data"
HEAD = "name: x\nstatus: planned\ndate: 2025-07-01\n"
DISSOLVE = "operations:\n  - op: dissolve\n    unit: pa-d1-c1-du\n"


def _folder(tmp_path: Path, plan: str, files: dict[str, bytes | str] | None = None) -> Path:
    folder = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", folder)
    (folder / "plans").mkdir()
    (folder / "plans" / "x.yaml").write_text(plan, encoding="utf-8")
    for path, data in (files or {}).items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data if isinstance(data, bytes) else data.encode())
    return folder


def _problems(folder: Path) -> list[tuple]:
    with pytest.raises(ValidationFailed) as info:
        read_dataset(folder)
    return [(p.file, p.line, p.column, p.field, p.message) for p in info.value.problems]


def _bomb(levels: int = 9) -> str:
    """A plan whose `note` is nine lists of nine lists ... of "lol": 9**9 values."""
    anchors, previous = [], None
    for i in range(levels):
        items = ["lol"] * 9 if previous is None else [f"*{previous}"] * 9
        anchors.append(f"l{i}: &l{i} [{', '.join(items)}]")
        previous = f"l{i}"
    return (HEAD + "assumptions: {" + ", ".join(anchors) + "}\n"
            + DISSOLVE + f"    note: *{previous}\n")


# -- the YAML itself --------------------------------------------------------------------------
@pytest.mark.parametrize("plan, line, column, field, words", [
    # YAML keeps the last of two keys silently: the first operations would be lost
    (HEAD + DISSOLVE + "operations:\n  - op: dissolve\n    unit: pa-d1-c2-du\n",
     7, 1, "operations", "duplicate key 'operations' (also on line 4)"),
    (HEAD + DISSOLVE + "    unit: pa-d1-c2-du\n", 7, 5, "unit",
     "duplicate key 'unit' (also on line 6)"),
    (HEAD + "assumptions: &a {x: *a}\n" + DISSOLVE, 4, 14, None,
     "an alias refers to the value that holds it"),
])
def test_a_key_written_twice_or_a_cycle_of_aliases_is_refused_at_its_place(
        tmp_path, plan, line, column, field, words):
    (problem,) = _problems(_folder(tmp_path, plan))
    assert problem[:4] == ("plans/x.yaml", line, column, field)
    assert problem[4].startswith("not valid YAML: " + words), problem


def test_an_alias_bomb_is_refused_at_once_not_expanded(tmp_path):
    folder = _folder(tmp_path, _bomb())
    started = time.monotonic()
    (problem,) = _problems(folder)
    assert time.monotonic() - started < 5  # expanded, it is 387 million strings
    assert problem[:2] == ("plans/x.yaml", 4)
    assert "its aliases expand it to" in problem[4] and "more than 100,000" in problem[4]


def test_aliases_that_repeat_a_little_are_still_read(tmp_path):
    plan = (HEAD + "basis: &b []\noperations:\n  - op: dissolve\n    unit: pa-d1-c1-du\n"
            "    basis: *b\n")
    (read,) = read_dataset(_folder(tmp_path, plan)).plans
    assert "pa-d1-c1-du" in read.units


def test_a_plan_nested_too_deeply_is_a_problem_not_a_crash(tmp_path):
    plan = HEAD + "description: " + "[" * 5000 + "]" * 5000 + "\n" + DISSOLVE
    (problem,) = _problems(_folder(tmp_path, plan))
    assert problem[0] == "plans/x.yaml" and problem[1] == 4
    assert problem[4].startswith("not valid YAML: nested too deeply to read")


def test_a_yaml_mapping_table_with_a_new_id_written_twice_is_refused():
    text = ("n1: {name: Xã A, units: [pa-d1-c1, pa-d1-c2]}\n"
            "n1: {name: Xã B, units: [pa-d2-c1, pa-d2-c3]}\n")
    with pytest.raises(InvalidParameter) as info:
        mapping_from_yaml(text, "communes.yaml")
    assert info.value.errors[0]["field"] == "communes.yaml:2"
    assert "duplicate key 'n1' (also on line 1)" in info.value.detail


# -- the plan's own fields --------------------------------------------------------------------
@pytest.mark.parametrize("key, written, value", [
    ("name", "name: [a, b]", "['a', 'b']"), ("name", "name: {a: 1}", "{'a': 1}"),
    ("description", "description: [x]", "['x']"), ("source", "source: {seed: 1}", "{'seed': 1}"),
    # YAML's own types: stored as "b'hello'", "{'a'}"
    ("description", "description: !!binary aGVsbG8=", "b'hello'"),
    ("source", "source: !!set {a}", "{'a'}")])
def test_a_text_field_given_a_list_or_a_mapping_is_refused(tmp_path, key, written, value):
    plan = HEAD.replace("name: x", "name: x" if key != "name" else written)
    plan += "" if key == "name" else written + "\n"
    line = 1 if key == "name" else 4
    with pytest.raises(ValidationFailed) as info:
        read_dataset(_folder(tmp_path, plan + DISSOLVE))
    assert [(p.file, p.line, p.field, p.value, p.message) for p in info.value.problems] == [
        ("plans/x.yaml", line, key, value, "expected a text value")]


# -- the mapping tables a plan names ----------------------------------------------------------
MAPPED = HEAD + "operations:\n  - op: consolidate_map\n    mapping: {path}\n"
WIDE = "new_id,new_name,units\n"


@pytest.mark.parametrize("table, line, column, field, words", [
    ("", 1, None, None, "the mapping table is empty: expected a header new_id,new_name"),
    ("new_id,new_nmae,units\nn1,Xã A,pa-d1-c1;pa-d1-c2\n", 1, 2, "new_nmae",
     "unknown column 'new_nmae'; expected abbr,"),
    # the last of two columns would silently win
    ("new_id,new_name,units,units\nn1,Xã A,pa-d1-c1;pa-d1-c2,pa-d2-c1;pa-d2-c3\n", 1, 3,
     "units", "column 'units' given twice (columns 3 and 4): expected each column once"),
    (WIDE + "n1,Xã A,pa-d1-c1;pa-d1-c2\nn1,Xã B,pa-d2-c1;pa-d2-c3\n", 3, 1, "new_id",
     "new unit n1 is also made by a.csv:2"),
    (WIDE + "n1,Xã A,pa-d1-c1;pa-d1-c2\nn2,Xã B,pa-d1-c2;pa-d1-c3\n", 3, 3, "units",
     "pa-d1-c2 is also listed by a.csv:2"),
    (WIDE + "a/b,Xã A,pa-d1-c1;pa-d1-c2\n", 2, 1, "new_id", "expected a unit id"),
    (WIDE + "n1,Xã A\n", 2, None, None, "2 cells; the header has 3"),
    # a quoted cell spanning two lines: the next row is on line 4, not 3
    (WIDE + 'n1,"Xã\nA",pa-d1-c1;pa-d1-c2\nn2,Xã B,pa-d2-c1;zz\n', 4, 3, "units",
     "unit zz is unknown"),
    ("new_id,new_name,old_id\r\nn1,Xã A,pa-d1-c1\r\nn1,Xã A,\r\n", 3, None, None,
     "old_id: is required"),
])
def test_a_problem_of_a_table_s_row_is_named_at_the_table_s_line_and_column(
        tmp_path, table, line, column, field, words):
    folder = _folder(tmp_path, MAPPED.format(path="tables/a.csv"),
                     {"plans/tables/a.csv": "\ufeff" + table if table else ""})
    (problem,) = _problems(folder)
    assert problem[:4] == ("plans/tables/a.csv", line, column, field), problem
    assert problem[4].startswith("plans/x.yaml: operation 1 (consolidate_map): " + words), \
        problem


def test_a_problem_of_a_yaml_table_is_named_at_its_line(tmp_path):
    table = ("n1: {name: Xã A, units: [pa-d1-c1, pa-d1-c2]}\n"
             "n1: {name: Xã B, units: [pa-d2-c1, pa-d2-c3]}\n")
    folder = _folder(tmp_path, MAPPED.format(path="tables/a.yaml"),
                     {"plans/tables/a.yaml": table})
    (problem,) = _problems(folder)
    assert problem[:2] == ("plans/tables/a.yaml", 2)
    assert "duplicate key 'n1' (also on line 1)" in problem[4]


def test_rows_and_a_table_in_one_operation_are_refused_not_replaced(tmp_path):
    plan = MAPPED.format(path="tables/a.csv") + "    rows: []\n"
    folder = _folder(tmp_path, plan, {"plans/tables/a.csv": WIDE + "n1,Xã A,pa-d1-c1;pa-d1-c2\n"})
    (problem,) = _problems(folder)
    assert problem[:4] == ("plans/x.yaml", 6, None, "mapping")
    assert problem[4].endswith("give rows or a mapping table, not both")


@pytest.mark.parametrize("link", ["file", "folder"])
def test_a_table_linked_from_outside_the_dataset_is_refused_unread(tmp_path, link):
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "a.csv").write_text("root:x:0:0:root:/root:/bin/bash\n", encoding="utf-8")
    folder = _folder(tmp_path, MAPPED.format(path="tables/a.csv"))
    if link == "file":
        (folder / "plans" / "tables").mkdir()
        (folder / "plans" / "tables" / "a.csv").symlink_to(secret / "a.csv")
    else:
        (folder / "plans" / "tables").symlink_to(secret)
    (problem,) = _problems(folder)
    assert problem[:4] == ("plans/x.yaml", 6, None, "operations[0].mapping")
    assert problem[4].startswith("the mapping table is a link to a file outside the dataset")
    assert "root" not in problem[4]


def test_a_plan_file_linked_from_outside_the_dataset_is_refused(tmp_path):
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text(HEAD + DISSOLVE, encoding="utf-8")
    folder = _folder(tmp_path, HEAD + DISSOLVE)
    (folder / "plans" / "y.yaml").symlink_to(outside)
    (problem,) = _problems(folder)
    assert problem[:4] == ("plans/y.yaml", None, None, None)
    assert problem[4].startswith("the plan file is a link to a file outside the dataset")


def test_a_table_that_is_a_folder_is_named_without_the_machine_s_paths(tmp_path):
    folder = _folder(tmp_path, MAPPED.format(path="tables"),
                     {"plans/tables/a.csv": WIDE + "n1,Xã A,pa-d1-c1;pa-d1-c2\n"})
    (problem,) = _problems(folder)
    assert problem[:4] == ("plans/x.yaml", 6, None, "operations[0].mapping")
    assert problem[4] == "the mapping table plans/tables is a folder: expected a CSV or YAML file"


def test_a_plan_with_a_byte_that_is_not_utf8_is_named_at_its_line_and_column(tmp_path):
    folder = _folder(tmp_path, "")
    (folder / "plans" / "x.yaml").write_bytes(
        b"\xef\xbb\xbf" + (HEAD + DISSOLVE).encode() + b"description: Ph\xf2ng\n")
    assert _problems(folder) == [
        ("plans/x.yaml", 7, 16, None,
         "bytes that are not UTF-8 text: expected a UTF-8 file (with or without BOM)")]


def test_a_table_with_a_byte_that_is_not_utf8_is_named_in_the_table(tmp_path):
    folder = _folder(tmp_path, MAPPED.format(path="tables/a.csv"),
                     {"plans/tables/a.csv": WIDE.encode() + b"n1,X\xe3 A,pa-d1-c1;pa-d1-c2\n"})
    assert _problems(folder) == [
        ("plans/tables/a.csv", 2, 5, None, "plans/x.yaml: operation 1 (consolidate_map): "
         "bytes that are not UTF-8 text: expected a UTF-8 file (with or without BOM)")]


def test_many_failing_operations_do_not_list_every_one_before_them(tmp_path):
    # each problem says which failed operations its state lacks: listed in full, 3,000
    # failing operations made 24 MB of problems out of a 100 kB plan
    plan = HEAD + "operations:\n" + "".join(
        f"  - op: dissolve\n    unit: zz{i}\n" for i in range(300))
    problems = _problems(_folder(tmp_path, plan))
    assert len(problems) == 300
    assert problems[5][4] == ("operation 6 (dissolve): unit zz5 is unknown (checked without "
                              "operations 1, 2, 3, 4 and 5, which failed)")
    assert problems[-1][:2] == ("plans/x.yaml", 603)
    assert problems[-1][4] == ("operation 300 (dissolve): unit zz299 is unknown (checked "
                               "without operations 1, 2, 3, 4 and 295 others, which failed)")


def test_a_row_listing_an_old_unit_twice_is_one_problem_not_two(tmp_path):
    plan = (HEAD + "operations:\n  - op: consolidate_map\n    rows:\n"
            "      - new: {id: n1, name: Xã A}\n        units: [pa-d1-c1, pa-d1-c1]\n")
    # it was also "pa-d1-c1 is also listed by rows[0]": the row itself
    assert _problems(_folder(tmp_path, plan)) == [
        ("plans/x.yaml", 6, None, "rows[0]: units",
         "operation 1 (consolidate_map): lists pa-d1-c1 more than once")]


def test_a_plan_s_texts_written_in_nfd_are_read_as_nfc(tmp_path):
    nfd = unicodedata.normalize("NFD", "Sắp xếp xã Tân Lập")
    plan = HEAD.replace("name: x", f"name: {nfd}") + f"description: {nfd}\nsource: {nfd}\n"
    (read,) = read_dataset(_folder(tmp_path, plan + DISSOLVE)).plans
    assert (read.name, read.description, read.source) == ("Sắp xếp xã Tân Lập",) * 3
    assert all(unicodedata.is_normalized("NFC", t) for t in (read.name, read.description))
