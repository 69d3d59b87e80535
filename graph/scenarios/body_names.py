"""Names of public bodies as planners write them: abbreviations and short forms folded to one
canonical word sequence, and the territorial words that open an area's name.

A real dataset names one body in several ways (`HĐND tỉnh Tuyên Quang` beside `Hội đồng nhân
dân tỉnh Hà Giang`, `Tỉnh đoàn Hà Giang` beside `Đoàn TNCS Hồ Chí Minh tỉnh Tuyên Quang`,
`Sở GD&ĐT` beside `Sở Giáo dục và Đào tạo`). Pairing the bodies of consolidating areas
(`graph.scenarios.territory`) compares name keys, so both forms must give the same words:
`name_words` rewrites the folded words (`graph.text.words`) with `ABBREVIATIONS`, the
longest match first (a form that folds like other words, `Quận đoàn` / `Quân đoàn`, only
where the name writes it as the form). The table is data: a form missing here only makes
a pair depend on the weaker rules (the only body of its kind, word overlap). The table, `canonical_words`
and `name_words` live in `graph.names_forms` (search reads them too), the territorial words
(`AREA_PREFIXES`, `split_area_name`, `carries_place`) in `graph.areas` (the inferred-area
rule reads them, for the scenarios and the stores alike); both are re-exported here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache

from graph.areas import AREA_PREFIXES, carries_place, split_area_name
from graph.names_forms import ABBREVIATIONS, canonical_words, name_words
from graph.text import words

__all__ = ["ABBREVIATIONS", "AREA_PREFIXES", "BODY_HEADS", "COMMITTEE_WORDS", "ENGLISH_KINDS", "canonical_words",
           "name_words", "carries_place", "head_end", "joined_parts", "own_part", "rename_for_area",
           "rename_english_for_area", "split_area_name", "split_english_area_name",
           "whole_name_after_committee", "with_whole_name", "written_out_head"]

#: The folded words that open a body's name, by the kinds of body they name (`Ban Tổ chức`
#: is a Party board, `Phòng Nội vụ` a department, `Thanh tra` an inspectorate), written
#: out as `canonical_words` writes them (`UBKT` -> `uy ban kiem tra`). The longest match
#: wins: `Ban Thường vụ` is a standing committee, not a board. A kind missing here only
#: keeps a joined name whole (`own_part`).
BODY_HEADS: dict[str, tuple[tuple[str, ...], ...]] = {
    kind: tuple(tuple(h.split()) for h in heads) for kind, heads in {
        "party_board": ("ban",),
        "standing_committee": ("ban thuong vu", "thuong truc"),
        "inspection_committee": ("uy ban kiem tra",),
        "party_office": ("van phong",),
        "people_council": ("hoi dong nhan dan",),
        "government": ("uy ban nhan dan",),
        "department": ("so", "phong"),
        "inspectorate": ("thanh tra",),
        "front": ("uy ban mat tran to quoc", "mat tran to quoc"),
        "mass_org": ("hoi", "lien doan lao dong", "doan thanh nien", "cong doan"),
        "centre": ("trung tam",),
    }.items()
}
_HEAD_KIND: dict[tuple[str, ...], str] = {h: k for k, hs in BODY_HEADS.items() for h in hs}
_HEAD_LONGEST = max(len(h) for h in _HEAD_KIND)
#: What stands between the names of two bodies joined in one (`Ban Tổ chức Thành ủy –
#: Phòng Nội vụ`, as the seeds name a merged body): a dash with spaces round it, or `và`.
_JOINS = re.compile(r"\s+[\u2013\u2014-]\s+|\s+và\s+", re.IGNORECASE)
#: What a name that joins two bodies holds somewhere (a quick test before the parsing).
_JOIN_MARKS = (" và ", " - ", " \u2013 ", " \u2014 ")
#: A note in brackets at the end of a name (`(hợp nhất)`): not a part of either body's.
_TRAILING_NOTE = re.compile(r"\s*\([^()]*\)\s*$")


def _head(toks: tuple[str, ...]) -> tuple[str, ...] | None:
    """The longest `BODY_HEADS` entry that opens the (canonical) words, if any."""
    for size in range(min(_HEAD_LONGEST, len(toks)), 0, -1):
        if toks[:size] in _HEAD_KIND:
            return toks[:size]
    return None


def joined_parts(name: str) -> list[str]:
    """The names of the bodies a name joins, in order, or `[name]` for one body's name.

    `Ban Tổ chức Thành ủy – Phòng Nội vụ thành phố Móng Cái (hợp nhất)` -> `Ban Tổ chức
    Thành ủy`, `Phòng Nội vụ thành phố Móng Cái` (a bracketed note at the end dropped). A
    dash or `và` only joins two bodies when the words after it open a body's name
    (`BODY_HEADS`): `Phòng Lao động - Thương binh và Xã hội` and `Tiểu ban Kiểm tra - Giám
    sát` are one body's. A `và` after an office of a body does not end it either: `Văn
    phòng HĐND và UBND` is one office, of both."""
    if not any(mark in name for mark in _JOIN_MARKS):
        return [name]
    return list(_joined_parts(name))


@lru_cache(maxsize=1 << 14)
def _joined_parts(name: str) -> tuple[str, ...]:
    text = _TRAILING_NOTE.sub("", name)
    cuts = list(_JOINS.finditer(text))
    first = text[:cuts[0].start()] if cuts else text
    parts = [first]
    heads = [_head(name_words(first))]
    for i, m in enumerate(cuts):
        piece = text[m.end():cuts[i + 1].start() if i + 1 < len(cuts) else len(text)]
        head = _head(name_words(piece))
        before = heads[-1]
        # `Văn phòng HĐND và UBND`: the office's words name a body, `và` adds another
        governs = before is not None and m.group().strip().lower() == "và" and _head(
            name_words(parts[-1])[len(before):]) is not None
        if head is None or governs:
            parts[-1] += m.group() + piece
        else:
            parts.append(piece)
            heads.append(head)
    if len(parts) < 2:
        return (name,)
    return tuple(p.strip() for p in parts)


def own_part(name: str, kind: str) -> str:
    """The part of a name that joins two bodies (`joined_parts`) that names a body of
    `kind`: `Ban Tổ chức Thành ủy` for the Party board `Ban Tổ chức Thành ủy – Phòng Nội vụ
    thành phố Móng Cái (hợp nhất)`, `Phòng Nội vụ thành phố Móng Cái` for a department of
    that name. The whole name when it names one body, or when not exactly one part is of
    that kind."""
    parts = joined_parts(name)
    if len(parts) < 2:
        return name
    heads = BODY_HEADS.get(kind, ())
    mine = [p for p in parts if _head(name_words(p)) in heads]
    return mine[0] if len(mine) == 1 else name


#: The words that name an area's Party Committee and Youth Union committee by its kind of
#: area (`Tỉnh ủy`, `Thành đoàn`): a body of a province that becomes a city's takes the
#: city's (`Ban Tổ chức Tỉnh ủy Hải Dương` -> `Ban Tổ chức Thành ủy Hải Phòng`). Commune
#: level areas have none (`Đảng ủy xã ...`).
COMMITTEE_WORDS: dict[str, str] = {
    "tỉnh": "Tỉnh", "thành phố": "Thành", "huyện": "Huyện", "quận": "Quận", "thị xã": "Thị",
    "tp": "Thành", "tp.": "Thành", "tx": "Thị", "tx.": "Thị"}
#: The committees named that way: `<word> ủy` (also written `uỷ`) and `<word> đoàn`.
_COMMITTEES = ("ủy", "uỷ", "đoàn")


def _committee_words(name: str, old_prefix: str, new_prefix: str) -> str:
    """`name` with its old area's committee words (`Tỉnh ủy`, `Tỉnh đoàn`) written as the
    new area's (`Thành ủy`, `Thành đoàn`), in the name's case."""
    old = COMMITTEE_WORDS.get(unicodedata.normalize("NFC", old_prefix).lower())
    new = COMMITTEE_WORDS.get(unicodedata.normalize("NFC", new_prefix).lower())
    if not old or not new or old == new:
        return name
    for tail in _COMMITTEES:
        for before, now in ((old, new), (old.lower(), new.lower()), (old.upper(), new.upper())):
            name = re.sub(rf"(?<!\w){before} {tail}(?!\w)", f"{now} {tail}", name)
    return name


def _trailing_committee_words(name: str, old_prefix: str, new_prefix: str) -> str:
    """`name`, which carries no place, with committee words that end it (`Văn phòng Quận
    ủy`, the office of its own area's committee) written as the new area's (`Văn phòng
    Thành ủy`); committee words followed by other words (a place the name carries that is
    not its area's, `Ban Tổ chức Tỉnh ủy Hà Giang`) are left as they are."""
    text = unicodedata.normalize("NFC", name).rstrip()
    found = _ENDING_COMMITTEE.search(text)
    if found is None:
        return name
    now = _committee_words(found.group(), old_prefix, new_prefix)
    return name if now == found.group() else text[:found.start()] + now


#: The first words of `COMMITTEE_WORDS`' committees, as a pattern (in any case).
_OPENERS = "|".join(sorted({re.escape(w) for w in COMMITTEE_WORDS.values()}))
#: Committee words (`COMMITTEE_WORDS` and `_COMMITTEES`, in any case) at the end of a name.
_ENDING_COMMITTEE = re.compile(rf"(?<!\w)(?i:{_OPENERS}) (?i:{'|'.join(_COMMITTEES)})$")


def _place_after_committee(name: str, prefix: str, place: str) -> str:
    """`name` with the new area's place after its committee words written as committees
    are named: a named place alone (`Thành ủy Thủ Đức`, not `Thành ủy thành phố Thủ Đức`
    from Quận 2's `Quận ủy Quận 2`), a numbered one after its territorial word (`Quận ủy
    Quận 2`, not `Quận ủy 2` from `Quận ủy Thủ Đức`; a Youth Union's `Quận đoàn 2` is
    written so, and is kept). The whole name (`whole_name_after_committee`) is written
    again after this when the new area's bodies write it."""
    if not prefix or not place:
        return name
    if not place.isdigit():
        return re.sub(rf"(?<!\w)((?i:{_OPENERS}) (?i:{'|'.join(_COMMITTEES)})) "
                      rf"(?i:{re.escape(prefix)}) ({re.escape(place)})(?!\w)",
                      lambda m: f"{m.group(1)} {m.group(2)}", name)
    title = prefix[:1].upper() + prefix[1:].lower()
    return re.sub(rf"(?<!\w)((?i:{_OPENERS}) (?:ủy|uỷ|ỦY|UỶ)) ({re.escape(place)})(?!\w)",
                  lambda m: f"{m.group(1)} {title} {m.group(2)}", name)


def rename_for_area(name: str, old_area_name: str, new_area_name: str) -> str:
    """A body's name with its old area's place (and the territorial words before it, when
    they are the old area's) replaced by the new area's: `Đảng ủy thị trấn Tam Sơn` ->
    `Đảng ủy xã Quản Bạ` for `Thị trấn Tam Sơn` -> `Xã Quản Bạ`; `Tỉnh ủy Hà Giang` ->
    `Tỉnh ủy Tuyên Quang` (`ủy` is not the area's word). The territorial words keep the
    body name's case (`xã` in the middle of a name, `Xã` at its start), and so do the
    committee words (`COMMITTEE_WORDS`: `Tỉnh ủy Hải Dương` -> `Thành ủy Hải Phòng` for
    `Thành phố Hải Phòng`). A name without the old place keeps its words but for the
    committee words that end it, which are its area's (`Văn phòng Quận ủy` -> `Văn phòng
    Thành ủy` for `Quận 2` -> `Thành phố Thủ Đức`). After the committee words a named
    place stands alone and a numbered one after its territorial word (`Quận ủy Quận 2` ->
    `Thành ủy Thủ Đức`: `_place_after_committee`)."""
    old_prefix, old_place = split_area_name(old_area_name)
    new_prefix, new_place = split_area_name(new_area_name)
    if not old_place or old_place not in name:
        return _trailing_committee_words(name, old_prefix, new_prefix)
    out = _committee_words(name.replace(old_place, new_place), old_prefix, new_prefix)
    if old_prefix and new_prefix and old_prefix.lower() != new_prefix.lower():
        for before in (old_prefix.lower(), old_prefix, old_prefix.upper()):
            phrase = f"{before} {new_place}"
            if phrase in out:
                now = new_prefix.lower() if before == old_prefix.lower() else \
                    new_prefix.upper() if before == old_prefix.upper() else \
                    new_prefix[:1].upper() + new_prefix[1:].lower()
                out = out.replace(phrase, f"{now} {new_place}")
    if new_prefix and old_place.isdigit() != new_place.isdigit():
        # a numbered area's territorial word is capitalised inside a body's name (`UBND
        # Phường 1`, `Quận ủy Quận 1`), a named area's is not (`UBND phường Bàn Cờ`): the
        # word's case follows the new place
        title = new_prefix[:1].upper() + new_prefix[1:].lower()
        low = new_prefix.lower()
        src, dst = (title, low) if old_place.isdigit() else (low, title)
        out = re.sub(rf"(?<=\s){re.escape(src)} {re.escape(new_place)}(?!\w)",
                     lambda _: f"{dst} {new_place}", out)
        out = _place_after_committee(out, new_prefix, new_place)
    return out


