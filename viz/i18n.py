"""Words and dates for the pages: Vietnamese by default, English with `?lang=en`.

Dates are always shown dd/mm/yyyy (a partial date keeps its precision: mm/yyyy,
yyyy), whatever the browser's locale, because a Vietnamese reader reads 08/07/2018
as 8 July. Numbers are grouped by thousands as the language writes them
(`fmt_number`: 64.851 and 52,2 in Vietnamese, 64,851 and 52.2 in English). Kinds and
levels are shown as words, never as their codes.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

LANGS = ("vi", "en")
DEFAULT_LANG = "vi"

KINDS: dict[str, tuple[str, str]] = {
    "party_committee": ("Cấp ủy đảng", "Party committee"),
    "standing_committee": ("Ban Thường vụ", "Standing committee"),
    "party_board": ("Ban Đảng", "Party board"),
    "inspection_committee": ("Ủy ban Kiểm tra", "Party inspection committee"),
    "party_office": ("Văn phòng cấp ủy", "Party committee office"),
    "party_cell": ("Chi bộ", "Party cell"),
    "government": ("Ủy ban nhân dân", "People's Committee (government)"),
    "people_council": ("Hội đồng nhân dân", "People's Council"),
    "department": ("Sở / Phòng", "Department / office"),
    "inspectorate": ("Thanh tra", "Inspectorate"),
    "ministry": ("Bộ, ngành", "Ministry"),
    "front": ("Mặt trận Tổ quốc", "Fatherland Front"),
    "mass_org": ("Tổ chức chính trị - xã hội", "Mass organisation"),
    "shared_agency": ("Cơ quan tham mưu chung", "Shared advisory agency"),
    "subcommittee": ("Tiểu ban", "Sub-committee"),
    "centre": ("Trung tâm", "Centre"),
    "province": ("Tỉnh / thành phố", "Province"),
    "district": ("Huyện / quận", "District"),
    "commune": ("Xã / phường", "Commune / ward"),
    "other": ("Khác", "Other"),
}
LEVELS: dict[str, tuple[str, str]] = {
    "central": ("Trung ương", "Central"),
    "province": ("Cấp tỉnh", "Province level"),
    "district": ("Cấp huyện", "District level"),
    "commune": ("Cấp xã", "Commune level"),
}
EVENT_TYPES: dict[str, tuple[str, str]] = {
    "ESTABLISH": ("Thành lập", "Establish"),
    "DISSOLVE": ("Giải thể", "Dissolve"),
    "MERGE": ("Sáp nhập", "Merge"),
    "CONSOLIDATE": ("Hợp nhất", "Consolidate"),
    "SPLIT": ("Chia tách", "Split"),
    "RENAME": ("Đổi tên", "Rename"),
    "TRANSFER_FUNCTION": ("Chuyển chức năng", "Transfer function"),
    "MOVE": ("Chuyển trực thuộc", "Move"),
}
ROLES: dict[str, tuple[str, str]] = {
    "secretary": ("Bí thư", "Secretary"),
    "deputy_secretary": ("Phó Bí thư", "Deputy secretary"),
    "standing_deputy_secretary": ("Phó Bí thư Thường trực", "Standing deputy secretary"),
    "head": ("Trưởng", "Head"),
    "deputy_head": ("Phó Trưởng", "Deputy head"),
    "chair": ("Chủ tịch", "Chair"),
    "vice_chair": ("Phó Chủ tịch", "Vice chair"),
    "member": ("Ủy viên", "Member"),
    "standing_member": ("Ủy viên thường trực", "Standing member"),
}
FUNCTIONS: dict[str, tuple[str, str]] = {
    "personnel": ("Tổ chức, cán bộ", "Personnel"),
    "inspection": ("Kiểm tra", "Inspection"),
    "propaganda": ("Tuyên truyền", "Propaganda"),
    "mass_mobilisation": ("Dân vận", "Mass mobilisation"),
    "training": ("Bồi dưỡng, đào tạo", "Training"),
    "office_admin": ("Văn phòng, hành chính", "Office and administration"),
    "finance_accounting": ("Tài chính, kế toán", "Finance and accounting"),
    "transport": ("Lái xe, vận chuyển", "Transport (drivers)"),
    "legal": ("Pháp chế", "Legal affairs"),
    "social_welfare": ("An sinh xã hội", "Social welfare"),
    "supervision_criticism": ("Giám sát, phản biện", "Supervision and criticism"),
    "internal_affairs": ("Nội chính", "Internal affairs"),
    "emulation_rewards": ("Thi đua, khen thưởng", "Emulation and rewards"),
    "public_services": ("Dịch vụ công", "Public services"),
}
#: What a unit shows on the scenario page, by its change (`viz.style.STATUS_STYLES`).
STATUSES: dict[str, tuple[str, str]] = {
    "unchanged": ("không thay đổi", "unchanged"),
    # Ended on the plan's date, its history kept: not "removed" (deleted from the data).
    "removed": ("chấm dứt hoạt động", "ceases to operate"),
    "added": ("thành lập mới", "newly established"),
    # The colour of both a unit merged into one that goes on (sáp nhập) and one
    # consolidated into a unit the scenario starts (hợp nhất): the legend says both; a
    # unit's own tooltip says which (`merged_into`, `consolidated_into`).
    "merged": ("sáp nhập / hợp nhất vào đơn vị khác",
               "merged or consolidated into another unit"),
    "merged_into": ("sáp nhập vào đơn vị khác", "merged into another unit"),
    "consolidated_into": ("hợp nhất thành đơn vị mới", "consolidated into a new unit"),
    "merge_target": ("tiếp nhận đơn vị sáp nhập", "absorbs merged units"),
    "moved": ("chuyển trực thuộc (cấp trên mới)", "moved (new parent)"),
    "renamed": ("đổi tên", "renamed"),
}
#: The reasons of the impact report's savings (`graph.scenarios.impact.Saving.reason`).
SAVING_REASONS: dict[str, tuple[str, str]] = {
    "duplicated support function": ("bộ phận hỗ trợ trùng", "duplicated support team"),
    "duplicated leadership post removed": ("bỏ chức danh lãnh đạo trùng",
                                           "duplicated leadership post removed"),
}
#: The impact report's assumptions (`graph.scenarios.impact.Assumptions`), as words.
ASSUMPTIONS: dict[str, tuple[str, str]] = {
    "remove_duplicate_leadership": ("Bỏ chức danh lãnh đạo trùng (chỉ giữ một người)",
                                    "Remove duplicated leadership posts (keep one holder)"),
    "leadership_post_saving": ("Số người giảm cho mỗi chức danh bỏ",
                               "People saved per post removed"),
    "support_saving": ("Tỷ lệ cắt giảm bộ phận hỗ trợ trùng",
                       "Cut ratio of a duplicated support team"),
    "support_staff": ("Số người mỗi bộ phận hỗ trợ", "People per support team"),
    "max_span": ("Ngưỡng số đầu mối trực thuộc", "Span of control threshold"),
    "single_holder_roles": ("Chức danh chỉ một người giữ", "Roles held by one person"),
}
RELATIONS: dict[str, tuple[str, str]] = {
    "PART_OF": ("trực thuộc", "part of"),
    "SERVES": ("tham mưu, giúp việc", "serves"),
    "GUIDED_BY": ("chịu hướng dẫn chuyên môn", "guided by"),
}

#: Page strings: key -> (Vietnamese, English). Kept short; the page script gets them too.
STRINGS: dict[str, tuple[str, str]] = {
    "home": ("Trang chủ", "Home"),
    "api_docs": ("Tài liệu API", "API docs"),
    "standalone": ("bản độc lập", "standalone copy"),
    "written": ("ghi lúc", "written"),
    "org_chart": ("Sơ đồ tổ chức", "Org chart"),
    "as_of": ("Tại ngày", "As of"),
    "show": ("Xem", "Show"),
    "date_hint": ("ngày/tháng/năm", "dd/mm/yyyy"),
    "date_slider": ("Các ngày cơ cấu thay đổi", "Dates the structure changes"),
    "up": ("Lên cấp trên", "Up"),
    "lineage": ("Quá trình hình thành", "Lineage"),
    "timeline": ("Dòng thời gian", "Timeline"),
    "predecessors": ("đơn vị tiền thân", "predecessors"),
    "successors": ("đơn vị kế tục", "successors"),
    "plans_unit": ("Kế hoạch sẽ thay đổi đơn vị này", "Plans that would change this unit"),
    "plans_chart": ("Kế hoạch sẽ thay đổi các đơn vị trên sơ đồ",
                    "Plans that would change units of this chart"),
    "plans_note": ("Trang này thể hiện hiện trạng đã ghi nhận; kế hoạch chưa phải là sự kiện. "
                   "Xem trước và sau của mỗi kế hoạch qua liên kết.",
                   "This page shows the record only: a plan is not a fact. Each link shows "
                   "the plan's before and after."),
    "plan_planned": ("dự kiến", "planned"),
    "plan_adopted": ("đã thông qua", "adopted"),
    "plan_made": ("lập ngày", "made"),
    "plan_adopted_on": ("thông qua ngày", "adopted on"),
    "plan_adopted_on_date": ("đã thông qua ngày", "adopted on"),
    "plan_units": ("đơn vị trên sơ đồ", "units of the chart"),
    "plan_mark": ("Kế hoạch", "Plan"),
    "plan_effects_more": ("Kế hoạch thay đổi {n} đơn vị khác trên sơ đồ",
                          "What it does to {n} other units of the chart"),
    "plan_from": ("áp dụng từ", "would apply from"),
    "plan_not_fact": ("Kế hoạch chưa phải là sự kiện: dòng thời gian vẫn là hiện trạng đã ghi nhận.",
                      "A plan is not a fact: the timeline still shows the record."),
    "today": ("hôm nay", "today"),
    "plan_changes": ("đơn vị sẽ thay đổi", "units it would change"),
    "show_links": ("Hiện quan hệ tham mưu / hướng dẫn", "Show serves / guided-by links"),
    "png": ("Tải ảnh PNG (toàn sơ đồ)", "Download PNG (whole chart)"),
    "svg": ("Tải SVG", "Download SVG"),
    "fit": ("Về góc nhìn ban đầu", "Back to the first view"),
    "find": ("Tìm đơn vị trong sơ đồ", "Find a unit in the chart"),
    "find_placeholder": ("tên, viết tắt (UBKT, MTTQ)…", "name, abbreviation (UBKT, MTTQ)…"),
    "legend": ("Chú giải", "Legend"),
    "units": ("đơn vị", "units"),
    "units_drawn": ("đơn vị đang hiển thị", "units shown"),
    "of_total": ("trong tổng số", "of"),
    # a scenario chart's root no operation acts on (the country) is not in the figure
    "units_under_root": ("đơn vị dưới gốc", "units under the root"),
    "unit_list": ("Danh sách đơn vị trong sơ đồ", "Units in this chart"),
    "name": ("Tên", "Name"),
    "name_en": ("Tên tiếng Anh", "English name"),
    "abbr": ("Viết tắt", "Abbreviation"),
    "kind": ("Loại", "Kind"),
    "level": ("Cấp", "Level"),
    "headcount": ("Biên chế", "Headcount"),
    "unknown": ("chưa rõ", "unknown"),
    "head": ("Lãnh đạo", "Head"),
    "none_recorded": ("chưa ghi nhận", "none recorded"),
    "exists": ("Thời gian tồn tại", "Exists"),
    "now": ("nay", "now"),
    "children": ("Đơn vị trực thuộc", "Units directly under"),
    "serves": ("Tham mưu cho", "Serves"),
    "guided_by": ("Chịu hướng dẫn của", "Guided by"),
    "id": ("Mã", "Id"),
    "help_chart": ("Bấm vào ô có dấu + để mở các đơn vị trực thuộc ngay tại chỗ; bấm đúp "
                   "(hoặc nút “Mở sơ đồ riêng”) để mở sơ đồ của đơn vị đó.",
                   "Click a box with a + to open the units under it in place; double-click "
                   "(or “Open its own chart”) to open that unit's chart."),
    "open_chart": ("Mở sơ đồ riêng", "Open its own chart"),
    "expand": ("Mở các đơn vị trực thuộc", "Show the units under it"),
    "collapse": ("Thu gọn", "Collapse"),
    "more": ("đơn vị nữa", "more units"),
    "loading": ("Đang tải…", "Loading…"),
    "load_failed": ("Không tải được", "Could not load"),
    "not_found_in_chart": ("Không tìm thấy", "Nothing found for"),
    "levels_shown": ("Đang hiển thị {n} cấp đầu; bấm dấu + để xem thêm.",
                     "Showing the first {n} levels; click a + to see more."),
    "part_of": ("trực thuộc (đường liền)", "part of (solid)"),
    "serves_line": ("tham mưu, giúp việc (nét đứt)", "serves (dashed)"),
    "guided_line": ("hướng dẫn chuyên môn (chấm)", "guided by (dotted)"),
    "collapsed_box": ("có đơn vị trực thuộc chưa mở (+N)", "has units not shown yet (+N)"),
    "size_note": ("Viền nét đứt: chưa rõ biên chế.", "Dashed outline: headcount unknown."),
    "start": ("Trang chủ", "Start"),
    "tagline": ("Cơ sở tri thức về cơ cấu tổ chức bộ máy: sơ đồ tổ chức tại một ngày bất kỳ, "
                "quá trình hình thành của đơn vị và tác động của các phương án sắp xếp.",
                "A knowledge graph of organisational structure: org charts on any date, how "
                "units came to be, and what a restructuring scenario would change."),
    "search_units": ("Tìm đơn vị", "Search units"),
    "search": ("Tìm", "Search"),
    "results_for": ("kết quả cho", "result(s) for"),
    "other_dates": ("Tại ngày này không có đơn vị nào mang tên đó. Các đơn vị mang tên đó vào thời "
                    "điểm khác:", "No unit bears that name on this date. Units that bore it on "
                    "another date:"),
    "ended_on": ("kết thúc ngày {date}", "ended on {date}"),
    "started_on": ("thành lập ngày {date}", "starts on {date}"),
    "no_match": ("Không có đơn vị nào khớp", "No unit matches"),
    "top_units": ("Các đơn vị cấp cao nhất", "Top-level units"),
    "charts": ("Sơ đồ", "Charts"),
    "no_unit_on_date": ("Không có đơn vị nào tại ngày này.", "The store holds no unit on this date."),
    "scenarios": ("Các phương án đã lưu", "Saved scenarios"),
    "dataset_plans": ("Kế hoạch của bộ dữ liệu (chưa phải sự kiện)",
                      "The dataset's plans (not facts)"),
    # the commands are set as code by the page (landing.html), not written in backticks
    "no_scenario": ("Chưa có phương án nào (xem", "No saved scenario yet (see"),
    "or": ("hoặc", "or"),
    "committed": ("đã áp dụng", "committed"),
    "scenario": ("Phương án", "Scenario"),
    "before": ("Trước", "Before"),
    "after": ("Sau", "After"),
    "under": ("dưới", "under"),
    "impact": ("Tác động", "Impact"),
    "changes": ("Thay đổi", "Changes"),
    "summary": ("Số liệu chính", "Key figures"),
    "fold_rows": ("Danh sách {n} dòng", "{n} rows"),
    "no_change": ("Phương án không thay đổi đơn vị nào tại ngày này.",
                  "This scenario changes no unit on this date."),
    "committed_on": ("Đã áp dụng vào dữ liệu gốc ngày {date}, thành phiên bản dữ liệu {revision}",
                     "Committed into the baseline on {date}, as revision {revision}"),
    "committed_note": ("Các thay đổi nay là một phần của dữ liệu gốc: “trước” là cơ cấu ngày "
                       "{before}, “sau” là cơ cấu ngày {after}; báo cáo tác động và danh sách "
                       "thay đổi là bản lưu lúc áp dụng.",
                       "Its changes are part of the baseline now: “before” is the structure "
                       "on {before}, “after” the structure on {after}; the impact report and "
                       "the list of changes are those kept at the commit."),
    "sides_dates": ("Trước: ngày {before} · Sau: ngày {after}", "Before: {before} · After: {after}"),
    "warming": ("Đang chuẩn bị chỉ mục dữ liệu sau khi khởi động; trang tự tải lại sau vài giây.",
                "The indexes are being prepared after a start; this page reloads itself in a "
                "few seconds."),
    "search_warming": ("Chỉ mục tìm kiếm đang được chuẩn bị; thử lại sau vài giây.",
                       "The search index is being prepared; try again in a few seconds."),
    "events": ("Sự kiện", "Events"),
    "date": ("Ngày", "Date"),
    "type": ("Loại", "Type"),
    "from": ("Từ", "From"),
    "to": ("Thành", "To"),
    "basis": ("Căn cứ", "Basis"),
    "description": ("Mô tả", "Description"),
    "no_event": ("Không có sự kiện nào.", "No event."),
    "back_home": ("Về trang chủ", "Back to the start page"),
    "language": ("English", "Tiếng Việt"),
}


def pick_lang(value: str | None) -> str:
    return value if value in LANGS else DEFAULT_LANG


def _pick(pair: tuple[str, str], lang: str) -> str:
    return pair[1] if lang == "en" else pair[0]


def t(key: str, lang: str) -> str:
    """The page string `key` in `lang`."""
    return _pick(STRINGS[key], lang)


def kind_word(kind: str | None, lang: str) -> str:
    kind = kind or "other"
    return _pick(KINDS[kind], lang) if kind in KINDS else kind.replace("_", " ")


def level_word(level: str | None, lang: str) -> str:
    if not level:
        return ""
    return _pick(LEVELS[level], lang) if level in LEVELS else level.replace("_", " ")


def event_word(type_: str | None, lang: str) -> str:
    if not type_:
        return ""
    return _pick(EVENT_TYPES[type_], lang) if type_ in EVENT_TYPES else type_.replace("_", " ").lower()


#: headcount.csv `basis`: the figure approved (allotted) or the staff actually in post.
HEADCOUNT_BASES = {"approved": ("được giao", "approved"), "actual": ("thực tế", "actual")}


def headcount_basis_word(basis: str | None, lang: str) -> str:
    """A headcount figure's basis in the page's language (an unknown one as written)."""
    pair = HEADCOUNT_BASES.get(basis or "")
    return _pick(pair, lang) if pair else (basis or "")


def role_word(role: str | None, lang: str) -> str:
    if not role:
        return ""
    return _pick(ROLES[role], lang) if role in ROLES else role.replace("_", " ")


def function_word(key: str | None, lang: str) -> str:
    if not key:
        return ""
    return _pick(FUNCTIONS[key], lang) if key in FUNCTIONS else key.replace("_", " ")


def status_word(status: str, lang: str) -> str:
    return _pick(STATUSES[status], lang) if status in STATUSES else status.replace("_", " ")


def saving_reason(reason: str, lang: str) -> str:
    return _pick(SAVING_REASONS[reason], lang) if reason in SAVING_REASONS else reason


def assumption_word(key: str, lang: str) -> str:
    return _pick(ASSUMPTIONS[key], lang) if key in ASSUMPTIONS else key.replace("_", " ")


def relation_word(type_: str, lang: str) -> str:
    return _pick(RELATIONS[type_], lang) if type_ in RELATIONS else type_.lower()


#: (thousands separator, decimal mark) by language.
_NUMBER_MARKS = {"vi": (".", ","), "en": (",", ".")}


def fmt_number(value: Any, lang: str = DEFAULT_LANG, *, sign: bool = False) -> str:
    """A figure as the page shows it, grouped by thousands in `lang`: 1234567 ->
    `1.234.567` (vi), `1,234,567` (en); 52.25 -> `52,25` / `52.25`; below 1000 as it is.
    A float keeps its own decimals (0.5, not 0.500000) and a whole float none (5.0 -> 5);
    a negative keeps its `-`, `sign` writes `+` before a positive (a change).
    Anything not a number (None, text) comes back as `str(value)` ('' for None)."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    plus = "+" if sign else ""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer():
            text = f"{int(value):{plus},}"
        else:
            # repr is the shortest text that reads back as the float: its decimals are the
            # figure's own (a tiny or huge float writes an exponent: then six decimals).
            shortest = repr(abs(value))
            places = (len(shortest.partition(".")[2]) if "e" not in shortest else 6)
            text = f"{value:{plus},.{places}f}"
            if "e" in shortest:
                text = text.rstrip("0").rstrip(".")
    else:
        text = f"{value:{plus},}"
    group, point = _NUMBER_MARKS.get(lang, _NUMBER_MARKS[DEFAULT_LANG])
    return text.translate({ord(","): group, ord("."): point})


