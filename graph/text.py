"""Text folding for search: Vietnamese without diacritics, `đ` as `d`, case-insensitive."""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[0-9a-z]+")


def fold(text: str) -> str:
    """`Ban Tổ chức Đảng` -> `ban to chuc dang`: strip marks, map đ/Đ to d, lowercase."""
    text = text.replace("đ", "d").replace("Đ", "D")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def words(text: str) -> list[str]:
    return _WORD.findall(fold(text))