#: The English words that name an area's kind (`Binh Duong Province`, `District 2`, `Con
#: Dao Special Zone`), lower-cased, each with the form a body's name writes before its own
#: words (`Binh Duong Provincial People's Council`, `Thu Duc City Party Committee`).
ENGLISH_KINDS: dict[str, str] = {
    "province": "Provincial", "city": "City", "district": "District", "town": "Town",
    "commune": "Commune", "ward": "Ward", "township": "Township",
    "special zone": "Special Zone"}
#: `ENGLISH_KINDS`' keys as word sequences, the longest first.
_ENGLISH_KIND_WORDS = tuple(sorted((tuple(k.split()) for k in ENGLISH_KINDS),
                                   key=len, reverse=True))


def split_english_area_name(name_en: str) -> tuple[str, str, bool]:
    """`Thu Duc District` -> (`District`, `Thu Duc`, False); `District 2` -> (`District`,
    `2`, True): an English area name's kind words (`ENGLISH_KINDS`, at its end or, before a
    number, at its start), its place, and whether the kind comes first. ("", name, False)
    for a name without one (`Viet Nam`)."""
    parts = name_en.split()
    low = [p.lower() for p in parts]
    for kind in _ENGLISH_KIND_WORDS:
        n = len(kind)
        if len(parts) > n and tuple(low[-n:]) == kind:
            return " ".join(parts[-n:]), " ".join(parts[:-n]), False
        if len(parts) > n and tuple(low[:n]) == kind:
            return " ".join(parts[:n]), " ".join(parts[n:]), True
    return "", name_en, False


