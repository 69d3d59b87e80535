"""Mapping tables that name the old units by name (graph.scenarios.mapping_names), on
tests/data/t_names: two provinces, each with a `Huyện Yên Sơn`; `Xã Tân Lập` in three
districts (and a fourth that ended in 2015), a district named `Huyện Tân Lập`, `Phường Tân
Tiến` beside `Xã Tân Tiến`, and `Thị trấn Đông Hòa`, named `Xã Đông Thành` until 2020."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.errors import Conflict, InvalidParameter
from graph.scenarios import apply, new_state, parse_operations
from graph.scenarios.mapping import mapping_from_csv, mapping_from_yaml
from graph.scenarios.mapping_names import place_key, split_qualifier
from graph.scenarios.operations import operation_to_dict, parse_operation
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
AT = "2025-07-01"


@pytest.fixture(scope="module")
def names():
    return MemoryGraph(read_dataset(DATA / "t_names"))


def run(graph, rows, at=AT):
    return apply(new_state(graph, at), [{"op": "consolidate_map", "rows": rows}])


def conflict(graph, rows, at=AT):
    with pytest.raises(Conflict) as exc:
        run(graph, rows, at)
    return exc.value


def test_names_and_qualifiers_are_read_as_written():
    assert place_key("  Xã  Tân LẬP ") == "tân lập"
    assert place_key("Thị trấn Đông Hòa") == "đông hòa"
    # a place whose first word folds to a territorial word is not cut (`Quản Bạ`)
    assert place_key("Quản Bạ") == "quản bạ" and place_key("Huyện Quản Bạ") == "quản bạ"
    assert split_qualifier("Tân Lập (Huyện Yên Sơn, Tỉnh An Hà)") == (
        "Tân Lập", ("Huyện Yên Sơn", "Tỉnh An Hà"))
    assert split_qualifier("Tân Lập") == ("Tân Lập", ())
    # the tone of a closing `oa`, `oe`, `uy` placed either way is one name
    assert place_key("Xã Hoà Bình") == place_key("Xã Hòa Bình") == "hòa bình"
    assert place_key("Thuý") == "thúy" and place_key("Khoẻ") == "khỏe"
    # not before a consonant, nor after `q`
    assert place_key("Hoàng") == "hoàng" and place_key("Quý") == "quý"


def test_a_name_with_the_tone_placed_the_other_way_finds_its_unit(names):
    state, log = run(names, [{"new": {"id": "x1", "name": "X"}, "within": "pa-d2",
                              "names": ["Thị trấn Đông Hoà", "Đông Phú"]}])
    assert log[0].ended[:2] == ("pa-d2-c2", "pa-d2-c3")
    state, log = run(names, [{"new": {"id": "x1", "name": "X"}, "parent": "pa",
                              "names": ["Xã Hoà Bình (Huyện Yên Sơn, Tỉnh An Hà)",
                                        "Tân Lập (Huyện Đông Hoà)"]}])
    assert log[0].ended[:2] == ("pa-d1-c3", "pa-d2-c1")


def test_a_csv_table_by_names_within_a_district_id_consolidates_those_units(names):
    rows = mapping_from_csv("new_id,new_name,names,within\n"
                            "x1,Xã Tân Lập,Tân Lập;Tân Tiến;xã Hòa Bình,pa-d1\n", "communes.csv")
    assert rows[0]["names"] == ["Tân Lập", "Tân Tiến", "xã Hòa Bình"]
    op = parse_operations([{"op": "consolidate_map", "rows": rows}])[0]
    assert op.rows[0].names == ("Tân Lập", "Tân Tiến", "xã Hòa Bình")
    assert op.rows[0].within == "pa-d1" and op.rows[0].units == ()
    # the stored form keeps the names, and reads back to the same operation
    assert parse_operation(operation_to_dict(op)) == op
    state, log = apply(new_state(names, AT), [op])
    # the log carries the ids the names stand for
    assert log[0].ended[:3] == ("pa-d1-c1", "pa-d1-c2", "pa-d1-c3")
    assert log[0].events[0].inputs == ("pa-d1-c1", "pa-d1-c2", "pa-d1-c3")
    day = state.effective_at
    assert state.parent("x1", day) == "pa-d1"
    # the communes' Party Committees came along, as with ids
    assert state.get_unit("x1-du") is not None and state.parent("x1-du", day) == "pa-d1-hu"
    assert all(not state.get_unit(u).valid_at(day) for u in ("pa-d1-c1", "pa-d1-c2"))


def test_within_by_name_at_any_depth_and_in_brackets(names):
    # `Huyện Yên Sơn` is in both provinces: its province says which
    state, log = run(names, [{"new": {"id": "x1", "name": "X"}, "within": "Huyện Yên Sơn, Tỉnh Bắc Sơn",
                              "names": ["Tân Lập", "Hòa Bình"]}])
    assert log[0].ended == ("pb-d1-c1", "pb-d1-c4")
    # the province alone, at depth 2; and the qualifier written after the name, by id
    state, log = run(names, [{"new": {"id": "x1", "name": "X"},
                              "names": ["Hòa Bình (Tỉnh Bắc Sơn)", "Xã Tân Lập (pb-d1)"]}])
    assert log[0].ended == ("pb-d1-c4", "pb-d1-c1")
    # the name of a district without its territorial word
    state, log = run(names, [{"new": {"id": "x1", "name": "X"},
                              "names": ["Tân Lập (Đông Hòa)", "Đông Phú (Đông Hòa)"]}])
    assert log[0].ended == ("pa-d2-c1", "pa-d2-c3")


def test_a_unit_is_found_by_the_name_it_has_on_the_date(names):
    rows = [{"new": {"id": "x1", "name": "X"}, "within": "Huyện Đông Hòa",
             "names": ["Đông Thành", "Đông Phú"], "where": "communes.csv:2"}]
    state, log = run(names, rows, at="2019-06-01")
    assert log[0].ended == ("pa-d2-c2", "pa-d2-c3")
    # in 2025 it is Thị trấn Đông Hòa: the former name is not found, and the problem says
    # when the name was borne
    exc = conflict(names, rows)
    assert exc.errors[0]["field"] == "communes.csv:2"
    assert exc.errors[0]["value"] == "Đông Thành"
    assert "no unit named 'Đông Thành' on 2025-07-01" in exc.detail
    assert "so named on other dates: Xã Đông Thành (pa-d2-c2, 2010 until 2020-01-01)" \
        in exc.detail
    # a unit that ended is not found after its end, and still is before
    assert run(names, [{"new": {"id": "x1", "name": "X"},
                        "names": ["Tân Lập (pa-d2)", "Đông Phú (pa-d2)"]}])[1][0].ended == (
        "pa-d2-c1", "pa-d2-c3")
    exc = conflict(names, [{"new": {"id": "x1", "name": "X"},
                            "names": ["Tân Lập (pa-d2)", "Đông Phú (pa-d2)"]}], at="2012-01-01")
    assert {c["id"] for c in exc.errors[0]["candidates"]} == {"pa-d2-c1", "pa-d2-c9"}


def test_an_ambiguous_name_lists_every_candidate_with_its_area(names):
    exc = conflict(names, [{"new": {"id": "x1", "name": "X"}, "names": ["Tân Lập", "Tân Tiến"],
                            "within": "Huyện Yên Sơn", "where": "communes.csv:12"}])
    assert exc.detail.startswith("operation 1 (consolidate_map): 2 names of the mapping table "
                                 "do not give one unit each on 2025-07-01:")
    first = exc.errors[0]
    assert (first["operation"], first["op"], first["field"], first["value"]) == (
        1, "consolidate_map", "communes.csv:12", "Tân Lập")
    assert first["candidates"] == [
        {"id": "pa-d1-c1", "name": "Xã Tân Lập", "kind": "commune",
         "area": "Huyện Yên Sơn, Tỉnh An Hà"},
        {"id": "pb-d1-c1", "name": "Xã Tân Lập", "kind": "commune",
         "area": "Huyện Yên Sơn, Tỉnh Bắc Sơn"}]
    assert "add `within`" in first["message"] and "or give the id" in first["message"]
    assert len(exc.errors[1]["candidates"]) == 3  # Tân Tiến: two communes and a ward


def test_the_kind_and_the_exact_name_choose_among_namesakes(names):
    # `Tân Lập` in Bắc Sơn is a commune and a district
    exc = conflict(names, [{"new": {"id": "x1", "name": "X"}, "names": ["Tân Lập (pb)"]}])
    assert {c["id"] for c in exc.errors[0]["candidates"]} == {"pb-d1-c1", "pb-d2"}
    # beside a commune given by id: the commune
    state, log = run(names, [{"new": {"id": "x1", "name": "X"}, "units": ["pb-d1-c4"],
                              "names": ["Tân Lập (pb)"]}])
    assert log[0].ended == ("pb-d1-c4", "pb-d1-c1")
    # with the row's kind: the district
    state, log = run(names, [{"new": {"id": "x1", "name": "X", "kind": "district"},
                              "names": ["Tân Lập (pb)", "Yên Sơn (pb)"]}])
    assert log[0].ended[:2] == ("pb-d2", "pb-d1")
    # written with its territorial word, the ward over the commune of the same place
    state, log = run(names, [{"new": {"id": "x1", "name": "X"},
                              "names": ["Phường Tân Tiến (pb-d1)", "Hòa Bình (pb-d1)"]}])
    assert log[0].ended == ("pb-d1-c2", "pb-d1-c4")


def test_an_unknown_name_suggests_the_nearest_with_ids_and_areas(names):
    exc = conflict(names, [{"new": {"id": "x1", "name": "X"}, "names": ["Tan Lap", "Dong Phu"],
                            "within": "pa-d2", "where": "m.csv:3"}])
    lap, phu = exc.errors
    # the namesakes within the qualifier first
    assert lap["candidates"][0] == {"id": "pa-d2-c1", "name": "Xã Tân Lập", "kind": "commune",
                                    "area": "Huyện Đông Hòa, Tỉnh An Hà"}
    assert "no unit named 'Tan Lap' on 2025-07-01; nearest: Xã Tân Lập (pa-d2-c1, Huyện Đông "\
           "Hòa, Tỉnh An Hà)" in lap["message"]
    assert phu["candidates"][0]["id"] == "pa-d2-c3"
    # the nearest names, each once, in the candidates' order
    assert lap["nearest"] == list(dict.fromkeys(c["name"] for c in lap["candidates"]))
    assert lap["nearest"][0] == "Xã Tân Lập"
    # a name that exists, but not within the area given: its namesakes are not `nearest`
    exc = conflict(names, [{"new": {"id": "x1", "name": "X"}, "names": ["Tân Phú", "Phú Mỹ"],
                            "within": "Huyện Yên Sơn"}])
    assert exc.errors[0]["candidates"][0]["id"] == "pb-d2-c1" and "nearest" not in exc.errors[0]
    assert "no unit named 'Tân Phú' within Huyện Yên Sơn on 2025-07-01; of that name " \
           "elsewhere: Xã Tân Phú (pb-d2-c1, Huyện Tân Lập, Tỉnh Bắc Sơn)" in exc.detail
    # an unknown area
    exc = conflict(names, [{"new": {"id": "x1", "name": "X"}, "names": ["Tân Lập", "Hòa Bình"],
                            "within": "Huyện Zên Sơn", "where": "m.csv:4"}])
    assert len(exc.errors) == 1  # one problem for the row, not one per name
    assert exc.errors[0]["message"].startswith(
        "within 'Huyện Zên Sơn': no unit with that id and no area of that name on 2025-07-01 "
        "or the day before; nearest: Huyện Yên Sơn (pa-d1, Tỉnh An Hà)")


def test_a_district_the_plan_dissolved_on_the_date_still_qualifies_its_communes(names):
    # the annex names the communes with their district; the plan ends An Hà's districts
    # on the same date first
    plan = [{"op": "dissolve_level", "level": "district", "within": "pa", "bodies": "end"}]
    rows = [{"new": {"id": "x1", "name": "X"}, "where": "m.csv:2",
             "names": ["Tân Lập (Huyện Yên Sơn, Tỉnh An Hà)", "Tân Tiến (Yên Sơn, pa)"]},
            {"new": {"id": "x2", "name": "X"}, "where": "m.csv:3",
             "names": ["Tân Lập (Huyện Đông Hòa)", "Đông Phú (Huyện Đông Hòa)"]}]
    state, log = apply(new_state(names, AT), plan + [{"op": "consolidate_map", "rows": rows}])
    assert log[1].events[0].inputs == ("pa-d1-c1", "pa-d1-c2")
    assert log[1].events[-1].inputs == ("pa-d2-c1", "pa-d2-c3")
    assert state.parent("x1", state.effective_at) == "pa"
    # `Huyện Yên Sơn` alone: An Hà's of the day before, and Bắc Sơn's, still there
    rows = [{"new": {"id": "x1", "name": "X"}, "names": ["Tân Lập (Huyện Yên Sơn)"],
             "where": "m.csv:2"}]
    with pytest.raises(Conflict) as exc:
        apply(new_state(names, AT), plan + [{"op": "consolidate_map", "rows": rows}])
    assert exc.value.errors[0]["candidates"][0] == {
        "id": "pa-d1-c1", "name": "Xã Tân Lập", "kind": "commune", "area": "Tỉnh An Hà",
        "area_before": "Huyện Yên Sơn, Tỉnh An Hà"}
    assert "Xã Tân Lập (pa-d1-c1, Tỉnh An Hà; the day before: Huyện Yên Sơn, Tỉnh An Hà); " \
           "Xã Tân Lập (pb-d1-c1, Huyện Yên Sơn, Tỉnh Bắc Sơn)" in exc.value.detail


def test_every_problem_of_a_table_is_reported_at_once(names):
    text = ("new_id,new_name,names,units,within\n"
            "x1,Xã Một,Tân Lập;Tân Tiến,,pa-d1\n"        # fine
            "x2,Xã Hai,Tân Lập;Hòa Bình,,\n"             # Tân Lập, Hòa Bình: ambiguous
            "x3,Xã Ba,Đông Phú,pa-d2-c3,\n"              # Đông Phú is pa-d2-c3, listed too
            "x4,Xã Bốn,Tân Lâp;Đông Phú,,pa-d2\n")       # Tân Lâp: unknown; Đông Phú again
    rows = mapping_from_csv(text, "communes.csv")
    exc = conflict(names, rows)
    assert [(e["field"], e["value"]) for e in exc.errors] == [
        ("communes.csv:3", "Tân Lập"), ("communes.csv:3", "Hòa Bình"),
        ("communes.csv:4", "Đông Phú"), ("communes.csv:5", "Tân Lâp"),
        ("communes.csv:5", "Đông Phú")]
    # a row's ids and names are all old units: the same unit by both is refused
    assert exc.errors[2]["message"] == ("'Đông Phú' is pa-d2-c3, already among the row's "
                                        "units by id: give each old unit once")
    assert "'Đông Phú' is pa-d2-c3, also listed by communes.csv:4" in exc.errors[4]["message"]
    assert {e["key"] for e in exc.errors} == {"names"}
    lines = exc.detail.splitlines()
    assert lines[0].endswith("5 names of the mapping table do not give one unit each on "
                             "2025-07-01:")
    assert [line.split(": ")[0].strip() for line in lines[1:]] == [
        "communes.csv:3", "communes.csv:3", "communes.csv:4", "communes.csv:5",
        "communes.csv:5"]


def test_one_line_per_old_unit_by_name_keeps_each_line_and_its_area():
    rows = mapping_from_csv("new_id,new_name,old_id,old_name,within\n"
                            "x1,Xã Một,,Tân Lập,Huyện Yên Sơn\n"
                            "x1,Xã Một,pa-d1-c2,,\n"
                            "x1,Xã Một,,Hòa Bình,Huyện Yên Sơn\n"
                            "x2,Xã Hai,,Tân Lập,pa-d2\n"
                            "x2,Xã Hai,,Đông Phú (Huyện Đông Hòa),Tỉnh An Hà\n", "c.csv")
    assert rows[0] == {"new": {"id": "x1", "name": "Xã Một"}, "units": ["pa-d1-c2"],
                       "names": ["Tân Lập", "Hòa Bình"], "names_where": ["c.csv:2", "c.csv:4"],
                       "within": "Huyện Yên Sơn", "where": "c.csv:2"}
    # lines of one new unit in different areas: each name keeps its own
    assert rows[1]["names"] == ["Tân Lập (pa-d2)", "Đông Phú (Huyện Đông Hòa, Tỉnh An Hà)"]
    assert "within" not in rows[1]
    with pytest.raises(InvalidParameter, match="c.csv:2: old_id or old_name: is required"):
        mapping_from_csv("new_id,new_name,old_id,old_name\nx,X,,\n", "c.csv")
    with pytest.raises(InvalidParameter, match="c.csv:1: give units/names .* not both"):
        mapping_from_csv("new_id,new_name,names,old_name\nx,X,A,B\n", "c.csv")


def test_the_problem_of_a_name_on_its_own_line_names_that_line(names):
    rows = mapping_from_csv("new_id,new_name,old_name,within\n"
                            "x1,Xã Một,Tân Lập,Huyện Yên Sơn\n"
                            "x1,Xã Một,Tân Tiến,pa-d1\n", "c.csv")
    exc = conflict(names, rows)
    assert [e["field"] for e in exc.errors] == ["c.csv:2"]
    rows = mapping_from_csv("new_id,new_name,old_name,within\n"
                            "x1,Xã Một,Tân Lập,pa-d1\n"
                            "x1,Xã Một,Tân Tién,pa-d1\n", "c.csv")
    exc = conflict(names, rows)
    assert [(e["field"], e["value"]) for e in exc.errors] == [("c.csv:3", "Tân Tién")]


def test_yaml_tables_take_names_and_within(names):
    rows = mapping_from_yaml("x1:\n  name: Xã Một\n  names: [Tân Lập, Tân Tiến]\n"
                             "  within: Huyện Yên Sơn, Tỉnh An Hà\n"
                             "x2:\n  name: Xã Hai\n  units: [pa-d2-c3]\n"
                             "  names: [Tân Lập (Huyện Đông Hòa)]\n", "m.yaml")
    state, log = run(names, rows)
    assert log[0].ended[:2] == ("pa-d1-c1", "pa-d1-c2")
    assert "pa-d2-c1" in log[0].ended and "pa-d2-c3" in log[0].ended
    listed = mapping_from_yaml("- new: {id: x1, name: X}\n  names: [Tân Lập, Tân Tiến]\n"
                               "  within: pa-d1\n", "m.yaml")
    assert run(names, listed)[1][0].ended[:2] == ("pa-d1-c1", "pa-d1-c2")


def test_names_are_validated_when_parsed():
    with pytest.raises(InvalidParameter) as exc:
        parse_operations([{"op": "consolidate_map", "rows": [
            {"new": {"id": "x1", "name": "X"}, "units": ["a"], "within": "pa", "where": "m:2"},
            {"new": {"id": "x2", "name": "X"}, "names": [1, 2], "where": "m:3"},
            {"new": {"id": "x3", "name": "X"}, "names": "Tân Lập; tân lập", "where": "m:4"},
            {"new": {"id": "x4", "name": "X"}, "where": "m:5"}]}])
    found = {(e["field"], e["message"]) for e in exc.value.errors}
    assert ("m:2: within", "only qualifies names: give names with it") in found
    assert ("m:3: names", "expected a list of unit names") in found
    assert ("m:4: names", "lists 'tân lập' more than once") in found
    assert ("m:5: units", "is required: expected a list of unit ids") in found


def test_a_table_without_names_builds_no_index(names, monkeypatch):
    import graph.scenarios.mapping_names as mapping_names

    def refuse(*args, **kwargs):
        raise AssertionError("a table of ids needs no name index")
    monkeypatch.setattr(mapping_names, "NameIndex", refuse)
    state, log = run(names, [{"new": {"id": "x1", "name": "X"},
                              "units": ["pa-d1-c1", "pa-d1-c2"]}])
    assert log[0].ended[:2] == ("pa-d1-c1", "pa-d1-c2")


def test_a_row_of_another_kind_names_bodies(names):
    rows = [{"new": {"id": "du", "name": "Đảng ủy xã Tân Lập", "kind": "party_committee"},
             "names": ["Đảng ủy xã Tân Lập", "đảng ủy xã  Tân Tiến"], "within": "Huyện Yên Sơn",
             "where": "m.csv:2"}]
    state, log = run(names, rows)
    assert log[0].events[0].inputs == ("pa-d1-c1-du", "pa-d1-c2-du")
    # areas only, without the kind: a body's name is not found
    rows[0]["new"] = {"id": "du", "name": "Đảng ủy xã Tân Lập"}
    exc = conflict(names, rows)
    assert exc.errors[0]["message"].startswith("no unit named 'Đảng ủy xã Tân Lập' on 2025-07-01")
    assert all(c["kind"] in ("commune", "district", "province")
               for c in exc.errors[0]["candidates"])


PLAN = """\
name: Sắp xếp xã Yên Sơn
status: planned
date: 2025-06-01
at: 2025-07-01
operations:
  - op: consolidate_map
    rows:
      - new: {id: ys, name: Xã Tân Lập}
        names: [Tân Lập, Tân Tiến, xã Hòa Bình]
        within: WITHIN
