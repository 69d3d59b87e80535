"""The 2025 reform of tests/data/r_tuyen_quang with its communes' table written as a
resolution's annex writes it, by name (`bomay scenario run` on a plan file naming the
table): the same report as the table of ids; a name that gives no single unit is one error
per name, each naming its row."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.api.seed_plans import ANNEX_PLAN, bomay, ok

DATA = Path(__file__).resolve().parents[1] / "data"
PLANS = DATA / "r_tuyen_quang_plans"
#: tests/data/r_tuyen_quang_plans/communes.csv, by name: `Quản Bạ` is a district and a
#: commune (the row's other units are communes), `Na Hang` a district and a township.
BY_NAME = """\
new_id,new_name,names,within,name_en
tq25-p-ha-giang-2,Phường Hà Giang 2,Minh Khai;Nguyễn Trãi,Thành phố Hà Giang,Ha Giang 2 Ward
tq25-x-quan-ba,Xã Quản Bạ,Thị trấn Tam Sơn;Quản Bạ;xã Thanh Vân,,Quan Ba Commune
tq25-p-minh-xuan,Phường Minh Xuân,Phan Thiết;Tân Quang;Minh Xuân,tq-tp,Minh Xuan Ward
tq25-x-na-hang,Xã Na Hang,Na Hang (Huyện Na Hang);Năng Khả (tq-nh),,Na Hang Commune
"""

NEW_COMMUNES = {"tq25-p-ha-giang-2", "tq25-x-quan-ba", "tq25-p-minh-xuan", "tq25-x-na-hang"}


@pytest.fixture
def store(tmp_path):
    path = tmp_path / "r.db"
    ok("--store", str(path), "load", str(DATA / "r_tuyen_quang"))
    return str(path)


def plan_by_name(tmp_path: Path, table: str) -> str:
    shutil.copy(PLANS / "reform.yaml", tmp_path / "reform.yaml")
    (tmp_path / "communes.csv").write_text(table, encoding="utf-8")
    return str(tmp_path / "reform.yaml")


def test_the_reform_by_names_gives_the_report_of_the_reform_by_ids(store, tmp_path):
    by_id = json.loads(ok("--store", store, "scenario", "run", str(PLANS / "reform.yaml"),
                          "--json").stdout)
    by_name = json.loads(ok("--store", store, "scenario", "run",
                            plan_by_name(tmp_path, BY_NAME), "--json").stdout)
    assert by_name["operations"][1]["summary"] == \
        "4 consolidations from a mapping table (communes.csv) on 2025-07-01"
    for key in ("operations", "units", "headcount", "leadership", "bodies"):
        assert by_name[key] == by_id[key], key
    # saved, its communes are the table's
    sid = json.loads(ok("--store", store, "scenario", "save", str(tmp_path / "reform.yaml"),
                        "--json").stdout)["id"]
    shown = json.loads(ok("--store", store, "scenario", "show", sid, "--json").stdout)
    assert shown["operations"][1]["rows"][1]["names"] == [
        "Thị trấn Tam Sơn", "Quản Bạ", "xã Thanh Vân"]
    made = [(e["inputs"], e["outputs"]) for e in shown["log"][1]["events"]
            if e["type"] == "CONSOLIDATE" and e["outputs"][0] in NEW_COMMUNES]
    assert made == [(["hg-tp-mk", "hg-tp-nt"], ["tq25-p-ha-giang-2"]),
                    (["hg-qb-ts", "hg-qb-qb", "hg-qb-tv"], ["tq25-x-quan-ba"]),
                    (["tq-tp-pt", "tq-tp-tqg", "tq-tp-mx"], ["tq25-p-minh-xuan"]),
                    (["tq-nh-nh", "tq-nh-nk"], ["tq25-x-na-hang"])]


def test_names_that_give_no_single_unit_are_each_named_with_their_row(store, tmp_path):
    table = BY_NAME.replace("Minh Khai;", "Minh Khải;").replace("Năng Khả (tq-nh)", "Năng Khả")
    table += "tq25-h-moi,Huyện Mới,Na Hang,,\ntq25-x-moi,Xã Mới,Thanh Tương;Năng Khả,,\n"
    plan = plan_by_name(tmp_path, table)
    r = bomay("--store", store, "scenario", "run", plan)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    lines = r.stderr.strip().splitlines()
    op_line = next(i for i, text in enumerate(Path(plan).read_text().splitlines(), 1)
                   if "consolidate_map" in text)  # the plan file's line of the operation
    assert lines[0] == (f"error: {plan}:{op_line}: operation 2 (consolidate_map): 3 names of the "
                        "mapping table do not give one unit each on 2025-07-01:")
    assert lines[1] == ("  communes.csv:2: no unit named 'Minh Khải' on 2025-07-01; nearest: "
                        "Phường Minh Khai (hg-tp-mk, Thành phố Hà Giang, Tỉnh Tuyên Quang)")
    # `Na Hang` alone: the township and the district
    assert lines[2] == (
        "  communes.csv:6: 2 units are named 'Na Hang' on 2025-07-01: Huyện Na Hang (tq-nh, "
        "Tỉnh Tuyên Quang); Thị trấn Na Hang (tq-nh-nh, Huyện Na Hang, Tỉnh Tuyên Quang); "
        "add `within` (a district or province, by id or name) or give the id")
    assert lines[3] == "  communes.csv:7: 'Năng Khả' is tq-nh-nk, also listed by communes.csv:5"
    assert len(lines) == 4
    assert json.loads(ok("--store", store, "scenario", "list", "--json").stdout)["total"] == 0




def test_bomay_check_lists_each_name_of_a_plan_s_table_as_its_own_problem(tmp_path):
    folder = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", folder)
    (folder / "plans" / "tables").mkdir(parents=True)
    (folder / "plans" / "annex.yaml").write_text(ANNEX_PLAN, encoding="utf-8")
    table = folder / "plans" / "tables" / "communes.csv"
    table.write_text("new_id,new_name,names,within\n"
                     "x1,Xã Tân Lập,Tân Lập;Tân Tiến;xã Hòa Bình,Huyện Yên Sơn\n"
                     "x2,Xã Đông Phú,Đông Phú;Thị trấn Đông Hòa;Tân Lâp,Huyện Đông Hòa\n",
                     encoding="utf-8")
    r = bomay("check", str(folder))
    assert r.returncode == 1 and "Traceback" not in r.stderr
    every = (r.stdout + r.stderr).strip().splitlines()
    # under a problem, its candidates one a line (indented)
    assert every[1:3] == [
        "  candidate pa-d1-c1: Xã Tân Lập (commune), in Huyện Yên Sơn, Tỉnh An Hà",
        "  candidate pb-d1-c1: Xã Tân Lập (commune), in Huyện Yên Sơn, Tỉnh Bắc Sơn"]
    lines = [line for line in every if not line.startswith("  ")]
    assert lines[-1] == "4 problems found; nothing was changed"
    head = "plans/tables/communes.csv:{}:3: [names] plans/annex.yaml: operation 1 " \
        "(consolidate_map): "
    # `Huyện Yên Sơn` is in both provinces: each of the three names is ambiguous
    assert lines[0] == head.format(2) + (
        "2 units are named 'Tân Lập' on 2025-07-01 within Huyện Yên Sơn: Xã Tân Lập "
        "(pa-d1-c1, Huyện Yên Sơn, Tỉnh An Hà); Xã Tân Lập (pb-d1-c1, Huyện Yên Sơn, Tỉnh Bắc "
        "Sơn); add `within` (a district or province, by id or name) or give the id "
        "(got 'Tân Lập')")
    assert [line.split(" (got ")[-1] for line in lines[:4]] == [
        "'Tân Lập')", "'Tân Tiến')", "'xã Hòa Bình')", "'Tân Lâp')"]
    assert lines[3].startswith(head.format(3) + "no unit named 'Tân Lâp' on 2025-07-01; "
                               "nearest: Xã Tân Lập (pa-d2-c1, Huyện Đông Hòa, Tỉnh An Hà)")
    # with the province, the folder is valid
    table.write_text(table.read_text(encoding="utf-8").replace(
        "Huyện Yên Sơn\n", "\"Huyện Yên Sơn, Tỉnh An Hà\"\n").replace("Tân Lâp", "Tân Lập"),
        encoding="utf-8")
    r = bomay("check", str(folder))
    assert r.returncode == 0, r.stdout + r.stderr