def _english_forms(name_en: str) -> tuple[str, str]:
    """How a body's English name writes its area: the adjective form (`Binh Duong
    Provincial`) and the area's name (`Binh Duong Province`, `District 2`); both the name
    for a name without kind words."""
    kind, place, first = split_english_area_name(name_en)
    if not kind:
        return name_en, name_en
    adjective = ENGLISH_KINDS[kind.lower()]
    return (f"{adjective} {place}" if first else f"{place} {adjective}"), name_en


def rename_english_for_area(name_en: str, old_area_en: str, new_area_en: str) -> str:
    """A body's English name with its old area written as the new one, kind words too:
    `Thu Duc District Party Committee` -> `Thu Duc City Party Committee`, `Inspection
    Committee of the District 2 Party Committee` -> `... of the Thu Duc City Party
    Committee` (`District 2` -> `Thu Duc City`), `Binh Duong Provincial People's Council`
    -> `Ho Chi Minh City People's Council`; a name with the place only (`Organisation Board
    of the Binh Duong Party Committee`) has the place replaced; a name with no place has the
    kind word of its committee (`Office of the District Party Committee`, as `Văn phòng
    Quận ủy`) written as the new area's kind's (`City`). Else it is kept."""
    if not name_en or not old_area_en or not new_area_en:
        return name_en
    old_kind, old_place, old_first = split_english_area_name(old_area_en)
    new_kind, new_place, _ = split_english_area_name(new_area_en)
    for old, new in zip(_english_forms(old_area_en), _english_forms(new_area_en)):
        pattern = rf"(?<!\w){re.escape(old)}(?!\w)"
        if re.search(pattern, name_en):  # every time it is written, as the place below
            return re.sub(pattern, new.replace("\\", "\\\\"), name_en)
    if not old_first and old_place in name_en:  # a number alone names no place
        return name_en.replace(old_place, new_place)
    if old_kind and new_kind and old_kind.lower() != new_kind.lower():
        before, now = ENGLISH_KINDS[old_kind.lower()], ENGLISH_KINDS[new_kind.lower()]
        return re.sub(rf"(?<!\w){re.escape(before)} (Party Committee|Youth Union)(?!\w)",
                      lambda m: f"{now} {m.group(1)}", name_en)
    return name_en