"""


def test_a_dataset_plan_names_its_old_units(tmp_path):
    import shutil

    from graph.errors import ValidationFailed

    folder = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", folder)
    (folder / "plans").mkdir()
    plan = folder / "plans" / "annex.yaml"
    plan.write_text(PLAN.replace("WITHIN", "Huyện Yên Sơn, Tỉnh An Hà"), encoding="utf-8")
    (found,) = read_dataset(folder).plans
    assert set(found.units) >= {"pa-d1-c1", "pa-d1-c2", "pa-d1-c3"}
    # without the province: refused when loading, the problem naming the names
    plan.write_text(PLAN.replace("WITHIN", "Huyện Yên Sơn"), encoding="utf-8")
    with pytest.raises(ValidationFailed) as exc:
        read_dataset(folder)
    # one problem per name, each at its row's line, with the name and its candidates
    assert [(p.file, p.line, p.field, p.value) for p in exc.value.problems] == [
        ("plans/annex.yaml", 9, "operations[0].rows[0].names", n)
        for n in ("Tân Lập", "Tân Tiến", "xã Hòa Bình")]
    first = exc.value.problems[0].message
    assert first.startswith("operation 1 (consolidate_map): row 1: 2 units are named "
                            "'Tân Lập' on 2025-07-01 within Huyện Yên Sơn: ")
    assert "Xã Tân Lập (pb-d1-c1, Huyện Yên Sơn, Tỉnh Bắc Sơn)" in first
    assert "\n" not in first


def test_a_dataset_plan_s_table_file_names_each_problem_at_its_line(tmp_path):
    import shutil

    from graph.errors import ValidationFailed

    folder = tmp_path / "t_names"
    shutil.copytree(DATA / "t_names", folder)
    (folder / "plans" / "tables").mkdir(parents=True)
    head = PLAN.split("    rows:")[0]
    (folder / "plans" / "annex.yaml").write_text(head + "    mapping: tables/communes.csv\n",
                                                 encoding="utf-8")
    # a row written in a plan, its names one a line
    (folder / "plans" / "inline.yaml").write_text(
        head + "    rows:\n      - new: {id: y2, name: Xã Hai}\n        names:\n"
        "          - Đông Phú\n          -  Tân   Lâp\n", encoding="utf-8")
    (folder / "plans" / "tables" / "communes.csv").write_text(
        "new_id,new_name,old_id,old_name,within\n"
        "x1,Xã Một,,Tân Lập,Huyện Yên Sơn\n"          # two provinces have a Huyện Yên Sơn
        "x1,Xã Một,pa-d1-c2,Tân Tiến,\n"              # fine
        "x1,Xã Một,pa-d1-c3,Đông Phú,\n", encoding="utf-8")  # not the id's name
    with pytest.raises(ValidationFailed) as exc:
        read_dataset(folder)
    found = [(p.file, p.line, p.column, p.field, p.value) for p in exc.value.problems]
    assert found == [
        ("plans/inline.yaml", 11, None, "operations[0].rows[0].names", "Tân Lâp"),
        ("plans/tables/communes.csv", 2, 4, "old_name", "Tân Lập"),
        ("plans/tables/communes.csv", 4, 4, "old_name", "Đông Phú")]
    messages = [p.message for p in exc.value.problems]
    assert messages[0].startswith("operation 1 (consolidate_map): row 1: no unit named "
                                  "'Tân Lâp' on 2025-07-01; nearest: Xã Tân Lập (")
    assert messages[1].startswith("plans/annex.yaml: operation 1 (consolidate_map): 2 units "
                                  "are named 'Tân Lập' on 2025-07-01 within Huyện Yên Sơn: ")
    assert messages[2] == ("plans/annex.yaml: operation 1 (consolidate_map): old_id pa-d1-c3 "
                           "is named 'Xã Hòa Bình' on 2025-07-01, not 'Đông Phú'; so named: "
                           "Xã Đông Phú (pa-d2-c3, Huyện Đông Hòa, Tỉnh An Hà)")


def test_a_line_with_an_id_and_a_name_checks_the_name_of_the_id(names):
    table = ("new_id,new_name,old_id,old_name,within\n"
             "x1,Xã Một,pa-d1-c1,Tân Lập,\n"                # fine: `Xã Tân Lập`
             "x1,Xã Một,pa-d1-c2,xã  TÂN TIẾN,pa-d1\n"      # fine: case, spaces, its district
             "x1,Xã Một,pa-d1-c3,Hòa Bình,\n"               # fine: ambiguous alone, not by id
             "x2,Xã Hai,pa-d2-c3,Đông Phú,\n")
    rows = mapping_from_csv(table, "c.csv")
    assert rows[0]["units"] == ["pa-d1-c1", "pa-d1-c2", "pa-d1-c3"]
    assert rows[0]["unit_names"] == [["pa-d1-c1", "Tân Lập", "c.csv:2"],
                                     ["pa-d1-c2", "xã  TÂN TIẾN (pa-d1)", "c.csv:3"],
                                     ["pa-d1-c3", "Hòa Bình", "c.csv:4"]]
    op = parse_operations([{"op": "consolidate_map", "rows": rows}])[0]
    assert op.rows[0].unit_names[1] == ("pa-d1-c2", "xã TÂN TIẾN (pa-d1)", "c.csv:3")
    # the stored form keeps the names given with the ids, and reads back the same
    assert parse_operation(operation_to_dict(op)) == op
    state, log = apply(new_state(names, AT), [op])
    assert log[0].events[0].inputs == ("pa-d1-c1", "pa-d1-c2", "pa-d1-c3")
    # a name that is not the id's: a problem naming the line, the id's name and the unit of
    # that name; a former name says until when; an id outside its line's `within`
    table = ("new_id,new_name,old_id,old_name,within\n"
             "x1,Xã Một,pa-d1-c1,Tân Lập,\n"
             "x1,Xã Một,pb-d1-c3,Phường Tân Tiến,\n"
             "x1,Xã Một,pa-d1-c3,Hòa Bình,Tỉnh Bắc Sơn\n"
             "x2,Xã Hai,pa-d2-c2,Xã Đông Thành,\n"
             "x2,Xã Hai,pa-d2-c3,Tân Lập,\n")
    exc = conflict(names, mapping_from_csv(table, "c.csv"))
    assert [(e["field"], e["value"], e["key"]) for e in exc.errors] == [
        ("c.csv:3", "Phường Tân Tiến", "old_name"),
        ("c.csv:4", "Hòa Bình (Tỉnh Bắc Sơn)", "old_name"),
        ("c.csv:5", "Xã Đông Thành", "old_name"), ("c.csv:6", "Tân Lập", "old_name")]
    assert exc.errors[0]["message"] == (
        "old_id pb-d1-c3 is named 'Xã Tân Tiến' on 2025-07-01, not 'Phường Tân Tiến'; so "
        "named: Phường Tân Tiến (pb-d1-c2, Huyện Yên Sơn, Tỉnh Bắc Sơn)")
    assert exc.errors[0]["candidates"][0]["id"] == "pb-d1-c3"
    assert exc.errors[1]["message"] == (
        "old_id pa-d1-c3 (Xã Hòa Bình) is not within Tỉnh Bắc Sơn on 2025-07-01: it lies in "
        "Huyện Yên Sơn, Tỉnh An Hà")
    assert exc.errors[2]["message"] == (
        "old_id pa-d2-c2 is named 'Thị trấn Đông Hòa' on 2025-07-01, not 'Xã Đông Thành' "
        "(so named 'Xã Đông Thành' 2010 until 2020-01-01)")
    assert exc.errors[3]["message"].startswith(
        "old_id pa-d2-c3 is named 'Xã Đông Phú' on 2025-07-01, not 'Tân Lập'; so named: "
        "Xã Tân Lập (pa-d1-c1, ")
    assert exc.detail.splitlines()[0].endswith(
        "4 names of the mapping table do not give one unit each, or not the unit of the id "
        "beside them, on 2025-07-01:")


def test_unit_names_of_a_row_name_its_units(names):
    # the API and YAML form: `{id: name}`, each id one of the row's units
    state, log = run(names, [{"new": {"id": "x1", "name": "X"}, "units": ["pa-d1-c1", "pa-d1-c2"],
                              "unit_names": {"pa-d1-c2": "Tân Tiến (Huyện Yên Sơn, Tỉnh An Hà)"}}])
    assert log[0].ended[:2] == ("pa-d1-c1", "pa-d1-c2")
    exc = conflict(names, [{"new": {"id": "x1", "name": "X"}, "units": ["pa-d1-c1", "pa-d1-c2"],
                            "unit_names": {"pa-d1-c2": "Tân Lập"}}])
    assert exc.errors[0]["field"] == "row 1" and exc.errors[0]["message"].startswith(
        "old_id pa-d1-c2 is named 'Xã Tân Tiến' on 2025-07-01, not 'Tân Lập'")
    with pytest.raises(InvalidParameter) as bad:
        parse_operations([{"op": "consolidate_map", "rows": [
            {"new": {"id": "x1", "name": "X"}, "units": ["a", "b"], "where": "m:2",
             "unit_names": {"c": "Tân Lập"}},
            {"new": {"id": "x2", "name": "X"}, "units": ["d", "e"], "where": "m:3",
             "unit_names": ["d"]}]}])
    assert {(e["field"], e["message"]) for e in bad.value.errors} == {
        ("m:2: unit_names", "c is not one of the row's units"),
        ("m:3: unit_names", "expected {unit id: its name} (the names checked against the ids)")}
