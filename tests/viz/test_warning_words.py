"""`viz.scenario.warning_text` for the territorial engine's newer warnings: peers brought
together from under different parents, and `bodies: keep`, in Vietnamese with the units'
names and dd/mm/yyyy dates (the English page keeps the engine's words, names put in)."""

from __future__ import annotations

from viz.scenario import warning_text

NAMES = {"x-new-du": "Đảng ủy xã Minh Khai", "hg-tp-mk-du": "Đảng ủy phường Minh Khai",
         "hg-qb-qb-du": "Đảng ủy xã Quản Bạ", "hg-tp-tu": "Thành ủy Hà Giang",
         "hg-qb-tu": "Huyện ủy Quản Bạ", "bn25": "Tỉnh Bắc Ninh"}


def name(uid: str) -> str:
    return NAMES.get(uid, uid)


def test_peers_from_under_different_parents_read_with_names():
    warning = ("x-new-du brings together hg-tp-mk-du, hg-qb-qb-du, which hung under "
               "hg-qb-tu, hg-tp-tu: it hangs under hg-tp-tu")
    assert warning_text(warning, name, "vi") == (
        "Đảng ủy xã Minh Khai hợp nhất Đảng ủy phường Minh Khai; Đảng ủy xã Quản Bạ, vốn trực "
        "thuộc các đơn vị khác nhau (Huyện ủy Quản Bạ; Thành ủy Hà Giang): đơn vị mới trực "
        "thuộc Thành ủy Hà Giang")
    assert warning_text(warning, name, "en").startswith(
        "Đảng ủy xã Minh Khai brings together Đảng ủy phường Minh Khai; Đảng ủy xã Quản Bạ, "
        "which hung under")


def test_bodies_keep_reads_in_vietnamese_with_its_date():
    warning = ("bodies: keep: 49 units keep an area that ends on 2025-07-01 (bg (Tỉnh Bắc "
               "Giang) 25, bn (Tỉnh Bắc Ninh) 24); they are neither brought together nor "
               "moved to bn25")
    text = warning_text(warning, name, "vi")
    assert text.startswith("bodies: keep: 49 đơn vị giữ địa bàn chấm dứt ngày 01/07/2025")
    assert text.endswith("không được hợp nhất, cũng không chuyển sang Tỉnh Bắc Ninh")


def test_names_shared_under_one_parent_read_with_the_parent_s_name_and_a_count():
    warning = ("2 names are now borne by more than one unit under one parent: 'Xã Tân Lập' "
               "under Tỉnh Bắc Ninh (mới) (bn25): bn-a, bn-b, bn-c; \"Xã Đông 'Hòa'\" under "
               "Thành ủy Hà Giang (hg-tp-tu): hg-x, hg-y; and 4 more (rename one of each, e.g. "
               "with a `rename` operation, so that they are told apart by name)")
    assert warning_text(warning, name, "vi") == (
        "2 tên được dùng cho hơn một đơn vị cùng trực thuộc một cấp trên: “Xã Tân Lập” (3 đơn "
        "vị) trực thuộc Tỉnh Bắc Ninh; “Xã Đông 'Hòa'” (2 đơn vị) trực thuộc Thành ủy Hà "
        "Giang; và 4 tên khác (đổi tên một trong số đó, ví dụ bằng thao tác `rename`, để phân "
        "biệt theo tên)")
    one = ("1 name is now borne by more than one unit under one parent: 'Xã Tân Lập' under "
           "Tỉnh Bắc Ninh (bn25): bn-a, bn-b (rename one of each, e.g. with a `rename` "
           "operation, so that they are told apart by name)")
    assert warning_text(one, name, "en") == (
        "1 name is now borne by more than one unit under one parent: “Xã Tân Lập” (2 units) "
        "under Tỉnh Bắc Ninh (rename one of each, e.g. with a `rename` operation, so that "
        "they are told apart by name)")
