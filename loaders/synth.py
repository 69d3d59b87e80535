"""A deterministic, national-scale synthetic dataset in the data contract.

`generate(out_dir, provinces=63, seed=1)` writes units.csv, relations.csv, events.csv,
functions.csv, headcount.csv, people.csv, posts.csv, documents.csv and names.csv: one central
level, `provinces` provinces with about 11 districts each and about 15 communes per
district, every one with its Party, State and Front bodies, people and posts (some
concurrent), functions, headcount, documents, and the dated events of a 2025-style
reform:

- 2025-03-01: at the centre and in every province, ministries / departments MERGE
  (Planning and Investment into Finance, Transport into Construction, Information and
  Communications into Science and Technology, Labour into Home Affairs) and
  Agriculture + Natural Resources CONSOLIDATE into Agriculture and Environment;
- 2025-07-01: provinces CONSOLIDATE about 63 -> 34 (pairs and triples; every
  province-level body of the inputs consolidates into the new province's body), the
  district level is DISSOLVED (one event per district, its communes move up to the
  province), and communes CONSOLIDATE about 3 -> 1 (per body; party cells move to the
  new commune Party committee); every post-reform commune ESTABLISHes its new offices.
  A Party cell of a consolidated commune stays open: its `area` in units.csv is the new
  commune, and a names.csv row (its own name, the former commune as `area`, until
  2025-07-01) dates the move, as a committed scenario would write it.

Earlier history: the offices of the provincial Party boards MERGE into the Party
Committee Office (2018, seed 002), the provinces' public administration centres are
ESTABLISHed and take over `public_services` (TRANSFER_FUNCTION), the shared advisory
agencies of the Fatherland Front bloc are ESTABLISHed (2020, seed 000; pilots at
district level in 2018-2019, seed 004), and district training centres hand `training`
to the Propaganda board (TRANSFER_FUNCTION, seed 001).

Everything is planned first (which unit ends when, and its successor), so that every
relation, function and post lies within the lifetime of its units; a relation whose
target ends before its source follows the target's successor from that date (this is
how children of an ended unit get their new parent). Same arguments, byte-identical
files. All rows cite `synth:seed=N`; names and people are invented.
"""

from __future__ import annotations

import csv
import random
import unicodedata
from pathlib import Path
from typing import Callable, Iterable

from graph.contract import CSV_SPECS

REFORM = "2025-07-01"
GOV_REFORM = "2025-03-01"
PROVINCE_BASE = "2008-08-01"

#: The header of each file: the contract's columns, in its order. The generator's rows are
#: tuples in that order; columns the contract has beyond them are written empty.
#: The files generated: every CSV file of the contract (no plans). The synthetic units keep
#: their names; names.csv dates the area of the units that moved to another one.
COLUMNS: dict[str, list[str]] = {f.file: list(f.names) for f in CSV_SPECS}


def _nfc(value):
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, tuple):
        return tuple(_nfc(v) for v in value)
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


