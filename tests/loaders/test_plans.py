"""A dataset's plans as the loader reads them: the adoption date's rules, each problem at its
file, line and field, and the mapping tables a plan names (read into the plan, refused
outside the dataset's folders), on small folders of our own (tests/data/t_names)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from graph.dates import PartialDate
from graph.errors import ProblemCollector, ValidationFailed
from loaders import read_dataset
from loaders.plans import read_plan_text, table_path

DATA = Path(__file__).resolve().parents[1] / "data"

HEAD = "# a plan of our own\nname: x\nstatus: {status}\ndate: {date}\n"
OPERATIONS = "operations:\n  - op: dissolve\n    unit: pa-d1-c1\n"


def _read(text: str) -> tuple[object, list[tuple]]:
    problems = ProblemCollector()
    source = read_plan_text("plans/x.yaml", text, problems)
    return source, [(p.file, p.line, p.field, p.value, p.message) for p in problems.problems]


def test_an_adoption_date_is_read_with_its_precision():
    source, problems = _read(HEAD.format(status="adopted", date="2020-06-18")
                             + "adopted: 2020-07\n" + OPERATIONS)
    assert problems == []
    assert source.plan.adopted == PartialDate(2020, 7)  # type: ignore[attr-defined]
    assert source.plan.summary()["adopted"] == "2020-07"  # type: ignore[attr-defined]


@pytest.mark.parametrize("status, date, adopted, message", [
    ("planned", "2020-06-18", "2020-07-01",
     "a planned plan has no adoption date: set status: adopted, or remove adopted"),
    ("adopted", "2020-06-18", "2020-06-17",
     "adopted before the plan's date 2020-06-18: a plan is adopted on or after the day it "
     "was made"),
    ("adopted", "2020-06-18", "2020-05",  # the whole month is before the plan
     "adopted before the plan's date 2020-06-18: a plan is adopted on or after the day it "
     "was made"),
    ("adopted", "2020-06-18", "2020-13-01", "impossible date: there is no month 13"),
])
def test_a_bad_adoption_date_is_a_problem_at_its_line(status, date, adopted, message):
    text = HEAD.format(status=status, date=date) + f"adopted: {adopted}\n" + OPERATIONS
    source, problems = _read(text)
    assert source is None
    assert problems == [("plans/x.yaml", 5, "adopted", adopted, message)]


@pytest.mark.parametrize("adopted", ["2020-06", "2020", "2020-06-18"])
def test_an_adoption_date_that_may_be_the_plan_s_own_day_is_accepted(adopted):
    # a partial date stands for its period: June 2020 holds the plan's day
    source, problems = _read(HEAD.format(status="adopted", date="2020-06-18")
                             + f"adopted: {adopted}\n" + OPERATIONS)
    assert problems == [] and source is not None


def test_the_dataset_refuses_a_planned_plan_with_an_adoption_date(tmp_path):
    folder = _folder(tmp_path, HEAD.format(status="planned", date="2025-06-01")
                     + "adopted: 2025-06-02\n" + OPERATIONS)
    with pytest.raises(ValidationFailed) as info:
        read_dataset(folder)
    assert [(p.file, p.line, p.field, p.value) for p in info.value.problems] == [
        ("plans/x.yaml", 5, "adopted", "2025-06-02")]


def _folder(tmp_path: Path, plan: str, tables: dict[str, bytes] | None = None) -> Path:
    folder = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", folder)
    (folder / "plans").mkdir()
    (folder / "plans" / "x.yaml").write_text(plan, encoding="utf-8")
    for path, data in (tables or {}).items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    return folder


MAPPED = ("name: Sắp xếp xã\nstatus: planned\ndate: 2025-06-01\nat: 2025-07-01\n"
          "operations:\n  - op: consolidate_map\n    mapping: {path}\n")
#: One line per old unit, with Windows line ends and a BOM, as a spreadsheet saves it.
TABLE = ("\ufeffnew_id,new_name,old_id\r\nx1,Xã Một,pa-d1-c1\r\nx1,Xã Một,pa-d1-c2\r\n"
         "x2,Xã Hai,pa-d2-c3\r\nx2,Xã Hai,pa-d2-c2\r\n").encode()


@pytest.mark.parametrize("path, where", [
    ("tables/communes.csv", "plans/tables/communes.csv"),
    ("../annexes/communes.csv", "annexes/communes.csv")])
def test_a_plan_keeps_the_text_of_the_table_it_names(tmp_path, path, where):
    (plan,) = read_dataset(_folder(tmp_path, MAPPED.format(path=path),
                                   {where: TABLE})).plans
    assert plan.table_files() == {path: TABLE.decode("utf-8-sig")}  # its line ends kept
    assert {"pa-d1-c1", "pa-d1-c2", "pa-d2-c2", "pa-d2-c3"} <= set(plan.units)


@pytest.mark.parametrize("path, message", [
    ("tables/none.csv", "no such mapping table: plans/tables/none.csv"),
    ("../communes.csv", "the mapping table is not in a folder of the dataset"),
    ("../../communes.csv", "the mapping table is not in a folder of the dataset"),
    ("ABSOLUTE", "the mapping table is not in a folder of the dataset"),
])
def test_a_table_that_cannot_travel_with_the_folder_is_a_problem_at_its_line(
        tmp_path, path, message):
    outside = tmp_path / "communes.csv"
    outside.write_bytes(TABLE)  # beside the dataset folder, and absolute
    path = str(outside) if path == "ABSOLUTE" else path
    with pytest.raises(ValidationFailed) as info:
        read_dataset(_folder(tmp_path, MAPPED.format(path=path)))
    found = [(p.file, p.line, p.field, p.value) for p in info.value.problems]
    assert found == [("plans/x.yaml", 7, "operations[0].mapping", path)]
    assert info.value.problems[0].message.startswith(message)


@pytest.mark.parametrize("path, where", [
    ("tables/communes.csv", "plans/tables/communes.csv"),
    ("../a/communes.yaml", "a/communes.yaml"),
    ("tables/./x/../c.csv", "plans/tables/c.csv"),
    ("../communes.csv", None),           # the dataset's top level, among its CSV files
    ("tables/../../../c.csv", None),     # above the dataset folder
    ("/srv/annex/c.csv", None), ("C:/annex/c.csv", None), ("tables\\c.csv", None)])
def test_where_a_table_lies_in_the_dataset_folder(path, where):
    assert table_path(path) == where


def test_an_impossible_date_is_a_problem_of_its_field_not_a_crash():
    # YAML reads 2020-13-01 as a timestamp and fails on it with a bare ValueError
    source, problems = _read(HEAD.format(status="planned", date="2020-13-01") + OPERATIONS)
    assert source is None
    assert problems == [("plans/x.yaml", 4, "date", "2020-13-01",
                         "impossible date: there is no month 13")]
