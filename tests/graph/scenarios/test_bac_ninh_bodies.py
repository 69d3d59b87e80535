"""Tỉnh Bắc Giang + Tỉnh Bắc Ninh -> Tỉnh Bắc Ninh (Nghị quyết 202/2025/QH15, in force
2025-07-01) on `tests/data/r_bac_ninh`, a dataset written from the data contract alone,
the two provinces naming their bodies in different styles as real lists do.

Every expected figure is derived by hand from the dataset's CSV files (comments)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from graph.scenarios import apply, new_state
from graph.scenarios.impact import impact
from graph.scenarios.territory import name_key
from loaders import read_dataset

DATA = Path(__file__).resolve().parents[2] / "data"
AT = dt.date(2025, 7, 1)
PROVINCES = {"op": "consolidate", "units": ["bg", "bn"], "basis": ["nq-202-2025-qh15"],
             "new": {"id": "bn25", "name": "Tỉnh Bắc Ninh", "name_en": "Bac Ninh Province",
                     "kind": "province", "level": "province"}}


@pytest.fixture(scope="module")
def bac_ninh():
    return MemoryGraph(read_dataset(DATA / "r_bac_ninh"))


@pytest.fixture(scope="module")
def merged(bac_ninh):
    state, log = apply(new_state(bac_ninh, AT), [PROVINCES])
    return state, log


def groups_of(log):
    return {u: sorted(ins) for u, ins in log[0].bodies}


@pytest.mark.parametrize("short, full", [
    # the 2025 departments, as provinces abbreviate them
    ("Sở NN&MT tỉnh Bắc Ninh", "Sở Nông nghiệp và Môi trường"),
    ("Sở NN và MT tỉnh Bắc Ninh", "Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh"),
    ("Sở DT&TG tỉnh Bắc Ninh", "Sở Dân tộc và Tôn giáo"),
    ("Văn phòng Đoàn ĐBQH và HĐND tỉnh Bắc Ninh",
     "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh Bắc Ninh"),
    ("Ủy ban MTTQVN tỉnh Bắc Ninh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bắc Ninh"),
    ("UBMTTQVN tỉnh Bắc Ninh", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Bắc Ninh"),
    ("Ban Quản lý các KCN Bắc Ninh", "Ban Quản lý các khu công nghiệp tỉnh Bắc Ninh"),
    ("HLHPN tỉnh Bắc Ninh", "Hội Liên hiệp Phụ nữ tỉnh Bắc Ninh"),
])
def test_short_forms_real_lists_use_give_the_full_names_key(short, full):
    assert name_key(short, "Tỉnh Bắc Ninh") == name_key(full, "Tỉnh Bắc Ninh")


def test_the_departments_of_agriculture_and_environment_pair(merged):
    # Bắc Giang writes `Sở Nông nghiệp và Môi trường`, Bắc Ninh `Sở NN&MT tỉnh Bắc Ninh`: one
    # department each, formed 2025-03-01; 12 departments under each UBND, so only the name
    # can pair them. Unpaired, the new province had two Departments of Agriculture.
    state, log = merged
    groups = groups_of(log)
    assert groups["bn25-snnmt"] == ["bg-snnmt", "bn-snnmt"]
    new = state.get_unit("bn25-snnmt")
    # the namesake province's input's name, its head written out as Bắc Giang writes it
    assert new.name == "Sở Nông nghiệp và Môi trường tỉnh Bắc Ninh"
    assert state.parent("bn25-snnmt", AT) == "bn25-ubnd"
    # only the department that Bắc Ninh has no peer for moves as it is
    assert [u for u, _, _ in log[0].unpaired] == ["bg-sdttg"]


def test_the_impact_of_the_merger_by_hand(merged, bac_ninh):
    state, log = merged
    report = impact(bac_ninh, state).to_dict()
    # 23 pairs: Tỉnh ủy and its 4 boards and office (5 + 1), HĐND, UBND, its 12 paired
    # departments and the Ban Quản lý các KCN, the Văn phòng Đoàn ĐBQH và HĐND, MTTQ and 4
    # mass organisations
    assert report["bodies"]["merged"] == 23
    assert report["bodies"]["bodies_ended"] == 46
    # headcount.csv: every figure in force on 2025-07-01 (the latest approved one, so
    # Bắc Ninh's Ban Tổ chức counts 29, not the later actual 27): Bắc Giang 678 + 353
    # (snnmt 110, skhcn 35, svhttdl 48, vpubnd 75, bqlkcn 40, vpdbqh 45), Bắc Ninh 585 +
    # 350 (105, 33, 46, 72, 52, 42)
    hc = report["headcount"]
    assert hc["before"] == hc["after_recorded"] == 678 + 353 + 585 + 350
    # default assumptions (2 support staff, ratio 0.5): office_admin duplicated in the
    # Party Offices, the UBND Offices and the ĐBQH-HĐND Offices, finance_accounting in the
    # Party Offices and the Departments of Finance, transport in the Departments of
    # Construction: 6 x (2 - 1) x 2 x 0.5 = 6; leadership: 17 duplicated single-holder
    # posts, 14 in bodies with a figure (not the Tỉnh ủy's 2 nor the UBND's chair)
    assert hc["saving_total"] == 6 + 14
    assert report["leadership"]["removed"] == 17


MASS_ORGS = ("ldld", "hnd", "hlhpn", "tdoan")


def test_mass_organisations_pair_though_they_hang_in_different_places(merged):
    # relations.csv: Bắc Ninh's four mass organisations are PART_OF its Ủy ban MTTQ, Bắc
    # Giang's hang nowhere; they pair by name (`LĐLĐ` = `Liên đoàn Lao động`, `Tỉnh đoàn` =
    # `Đoàn Thanh niên Cộng sản Hồ Chí Minh`, `Hội LHPN` = `Hội Liên hiệp Phụ nữ`, `Hội
    # Nông dân` ~ `Hội Nông dân Việt Nam`) and the new ones hang under the new Front, as
    # Bắc Ninh's did. Before, all eight moved unpaired: two federations, two unions, ...
    state, log = merged
    groups = groups_of(log)
    for k in MASS_ORGS:
        assert groups[f"bn25-{k}"] == [f"bg-{k}", f"bn-{k}"], k
        assert state.parent(f"bn25-{k}", AT) == "bn25-mttq", k
    assert state.get_unit("bn25-ldld").name == "Liên đoàn Lao động tỉnh Bắc Ninh"
    assert state.get_unit("bn25-tdoan").name == \
        "Đoàn Thanh niên Cộng sản Hồ Chí Minh tỉnh Bắc Ninh"


def test_merging_bac_giang_into_bac_ninh_merges_its_mass_organisations_into_the_peers(
        bac_ninh):
    state, log = apply(new_state(bac_ninh, AT), [
        {"op": "merge", "into": "bn", "units": ["bg"], "basis": ["nq-202-2025-qh15"]}])
    groups = groups_of(log)
    for k in MASS_ORGS:
        assert groups[f"bn-{k}"] == [f"bg-{k}"], k
        assert not state.get_unit(f"bg-{k}").valid_at(AT)
    assert state.parent("bn-ldld", AT) == "bn-mttq"
    # bg-ldld 30 + bn-ldld 33 (headcount.csv)
    assert state.headcount("bn-ldld", AT).headcount == 63
    assert [u for u, _, _ in log[0].unpaired] == ["bg-sdttg"]


def test_a_peer_without_a_figure_absorbing_one_with_a_figure_is_warned_of(bac_ninh):
    # headcount.csv has no figure for Bắc Ninh's HĐND (bn-hdnd), 25 for Bắc Giang's: the
    # merged council's 25 counts Bắc Giang's only. A consolidation warned of it; a merge
    # said nothing.
    state, log = apply(new_state(bac_ninh, AT), [
        {"op": "merge", "into": "bn", "units": ["bg"]}])
    assert state.headcount("bn-hdnd", AT).headcount == 25
    assert log[0].warnings == ("no headcount figure for bn-hdnd on 2025-07-01: its figure "
                               "after the merge counts only bg-hdnd",)
    report = impact(bac_ninh, state).to_dict()
    assert report["warnings"] == list(log[0].warnings)


def test_bodies_keep_says_the_bodies_keep_areas_that_end(bac_ninh):
    # units.csv: 28 units have area bg, 26 on the date (24 bodies, 2 districts; events.csv
    # ends bg-btg and bg-bdv on 2025-03-01), 24 have area bn, 23 on the date (bn-sgtvt
    # merged on 2025-03-01; its districts leave `area` empty). The report's scope is the
    # provinces and their districts only (no figure, no post): the warning says why.
    state, log = apply(new_state(bac_ninh, AT), [dict(PROVINCES, bodies="keep")])
    assert log[0].bodies == () and log[0].unpaired == ()
    assert state.get_unit("bg-ldld").area == "bg" and state.get_unit("bg-ldld").valid_to is None
    assert log[0].warnings == (
        "bodies: keep: 49 units keep an area that ends on 2025-07-01 (bg (Tỉnh Bắc Giang) 26, "
        "bn (Tỉnh Bắc Ninh) 23); they are neither brought together nor moved to bn25",)
    report = impact(bac_ninh, state).to_dict()
    assert report["headcount"]["before"] is None
    assert report["warnings"] == list(log[0].warnings)


def test_hanging_from_the_area_itself_is_hanging_at_its_top(tmp_path):
    # The other way round: Bắc Giang's mass organisations under its Front, Bắc Ninh's
    # PART_OF the province itself (relations.csv rewritten). Under the new province and
    # under the new Front are two parents, but the province is the top a body hanging
    # nowhere stands at: they pair, under the new Front.
    import shutil

    folder = tmp_path / "r_bac_ninh"
    shutil.copytree(DATA / "r_bac_ninh", folder)
    rel = folder / "relations.csv"
    lines = [ln for ln in rel.read_text(encoding="utf-8").splitlines()
             if ",PART_OF,bn-mttq," not in ln]
    lines += [f"bn-{k},PART_OF,bn,,,,test" for k in MASS_ORGS]
    lines += [f"bg-{k},PART_OF,bg-mttq,,,,test" for k in MASS_ORGS]
    rel.write_text("\n".join(lines) + "\n", encoding="utf-8")
    reader = MemoryGraph(read_dataset(folder))
    state, log = apply(new_state(reader, AT), [PROVINCES])
    groups = groups_of(log)
    for k in MASS_ORGS:
        assert groups[f"bn25-{k}"] == [f"bg-{k}", f"bn-{k}"], k
        assert state.parent(f"bn25-{k}", AT) == "bn25-mttq", k
    assert [u for u, _, _ in log[0].unpaired] == ["bg-sdttg"]