def whole_name_after_committee(name: str, area_name: str) -> bool:
    """Whether `name` writes its area's whole name, territorial words too, after the
    committee words (`Thành ủy Thành phố Hồ Chí Minh`, `Thành đoàn Thành phố Hồ Chí
    Minh`): the area is named so in its bodies' names, as a place (`Hồ Chí Minh` alone is a
    person's name), where others write the place only (`Thành ủy Hải Phòng`)."""
    prefix, place = split_area_name(area_name)
    if not prefix or not place:
        return False
    tails = "|".join(_COMMITTEES)
    return re.search(rf"(?<!\w)\w+ (?:{tails}) {re.escape(area_name)}(?!\w)",
                     unicodedata.normalize("NFC", name)) is not None


def with_whole_name(name: str, area_name: str) -> str:
    """`name` with its area's place written as the area's whole name (`whole_name_after_
    committee`), in its case: `Ban Tổ chức Thành ủy Hồ Chí Minh` -> `Ban Tổ chức Thành
    ủy Thành phố Hồ Chí Minh`, `Sở Nội vụ thành phố Hồ Chí Minh` -> `Sở Nội vụ Thành phố
    Hồ Chí Minh`. Only the last place: the area's stands at the end, an earlier one is of
    the body's own name (`Đoàn TNCS Hồ Chí Minh thành phố Hồ Chí Minh`)."""
    prefix, place = split_area_name(area_name)
    if not prefix or not place:
        return name
    text = unicodedata.normalize("NFC", name)
    found = list(re.finditer(
        rf"(?:(?<!\w)(?i:{re.escape(prefix)}) )?(?<!\w){re.escape(place)}(?!\w)", text))
    if not found:
        return name
    last = found[-1]
    return text[:last.start()] + area_name + text[last.end():]


