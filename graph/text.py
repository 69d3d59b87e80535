"""Text folding for search: Vietnamese without diacritics, `đ` as `d`, case-insensitive.

Folding works character by character (a decomposed mark folds to nothing, a precomposed
letter to its base letter), so it is done with `str.translate` over a table that learns
each character the first time it is seen: the same result as normalising the whole text,
at C speed.
"""

from __future__ import annotations

import re
import unicodedata

_WORD = re.compile(r"[0-9a-z]+")


def _fold_char(char: str) -> str:
    if char in ("đ", "Đ"):
        return "d"
    decomposed = unicodedata.normalize("NFD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _FoldTable(dict):
    """char code -> folded text, filled on first sight of each character."""

    def __missing__(self, code: int) -> str:
        folded = _fold_char(chr(code))
        self[code] = folded
        return folded


class _WordTable(dict):
    """char code -> its folded text with every character but [0-9a-z] made a space."""

    def __missing__(self, code: int) -> str:
        folded = "".join(c if c.isascii() and c.isalnum() and not c.isupper() else " "
                         for c in _fold_char(chr(code)))
        self[code] = folded
        return folded


_TABLE = _FoldTable()
_WORD_TABLE = _WordTable()


def fold(text: str) -> str:
    """`Ban Tổ chức Đảng` -> `ban to chuc dang`: strip marks, map đ/Đ to d, lowercase."""
    if text.isascii():
        return text.casefold()
    return text.translate(_TABLE)


def words(text: str) -> list[str]:
    """The runs of [0-9a-z] of the folded text (`Ban Tổ-chức` -> ['ban', 'to', 'chuc'])."""
    return text.translate(_WORD_TABLE).split()


def marked_words(text: str) -> list[str] | None:
    """The words of `text` as written (NFC, case and marks kept), one for each of
    `words(text)` (`Huyện Đoàn-Hùng` -> ['Huyện', 'Đoàn', 'Hùng']): what tells apart words
    that fold alike (`quận` and `quân`). None when a character folds to the letters of
    more than one word, so that the two lists cannot be aligned (no Vietnamese name does)."""
    out: list[str] = []
    cur: list[str] = []
    for ch in unicodedata.normalize("NFC", text):
        folded = ch.translate(_WORD_TABLE)
        if not folded:  # a combining mark NFC left alone: part of the letter before it
            if cur:
                cur.append(ch)
        elif " " not in folded:
            cur.append(ch)
        elif folded.strip():  # letters and a separator in one character
            return None
        elif cur:
            out.append("".join(cur))
            cur = []
    if cur:
        out.append("".join(cur))
    return out if len(out) == len(words(text)) else None
