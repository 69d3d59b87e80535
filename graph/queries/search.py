"""An in-memory search index over unit names, English names and abbreviations.

Matching is diacritics-insensitive (`ban to chuc` finds `Ban Tổ chức`, `d` <-> `đ`),
by abbreviation (`UBKT`, `MTTQ`) and by English name. A unit matches when every query
word is a word of its name, English name or id, the last one possibly typed half-way
(a prefix of two letters or more), or when the query is its abbreviation.

Scores (rounded to 4 places), in bands that never overlap:
- the exact name or English name: 0.95, the exact abbreviation: 1.0 (the higher wins);
- every query word as a whole word: 0.8 when they appear together in that order in the
  name or English name, else 0.6;
- the last word only as a prefix: 0.5;
plus 0.09 x min(1, len(query) / len(name)): the closer the query is to the whole
name, the better. Equal scores are ordered by id.

Short and full forms (`graph.names_forms`: `HĐND` and `Hội đồng nhân dân`, `Sở GD&ĐT` and
`Sở Giáo dục và Đào tạo`, `UBKT`, `MTTQ`): a unit also matches when the query's canonical
words (`graph.names_forms.name_words`, of the text as written and the unit's kind: `Quân
đoàn` is no `Quận đoàn`, the district `Huyện Đoàn Hùng` no Youth Union) are all among its
name's words or canonical words, by the same rules (the last word as a prefix, unless it is a form that was written out) and in the same
bands: `Hội đồng nhân dân tỉnh Tuyên Quang` finds `HĐND tỉnh Tuyên Quang` as if its words
were written out, and a name whose canonical words are the query's is in the exact band.

Former names (`names.csv` rows, passed as `former=`) are a second index of the same
rules; a unit found only by a former name comes after every unit found by its current
name, at 0.4 x that score (so in (0.2, 0.42)).

Typos: when the rules above find fewer than `FUZZY_BELOW` units (none), the query is
compared with rapidfuzz's `partial_ratio` to the distinct folded names (far fewer than
the units: many units share a name) with a score cutoff, and the units of the closest names follow,
scored in [0.1, 0.2): `mong cay` finds Móng Cái, `ban to chuk` Ban Tổ chức; an `f` is
read as the `ph` Vietnamese writes (`tran fu` finds Trần Phú). Fuzzy hits
never outrank a rule match. Former names take part in the typo pass too, in the same
way as in the rules: a unit close only by a former name follows every unit close by its
current name, at 0.5 x that score (so in [0.05, 0.1)): `thi xa mong kai` finds the town
that became Móng Cái city.

Ranking is lazy: `search()` answers a `Ranking` that computes the bands one after the
other and, within a band, walks the candidates from the shortest name, so a caller that
wants the first 20 of 100,000 matches pays for little more than 20. Candidate sets come
from a word index (integer postings, set intersections in C), never a scan of the units.
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import threading
from collections import defaultdict
from collections.abc import Sequence
from typing import Callable, Iterable, Iterator

from rapidfuzz import fuzz, process

from graph.embedded.gc_pause import paused_gc
from graph.model import Unit, UnitName
from graph.names_forms import name_words
from graph.text import fold, words

_EMPTY: frozenset[int] = frozenset()
_SEP = "\x1f"
#: Up to this many whole-word matches are sorted at once; beyond, they are walked lazily.
_SORT_AT_MOST = 5000
#: Fuzzy matching runs only when the rules find fewer units than this: none, so that a
#: rule match is never padded with look-alikes (and the backends agree on every rule hit).
FUZZY_BELOW = 1
#: The least `partial_ratio` (0-100) a name needs to be a fuzzy match...
FUZZY_CUTOFF = 80
#: ...and the most distinct names a fuzzy search takes (bounds its cost and its answer).
FUZZY_NAMES = 50
#: Scores below this come from the typo pass over former names only.
FORMER_FUZZY_BELOW = 0.1


def sounded(folded: str) -> str:
    """A folded name as the typo pass compares it: Vietnamese has no `f`, so a `ph` is
    typed as one (`tran fu` is Trần Phú, `fuong` phường)."""
    return folded.replace("ph", "f")


def closest_name(text: str, names: Sequence[str]) -> int | None:
    """The index of the name closest to `text` by the typo pass's measure (None if none
    reaches its cutoff): which former name a former-name typo hit was found by."""
    query = sounded(" ".join(words(text)))
    found = process.extractOne(query, [sounded(" ".join(words(n))) for n in names],
                               scorer=fuzz.partial_ratio, score_cutoff=FUZZY_CUTOFF)
    return found[2] if found else None


class Ranking(Sequence):
    """A best-first list of `(unit id, score)` computed as far as it is read."""

    def __init__(self, stream: Iterator[tuple[str, float]]):
        self._stream = stream
        self._done: list[tuple[str, float]] = []
        self._exhausted = False

    def _fill(self, n: int | None) -> None:
        while not self._exhausted and (n is None or len(self._done) < n):
            try:
                self._done.append(next(self._stream))
            except StopIteration:
                self._exhausted = True

    def __iter__(self) -> Iterator[tuple[str, float]]:
        i = 0
        while True:
            if i >= len(self._done):
                self._fill(i + 1)
                if i >= len(self._done):
                    return
            yield self._done[i]
            i += 1

    def __getitem__(self, index):
        if isinstance(index, slice):
            stop = index.stop
            if stop is None or stop < 0 or (index.start or 0) < 0:
                self._fill(None)
            else:
                self._fill(stop)
            return self._done[index]
        self._fill(None if index < 0 else index + 1)
        return self._done[index]

    def __len__(self) -> int:
        self._fill(None)
        return len(self._done)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (Ranking, list, tuple)):
            return list(self) == list(other)
        return NotImplemented

    def __repr__(self) -> str:
        return f"Ranking({list(self)!r})"


class SearchIndex:
    """Word and abbreviation postings over units; units are numbered from the shortest
    folded name (then by id), so that sorting a posting walks it shortest name first."""

    def __init__(self, units: Iterable[Unit], former: Iterable[UnitName] = (), *,
                 fuzzy: bool = True, index_ids: bool = True):
        self._pending: list[Unit] = list(units)
        self._former_names: list[UnitName] = list(former)
        self._fuzzy = fuzzy
        # The former-name index keys rows by `unit id + separator + n`: those words are no
        # part of a name.
        self._index_ids = index_ids
        self._former: SearchIndex | None = None
        self._built = False
        # One build at a time: a request arriving while the server warms the index up
        # waits for that build instead of starting a second one over half-built lists.
        self._lock = threading.Lock()

    # -- building -----------------------------------------------------------------------
    def add(self, unit: Unit) -> None:
        """Add (or replace) a unit; the index is rebuilt on the next search."""
        self._pending.append(unit)
        self._built = False

    def _build(self) -> None:
        with paused_gc(freeze=True):  # millions of small containers, none in a cycle
            self._build_postings()

    def _build_postings(self) -> None:
        latest: dict[str, Unit] = {}
        for u in self._pending:
            latest[u.id] = u
        self._pending = list(latest.values())
        rows = sorted(((max(len(name), 1), u.id, u, name, fold(u.name_en))
                       for u in self._pending for name in (fold(u.name),)),
                      key=lambda r: (r[0], r[1]))
        self._ids = [r[1] for r in rows]
        self._nlen = [r[0] for r in rows]
        self._names = [(r[3], r[4]) for r in rows]
        self._phrase: list[tuple[str, str]] = []
        lists: dict[str, list[int]] = defaultdict(list)
        self._abbr: dict[str, list[int]] = defaultdict(list)
        self._exact: dict[str, list[int]] = defaultdict(list)
        # The canonical forms, only where a name's differ from its words (few names do).
        self._cphrase: dict[int, str] = {}
        self._cnlen: dict[int, int] = {}  # the name's length with its forms written out
        self._cexact: dict[str, list[int]] = defaultdict(list)
        extra: dict[str, list[int]] = defaultdict(list)
        for i, (_, uid, u, name, name_en) in enumerate(rows):
            w_name, w_en = words(name), words(name_en)
            joined, joined_en = " ".join(w_name), " ".join(w_en)
            self._phrase.append((joined, joined_en))
            self._exact[joined].append(i)
            if joined_en != joined:
                self._exact[joined_en].append(i)
            own = {*w_name, *w_en, *(words(uid) if self._index_ids else ())}
            for w in own:
                lists[w].append(i)  # i grows: every list is sorted
            canon = name_words(u.name, u.kind, tuple(w_name))
            if canon != tuple(w_name):
                self._cphrase[i] = cjoined = " ".join(canon)
                self._cexact[cjoined].append(i)
                self._cnlen[i] = max(self._nlen[i] + len(cjoined) - len(joined), 1)
                for w in set(canon) - own:
                    extra[w].append(i)
            if u.abbr:
                self._abbr[fold(u.abbr).replace(" ", "")].append(i)
        for postings in self._abbr.values():
            postings.sort(key=self._ids.__getitem__)
        self._lists = dict(lists)
        self._words = {w: set(lst) for w, lst in lists.items()}
        self._sorted_words = sorted(self._words)
        # A canonical word a row's own words lack: its words "or canonical words" are the
        # union of `_words` and `_extra`.
        self._extra = {w: set(lst) for w, lst in extra.items()}
        self._sorted_extra = sorted(self._extra)
        # Those rows by their written-out length, then id: the order of their closeness.
        self._crank = {i: r for r, i in enumerate(
            sorted(self._cnlen, key=lambda i: (self._cnlen[i], self._ids[i])))}
        # Fuzzy candidates: each distinct folded name (and English name) once, with its rows.
        by_name: dict[str, list[int]] = defaultdict(list)
        for i, (joined, joined_en) in enumerate(self._phrase):
            by_name[joined].append(i)
            if joined_en and joined_en != joined:
                by_name[joined_en].append(i)
        self._fuzzy_names = [sounded(n) for n in by_name]
        self._fuzzy_rows = list(by_name.values())
        if self._former_names:
            # a former name is read with its unit's kind (an area's is a place: MARKED)
            kinds = {u.id: u.kind for u in self._pending}
            self._former = SearchIndex(
                (Unit(id=f"{n.unit_id}{_SEP}{k}", name=n.name, kind=kinds.get(n.unit_id, ""),
                      level="", name_en=n.name_en, abbr=n.abbr)
                 for k, n in enumerate(self._former_names)), fuzzy=False, index_ids=False)
        self._built = True

    def _prefix(self, prefix: str, canonical: bool = False) -> set[int]:
        """Rows with a word starting with `prefix` (`canonical`: a canonical word of their
        name that their own words lack)."""
        found: set[int] = set()
        keys, postings = ((self._sorted_extra, self._extra) if canonical
                          else (self._sorted_words, self._words))
        i = bisect.bisect_left(keys, prefix)
        while i < len(keys) and keys[i].startswith(prefix):
            found |= postings[keys[i]]
            i += 1
        return found

    def _intersection(self, terms: Sequence[str]) -> set[int] | frozenset[int]:
        """Rows with every term among their words (a posting itself for one term: read
        only)."""
        sets = sorted((self._words.get(t, _EMPTY) for t in terms), key=len)
        return sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0]

    def _lacking(self, terms: Sequence[str], base: Iterable[int]) -> set[int]:
        """Rows outside `base` (the rows with every term among their words) with every
        term among their words or their name's canonical words: the few that need a
        canonical word (`_extra` holds only those)."""
        lacking = set().union(*(self._extra.get(t, _EMPTY) for t in terms))
        if not lacking:
            return lacking
        found = lacking.difference(base)
        for t in terms:  # set operations over the few rows, in C
            if not found:
                break
            found = found.intersection(self._words.get(t, _EMPTY)) | \
                found.intersection(self._extra.get(t, _EMPTY))
        return found

    def _canonical(self, text: str, terms: list[str]) -> list[str] | None:
        """The query's canonical words, or None when matching by them can find nothing the
        words find not: no form in the query, no canonical word of a name among (or, the
        last one, starting with) the query's words, no name whose canonical words are the
        query's."""
        cterms = list(name_words(text))
        if cterms != terms or any(t in self._extra for t in terms) or \
                " ".join(terms) in self._cexact:
            return cterms
        last = terms[-1]
        i = bisect.bisect_left(self._sorted_extra, last)
        if len(last) >= 2 and i < len(self._sorted_extra) and \
                self._sorted_extra[i].startswith(last):
            return cterms
        return None

    # -- searching ----------------------------------------------------------------------
    def search(self, text: str) -> Ranking:
        """(unit id, score in (0, 1.04]) best first, computed lazily."""
        return Ranking(self._stream(text))

    def _stream(self, text: str) -> Iterator[tuple[str, float]]:
        if not words(text):
            return
        if not self._built:
            with self._lock:
                if not self._built:
                    self._build()
        shown: set[str] = set()
        for uid, value in self._rules(text):
            shown.add(uid)
            yield uid, value
        if self._former is not None:
            for key, value in self._former.search(text):
                uid = key.split(_SEP, 1)[0]
                if uid not in shown:
                    shown.add(uid)
                    yield uid, round(0.4 * value, 4)
        if self._fuzzy and len(shown) < FUZZY_BELOW:
            for uid, value in self._fuzzy_hits(text):
                if uid not in shown:
                    shown.add(uid)
                    yield uid, value
            if self._former is not None:
                for key, value in self._former.fuzzy_hits(text):
                    uid = key.split(_SEP, 1)[0]
                    if uid not in shown:
                        shown.add(uid)
                        yield uid, round(0.5 * value, 4)

    def fuzzy_hits(self, text: str) -> Iterator[tuple[str, float]]:
        """The typo pass alone (whatever the rules find): (id, score in [0.1, 0.2))."""
        if not self._built:
            with self._lock:
                if not self._built:
                    self._build()
        return self._fuzzy_hits(text)

    def _fuzzy_hits(self, text: str) -> Iterator[tuple[str, float]]:
        """Units whose name is close to the query's words: best `partial_ratio` first, then
        more query words spelt right, then the closer whole name (`ratio`), then id."""
        query = sounded(" ".join(words(text)))
        if len(query) < 4:  # three letters are close to too much to mean anything
            return
        if len(query.rsplit(" ", 1)[-1]) < 2:
            return  # a last letter alone is being typed: the rules wait for two, so do we
        found = process.extract(query, self._fuzzy_names, scorer=fuzz.partial_ratio,
                                score_cutoff=FUZZY_CUTOFF, limit=FUZZY_NAMES)
        best: dict[int, float] = {}
        terms = query.split()
        for name, partial, k in found:
            # Equal partial ratios are common ("ha giag" in "tinh ha giang" and in
            # "xa hai giang"): the share of query words spelt right breaks the tie, then
            # the closeness of the whole name.
            right = len(set(terms) & set(name.split())) / len(terms)
            value = round(0.1 + 0.06 * (partial - FUZZY_CUTOFF) / (100 - FUZZY_CUTOFF)
                          + 0.02 * right + 0.0099 * fuzz.ratio(query, name) / 100, 4)
            for i in self._fuzzy_rows[k]:
                best[i] = max(best.get(i, 0.0), value)
        ids = self._ids
        for i, value in sorted(best.items(), key=lambda t: (-t[1], ids[t[0]])):
            yield ids[i], value

    def _rules(self, text: str) -> Iterator[tuple[str, float]]:
        query = fold(text).strip()
        terms = words(text)
        if not terms:
            return
        ids, nlen, qlen = self._ids, self._nlen, len(query)

        def score(band: float, i: int) -> float:
            return round(band + 0.09 * min(1.0, qlen / nlen[i]), 4)

        # Units with every query word but the last, and with the last as a whole word.
        sets = sorted((self._words.get(t, _EMPTY) for t in terms[:-1]), key=len)
        last, last_exact = terms[-1], self._words.get(terms[-1], _EMPTY)
        head: set[int] | frozenset[int] | None = None
        if sets:
            head = sets[0].intersection(*sets[1:]) if len(sets) > 1 else sets[0]
        whole = last_exact if head is None else head & last_exact
        # The shortest posting of the query's whole words, in number order (name length).
        driver = min((self._lists.get(t, ()) for t in dict.fromkeys(terms)), key=len)

        # The same by the canonical words (`HĐND` as `hoi dong nhan dan`), when they may
        # find more: a unit only they match joins each band, scored as if the query and
        # its name were written out (`cscore`). `cbase`: units with the canonical words
        # among their own words (walked in number order: closeness order, as `whole`),
        # `ckept`: the few that need their name's canonical words.
        phrase = " ".join(terms)
        cterms = self._canonical(text, terms)
        cphrase = " ".join(name_words(text))
        cbase: set[int] | frozenset[int] = _EMPTY
        ckept: set[int] = set()
        cdriver: Sequence[int] = ()
        if cterms is not None:
            if cterms == terms:
                ckept = self._lacking(cterms, whole)
            else:
                cbase = self._intersection(cterms)
                ckept = self._lacking(cterms, cbase)
                cdriver = min((self._lists.get(t, ()) for t in dict.fromkeys(cterms)), key=len)
        cscore = self._canonical_score(qlen + len(cphrase) - len(phrase))

        # Top band: exact names (0.95 + closeness) and exact abbreviations (1.0).
        abbr = self._abbr.get(query.replace(" ", ""), [])
        abbr_set = set(abbr)
        exact = {i: score(0.95, i) for i in self._exact.get(phrase, ())
                 if i in whole and query in self._names[i]}
        if cterms is not None:
            exact.update((i, cscore(0.95, i)) for i in self._canonical_exact(phrase, cphrase)
                         if i not in exact)
        for i in exact:
            if i in abbr_set:
                exact[i] = max(exact[i], 1.0)
        top = sorted(((-s, ids[i]) for i, s in exact.items()))
        rest_abbr = ((-1.0, ids[i]) for i in abbr if i not in exact)
        for neg, uid in heapq.merge(top, rest_abbr):
            yield uid, -neg
        shown = abbr_set | exact.keys()

        # Whole words: in order together (0.8), or not (0.6); then the prefix band (0.5).
        if len(whole) <= _SORT_AT_MOST:
            small = sorted(whole - shown)

            def ordered() -> Iterable[int]:
                return small
        else:
            # Many matches: walk the shortest posting in order and stop when the caller does.
            def ordered() -> Iterable[int]:
                return (i for i in driver if i in whole and i not in shown)
        phrases, cphrases = self._phrase, self._cphrase

        def together(i: int) -> bool:
            """The query's words together in order in a name (or in its canonical words)."""
            name, name_en = phrases[i]
            return phrase in name or phrase in name_en or cphrase in cphrases.get(i, name)
        # canonical-only units: those of `cbase` whose name has no other form, in number
        # order; the others (a form in their name: few), sorted
        cphrased = cphrases.keys()
        odd = ckept | {i for i in (cbase if len(cbase) < len(cphrased) else cphrased)
                       if i in cphrases and i in cbase}
        odd -= whole
        odd -= shown
        odd_order = sorted(odd, key=self._crank.__getitem__)
        if len(cbase) <= _SORT_AT_MOST:
            csmall = sorted(i for i in cbase if i not in whole and i not in shown
                            and i not in cphrases)

            def cordered() -> Iterable[int]:
                return csmall
        else:
            def cordered() -> Iterable[int]:
                return (i for i in cdriver if i in cbase and i not in whole
                        and i not in shown and i not in cphrases)
        for band, wanted in ((0.8, True), (0.6, False)):
            yield from _merged(
                _by_score(((i, score(band, i)) for i in ordered() if together(i) is wanted), ids),
                _by_score(((i, cscore(band, i)) for i in cordered() if together(i) is wanted),
                          ids),
                _by_score(((i, cscore(band, i)) for i in odd_order if together(i) is wanted),
                          ids))
        if len(last) >= 2:
            found = self._prefix(last)
            prefixed = found - last_exact
            if head is not None:
                prefixed &= head
            prefixed -= shown
            yield from self._prefix_band(prefixed, found, head, terms, cterms, score, cscore,
                                         whole | cbase | ckept | shown)

    def _prefix_band(self, prefixed: set[int], found: set[int],
                     head: set[int] | frozenset[int] | None, terms: list[str],
                     cterms: list[str] | None, score: Callable[[float, int], float],
                     cscore: Callable[[float, int], float],
                     matched: set[int] | frozenset[int]) -> Iterator[tuple[str, float]]:
        """The 0.5 band: the last word typed half-way (`prefixed`: among the words; `found`:
        the rows with a word starting with it), and by the canonical words (the last one
        not a written-out form) the rows not `matched` by a whole word already."""
        ids, last = self._ids, terms[-1]
        cprefixed: set[int] = set()
        if cterms is not None and cterms[-1] == last:
            cprefixed = found | self._prefix(last, canonical=True)
            if len(cterms) > 1:
                rest = cterms[:-1]
                if rest == terms[:-1] and head is not None:
                    chead = head | self._lacking(rest, head)
                else:
                    base = self._intersection(rest)
                    chead = base | self._lacking(rest, base)
                cprefixed &= chead
            cprefixed -= prefixed
            cprefixed -= matched
        plain = _by_score(((i, score(0.5, i)) for i in sorted(prefixed - matched)), ids)
        if not cprefixed:
            yield from plain
            return
        yield from _merged(plain, iter(sorted(
            ((ids[i], cscore(0.5, i)) for i in cprefixed), key=lambda t: (-t[1], t[0]))))

    def _canonical_score(self, qlen: int) -> Callable[[float, int], float]:
        """The score of a match by canonical words only: the band plus the closeness of
        the query (`qlen`: its length with its forms written out) to the name, written
        out too."""
        nlen, cnlen = self._nlen, self._cnlen

        def cscore(band: float, i: int) -> float:
            return round(band + 0.09 * min(1.0, qlen / cnlen.get(i, nlen[i])), 4)
        return cscore

    def _canonical_exact(self, phrase: str, cphrase: str) -> Iterator[int]:
        """Rows whose name's canonical words are the query's (`cphrase`) where its words
        are not (those are the plain exact rule's: `phrase`)."""
        phrases, cphrases = self._phrase, self._cphrase
        for i in itertools.chain(self._exact.get(cphrase, ()), self._cexact.get(cphrase, ())):
            name = phrases[i][0]
            if name != phrase and cphrases.get(i, name) == cphrase:
                yield i


def _merged(*streams: Iterator[tuple[str, float]]) -> Iterator[tuple[str, float]]:
    """Best-first streams (equal scores by id) merged into one, by score then id: the
    canonical-only matches of a band among its word matches."""
    for neg, uid in heapq.merge(*(((-value, uid) for uid, value in stream)
                                  for stream in streams)):
        yield uid, -neg


def _by_score(scored: Iterator[tuple[int, float]], ids: list[str]) -> Iterator[tuple[str, float]]:
    """Re-order a stream whose scores never increase so that equal scores go by id."""
    for value, group in itertools.groupby(scored, key=lambda t: t[1]):
        for uid in sorted(ids[i] for i, _ in group):
            yield uid, value
