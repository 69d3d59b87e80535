"""An in-memory search index over unit names, English names and abbreviations.

Matching is diacritics-insensitive (`ban to chuc` finds `Ban Tổ chức`, `d` <-> `đ`),
by abbreviation (`UBKT`, `MTTQ`) and by English name. Ranking: exact abbreviation,
then exact name, then every query word as a whole word, then as a prefix; shorter
names first within a rank. Candidate sets come from a word index, so a query does
not scan every unit.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Iterable

from graph.model import Unit
from graph.text import fold, words


class SearchIndex:
    def __init__(self, units: Iterable[Unit]):
        self._words: dict[str, set[str]] = defaultdict(set)
        self._abbr: dict[str, set[str]] = defaultdict(set)
        self._folded: dict[str, tuple[str, str]] = {}
        for u in units:
            self.add(u)
        self._sorted_words: list[str] | None = None

    def add(self, unit: Unit) -> None:
        name, name_en = fold(unit.name), fold(unit.name_en)
        self._folded[unit.id] = (name, name_en)
        for w in set(words(unit.name) + words(unit.name_en) + words(unit.id)):
            self._words[w].add(unit.id)
        if unit.abbr:
            self._abbr[fold(unit.abbr).replace(" ", "")].add(unit.id)
        self._sorted_words = None

    def _prefix(self, prefix: str) -> set[str]:
        import bisect
        if self._sorted_words is None:
            self._sorted_words = sorted(self._words)
        found: set[str] = set()
        i = bisect.bisect_left(self._sorted_words, prefix)
        while i < len(self._sorted_words) and self._sorted_words[i].startswith(prefix):
            found |= self._words[self._sorted_words[i]]
            i += 1
        return found

    def search(self, text: str) -> list[tuple[str, float]]:
        """(unit id, score in (0, 1]) best first."""
        query = fold(text).strip()
        terms = words(text)
        if not terms:
            return []
        scores: dict[str, float] = {}
        abbr = query.replace(" ", "")
        for uid in self._abbr.get(abbr, ()):
            scores[uid] = 1.0
        # Whole words narrow fastest; the last term may be typed half-way.
        exact_sets = [self._words.get(t, set()) for t in terms[:-1]]
        last = terms[-1]
        candidates = None
        for s in sorted(exact_sets, key=len):
            candidates = set(s) if candidates is None else candidates & s
            if not candidates:
                break
        last_exact = self._words.get(last, set())
        last_any = last_exact | self._prefix(last) if len(last) >= 2 else last_exact
        candidates = last_any if candidates is None else candidates & last_any
        phrase = " ".join(terms)
        for uid in candidates:
            name, name_en = self._folded[uid]
            if name == query or name_en == query:
                score = 0.95
            elif uid in last_exact or last_exact is None:
                score = 0.8 if (phrase in " ".join(words(name)) or
                                phrase in " ".join(words(name_en))) else 0.6
            else:
                score = 0.5
            # Prefer shorter names: the closer the query is to the whole name, the better.
            score += 0.09 * min(1.0, len(query) / max(len(name), 1))
            scores[uid] = max(scores.get(uid, 0.0), round(score, 4))
        return sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