#: The first words of the committees `COMMITTEE_WORDS` names (`Tỉnh ủy`, `Thành đoàn`), and
#: a commune's or a body's Party Committee (`Đảng ủy`; not `Đảng đoàn`, a Party group of a
#: body, `Đảng đoàn HĐND tỉnh`, whose head is a body's), each with the words that may follow.
_COMMITTEE_OPENERS: dict[str, tuple[str, ...]] = {
    **{w.lower(): _COMMITTEES for w in COMMITTEE_WORDS.values()}, "đảng": ("ủy", "uỷ")}
#: A word as written (letters with their marks, digits): `GD&ĐT` is two.
_WRITTEN_WORD = re.compile(r"\w+")
#: `AREA_PREFIXES` by their first word (`thành` -> `thành phố`), the longest first.
_PREFIXES_BY_FIRST: dict[str, tuple[tuple[str, ...], ...]] = {
    first: tuple(p for p in AREA_PREFIXES if p[0] == first) for first in {p[0] for p in AREA_PREFIXES}}


def head_end(name: str, place: str) -> int:
    """Where the head of a body's name ends (an offset in its NFC form): the body words
    before its committee or place words. `UBKT Tỉnh ủy Hải Dương` -> before `Tỉnh ủy`,
    `Hội đồng nhân dân thành phố Hải Phòng` -> before `thành phố`, `Ban Tuyên giáo` (for
    `place`, the place of the body's area) -> its end. The rest starts at the first of: a
    committee (`_COMMITTEE_OPENERS`, in any case), a territorial word (`AREA_PREFIXES`)
    written in lower case or followed by `place` (`Xã hội` in `Lao động - Thương binh và
    Xã hội` is none), `place` itself."""
    text = unicodedata.normalize("NFC", name)
    found = list(_WRITTEN_WORD.finditer(text))
    low = [m.group().lower() for m in found]
    at_place = tuple(unicodedata.normalize("NFC", place).lower().split())
    size = len(at_place)
    for i, m in enumerate(found):
        if size and tuple(low[i:i + size]) == at_place:
            return m.start()
        follows = _COMMITTEE_OPENERS.get(low[i])
        if follows and i + 1 < len(low) and low[i + 1] in follows:
            return m.start()
        for prefix in _PREFIXES_BY_FIRST.get(low[i], ()):
            n = len(prefix)
            if tuple(low[i:i + n]) == prefix and (
                    m.group()[:1].islower() or size and tuple(low[i + n:i + n + size]) == at_place):
                return m.start()
    return len(text)