_DIGIT_RUN = re.compile(r"(\d+)")


def natural_key(text: str) -> tuple[Any, ...]:
    """The order a reader expects of names: Vietnamese alphabetical order (`_letters`: `Đ`
    with D, after it, `Ă` and `Â` after A; the tone marks only break ties), case folded,
    a run of digits read as a number (`Xã 2` before `Xã 10`, `2-2` before `2-10`). Runs of
    text sit at the even places of the key and numbers at the odd ones, so two keys always
    compare; the name as written last, so that no two names compare equal."""
    folded = unicodedata.normalize("NFC", text).casefold()
    parts = _DIGIT_RUN.split(folded)
    primary = tuple(int(p) if i % 2 else _letters(p) for i, p in enumerate(parts))
    return (primary, _tones(folded), folded)


#: The marks that make a letter of the Vietnamese alphabet (ă â ê ô ơ ư) and their place
#: after the bare letter; `đ` is a letter of its own after `d`.
_LETTER_MARKS = {"\u0306": "1", "\u0302": "2", "\u031b": "3"}
#: The five tone marks (grave, acute, hook, tilde, dot below): not letters, ties only.
_TONES = {"\u0300": "1", "\u0301": "2", "\u0309": "3", "\u0303": "4", "\u0323": "5"}


