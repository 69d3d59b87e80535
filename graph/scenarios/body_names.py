"""Names of public bodies as planners write them: abbreviations and short forms folded to one
canonical word sequence, and the territorial words that open an area's name.

A real dataset names one body in several ways (`HĐND tỉnh Tuyên Quang` beside `Hội đồng nhân
dân tỉnh Hà Giang`, `Tỉnh đoàn Hà Giang` beside `Đoàn TNCS Hồ Chí Minh tỉnh Tuyên Quang`,
`Sở GD&ĐT` beside `Sở Giáo dục và Đào tạo`). Pairing the bodies of consolidating areas
(`graph.scenarios.territory`) compares name keys, so both forms must give the same words:
`canonical_words` rewrites the folded words (`graph.text.words`) with `ABBREVIATIONS`, the
longest match first. The table is data: a form missing here only makes a pair depend on
the weaker rules (the only body of its kind, word overlap).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

#: Folded word sequences (as `graph.text.words` gives them) -> their canonical words. A
#: short form maps to the full name's words; several full forms of one body (the Youth
#: Union's) map to one.
ABBREVIATIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(k.split()): tuple(v.split()) for k, v in {
        # State bodies
        "hdnd": "hoi dong nhan dan",
        "ubnd": "uy ban nhan dan",
        "ub": "uy ban",
        # Party bodies
        "ubkt": "uy ban kiem tra",
        "btv": "ban thuong vu",
        "btc": "ban to chuc",
        "btg": "ban tuyen giao",
        "bdv": "ban dan van",
        "bnc": "ban noi chinh",
        "vp": "van phong",
        # the Fatherland Front
        "mttq": "mat tran to quoc",
        "ubmttq": "uy ban mat tran to quoc",
        "vn": "viet nam",
        # mass organisations
        "ldld": "lien doan lao dong",
        "lhpn": "lien hiep phu nu",
        "hoi phu nu": "hoi lien hiep phu nu",
        "ccb": "cuu chien binh",
        "hoi nd": "hoi nong dan",
        # the Ho Chi Minh Communist Youth Union: `Tỉnh đoàn`, `Thành đoàn`, `Huyện đoàn`,
        # `Quận đoàn`, `Thị đoàn` are its committees' usual names
        "doan thanh nien cong san ho chi minh": "doan thanh nien",
        "doan tncs ho chi minh": "doan thanh nien",
        "doan tncs hcm": "doan thanh nien",
        "doan tncs": "doan thanh nien",
        "doan tn": "doan thanh nien",
        "tinh doan": "doan thanh nien",
        "thanh doan": "doan thanh nien",
        "huyen doan": "doan thanh nien",
        "quan doan": "doan thanh nien",
        "thi doan": "doan thanh nien",
        # departments (Sở, Phòng): the usual short forms of their fields
        "gd dt": "giao duc va dao tao",
        "gddt": "giao duc va dao tao",
        "tc kh": "tai chinh ke hoach",
        "kh dt": "ke hoach va dau tu",
        "khdt": "ke hoach va dau tu",
        "ld tb xh": "lao dong thuong binh va xa hoi",
        "ldtbxh": "lao dong thuong binh va xa hoi",
        "tn mt": "tai nguyen va moi truong",
        "tnmt": "tai nguyen va moi truong",
        "nn ptnt": "nong nghiep va phat trien nong thon",
        "nnptnt": "nong nghiep va phat trien nong thon",
        "kh cn": "khoa hoc va cong nghe",
        "khcn": "khoa hoc va cong nghe",
        "gtvt": "giao thong van tai",
        "vh tt dl": "van hoa the thao va du lich",
        "vhttdl": "van hoa the thao va du lich",
        "tt tt": "thong tin va truyen thong",
        "tttt": "thong tin va truyen thong",
    }.items()
}
#: The first word of each form, to leave most names (no form in them) untouched at once.
_FIRST = frozenset(k[0] for k in ABBREVIATIONS)
_LONGEST = max(len(k) for k in ABBREVIATIONS)

#: The territorial words that open an area's name (`Tỉnh Hà Giang`, `Thị trấn Tam Sơn`),
#: lower-cased with their diacritics: `Quản Bạ`, `Thanh Vân`, `Phố Cáo` are places whose
#: first word folds to a territorial word (`quận`, `thành`, `phố`) but is none.
AREA_PREFIXES: tuple[tuple[str, ...], ...] = tuple(sorted((tuple(p.split()) for p in (
    "tỉnh", "thành phố", "huyện", "quận", "thị xã", "xã", "phường", "thị trấn", "đặc khu",
    "tp", "tp.", "tx", "tx.", "tt", "tt.")), key=len, reverse=True))


def canonical_words(toks: tuple[str, ...]) -> tuple[str, ...]:
    """The folded words with every form of `ABBREVIATIONS` replaced by its canonical words
    (the longest form first, left to right)."""
    if not _FIRST.intersection(toks):
        return toks
    return _rewrite(toks)


@lru_cache(maxsize=1 << 14)
def _rewrite(toks: tuple[str, ...]) -> tuple[str, ...]:
    out: list[str] = []
    i, n = 0, len(toks)
    while i < n:
        if toks[i] in _FIRST:
            for size in range(min(_LONGEST, n - i), 0, -1):
                repl = ABBREVIATIONS.get(toks[i:i + size])
                if repl is not None:
                    out.extend(repl)
                    i += size
                    break
            else:
                out.append(toks[i])
                i += 1
        else:
            out.append(toks[i])
            i += 1
    return tuple(out)


def split_area_name(area_name: str) -> tuple[str, str]:
    """`Thị trấn Tam Sơn` -> (`Thị trấn`, `Tam Sơn`); `Huyện Quản Bạ` -> (`Huyện`, `Quản Bạ`):
    the leading territorial words (compared with their diacritics) and the place."""
    parts = area_name.split()
    low = [unicodedata.normalize("NFC", p).lower() for p in parts]
    for prefix in AREA_PREFIXES:
        n = len(prefix)
        if len(parts) > n and tuple(low[:n]) == prefix:
            return " ".join(parts[:n]), " ".join(parts[n:])
    return "", area_name


def rename_for_area(name: str, old_area_name: str, new_area_name: str) -> str:
    """A body's name with its old area's place (and the territorial words before it, when
    they are the old area's) replaced by the new area's: `Đảng ủy thị trấn Tam Sơn` ->
    `Đảng ủy xã Quản Bạ` for `Thị trấn Tam Sơn` -> `Xã Quản Bạ`; `Tỉnh ủy Hà Giang` ->
    `Tỉnh ủy Tuyên Quang` (`ủy` is not the area's word). The territorial words keep the
    body name's case (`xã` in the middle of a name, `Xã` at its start). A name without the
    old place is kept."""
    old_prefix, old_place = split_area_name(old_area_name)
    new_prefix, new_place = split_area_name(new_area_name)
    if not old_place or old_place not in name:
        return name
    out = name.replace(old_place, new_place)
    if old_prefix and new_prefix and old_prefix.lower() != new_prefix.lower():
        for before in (old_prefix.lower(), old_prefix, old_prefix.upper()):
            phrase = f"{before} {new_place}"
            if phrase in out:
                now = new_prefix.lower() if before == old_prefix.lower() else \
                    new_prefix.upper() if before == old_prefix.upper() else \
                    new_prefix[:1].upper() + new_prefix[1:].lower()
                out = out.replace(phrase, f"{now} {new_place}")
    return out
