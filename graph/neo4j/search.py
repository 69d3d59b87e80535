"""Unit search on the Neo4j store: full-text indexes find the candidates, the embedded
store's `graph.queries.search.SearchIndex` ranks them, so that both backends answer alike.

1. The rules (every word of the text among a unit's words, the last one also as a prefix,
   or every canonical word of the text: `HĐND` as `hoi dong nhan dan`, `graph.names_forms`,
   a unit's words holding its name's canonical words too, `records.search_words`; or the
   whole text as its abbreviation: `records.lucene_query`) run over the units'
   index and over the former names' (`UnitName`, `names.csv`; `cypher_search.NAME_INDEX`),
   each as-of filtered on the unit; the best `SEARCH_CANDIDATES` hits of each by Lucene's
   score are ranked by a `SearchIndex` built over them: current names first, then units
   found by a former name only, at 0.4 x that score (the API says `formerly`), exactly the
   embedded store's scores and order whenever fewer units match.
2. The typo pass, only when the rules match nothing at all, on any date (the embedded
   store's rule: a rule hit on another date means no typo pass, and an empty answer):
   a Lucene fuzzy query over the units' words (`word~2`, `word~1` for three letters, a
   shorter word as written; any word) over both indexes gives the best `FUZZY_CANDIDATES`
   units and former names of any date, ranked by `SearchIndex`'s own typo scoring
   (rapidfuzz `partial_ratio` over their distinct folded names, the best `FUZZY_NAMES`; a
   unit close only by a former name after, at half its score), then filtered on the date. `mong cay`
   finds Móng Cái and `ha giag` Hà Giang first, as on the embedded store. Where Lucene
   differs: a name whose every word is more than two edits from every query word (a word
   split or joined: `mongcai`) is no candidate, though `partial_ratio` may find it; and
   when more than `FUZZY_CANDIDATES` units are a word or two edits away, the candidates
   are Lucene's best, not every one of them.

`search_units(run, text, at, limit)` takes the `run(name, **params)` of a read transaction
(the snapshot's, which sets `$gen`); `store_search(store, ...)` runs it on the current
generation.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Callable

from graph.model import Unit
from graph.neo4j import plumbing
from graph.neo4j.cypher_search import NAME_INDEX
from graph.neo4j.records import DECODE, lucene_query
from graph.neo4j.vocabulary import FULLTEXT_INDEX
from graph.queries.search import SearchIndex
from graph.text import words

if TYPE_CHECKING:
    from graph.neo4j.store import Neo4jStore

#: How many full-text hits (best Lucene score first) of each index are ranked like the
#: embedded store: at least this many, and 5 per result asked.
SEARCH_CANDIDATES = 500
#: How many units (best Lucene score first) a typo pass ranks.
FUZZY_CANDIDATES = 2000
#: Lucene keeps this many hits per candidate asked (the rest are of other generations, or
#: not of the date); fewer candidates than asked from a full set of hits reads every hit.
HITS_PER_CANDIDATE = 4

Run = Callable[..., list[dict[str, Any]]]


def store_search(store: "Neo4jStore", text: str, at: dt.date | None,
                 limit: int) -> list[tuple[Unit, float]]:
    """`Neo4jStore.search_units`: one read transaction on the current generation."""
    def work(tx: Any) -> list[tuple[Unit, float]]:
        def run(name: str, **params: Any) -> list[dict[str, Any]]:
            return plumbing.run(tx, name, {"gen": None} | params)
        return search_units(run, text, at, limit)
    return store._read(work)


def search_units(run: Run, text: str, at: dt.date | None, limit: int) -> list[tuple[Unit, float]]:
    """Units matching `text` on `at` (None: any date), best first, scored as the embedded
    store scores them."""
    lucene = lucene_query(text)
    if lucene is None or limit <= 0:
        return []
    cap = max(SEARCH_CANDIDATES, 5 * limit)
    units = best_units(run, lucene, at, cap)
    names = run("search:names", index=NAME_INDEX, lucene=lucene, at=at, cap=cap)
    if units or names:
        candidates = {u.id: u for u in (DECODE["units"](p)
                                        for p in units + [r["p"] for r in names])}
        former = [DECODE["names"](r["name"]) for r in names]
        ranked = SearchIndex(candidates.values(), former, fuzzy=False).search(text)
        return [(candidates[uid], score) for uid, score in ranked[:limit]]
    if at is not None and any(run("search:any", index=index, lucene=lucene)
                              for index in (FULLTEXT_INDEX, NAME_INDEX)):
        return []  # the rules match on another date: no typo pass (as the embedded store)
    fuzzy = fuzzy_query(text)
    if fuzzy is None:
        return []
    rows = best_units(run, fuzzy, None, FUZZY_CANDIDATES)
    names = run("search:names", index=NAME_INDEX, lucene=fuzzy, at=None, cap=FUZZY_CANDIDATES)
    candidates = {u.id: u for u in (DECODE["units"](p) for p in rows + [r["p"] for r in names])}
    former = [DECODE["names"](r["name"]) for r in names]
    out = []
    for uid, score in SearchIndex(candidates.values(), former).search(text):
        unit = candidates[uid]
        if unit.valid_at(at):
            out.append((unit, score))
            if len(out) >= limit:
                break
    return out


def best_units(run: Run, lucene: str, at: dt.date | None, cap: int) -> list[dict[str, Any]]:
    """The `cap` best units of the generation on `at` by Lucene's score (property maps),
    as from every hit: read from Lucene's best `HITS_PER_CANDIDATE * cap` hits, and again
    from every hit only when fewer than `cap` of those were of the generation on the date
    while Lucene had that many (it may have more)."""
    hits = HITS_PER_CANDIDATE * cap
    params = {"index": FULLTEXT_INDEX, "lucene": lucene, "at": at, "cap": cap}
    rows = run("search:units", **params, hits=hits)
    if len(rows) < cap and run("search:hits", index=FULLTEXT_INDEX, lucene=lucene,
                               hits=hits)[0]["hits"] >= hits:
        rows = run("search:units:all", **params)
    return [r["p"] for r in rows]


def fuzzy_query(text: str) -> str | None:
    """The typo pass's Lucene query: any word of the text within two edits (one for a
    three-letter word: two would match most short words; a shorter word as written).
    Words are folded `[0-9a-z]`: nothing to escape."""
    terms = list(dict.fromkeys(words(text)))
    if not terms:
        return None
    parts = [t if len(t) < 3 else f"{t}~1" if len(t) == 3 else f"{t}~2" for t in terms]
    return f"search_words:({' '.join(parts)})"