def _tones(text: str) -> str:
    """The tone of each letter of `text`, in the order of the alphabet's tones (none,
    grave, acute, hook, tilde, dot below): what orders names whose letters are the same."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        tone = _TONES.get(ch)
        if tone is not None and out:
            out[-1] = tone
        elif ch not in _LETTER_MARKS:
            out.append("0")
    return "".join(out)


def _letters(text: str) -> str:
    """`text` written so that comparing it as a string follows the Vietnamese alphabet:
    each letter followed by its place among its variants (`a0`, `ă1`, `â2`, `d0`, `đ1`),
    the tone marks left out (`_tones` orders a tie)."""
    out: list[str] = []
    for ch in unicodedata.normalize("NFD", text):
        if ch in _TONES:
            continue
        mark = _LETTER_MARKS.get(ch)
        if mark is not None and out:
            out[-1] = out[-1][:-1] + mark
        elif ch == "đ":
            out.append("d4")
        else:
            out.append(ch + "0")
    return "".join(out)


_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def fmt_date(value: Any) -> str:
    """dd/mm/yyyy (mm/yyyy, yyyy for partial dates); '' for None; other text unchanged."""
    if value is None or value == "":
        return ""
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    text = str(value)
    m = _ISO.match(text)
    if not m:
        return text
    y, mo, d = m.groups()
    return "/".join(p for p in (d, mo, y) if p)


_DMY = re.compile(r"^\s*(\d{1,2})/(\d{1,2})/(\d{4})\s*$")


def parse_dmy(text: str) -> str | None:
    """'07/08/2018' -> '2018-08-07' (None if the text is not dd/mm/yyyy)."""
    m = _DMY.match(text or "")
    if not m:
        return None
    d, mo, y = (int(g) for g in m.groups())
    try:
        return dt.date(y, mo, d).isoformat()
    except ValueError:
        return None


def strings_for(lang: str) -> dict[str, str]:
    """Every page string in `lang` (what the page script gets)."""
    return {k: _pick(v, lang) for k, v in STRINGS.items()}