def _ascii(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def _end_min(a: str, b: str) -> str:
    """The earlier of two end dates, '' meaning open (no end)."""
    if not a:
        return b
    if not b:
        return a
    return a if a < b else b


def _day(date: str) -> str:
    """A (possibly partial) ISO date taken at its first day, for comparisons."""
    if len(date) == 4:
        return date + "-01-01"
    if len(date) == 7:
        return date + "-01"
    return date


# --- names -------------------------------------------------------------------------------

_SYL1 = _nfc(["An", "Bình", "Cẩm", "Đông", "Gia", "Hòa", "Hải", "Hưng", "Kim", "Lạc", "Long",
              "Mỹ", "Nam", "Ngọc", "Phú", "Phước", "Quảng", "Sơn", "Tân", "Thạnh", "Thanh",
              "Thuận", "Tiên", "Trung", "Vĩnh", "Xuân", "Yên", "Đức", "Hồng", "Lộc"])
_SYL2 = _nfc(["An", "Bình", "Châu", "Dương", "Điền", "Giang", "Hà", "Hòa", "Hưng", "Khánh",
              "Lâm", "Lợi", "Lộc", "Long", "Minh", "Nghĩa", "Ninh", "Phong", "Phú", "Quang",
              "Sơn", "Tây", "Thành", "Thịnh", "Thủy", "Tiến", "Trạch", "Trường", "Xương", "Yên"])
_PLACES = [f"{a} {b}" for a in _SYL1 for b in _SYL2 if a != b]
_FAMILY = _nfc(["Nguyễn", "Nguyễn", "Nguyễn", "Trần", "Trần", "Lê", "Lê", "Phạm", "Hoàng",
                "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý",
                "Trương", "Đinh", "Mai", "Lương"])
_MIDDLE_M = _nfc(["Văn", "Văn", "Hữu", "Đức", "Minh", "Quốc", "Thanh", "Công", "Xuân", "Đình"])
_MIDDLE_F = _nfc(["Thị", "Thị", "Thị", "Ngọc", "Thu", "Thanh", "Minh", "Hồng"])
_GIVEN_M = _nfc(["An", "Bình", "Cường", "Dũng", "Đạt", "Hải", "Hùng", "Hưng", "Khoa", "Long",
                 "Minh", "Nam", "Phong", "Quang", "Sơn", "Thắng", "Trung", "Tuấn", "Việt",
                 "Vinh", "Hoàng", "Ngân", "Đọc", "Châu", "Phụng", "Thành", "Tâm", "Toàn"])
_GIVEN_F = _nfc(["Anh", "Hà", "Hạnh", "Hằng", "Hương", "Lan", "Liên", "Mai", "Ngọc", "Nhung",
                 "Phương", "Quyên", "Thảo", "Thủy", "Trang", "Vân", "Yến", "Hoa", "Loan"])


class _Names:
    """The name parts of one territorial unit (province, district or commune)."""

    __slots__ = ("place", "unit", "unit_en", "uy", "uy_en", "of", "of_en", "lower")

    def __init__(self, place: str, unit_word: str, uy_word: str, en_word: str, uy_en_word: str):
        ascii_place = _ascii(place)
        self.place = place
        self.unit = f"{unit_word} {place}"                     # Tỉnh Sơn Hòa
        self.unit_en = f"{ascii_place} {en_word}"              # Son Hoa Province
        self.uy = f"{uy_word} {place}"                         # Tỉnh ủy Sơn Hòa
        self.uy_en = f"{ascii_place} {uy_en_word} Party Committee"
        self.lower = f"{unit_word.lower()} {place}"            # tỉnh Sơn Hòa
        self.of = self.lower
        self.of_en = self.unit_en

    def fmt(self, template: str) -> str:
        return template.format(uy=self.uy, uy_en=self.uy_en, tinh=self.lower, tinh_en=self.unit_en,
                               place=self.place)


def _province_names(place: str, city: bool) -> _Names:
    if city:
        return _Names(place, "Thành phố", "Thành ủy", "City", "City")
    return _Names(place, "Tỉnh", "Tỉnh ủy", "Province", "Provincial")


def _district_names(place: str, j: int) -> _Names:
    if j == 1:
        return _Names(place, "Thành phố", "Thành ủy", "City", "City")
    if j == 2:
        return _Names(place, "Thị xã", "Thị ủy", "Town", "Town")
    return _Names(place, "Huyện", "Huyện ủy", "District", "District")


def _commune_names(place: str, ward: bool) -> _Names:
    if ward:
        return _Names(place, "Phường", "Đảng ủy phường", "Ward", "Ward")
    return _Names(place, "Xã", "Đảng ủy xã", "Commune", "Commune")


# --- body templates: key, name, name_en, abbr, kind, parent key, guide key, functions ------
# The parent key "" is the territorial unit; the guide key names the body one level up that
# gives professional guidance (GUIDED_BY), looked up in that level's key -> id map.

_P = _nfc([
    ("uy", "{uy}", "{uy_en}", "TU", "party_committee", "", "uy", ()),
    ("btv", "Ban Thường vụ {uy}", "Standing Committee of the {uy_en}", "BTV",
     "standing_committee", "uy", "", ()),
    ("btc", "Ban Tổ chức {uy}", "Organisation Board of the {uy_en}", "BTC", "party_board", "uy",
     "btc", ("personnel",)),
    ("btg", "Ban Tuyên giáo {uy}", "Propaganda and Education Board of the {uy_en}", "BTG",
     "party_board", "uy", "btg", ("propaganda",)),
    ("bdv", "Ban Dân vận {uy}", "Mass Mobilisation Board of the {uy_en}", "BDV", "party_board",
     "uy", "bdv", ("mass_mobilisation",)),
    ("bnc", "Ban Nội chính {uy}", "Internal Affairs Board of the {uy_en}", "BNC", "party_board",
     "uy", "bnc", ("internal_affairs",)),
    ("btgdv", "Ban Tuyên giáo và Dân vận {uy}", "Propaganda and Mass Mobilisation Board of the {uy_en}",
     "BTGDV", "party_board", "uy", "btg", ("propaganda", "mass_mobilisation")),
    ("ubkt", "Ủy ban Kiểm tra {uy}", "Inspection Committee of the {uy_en}", "UBKT",
     "inspection_committee", "uy", "ubkt", ("inspection",)),
    ("vp", "Văn phòng {uy}", "Office of the {uy_en}", "VPTU", "party_office", "uy", "vp",
     ("office_admin", "finance_accounting")),
    ("ctr", "Trường Chính trị {tinh}", "Political School of {tinh_en}", "", "centre", "uy", "",
     ("training",)),
    ("dukcq", "Đảng ủy Khối các cơ quan {tinh}", "Party Committee of the Agencies Bloc of {tinh_en}",
     "", "party_committee", "uy", "", ()),
    ("hdnd", "Hội đồng nhân dân {tinh}", "People's Council of {tinh_en}", "HĐND", "people_council",
     "", "hdnd", ("legal",)),
    ("ubnd", "Ủy ban nhân dân {tinh}", "People's Committee of {tinh_en}", "UBND", "government", "",
     "ubnd", ()),
])
# Departments of a provincial People's Committee: key, name, name_en, abbr, ministry key,
# functions, fate on 2025-03-01 (None, ("MERGE", into) or ("CONSOLIDATE", into)).
_DEPTS = _nfc([
    ("snv", "Sở Nội vụ", "Department of Home Affairs", "SNV", "bnv", ("personnel", "emulation_rewards"), None),
    ("stc", "Sở Tài chính", "Department of Finance", "STC", "btc", ("finance_accounting",), None),
    ("skhdt", "Sở Kế hoạch và Đầu tư", "Department of Planning and Investment", "SKHĐT", "bkhdt",
     ("planning_investment",), ("MERGE", "stc")),
    ("stp", "Sở Tư pháp", "Department of Justice", "STP", "btp", ("legal",), None),
    ("sct", "Sở Công Thương", "Department of Industry and Trade", "SCT", "bct", ("industry_trade",), None),
    ("sxd", "Sở Xây dựng", "Department of Construction", "SXD", "bxd", ("construction",), None),
    ("sgtvt", "Sở Giao thông vận tải", "Department of Transport", "SGTVT", "bgtvt", ("transport",),
     ("MERGE", "sxd")),
    ("stnmt", "Sở Tài nguyên và Môi trường", "Department of Natural Resources and Environment", "STNMT",
     "btnmt", ("environment",), ("CONSOLIDATE", "snnmt")),
    ("snnptnt", "Sở Nông nghiệp và Phát triển nông thôn", "Department of Agriculture and Rural Development",
     "SNNPTNT", "bnnptnt", ("agriculture",), ("CONSOLIDATE", "snnmt")),
    ("snnmt", "Sở Nông nghiệp và Môi trường", "Department of Agriculture and Environment", "SNNMT",
     "bnnmt", ("agriculture", "environment"), None),
    ("sgddt", "Sở Giáo dục và Đào tạo", "Department of Education and Training", "SGDĐT", "bgddt",
     ("education",), None),
    ("syt", "Sở Y tế", "Department of Health", "SYT", "byt", ("health",), None),
    ("sldtbxh", "Sở Lao động - Thương binh và Xã hội", "Department of Labour, Invalids and Social Affairs",
     "SLĐTBXH", "bldtbxh", ("social_welfare",), ("MERGE", "snv")),
    ("svhttdl", "Sở Văn hóa, Thể thao và Du lịch", "Department of Culture, Sports and Tourism", "SVHTTDL",
     "bvhttdl", ("culture_sports",), None),
    ("skhcn", "Sở Khoa học và Công nghệ", "Department of Science and Technology", "SKHCN", "bkhcn",
     ("science_technology",), None),
    ("stttt", "Sở Thông tin và Truyền thông", "Department of Information and Communications", "STTTT",
     "btttt", ("information_communications",), ("MERGE", "skhcn")),
    ("sngv", "Sở Ngoại vụ", "Department of Foreign Affairs", "SNgV", "bng", ("foreign_affairs",), None),
    ("bdt", "Ban Dân tộc", "Ethnic Affairs Committee", "BDT", "ubdt", ("ethnic_affairs",), None),
    ("vpub", "Văn phòng Ủy ban nhân dân", "Office of the People's Committee", "VPUBND", "",
     ("office_admin", "public_services"), None),
    ("stt", "Thanh tra", "Inspectorate", "TTr", "ttcp", ("inspection",), None),
])
_DEPT_KEYS_OLD = [d[0] for d in _DEPTS if d[0] != "snnmt"]
_DEPT_KEYS_NEW = [d[0] for d in _DEPTS if d[6] is None]
_P_FRONT = _nfc([
    ("hcc", "Trung tâm Phục vụ hành chính công {tinh}", "Public Administration Service Centre of {tinh_en}",
     "", "centre", "ubnd", "", ("public_services",)),
    ("mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam {tinh}", "Viet Nam Fatherland Front Committee of {tinh_en}",
     "MTTQ", "front", "", "mttq", ("supervision_criticism", "mass_mobilisation")),
    ("ld", "Liên đoàn Lao động {tinh}", "Labour Federation of {tinh_en}", "LĐLĐ", "mass_org", "mttq",
     "ld", ("mass_mobilisation",)),
    ("dtn", "Đoàn Thanh niên Cộng sản Hồ Chí Minh {tinh}", "Ho Chi Minh Communist Youth Union of {tinh_en}",
     "ĐTN", "mass_org", "mttq", "dtn", ("mass_mobilisation", "propaganda")),
    ("pn", "Hội Liên hiệp Phụ nữ {tinh}", "Women's Union of {tinh_en}", "HLHPN", "mass_org", "mttq", "pn",
     ("mass_mobilisation", "social_welfare")),
    ("nd", "Hội Nông dân {tinh}", "Farmers' Union of {tinh_en}", "HND", "mass_org", "mttq", "nd",
     ("mass_mobilisation",)),
    ("ccb", "Hội Cựu chiến binh {tinh}", "Veterans' Association of {tinh_en}", "HCCB", "mass_org", "mttq",
     "ccb", ("mass_mobilisation",)),
])
_MASS = ("ld", "dtn", "pn", "nd", "ccb")
_SHARED = _nfc([
    ("cqk", "Cơ quan tham mưu, giúp việc chung Khối Mặt trận Tổ quốc và các tổ chức chính trị - xã hội {tinh}",
     "Shared Advisory Agency of the Fatherland Front Bloc of {tinh_en}", "CQK", "shared_agency", "mttq", "",
     ("office_admin", "finance_accounting", "supervision_criticism")),
    ("tbkg", "Tiểu ban Kiểm tra - Giám sát, Cơ quan khối {tinh}",
     "Inspection and Supervision Sub-committee of the Front Bloc Agency of {tinh_en}", "", "subcommittee",
     "cqk", "", ("inspection",)),
    ("tbtv", "Tiểu ban Tuyên truyền - Vận động, Cơ quan khối {tinh}",
     "Propaganda and Mobilisation Sub-committee of the Front Bloc Agency of {tinh_en}", "", "subcommittee",
     "cqk", "", ("propaganda", "mass_mobilisation")),
    ("tbdp", "Tiểu ban Dân chủ - Pháp luật, Cơ quan khối {tinh}",
     "Democracy and Law Sub-committee of the Front Bloc Agency of {tinh_en}", "", "subcommittee", "cqk", "",
     ("legal",)),
    ("vpk", "Văn phòng khối, Cơ quan khối {tinh}", "Bloc Office of the Front Bloc Agency of {tinh_en}", "",
     "subcommittee", "cqk", "", ("office_admin",)),
])
_BOARD_OFFICES = _nfc([
    (f"vp{b}", f"Văn phòng {vn} {{uy}}", f"Office of the {en} of the {{uy_en}}", "", "party_office", b, "",
     ("office_admin", "finance_accounting", "transport"))
    for b, vn, en in (("btc", "Ban Tổ chức", "Organisation Board"),
                      ("btg", "Ban Tuyên giáo", "Propaganda and Education Board"),
                      ("bdv", "Ban Dân vận", "Mass Mobilisation Board"),
                      ("bnc", "Ban Nội chính", "Internal Affairs Board"),
                      ("ubkt", "Ủy ban Kiểm tra", "Inspection Committee"))
])

# District: Party bodies, People's Council and Committee, offices, Front.
_D = _nfc([
    ("uy", "{uy}", "{uy_en}", "HU", "party_committee", "", "uy", ()),
    ("btv", "Ban Thường vụ {uy}", "Standing Committee of the {uy_en}", "BTV", "standing_committee", "uy",
     "", ()),
    ("btc", "Ban Tổ chức {uy}", "Organisation Board of the {uy_en}", "BTC", "party_board", "uy", "btc",
     ("personnel",)),
    ("btg", "Ban Tuyên giáo {uy}", "Propaganda and Education Board of the {uy_en}", "BTG", "party_board",
     "uy", "btg", ("propaganda",)),
    ("bdv", "Ban Dân vận {uy}", "Mass Mobilisation Board of the {uy_en}", "BDV", "party_board", "uy",
     "bdv", ("mass_mobilisation",)),
    ("ubkt", "Ủy ban Kiểm tra {uy}", "Inspection Committee of the {uy_en}", "UBKT", "inspection_committee",
     "uy", "ubkt", ("inspection",)),
    ("vp", "Văn phòng {uy}", "Office of the {uy_en}", "VPHU", "party_office", "uy", "vp",
     ("office_admin", "finance_accounting", "transport")),
    ("ttct", "Trung tâm Chính trị {tinh}", "Political Training Centre of {tinh_en}", "TTCT", "centre", "uy",
     "ctr", ("training",)),
    ("hdnd", "Hội đồng nhân dân {tinh}", "People's Council of {tinh_en}", "HĐND", "people_council", "",
     "hdnd", ("legal",)),
    ("ubnd", "Ủy ban nhân dân {tinh}", "People's Committee of {tinh_en}", "UBND", "government", "", "ubnd",
     ()),
    ("pnv", "Phòng Nội vụ {tinh}", "Office of Home Affairs of {tinh_en}", "PNV", "department", "ubnd", "snv",
     ("personnel", "emulation_rewards")),
    ("ptckh", "Phòng Tài chính - Kế hoạch {tinh}", "Office of Finance and Planning of {tinh_en}", "PTCKH",
     "department", "ubnd", "stc", ("finance_accounting", "planning_investment")),
    ("ptp", "Phòng Tư pháp {tinh}", "Office of Justice of {tinh_en}", "PTP", "department", "ubnd", "stp",
     ("legal",)),
    ("pktht", "Phòng Kinh tế và Hạ tầng {tinh}", "Office of Economy and Infrastructure of {tinh_en}",
     "PKTHT", "department", "ubnd", "sxd", ("construction", "industry_trade")),
    ("ptnmt", "Phòng Tài nguyên và Môi trường {tinh}", "Office of Natural Resources and Environment of {tinh_en}",
     "PTNMT", "department", "ubnd", "stnmt", ("environment",)),
    ("pnn", "Phòng Nông nghiệp và Phát triển nông thôn {tinh}", "Office of Agriculture of {tinh_en}", "PNN",
     "department", "ubnd", "snnptnt", ("agriculture",)),
    ("pgd", "Phòng Giáo dục và Đào tạo {tinh}", "Office of Education and Training of {tinh_en}", "PGDĐT",
     "department", "ubnd", "sgddt", ("education",)),
    ("pyt", "Phòng Y tế {tinh}", "Office of Health of {tinh_en}", "PYT", "department", "ubnd", "syt",
     ("health",)),
    ("pld", "Phòng Lao động - Thương binh và Xã hội {tinh}", "Office of Labour and Social Affairs of {tinh_en}",
     "PLĐTBXH", "department", "ubnd", "sldtbxh", ("social_welfare",)),
    ("pvh", "Phòng Văn hóa và Thông tin {tinh}", "Office of Culture and Information of {tinh_en}", "PVHTT",
     "department", "ubnd", "svhttdl", ("culture_sports", "information_communications")),
    ("vpub", "Văn phòng HĐND và UBND {tinh}", "Office of the People's Council and Committee of {tinh_en}",
     "VP", "department", "ubnd", "vpub", ("office_admin", "public_services")),
    ("tt", "Thanh tra {tinh}", "Inspectorate of {tinh_en}", "TTr", "inspectorate", "ubnd", "stt",
     ("inspection",)),
    ("mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam {tinh}", "Viet Nam Fatherland Front Committee of {tinh_en}",
     "MTTQ", "front", "", "mttq", ("supervision_criticism", "mass_mobilisation")),
    ("ld", "Liên đoàn Lao động {tinh}", "Labour Federation of {tinh_en}", "LĐLĐ", "mass_org", "mttq", "ld",
     ("mass_mobilisation",)),
    ("dtn", "Đoàn Thanh niên Cộng sản Hồ Chí Minh {tinh}", "Ho Chi Minh Communist Youth Union of {tinh_en}",
     "ĐTN", "mass_org", "mttq", "dtn", ("mass_mobilisation",)),
    ("pn", "Hội Liên hiệp Phụ nữ {tinh}", "Women's Union of {tinh_en}", "HLHPN", "mass_org", "mttq", "pn",
     ("mass_mobilisation",)),
    ("nd", "Hội Nông dân {tinh}", "Farmers' Union of {tinh_en}", "HND", "mass_org", "mttq", "nd",
     ("mass_mobilisation",)),
    ("ccb", "Hội Cựu chiến binh {tinh}", "Veterans' Association of {tinh_en}", "HCCB", "mass_org", "mttq",
     "ccb", ("mass_mobilisation",)),
])
# When a district ends, what a surviving commune body guided by (or part of) it follows.
_DISTRICT_SUCC = ("uy", "ubkt", "hdnd", "ubnd", "mttq", "dtn", "pn", "nd", "ccb")

# Commune: key, name, name_en, abbr, kind, parent, guide, functions.
_C = _nfc([
    ("uy", "{uy}", "{uy_en}", "ĐU", "party_committee", "", "uy", ()),
    ("btv", "Ban Thường vụ {uy}", "Standing Committee of the {uy_en}", "BTV", "standing_committee", "uy",
     "", ()),
    ("ubkt", "Ủy ban Kiểm tra {uy}", "Inspection Committee of the {uy_en}", "UBKT", "inspection_committee",
     "uy", "ubkt", ("inspection",)),
    ("hdnd", "Hội đồng nhân dân {tinh}", "People's Council of {tinh_en}", "HĐND", "people_council", "", "",
     ("legal",)),
    ("ubnd", "Ủy ban nhân dân {tinh}", "People's Committee of {tinh_en}", "UBND", "government", "", "ubnd",
     ("public_services",)),
    ("mttq", "Ủy ban Mặt trận Tổ quốc Việt Nam {tinh}", "Viet Nam Fatherland Front Committee of {tinh_en}",
     "MTTQ", "front", "", "mttq", ("supervision_criticism", "mass_mobilisation")),
    ("dtn", "Đoàn Thanh niên Cộng sản Hồ Chí Minh {tinh}", "Ho Chi Minh Communist Youth Union of {tinh_en}",
     "ĐTN", "mass_org", "mttq", "dtn", ("mass_mobilisation",)),
    ("pn", "Hội Liên hiệp Phụ nữ {tinh}", "Women's Union of {tinh_en}", "HLHPN", "mass_org", "mttq", "pn",
     ("mass_mobilisation",)),
    ("nd", "Hội Nông dân {tinh}", "Farmers' Union of {tinh_en}", "HND", "mass_org", "mttq", "nd",
     ("mass_mobilisation",)),
    ("ccb", "Hội Cựu chiến binh {tinh}", "Veterans' Association of {tinh_en}", "HCCB", "mass_org", "mttq",
     "ccb", ()),
])
# New offices of every post-reform commune (ESTABLISHed on the reform date).
_C_NEW = _nfc([
    ("vp", "Văn phòng {uy}", "Office of the {uy_en}", "VPĐU", "party_office", "uy", "",
     ("office_admin", "finance_accounting")),
    ("vpub", "Văn phòng HĐND và UBND {tinh}", "Office of the People's Council and Committee of {tinh_en}",
     "VP", "department", "ubnd", "", ("office_admin",)),
    ("pkt", "Phòng Kinh tế {tinh}", "Economic Office of {tinh_en}", "PKT", "department", "ubnd", "",
     ("industry_trade", "agriculture")),
    ("pvhxh", "Phòng Văn hóa - Xã hội {tinh}", "Culture and Social Affairs Office of {tinh_en}", "PVHXH",
     "department", "ubnd", "", ("culture_sports", "social_welfare")),
    ("hcc", "Trung tâm Phục vụ hành chính công {tinh}", "Public Administration Service Centre of {tinh_en}",
     "", "centre", "ubnd", "", ("public_services",)),
])
_C_NEW_KEYS = frozenset(s[0] for s in _C_NEW)

# Posts: person key, unit key, role (skipped when the unit is absent; people made lazily).
_POSTS_P = [
    ("sec", "uy", "secretary"), ("sec", "hdnd", "chair"), ("sec", "btv", "member"),
    ("sdep", "uy", "standing_deputy_secretary"), ("sdep", "btv", "member"),
    ("dep", "uy", "deputy_secretary"), ("dep", "ubnd", "chair"), ("dep", "btv", "member"),
    ("vc1", "ubnd", "vice_chair"), ("vc2", "ubnd", "vice_chair"), ("hvc", "hdnd", "vice_chair"),
    ("h_btc", "btc", "head"), ("h_btc", "btv", "member"), ("dh_btc", "btc", "deputy_head"),
    ("h_btg", "btg", "head"), ("h_btg", "btgdv", "head"), ("dh_btg", "btg", "deputy_head"),
    ("h_bdv", "bdv", "head"), ("h_bdv", "mttq", "chair"), ("h_bdv", "cqk", "head"),
    ("h_bdv", "btv", "member"), ("dh_bdv", "bdv", "deputy_head"), ("dh_bdv", "btgdv", "deputy_head"),
    ("h_bnc", "bnc", "head"), ("h_ubkt", "ubkt", "head"), ("h_ubkt", "btv", "member"),
    ("h_vp", "vp", "head"), ("h_ctr", "ctr", "head"), ("h_dk", "dukcq", "secretary"),
    ("h_hcc", "hcc", "head"),
] + [(f"h_{k}", k, "head") for k in [d[0] for d in _DEPTS]] + [
    (f"h_{k}", k, "chair") for k in _MASS] + [(f"h_{k}", k, "head") for k in ("tbkg", "tbtv", "tbdp", "vpk")]
_POSTS_D = [
    ("sec", "uy", "secretary"), ("sec", "hdnd", "chair"), ("sec", "btv", "member"),
    ("sdep", "uy", "standing_deputy_secretary"), ("sdep", "btv", "member"),
    ("dep", "uy", "deputy_secretary"), ("dep", "ubnd", "chair"), ("dep", "btv", "member"),
    ("vc1", "ubnd", "vice_chair"),
    # seed 001: the Organisation board head heads the Office of Home Affairs, the Inspection
    # Committee head the Inspectorate; the Mass Mobilisation head chairs the Front.
    ("h_btc", "btc", "head"), ("h_btc", "pnv", "head"), ("h_btc", "btv", "member"),
    ("h_btg", "btg", "head"), ("h_bdv", "bdv", "head"), ("h_bdv", "mttq", "chair"),
    ("h_bdv", "cqk", "head"), ("h_ubkt", "ubkt", "head"), ("h_ubkt", "tt", "head"),
    ("h_vp", "vp", "head"), ("h_ttct", "ttct", "head"),
] + [(f"h_{k}", k, "head") for k in ("ptckh", "ptp", "pktht", "ptnmt", "pnn", "pgd", "pyt", "pld",
                                      "pvh", "vpub")] + [(f"h_{k}", k, "chair") for k in _MASS]
_POSTS_C = [
    ("sec", "uy", "secretary"), ("sec", "hdnd", "chair"), ("sec", "btv", "member"),
    ("sdep", "uy", "standing_deputy_secretary"), ("sdep", "ubkt", "head"),
    ("dep", "uy", "deputy_secretary"), ("dep", "ubnd", "chair"),
    ("vc", "ubnd", "vice_chair"), ("mt", "mttq", "chair"),
    ("h_dtn", "dtn", "secretary"), ("h_pn", "pn", "chair"), ("h_nd", "nd", "chair"),
    ("h_ccb", "ccb", "chair"),
    ("h_vp", "vp", "head"), ("h_vpub", "vpub", "head"), ("h_pkt", "pkt", "head"),
    ("h_pvhxh", "pvhxh", "head"), ("h_hcc", "hcc", "head"),
]

# Approved headcount ranges by (level, kind); a kind absent here has no headcount row.
_HC = {
    ("province", "party_board"): (12, 30), ("province", "inspection_committee"): (15, 30),
    ("province", "party_office"): (40, 90), ("province", "centre"): (20, 60),
    ("province", "party_committee"): (8, 20), ("province", "people_council"): (20, 40),
    ("province", "government"): (10, 20), ("province", "department"): (40, 150),
    ("province", "inspectorate"): (30, 60), ("province", "front"): (20, 35),
    ("province", "mass_org"): (15, 40), ("province", "shared_agency"): (15, 30),
    ("province", "subcommittee"): (4, 10),
    ("district", "party_board"): (5, 10), ("district", "inspection_committee"): (5, 9),
    ("district", "party_office"): (10, 20), ("district", "centre"): (4, 8),
    ("district", "people_council"): (3, 6), ("district", "government"): (3, 6),
    ("district", "department"): (6, 15), ("district", "inspectorate"): (5, 9),
    ("district", "front"): (5, 9), ("district", "mass_org"): (3, 7),
    ("district", "shared_agency"): (14, 24), ("district", "subcommittee"): (2, 5),
    ("commune", "party_committee"): (3, 6), ("commune", "government"): (15, 23),
    ("commune", "front"): (2, 4), ("commune", "party_office"): (4, 8),
    ("commune", "department"): (4, 10), ("commune", "centre"): (4, 8),
}

_DOCS = _nfc([
    ("nq-18-tw", "18-NQ/TW", "Nghị quyết Hội nghị Trung ương 6 khóa XII một số vấn đề về tiếp tục đổi mới, "
     "sắp xếp tổ chức bộ máy của hệ thống chính trị tinh gọn, hoạt động hiệu lực, hiệu quả",
     "Ban Chấp hành Trung ương", "2017-10-25"),
    ("nq-19-tw", "19-NQ/TW", "Nghị quyết Hội nghị Trung ương 6 khóa XII về tiếp tục đổi mới hệ thống tổ chức "
     "và quản lý, nâng cao chất lượng và hiệu quả hoạt động của các đơn vị sự nghiệp công lập",
     "Ban Chấp hành Trung ương", "2017-10-25"),
    ("qd-290-tw", "290-QĐ/TW", "Quy chế công tác dân vận của hệ thống chính trị", "Bộ Chính trị",
     "2010-02-25"),
    ("qd-212-tw", "212-QĐ/TW", "Quy định về cơ quan tham mưu, giúp việc chung Khối Mặt trận Tổ quốc và "
     "các tổ chức chính trị - xã hội", "Ban Chấp hành Trung ương", "2019-12-30"),
    ("nd-61-2018", "61/2018/NĐ-CP", "Nghị định về thực hiện cơ chế một cửa, một cửa liên thông trong giải "
     "quyết thủ tục hành chính", "Chính phủ", "2018-04-23"),
    ("nq-176-qh15", "176/2025/QH15", "Nghị quyết về cơ cấu tổ chức của Chính phủ nhiệm kỳ Quốc hội khóa XV",
     "Quốc hội", "2025-02-18"),
    ("nq-60-tw", "60-NQ/TW", "Nghị quyết Hội nghị Trung ương 11 khóa XIII", "Ban Chấp hành Trung ương",
     "2025-04-12"),
    ("nq-202-qh15", "202/2025/QH15", "Nghị quyết về việc sắp xếp đơn vị hành chính cấp tỉnh", "Quốc hội",
     "2025-06-12"),
    ("luat-72-qh15", "72/2025/QH15", "Luật Tổ chức chính quyền địa phương", "Quốc hội", "2025-06-16"),
])

# Central level: id, name, name_en, abbr, kind, parent, valid_from, functions, guide key.
_CENTRAL = _nfc([
    ("vn", "Nước Cộng hòa xã hội chủ nghĩa Việt Nam", "Socialist Republic of Viet Nam", "CHXHCNVN", "other",
     "", "1976-07-02", ()),
    ("tw", "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam",
     "Central Committee of the Communist Party of Viet Nam", "BCHTW", "party_committee", "vn", "1930-02-03", ()),
    ("tw-bct", "Bộ Chính trị", "Politburo", "BCT", "standing_committee", "tw", "", ()),
    ("tw-bbt", "Ban Bí thư Trung ương Đảng", "Secretariat of the Central Committee", "BBT", "standing_committee",
     "tw", "", ()),
    ("tw-btc", "Ban Tổ chức Trung ương", "Central Organisation Commission", "BTCTW", "party_board", "tw", "",
     ("personnel",)),
    ("tw-btg", "Ban Tuyên giáo Trung ương", "Central Propaganda and Education Commission", "BTGTW",
     "party_board", "tw", "", ("propaganda",)),
    ("tw-bdv", "Ban Dân vận Trung ương", "Central Mass Mobilisation Commission", "BDVTW", "party_board", "tw",
     "", ("mass_mobilisation",)),
    ("tw-bnc", "Ban Nội chính Trung ương", "Central Internal Affairs Commission", "BNCTW", "party_board", "tw",
     "", ("internal_affairs",)),
    ("tw-ubkt", "Ủy ban Kiểm tra Trung ương", "Central Inspection Commission", "UBKTTW",
     "inspection_committee", "tw", "", ("inspection",)),
    ("tw-vp", "Văn phòng Trung ương Đảng", "Office of the Party Central Committee", "VPTW", "party_office",
     "tw", "", ("office_admin", "finance_accounting")),
    ("tw-hvct", "Học viện Chính trị quốc gia Hồ Chí Minh", "Ho Chi Minh National Academy of Politics", "HVCTQG",
     "centre", "tw", "", ("training",)),
    ("qh", "Quốc hội", "National Assembly", "QH", "other", "vn", "", ("legal",)),
    ("cp", "Chính phủ", "Government", "CP", "government", "vn", "", ()),
    ("cp-bnv", "Bộ Nội vụ", "Ministry of Home Affairs", "BNV", "ministry", "cp", "", ("personnel",)),
    ("cp-btc", "Bộ Tài chính", "Ministry of Finance", "BTC", "ministry", "cp", "", ("finance_accounting",)),
    ("cp-bkhdt", "Bộ Kế hoạch và Đầu tư", "Ministry of Planning and Investment", "BKHĐT", "ministry", "cp", "",
     ("planning_investment",)),
    ("cp-btp", "Bộ Tư pháp", "Ministry of Justice", "BTP", "ministry", "cp", "", ("legal",)),
    ("cp-bct", "Bộ Công Thương", "Ministry of Industry and Trade", "BCT", "ministry", "cp", "",
     ("industry_trade",)),
    ("cp-bxd", "Bộ Xây dựng", "Ministry of Construction", "BXD", "ministry", "cp", "", ("construction",)),
    ("cp-bgtvt", "Bộ Giao thông vận tải", "Ministry of Transport", "BGTVT", "ministry", "cp", "",
     ("transport",)),
    ("cp-btnmt", "Bộ Tài nguyên và Môi trường", "Ministry of Natural Resources and Environment", "BTNMT",
     "ministry", "cp", "", ("environment",)),
    ("cp-bnnptnt", "Bộ Nông nghiệp và Phát triển nông thôn", "Ministry of Agriculture and Rural Development",
     "BNNPTNT", "ministry", "cp", "", ("agriculture",)),
    ("cp-bnnmt", "Bộ Nông nghiệp và Môi trường", "Ministry of Agriculture and Environment", "BNNMT",
     "ministry", "cp", GOV_REFORM, ("agriculture", "environment")),
    ("cp-bgddt", "Bộ Giáo dục và Đào tạo", "Ministry of Education and Training", "BGDĐT", "ministry", "cp", "",
     ("education",)),
    ("cp-byt", "Bộ Y tế", "Ministry of Health", "BYT", "ministry", "cp", "", ("health",)),
    ("cp-bldtbxh", "Bộ Lao động - Thương binh và Xã hội", "Ministry of Labour, Invalids and Social Affairs",
     "BLĐTBXH", "ministry", "cp", "", ("social_welfare",)),
    ("cp-bvhttdl", "Bộ Văn hóa, Thể thao và Du lịch", "Ministry of Culture, Sports and Tourism", "BVHTTDL",
     "ministry", "cp", "", ("culture_sports",)),
    ("cp-bkhcn", "Bộ Khoa học và Công nghệ", "Ministry of Science and Technology", "BKHCN", "ministry", "cp",
     "", ("science_technology",)),
    ("cp-btttt", "Bộ Thông tin và Truyền thông", "Ministry of Information and Communications", "BTTTT",
     "ministry", "cp", "", ("information_communications",)),
    ("cp-bng", "Bộ Ngoại giao", "Ministry of Foreign Affairs", "BNG", "ministry", "cp", "",
     ("foreign_affairs",)),
    ("cp-ubdt", "Ủy ban Dân tộc", "Committee for Ethnic Minority Affairs", "UBDT", "ministry", "cp", "",
     ("ethnic_affairs",)),
    ("cp-bqp", "Bộ Quốc phòng", "Ministry of National Defence", "BQP", "ministry", "cp", "", ()),
    ("cp-bca", "Bộ Công an", "Ministry of Public Security", "BCA", "ministry", "cp", "", ()),
    ("cp-ttcp", "Thanh tra Chính phủ", "Government Inspectorate", "TTCP", "inspectorate", "cp", "",
     ("inspection",)),
    ("tw-mttq", "Ủy ban Trung ương Mặt trận Tổ quốc Việt Nam", "Central Committee of the Viet Nam Fatherland Front",
     "MTTQVN", "front", "vn", "", ("supervision_criticism", "mass_mobilisation")),
    ("tw-ld", "Tổng Liên đoàn Lao động Việt Nam", "Viet Nam General Confederation of Labour", "TLĐLĐVN",
     "mass_org", "tw-mttq", "", ("mass_mobilisation",)),
    ("tw-dtn", "Trung ương Đoàn Thanh niên Cộng sản Hồ Chí Minh",
     "Central Committee of the Ho Chi Minh Communist Youth Union", "TWĐ", "mass_org", "tw-mttq", "",
     ("mass_mobilisation",)),
    ("tw-pn", "Trung ương Hội Liên hiệp Phụ nữ Việt Nam", "Central Committee of the Viet Nam Women's Union",
     "TWHLHPNVN", "mass_org", "tw-mttq", "", ("mass_mobilisation",)),
    ("tw-nd", "Trung ương Hội Nông dân Việt Nam", "Central Committee of the Viet Nam Farmers' Union", "TWHND",
     "mass_org", "tw-mttq", "", ("mass_mobilisation",)),
    ("tw-ccb", "Trung ương Hội Cựu chiến binh Việt Nam", "Central Committee of the Viet Nam Veterans' Association",
     "TWHCCB", "mass_org", "tw-mttq", "", ("mass_mobilisation",)),
])
# The key -> id map the provincial bodies look up for GUIDED_BY.
_CENTRAL_GUIDE = {
    "uy": "tw", "btc": "tw-btc", "btg": "tw-btg", "bdv": "tw-bdv", "bnc": "tw-bnc", "ubkt": "tw-ubkt",
    "vp": "tw-vp", "hdnd": "qh", "ubnd": "cp", "mttq": "tw-mttq", "ld": "tw-ld", "dtn": "tw-dtn",
    "pn": "tw-pn", "nd": "tw-nd", "ccb": "tw-ccb",
    **{d[0]: f"cp-{d[4]}" for d in _DEPTS if d[4]},
}
_MINISTRY_REFORM = (  # (type, inputs, output)
    ("MERGE", ("cp-bkhdt",), "cp-btc"), ("MERGE", ("cp-bgtvt",), "cp-bxd"),
    ("MERGE", ("cp-btttt",), "cp-bkhcn"), ("MERGE", ("cp-bldtbxh",), "cp-bnv"),
    ("CONSOLIDATE", ("cp-btnmt", "cp-bnnptnt"), "cp-bnnmt"),
)


class _Generator:
    def __init__(self, provinces: int, seed: int, progress: Callable[[str, int], None] | None):
        if provinces < 1:
            raise ValueError("provinces must be at least 1")
        self.n = provinces
        self.rng = random.Random(seed)
        self.src = f"synth:seed={seed}"
        self.progress = progress
        self.units: list[tuple] = []
        self.start: dict[str, str] = {}
        self.end: dict[str, str] = {}
        self.level: dict[str, str] = {}
        self.kind: dict[str, str] = {}
        self.name: dict[str, str] = {}
        self.rel_specs: list[tuple[str, str, str, str]] = []
        self.functions: list[tuple] = []
        self.headcount: list[tuple] = []
        self.people: list[tuple] = []
        self.posts: list[tuple] = []
        self.events: list[tuple] = []
        self.documents: list[tuple] = []
        self.succ: dict[str, str] = {}
        self.approved: dict[str, int] = {}
        self._pid = 0

    # --- primitives ---------------------------------------------------------------------
    def unit(self, uid: str, name: str, name_en: str, abbr: str, kind: str, level: str, area: str = "",
             start: str = "", end: str = "", note: str = "") -> str:
        self.units.append((uid, name, name_en, abbr, kind, level, area, start, end, note, self.src))
        self.name[uid] = name
        self.start[uid] = start
        self.end[uid] = end
        self.level[uid] = level
        self.kind[uid] = kind
        return uid

    def rel(self, source: str, type_: str, target: str, start: str = "") -> None:
        self.rel_specs.append((source, type_, target, start))

    def func(self, uid: str, key: str, start: str = "", end: str = "") -> None:
        s = max(start, self.start[uid])
        e = _end_min(end, self.end[uid])
        if not e or s < e:
            self.functions.append((uid, key, s, e, self.src))

    def person(self) -> str:
        self._pid += 1
        rng = self.rng
        if rng.random() < 0.3:
            name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE_F)} {rng.choice(_GIVEN_F)}"
        else:
            name = f"{rng.choice(_FAMILY)} {rng.choice(_MIDDLE_M)} {rng.choice(_GIVEN_M)}"
        pid = f"ng{self._pid:06d}"
        self.people.append((pid, name, self.src))
        return pid

    def post(self, pid: str, uid: str, role: str, start: str) -> None:
        s = max(start, self.start[uid])
        e = self.end[uid]
        if not e or s < e:
            self.posts.append((pid, uid, role, s, e, self.src))

    def staff(self, table: list[tuple[str, str, str]], ids: dict[str, str], start: str,
              people: dict[str, str] | None = None) -> dict[str, str]:
        """Fill the posts of `table` for the units in `ids`; reuse `people` (person key -> id)."""
        people = {} if people is None else people
        for pkey, ukey, role in table:
            uid = ids.get(ukey)
            if uid is None:
                continue
            pid = people.get(pkey)
            if pid is None:
                pid = people[pkey] = self.person()
            self.post(pid, uid, role, start)
        return people

    def hc(self, uid: str, date: str, value: int, basis: str) -> None:
        day = _day(date)
        if day < _day(self.start[uid] or "0001") or (self.end[uid] and day >= self.end[uid]):
            return
        self.headcount.append((uid, date, value, basis, self.src))
        if basis == "approved":
            self.approved[uid] = value

    def headcount_history(self, ids: Iterable[str]) -> None:
        rng = self.rng
        for uid in ids:
            span = _HC.get((self.level[uid], self.kind[uid]))
            if span is None:
                continue
            approved = rng.randint(*span)
            self.hc(uid, "2016", approved, "approved")
            actual = approved - rng.randint(0, max(1, approved // 6))
            self.hc(uid, "2020-12-31", actual, "actual")

    def event(self, eid: str, date: str, type_: str, inputs: Iterable[str] = (), outputs: Iterable[str] = (),
              basis: Iterable[str] = (), description: str = "") -> None:
        self.events.append((eid, date, type_, ";".join(inputs), ";".join(outputs), ";".join(basis),
                            description, self.src))

    def bodies(self, prefix: str, specs, names: _Names, level: str, area: str, ids: dict[str, str],
               guide: dict[str, str] | None, start: str, end: str, note: str = "",
               fn_start: str = "") -> list[str]:
        """Create the bodies of `specs` under the territorial unit `area`; record them in `ids`."""
        made = []
        for key, name, name_en, abbr, kind, parent, gkey, fns in specs:
            uid = self.unit(f"{prefix}-{key}", names.fmt(name), names.fmt(name_en), abbr, kind, level,
                            area, start, end, note)
            ids[key] = uid
            made.append(uid)
            self.rel(uid, "PART_OF", ids[parent] if parent else area)
            if gkey and guide is not None and gkey in guide:
                self.rel(uid, "GUIDED_BY", guide[gkey])
            for fn in fns:
                self.func(uid, fn, fn_start)
        return made

    # --- levels ---------------------------------------------------------------------------
    def central(self) -> None:
        for uid, name, name_en, abbr, kind, parent, start, fns in _CENTRAL:
            end = ""
            for _type, inputs, _out in _MINISTRY_REFORM:
                if uid in inputs:
                    end = GOV_REFORM
            self.unit(uid, name, name_en, abbr, kind, "central", "", start, end)
            if parent:
                self.rel(uid, "PART_OF", parent)
            for fn in fns:
                self.func(uid, fn)
        for type_, inputs, out in _MINISTRY_REFORM:
            for i in inputs:
                self.succ[i] = out
            self.event(f"ev-2025-{out}-{'-'.join(i[3:] for i in inputs)}", GOV_REFORM, type_, inputs, (out,),
                       ("nq-176-qh15",), "Sắp xếp tổ chức bộ máy Chính phủ (synthetic)")
        self.staff([("p1", "tw", "secretary"), ("p2", "cp", "chair"), ("p3", "qh", "chair"),
                    ("p4", "tw-mttq", "chair"), ("p5", "tw-btc", "head"), ("p5", "tw-bct", "member"),
                    ("p1", "tw-bct", "member"), ("p2", "tw-bct", "member"), ("p3", "tw-bct", "member"),
                    ("p6", "tw-ubkt", "head"), ("p7", "tw-bdv", "head"), ("p8", "tw-btg", "head")],
                   {u[0]: u[0] for u in _CENTRAL}, "2021-01-31")
        for did, code, title, issuer, date in _DOCS:
            self.documents.append((did, code, title, issuer, date, "", self.src))

    def plan_provinces(self) -> list[list[int]]:
        """Groups of province numbers that consolidate (about 63 -> 34), sorted."""
        n = self.n
        target = max(1, round(n * 34 / 63))
        reduction = n - target
        triples = round(reduction * 6 / 29)
        pairs = reduction - 2 * triples
        while triples > 0 and (pairs < 0 or 2 * pairs + 3 * triples > n):
            triples -= 1
            pairs = reduction - 2 * triples
        order = list(range(1, n + 1))
        self.rng.shuffle(order)
        groups, i = [], 0
        for size in [3] * triples + [2] * pairs:
            groups.append(sorted(order[i:i + size]))
            i += size
        return sorted(groups)

    def province(self, i: int, place: str, city: bool, consolidated: bool) -> dict:
        rng = self.rng
        c = f"p{i:02d}"
        nm = _province_names(place, city)
        end = REFORM if consolidated else ""
        base = PROVINCE_BASE
        ids: dict[str, str] = {}
        made: list[str] = []
        self.unit(c, nm.unit, nm.unit_en, "", "province", "province", "", base, end)
        ids["area"] = c
        self.rel(c, "PART_OF", "vn")
        made += self.bodies(c, [s for s in _P if s[0] != "btgdv"], nm, "province", c, ids, _CENTRAL_GUIDE,
                            base, end)
        # Departments; five end on 2025-03-01 (MERGE / CONSOLIDATE), Agriculture and Environment starts.
        for key, vn, en, abbr, mkey, fns, fate in _DEPTS:
            kind = "inspectorate" if key == "stt" else "department"
            start = GOV_REFORM if key == "snnmt" else base
            d_end = GOV_REFORM if fate else end
            if start == GOV_REFORM and end and end <= start:
                continue
            uid = self.unit(f"{c}-{key}", f"{vn} {nm.lower}", f"{en} of {nm.unit_en}", abbr, kind, "province",
                            c, start, d_end)
            ids[key] = uid
            made.append(uid)
            self.rel(uid, "PART_OF", ids["ubnd"])
            if mkey:
                self.rel(uid, "GUIDED_BY", _CENTRAL_GUIDE[key])
            for fn in fns:
                if key == "vpub" and fn == "public_services":
                    continue  # added below, until the service centre takes it over
                self.func(uid, fn)
        for key, _vn, _en, _abbr, _m, _f, fate in _DEPTS:
            if fate:
                self.succ[ids[key]] = f"{c}-{fate[1]}"
        merge_basis = ("nq-176-qh15", f"{c}-kh-2025")
        for into in ("stc", "sxd", "skhcn", "snv"):
            inputs = [ids[d[0]] for d in _DEPTS if d[6] == ("MERGE", into)]
            self.event(f"ev-{c}-{into}-2025", GOV_REFORM, "MERGE", inputs, (ids[into],), merge_basis,
                       f"Hợp nhất vào {ids[into]} (synthetic)")
        self.event(f"ev-{c}-snnmt-2025", GOV_REFORM, "CONSOLIDATE", (ids["stnmt"], ids["snnptnt"]),
                   (ids["snnmt"],), merge_basis, "Thành lập Sở Nông nghiệp và Môi trường (synthetic)")
        # Public administration service centre takes over public services from the PC office.
        hcc_date = f"{rng.choice((2018, 2019))}-{rng.randint(7, 12):02d}-01"
        made += self.bodies(c, _P_FRONT[:1], nm, "province", c, ids, None, hcc_date, end)
        self.func(ids["vpub"], "public_services", "", hcc_date)
        self.event(f"ev-{c}-hcc", hcc_date, "ESTABLISH", (), (ids["hcc"],), ("nd-61-2018",),
                   f"Thành lập Trung tâm Phục vụ hành chính công {nm.lower} (synthetic)")
        self.event(f"ev-{c}-hcc-fn", hcc_date, "TRANSFER_FUNCTION", (ids["vpub"],), (ids["hcc"],),
                   ("nd-61-2018",), "public_services: Văn phòng UBND → Trung tâm Phục vụ hành chính công")
        made += self.bodies(c, _P_FRONT[1:], nm, "province", c, ids, _CENTRAL_GUIDE, base, end)
        # Seed 002: the offices of the Party boards fold into the Party Committee Office.
        off_date = f"2018-{rng.randint(7, 12):02d}-01"
        offices = self.bodies(c, _BOARD_OFFICES, nm, "province", c, ids, None, base, off_date)
        made += offices
        for o in offices:
            self.succ[o] = ids["vp"]
        self.func(ids["vp"], "transport", off_date)
        for b in ("btc", "btg", "bdv", "bnc", "ubkt"):
            self.rel(ids["vp"], "SERVES", ids[b], off_date)
        plan_no = 60 + rng.randint(1, 60)
        self.documents.append((f"{c}-kh-18", f"{plan_no}-KH/TU", f"Kế hoạch thực hiện Nghị quyết 18-NQ/TW "
                               f"của {nm.uy} (synthetic)", nm.uy, f"2018-0{rng.randint(1, 5)}", "", self.src))
        self.documents.append((f"{c}-kh-2025", f"{plan_no + 100}-KH/TU", f"Kế hoạch sắp xếp tổ chức bộ máy "
                               f"năm 2025 của {nm.uy} (synthetic)", nm.uy, "2025-01", "", self.src))
        self.event(f"ev-{c}-vptu-2018", off_date, "MERGE", offices, (ids["vp"],), ("nq-18-tw", f"{c}-kh-18"),
                   f"Sáp nhập văn phòng các ban đảng vào Văn phòng {nm.uy}")
        # Seed 000: the shared advisory agency of the Front bloc (after Regulation 212-QĐ/TW).
        cqk_date = f"2020-{rng.randint(2, 12):02d}-01"
        shared = self.bodies(c, _SHARED, nm, "province", c, ids, None, cqk_date, end)
        made += shared
        for target in ("mttq",) + _MASS:
            self.rel(ids["cqk"], "SERVES", ids[target])
        self.event(f"ev-{c}-cqk", cqk_date, "ESTABLISH", (), shared, ("qd-212-tw", "nq-18-tw"),
                   f"Thành lập cơ quan tham mưu, giúp việc chung Khối MTTQ và các tổ chức CT-XH {nm.lower}")
        self.headcount_history(made)
        people = self.staff(_POSTS_P, ids, f"2020-{rng.randint(9, 10):02d}-15")
        return {"code": c, "names": nm, "ids": ids, "made": made, "people": people, "city": city}

    def district(self, prov: dict, j: int, place: str, communes: list[tuple[str, bool, int]]) -> dict:
        """One district; `communes` lists (place, ward, group size) for its communes."""
        rng = self.rng
        d = f"{prov['code']}-d{j:02d}"
        nm = _district_names(place, j)
        start = f"{rng.randint(2009, 2014)}-01-01"
        ids: dict[str, str] = {}
        self.unit(d, nm.unit, nm.unit_en, "", "district", "district", "", start, REFORM)
        ids["area"] = d
        self.rel(d, "PART_OF", prov["ids"]["area"])
        made = [d] + self.bodies(d, _D, nm, "district", d, ids, prov["ids"], start, REFORM)
        for key in _DISTRICT_SUCC:
            self.succ[ids[key]] = prov["ids"][key]
        self.succ[d] = prov["ids"]["area"]
        # Seed 004: a pilot shared bloc agency in some districts.
        if rng.random() < 0.3:
            pilot = f"{rng.choice((2018, 2019))}-{rng.randint(1, 12):02d}-01"
            shared = self.bodies(d, _SHARED, nm, "district", d, ids, None, pilot, REFORM)
            made += shared
            for target in ("mttq",) + _MASS:
                self.rel(ids["cqk"], "SERVES", ids[target])
            self.event(f"ev-{d}-cqk", pilot, "ESTABLISH", (), shared, ("nq-18-tw",),
                       f"Thí điểm cơ quan tham mưu, giúp việc chung khối MTTQ và các đoàn thể {nm.lower}")
        # Seed 001: the political training centre's training function moves to the Propaganda board.
        if rng.random() < 0.35:
            moved = f"2019-{rng.randint(1, 12):02d}-01"
            self._cut_function(ids["ttct"], "training", moved)
            self.func(ids["btg"], "training", moved)
            self.event(f"ev-{d}-training", moved, "TRANSFER_FUNCTION", (ids["ttct"],), (ids["btg"],),
                       ("nq-18-tw",), "training: Trung tâm Chính trị → Ban Tuyên giáo")
        self.headcount_history(made)
        people = self.staff(_POSTS_D, ids, f"2020-0{rng.randint(6, 8)}-01")
        # Communes.
        old_communes = []
        for k, (cplace, ward, gsize) in enumerate(communes, start=1):
            old_communes.append(self.commune(d, k, cplace, ward, ids, consolidated=gsize > 1))
        self.event(f"ev-{d}-dissolve", REFORM, "DISSOLVE", made, (),
                   ("nq-60-tw", "luat-72-qh15"), f"Kết thúc hoạt động của {nm.unit} (không tổ chức cấp huyện)")
        del people
        return {"code": d, "names": nm, "communes": old_communes, "groups": [c[2] for c in communes]}

    def _cut_function(self, uid: str, key: str, date: str) -> None:
        for idx in range(len(self.functions) - 1, -1, -1):
            row = self.functions[idx]
            if row[0] == uid and row[1] == key:
                self.functions[idx] = (uid, key, row[2], _end_min(date, row[3]), row[4])
                return

    def commune(self, district: str, k: int, place: str, ward: bool, dids: dict[str, str],
                consolidated: bool) -> dict:
        rng = self.rng
        x = f"{district}-c{k:02d}"
        nm = _commune_names(place, ward)
        start = max(self.start[district], f"{rng.randint(2009, 2015)}-01-01")
        end = REFORM if consolidated else ""
        ids: dict[str, str] = {}
        self.unit(x, nm.unit, nm.unit_en, "", "commune", "commune", "", start, end)
        ids["area"] = x
        self.rel(x, "PART_OF", district)
        self.bodies(x, _C, nm, "commune", x, ids, dids, start, end)
        cells = []
        for n in range(1, rng.randint(4, 9) + 1):
            what = "khu phố" if ward else "thôn"
            cid = self.unit(f"{x}-cb{n:02d}", f"Chi bộ {what} {n}, {nm.uy}",
                            f"Party cell of {'quarter' if ward else 'village'} {n}, {nm.uy_en}", "",
                            "party_cell", "commune", x, start, "")
            self.rel(cid, "PART_OF", ids["uy"])
            cells.append(cid)
        self.headcount_history((ids["uy"], ids["ubnd"], ids["mttq"]))
        people = self.staff(_POSTS_C, ids, f"2020-0{rng.randint(5, 7)}-01")
        return {"code": x, "names": nm, "ids": ids, "people": people, "ward": ward}

    def new_province(self, g: int, olds: list[dict]) -> dict:
        t = f"t{g:02d}"
        anchor = olds[0]
        nm = _province_names(anchor["names"].place, anchor["city"])
        note = "Hợp nhất từ " + ", ".join(o["names"].unit for o in olds)
        ids: dict[str, str] = {}
        self.unit(t, nm.unit, nm.unit_en, "", "province", "province", "", REFORM, "", note)
        ids["area"] = t
        self.rel(t, "PART_OF", "vn")
        specs = [s for s in _P if s[0] not in ("btg", "bdv")]
        made = self.bodies(t, specs, nm, "province", t, ids, _CENTRAL_GUIDE, REFORM, "")
        for key, vn, en, abbr, mkey, fns, fate in _DEPTS:
            if fate:
                continue
            kind = "inspectorate" if key == "stt" else "department"
            uid = self.unit(f"{t}-{key}", f"{vn} {nm.lower}", f"{en} of {nm.unit_en}", abbr, kind, "province",
                            t, REFORM, "")
            ids[key] = uid
            made.append(uid)
            self.rel(uid, "PART_OF", ids["ubnd"])
            if mkey:
                self.rel(uid, "GUIDED_BY", _CENTRAL_GUIDE[key])
            for fn in fns:
                if not (key == "vpub" and fn == "public_services"):
                    self.func(uid, fn)
        made += self.bodies(t, _P_FRONT, nm, "province", t, ids, _CENTRAL_GUIDE, REFORM, "")
        made += self.bodies(t, _SHARED, nm, "province", t, ids, None, REFORM, "")
        for target in ("mttq",) + _MASS:
            self.rel(ids["cqk"], "SERVES", ids[target])
        for b in ("btc", "btgdv", "bnc", "ubkt"):
            self.rel(ids["vp"], "SERVES", ids[b])
        self.func(ids["vp"], "transport")
        # One CONSOLIDATE per body; Propaganda and Mass Mobilisation boards fold into one.
        basis = ("nq-60-tw", "nq-202-qh15")
        for key, uid in ids.items():
            src = ("btg", "bdv") if key == "btgdv" else (key,)
            inputs = [o["ids"][s] for o in olds for s in src]
            for i in inputs:
                self.succ[i] = uid
            self.event(f"ev-{uid}", REFORM, "CONSOLIDATE", inputs, (uid,), basis,
                       f"Hợp nhất {len(inputs)} đơn vị thành {self.name[uid]}")
            total = sum(self.approved.get(i, 0) for i in inputs)
            if total:
                self.hc(uid, REFORM, max(1, int(total * 0.85)), "approved")
        people = dict(anchor["people"])
        self.staff(_POSTS_P, ids, REFORM, people)
        return {"code": t, "names": nm, "ids": ids, "people": people, "city": anchor["city"]}

    def new_communes(self, prov_after: dict, districts: list[dict], counter: list[int]) -> None:
        """The post-reform communes of one old province's districts, under `prov_after`."""
        pids = prov_after["ids"]
        basis = ("nq-60-tw", "luat-72-qh15", f"{prov_after['code']}-nq-xa")
        for dist in districts:
            old = dist["communes"]
            i = 0
            for size in dist["groups_plan"]:
                group = old[i:i + size]
                i += size
                anchor = group[0]
                if size == 1:
                    ids = dict(anchor["ids"])
                    nm = anchor["names"]
                    people = anchor["people"]
                    table = [row for row in _POSTS_C if row[1] in _C_NEW_KEYS]
                else:
                    counter[0] += 1
                    x = f"{prov_after['code']}-x{counter[0]:03d}"
                    nm = anchor["names"]
                    ids = {}
                    note = "Hợp nhất từ " + ", ".join(o["names"].unit for o in group)
                    self.unit(x, nm.unit, nm.unit_en, "", "commune", "commune", "", REFORM, "", note)
                    ids["area"] = x
                    self.rel(x, "PART_OF", pids["area"])
                    self.bodies(x, _C, nm, "commune", x, ids, pids, REFORM, "")
                    for key, uid in ids.items():
                        inputs = [o["ids"][key] for o in group]
                        for u in inputs:
                            self.succ[u] = uid
                        self.event(f"ev-{uid}", REFORM, "CONSOLIDATE", inputs, (uid,), basis,
                                   f"Sắp xếp đơn vị hành chính cấp xã: {len(inputs)} → 1")
                        total = sum(self.approved.get(u, 0) for u in inputs)
                        if total:
                            self.hc(uid, REFORM, max(1, int(total * 0.8)), "approved")
                    people = dict(anchor["people"])
                    table = _POSTS_C
                x = ids["area"]
                new = self.bodies(x, _C_NEW, nm, "commune", x, ids, None, REFORM, "")
                self.event(f"ev-{x}-offices", REFORM, "ESTABLISH", (), new, ("luat-72-qh15",),
                           f"Thành lập các cơ quan chuyên môn của {nm.unit}")
                rng = self.rng
                for uid in new:
                    span = _HC.get(("commune", self.kind[uid]))
                    if span:
                        self.hc(uid, REFORM, rng.randint(*span), "approved")
                self.staff(table, ids, REFORM, people)

    # --- relations ------------------------------------------------------------------------
    def relation_rows(self) -> list[tuple]:
        """Relations clipped to their units' lifetimes; an ended target is followed to its successor."""
        start_of, end_of, succ, src = self.start, self.end, self.succ, self.src
        rows: list[tuple[str, ...]] = []
        append = rows.append
        for source, type_, target, start in self.rel_specs:
            s_end = end_of[source]
            s = max(start, start_of[source])
            while True:
                s = max(s, start_of[target])
                t_end = end_of[target]
                e = _end_min(s_end, t_end)
                if not e or s < e:
                    append((source, type_, target, s, e, "", src))
                if not t_end or (s_end and s_end <= t_end):
                    break
                nxt = succ.get(target)
                if nxt is None:
                    break
                s, target = t_end, nxt
        return rows

    def moved_areas(self) -> list[tuple]:
        """The units that stay open across the end of their area (the Party cells of a
        consolidated commune, which follow their parent to the new commune): each gets the
        area's successor as its `area` in units.csv, and a names.csv row (its own name, the
        former area) for the days before, until the date the area ended. Returns the rows."""
        end_of, succ, src = self.end, self.succ, self.src
        rows: list[tuple] = []
        for idx, unit in enumerate(self.units):
            uid, name, name_en, abbr, _kind, _level, area, start, end = unit[:9]
            if not area:
                continue
            first = area
            while True:
                ended = end_of[area]
                if not ended or (end and end <= ended):
                    break
                nxt = succ.get(area)
                if nxt is None:
                    raise ValueError(f"synth: {uid} outlives its area {area}, which has no successor")
                rows.append((uid, name, name_en, abbr, area, start, ended, src))
                start, area = ended, nxt
            if area != first:
                self.units[idx] = unit[:6] + (area,) + unit[7:]
        return rows

    # --- the whole -------------------------------------------------------------------------
    def run(self) -> dict[str, list[tuple]]:
        rng = self.rng
        self.central()
        groups = self.plan_provinces()
        group_of = {p: gi for gi, g in enumerate(groups) for p in g}
        places = rng.sample(_PLACES, min(self.n, len(_PLACES)))
        provinces = []
        n_cities = max(1, round(self.n * 5 / 63))
        for i in range(1, self.n + 1):
            place = places[i - 1] if i <= len(places) else f"{places[(i - 1) % len(places)]} {i}"
            prov = self.province(i, place, i <= n_cities, i in group_of)
            nd = rng.randint(9, 13)
            dplaces = rng.sample(_PLACES, nd)
            districts = []
            for j in range(1, nd + 1):
                ncomm = rng.randint(10, 20)
                cplaces = rng.sample(_PLACES, ncomm)
                sizes = self._commune_groups(ncomm)
                order = [(cplaces[k], j == 1 and k < ncomm // 2, 0) for k in range(ncomm)]
                expanded = []
                for size in sizes:
                    expanded += [size] * size
                comm = [(p, w, expanded[k]) for k, (p, w, _z) in enumerate(order)]
                dist = self.district(prov, j, dplaces[j - 1], comm)
                dist["groups_plan"] = sizes
                districts.append(dist)
            prov["districts"] = districts
            provinces.append(prov)
            if self.progress:
                self.progress("provinces", i)
        # 2025-07-01: new provinces, then post-reform communes.
        after: dict[int, dict] = {}
        for gi, group in enumerate(groups, start=1):
            newp = self.new_province(gi, [provinces[p - 1] for p in group])
            for p in group:
                after[p] = newp
        counters: dict[str, list[int]] = {}
        for prov in provinces:
            i = int(prov["code"][1:])
            target = after.get(i, prov)
            code = target["code"]
            if code not in counters:
                counters[code] = [0]
                self.documents.append((f"{code}-nq-xa", f"{1600 + len(counters)}/NQ-UBTVQH15",
                                       f"Nghị quyết về việc sắp xếp các đơn vị hành chính cấp xã của "
                                       f"{target['names'].lower} năm 2025 (synthetic)",
                                       "Ủy ban Thường vụ Quốc hội", "2025-06-16", "", self.src))
            self.new_communes(target, prov["districts"], counters[code])
        names = self.moved_areas()  # once every unit and successor is known
        return {
            "units.csv": self.units,
            "relations.csv": self.relation_rows(),
            "events.csv": self.events,
            "functions.csv": self.functions,
            "headcount.csv": self.headcount,
            "people.csv": self.people,
            "posts.csv": self.posts,
            "documents.csv": self.documents,
            "names.csv": names,
        }

    def _commune_groups(self, n: int) -> list[int]:
        """Group sizes (summing to n) for the communes of one district, about 3 -> 1."""
        rng = self.rng
        sizes = []
        left = n
        while left > 0:
            size = rng.choices((1, 2, 3, 4, 5), weights=(6, 14, 42, 28, 10))[0]
            size = min(size, left)
            sizes.append(size)
            left -= size
        return sizes


def generate(out_dir: Path, provinces: int = 63, seed: int = 1,
             progress: Callable[[str, int], None] | None = None) -> dict[str, int]:
    """Write the synthetic dataset into `out_dir`; return the rows written per file.

    Deterministic: the same arguments give byte-identical files."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = _Generator(provinces, seed, progress).run()
    counts: dict[str, int] = {}
    for name, rows in tables.items():
        with open(out_dir / name, "w", encoding="utf-8", newline="") as f:
            w = csv.writer(f)
            w.writerow(COLUMNS[name])
            width = len(COLUMNS[name])
            if rows and len(rows[0]) < width:
                # A column the contract gained after the ones generated here (each file
                # ends with `source`, which every row fills: tests/loaders/test_synth.py
                # checks it, so a column inserted before others cannot go unnoticed).
                pad = ("",) * (width - len(rows[0]))
                rows = [tuple(row) + pad for row in rows]
            elif rows and len(rows[0]) > width:
                raise ValueError(f"synth writes {len(rows[0])} cells per row of {name}, the "
                                 f"contract has {width} columns")
            w.writerows(rows)
        counts[name] = len(rows)
        if progress:
            progress(name, len(rows))
    return counts
