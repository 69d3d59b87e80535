"""The forms of public bodies' names: abbreviations and short forms folded to one canonical
word sequence (`HĐND` -> `hoi dong nhan dan`, `GD&ĐT` -> `giao duc va dao tao`).

Shared by the scenario engine (`graph.scenarios.body_names`, which re-exports these names:
pairing the bodies of consolidating areas compares name keys) and by search
(`graph.queries.search`, the Neo4j store's `search_words`): both must read one body's two
forms as the same words. The table is data: a form missing here only leaves its two forms
apart.
"""

from __future__ import annotations

from functools import lru_cache

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
    }.items()
}
#: The first word of each form, to leave most names (no form in them) untouched at once.
_FIRST = frozenset(k[0] for k in ABBREVIATIONS)
_LONGEST = max(len(k) for k in ABBREVIATIONS)


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
