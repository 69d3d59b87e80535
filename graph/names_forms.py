"""The forms of public bodies' names: abbreviations and short forms folded to one canonical
word sequence (`HĐND` -> `hoi dong nhan dan`, `GD&ĐT` -> `giao duc va dao tao`).

Some forms fold like other words: `Huyện đoàn` (the district's Youth Union committee) and
`huyện Đoàn Hùng` (the district itself), `Quận đoàn` and `Quân đoàn` (an army corps). Those
(`MARKED`) are read only from a text as written (`name_words`): with the marks the Youth
Union writes (`quận`, not `quân`; `đoàn`, not `đoan`), not after a lower-case territorial
word when `Đoàn` is capitalised (`UBND huyện Đoàn Hùng`: a place), and never in the name of
an area (`AREA_KINDS`: `Huyện Đoàn Hùng` is a district). A text without marks (a query typed
`quan doan`) cannot tell: it is read as the form, as before.

Shared by the scenario engine (`graph.scenarios.body_names`, which re-exports these names:
pairing the bodies of consolidating areas compares name keys) and by search
(`graph.queries.search`, the Neo4j store's `search_words`): both must read one body's two
forms as the same words. The table is data: a form missing here only leaves its two forms
apart.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

from graph.text import marked_words, words

#: Folded word sequences (as `graph.text.words` gives them) -> their canonical words. A
#: short form maps to the full name's words; several full forms of one body (the Youth
#: Union's) map to one.
ABBREVIATIONS: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(k.split()): tuple(v.split()) for k, v in {
        # State bodies
        "hdnd": "hoi dong nhan dan",
        "dbqh": "dai bieu quoc hoi",
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
        "mttqvn": "mat tran to quoc viet nam",
        "ubmttqvn": "uy ban mat tran to quoc viet nam",
        "vn": "viet nam",
        # mass organisations
        "ldld": "lien doan lao dong",
        "lhpn": "lien hiep phu nu",
        "hlhpn": "hoi lien hiep phu nu",
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
        # the departments of the 2025 reform (Sở Nông nghiệp và Môi trường, Sở Dân tộc và
        # Tôn giáo) and the industrial zones' authority, as provinces' lists write them
        "nn mt": "nong nghiep va moi truong",
        "nnmt": "nong nghiep va moi truong",
        "nn va mt": "nong nghiep va moi truong",
        "dt tg": "dan toc va ton giao",
        "dttg": "dan toc va ton giao",
        "dt va tg": "dan toc va ton giao",
        "kcn": "khu cong nghiep",
        # places lists abbreviate: `TP.HCM` (`Thành ủy TP.HCM`, `Sở Nội vụ TP.HCM`), `BR-VT`
        # (`UBND tỉnh BR-VT`); a bare `HCM` is left alone (`Đoàn TNCS HCM` is the Union's)
        "tp hcm": "thanh pho ho chi minh",
        "tphcm": "thanh pho ho chi minh",
        "br vt": "ba ria vung tau",
        "brvt": "ba ria vung tau",
    }.items()
}
#: The forms that fold like other words (`huyen doan`: `Huyện đoàn` the Youth Union's
#: committee, `huyện Đoàn Hùng` a district; `quan doan`: `Quận đoàn`, `Quân đoàn` an army
#: corps), each with its words as the form writes them (lower case, with their marks).
MARKED: dict[tuple[str, ...], tuple[str, ...]] = {
    tuple(k.split()): tuple(v.split()) for k, v in {
        "tinh doan": "tỉnh đoàn",
        "thanh doan": "thành đoàn",
        "huyen doan": "huyện đoàn",
        "quan doan": "quận đoàn",
        "thi doan": "thị đoàn",
    }.items()
}
#: The kinds of unit that are areas: their names are places, never one of `MARKED`'s bodies.
AREA_KINDS = frozenset({"province", "district", "commune"})
#: Bumped whenever the rules of `name_words` change (the table is in `FORMS_VERSION` itself).
RULES_REVISION = 2
#: The version of the forms' reading: what a store that keeps words folded by it (the Neo4j
#: store's `search_words`) records, to fold them again when it differs.
FORMS_VERSION = f"{RULES_REVISION}-" + hashlib.sha256(repr(
    (sorted(ABBREVIATIONS.items()), sorted(MARKED.items()), sorted(AREA_KINDS)))
    .encode()).hexdigest()[:12]

#: The first word of each form, to leave most names (no form in them) untouched at once.
_FIRST = frozenset(k[0] for k in ABBREVIATIONS)
_LONGEST = max(len(k) for k in ABBREVIATIONS)


def canonical_words(toks: tuple[str, ...]) -> tuple[str, ...]:
    """The folded words with every form of `ABBREVIATIONS` replaced by its canonical words
    (the longest form first, left to right). Folded words cannot tell `MARKED` forms from
    the words they fold like: a text as written is read by `name_words`."""
    if not _FIRST.intersection(toks):
        return toks
    return _rewrite(toks, frozenset())[0]


def name_words(text: str, kind: str = "",
               toks: tuple[str, ...] | None = None) -> tuple[str, ...]:
    """The canonical words of a name (or a query) as written, of a unit of `kind` if
    known: `canonical_words` of its folded words (`toks`, when the caller has them), a
    `MARKED` form read only where the text writes it as the form (`_reads_as_form`)."""
    if toks is None:
        toks = tuple(words(text))
    if not _FIRST.intersection(toks):
        return toks
    out, marked = _rewrite(toks, frozenset())
    if not marked:
        return out
    written = None if kind in AREA_KINDS else marked_words(text)
    veto: frozenset[int] = frozenset()
    while marked:  # a vetoed form may let another one match: read again until none is new
        new = frozenset(i for i in marked if i not in veto
                        and not _reads_as_form(toks, written, i, kind))
        if not new:
            break
        veto |= new
        out, marked = _rewrite(toks, veto)
    return out


def _reads_as_form(toks: tuple[str, ...], written: list[str] | None, i: int,
                   kind: str) -> bool:
    """Whether the `MARKED` form at `toks[i]` is the form: not in an area's name, each word
    unmarked (a text typed without marks cannot tell) or marked as the form writes it,
    and not a lower-case territorial word before a capitalised `Đoàn` (a place's name)."""
    if kind in AREA_KINDS:
        return False
    form = MARKED[toks[i:i + 2]]
    if written is None:
        return True
    level, doan = written[i], written[i + 1]
    for word, folded, marked in ((level, toks[i], form[0]), (doan, toks[i + 1], form[1])):
        if word.lower() not in (folded, marked):
            return False
    return not (level[:1].islower() and doan[:1].isupper())


@lru_cache(maxsize=1 << 14)
def _rewrite(toks: tuple[str, ...], veto: frozenset[int]) -> tuple[tuple[str, ...], tuple[int, ...]]:
    """`canonical_words` with no `MARKED` form read at the positions of `veto`, and the
    positions where one was read."""
    out: list[str] = []
    marked: list[int] = []
    i, n = 0, len(toks)
    while i < n:
        if toks[i] in _FIRST:
            for size in range(min(_LONGEST, n - i), 0, -1):
                key = toks[i:i + size]
                repl = ABBREVIATIONS.get(key)
                if repl is not None and key in MARKED:
                    if i in veto:
                        continue
                    marked.append(i)
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
    return tuple(out), tuple(marked)