def _split_head(name: str, place: str) -> tuple[str, str]:
    """The head of a body's name (`head_end`, without its trailing blanks) and the rest."""
    text = unicodedata.normalize("NFC", name)
    head = text[:head_end(text, place)].rstrip()
    return head, text[len(head):]


def written_out_head(name: str, place: str, peers: Iterable[tuple[str, str]],
                     kind: str = "") -> str:
    """`name` (of a body whose area's place is `place`) with its head (`head_end`) written
    out as a peer writes it: `UBKT Thành ủy Hải Phòng` with the peer `Ủy ban Kiểm tra
    Thành ủy` -> `Ủy ban Kiểm tra Thành ủy Hải Phòng`. Official names write the heads out
    (`Ủy ban Kiểm tra`, `Hội đồng nhân dân`), lists often abbreviate them (`UBKT`, `HĐND`).

    `peers`: the other names of the group, each with its area's place. The head is
    rewritten only when it is a short form (fewer words than its canonical words,
    `name_words`) and a peer writes the same canonical words out (at least as many words
    as they have; the one with the most words, the first on a tie): the table of forms is
    folded, without case or marks, so it cannot write a head out itself. The rest (the
    committee and place words) is `name`'s; so the new name reads as the same words."""
    toks = tuple(words(name))
    if name_words(name, kind, toks) == toks:  # no form in it: nor in its head (most names)
        return name
    head, rest = _split_head(name, place)
    if not head:
        return name
    canon = name_words(head, kind)
    most = len(words(head))
    if most >= len(canon):
        return name
    best = None
    for other, other_place in peers:
        written, _ = _split_head(other, other_place)
        n = len(words(written))
        if n > most and n >= len(canon) and name_words(written, kind) == canon:
            best, most = written, n
    return name if best is None else best + rest
