"""Unit search on the Neo4j store: the full-text index finds the candidates, the embedded
store's `graph.queries.search.SearchIndex` ranks them, so that both backends answer alike.

1. The rules (every word of the text among a unit's words, the last one also as a prefix,
   or the whole text as its abbreviation) run as one Lucene query over the units' index
   (`bomay_unit_search`) and one over their former names (`bomay_name_search`, the
   `UnitName` nodes of `names.csv`); the best `SEARCH_CANDIDATES` hits of each by Lucene's
   score are ranked by a `SearchIndex` built over them (current names first, then former
   names at 0.4 x their score, as the embedded store does).
2. When the rules match no unit at all (on any date: the embedded typo pass runs only then),
   the typo pass: a Lucene fuzzy query (`word~`, up to two edits a word, any word) gives
   the best `FUZZY_CANDIDATES` candidates, and `SearchIndex`'s own typo scoring (rapidfuzz
   `partial_ratio` over their distinct folded names) ranks them. `mong cay` finds Móng Cái
   and `ha giag` Hà Giang first, as on the embedded store; where Lucene's candidates miss
   a name the embedded pass would take (a word more than two edits away), the answers
   differ (`docs/neo4j.md`).

`search_units(run, text, at, limit)` takes the `run(name, **params)` of a read
transaction (the store's, or a snapshot's with its `$gen`; `$gen` null is the current
generation).
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Callable

from graph.model import Unit
from graph.neo4j.records import DECODE, lucene_query
from graph.queries.search import SearchIndex

#: How many full-text hits (best Lucene score first) are ranked like the embedded store:
#: at least this many, and 5 per result asked.
SEARCH_CANDIDATES = 500


def search_units(run: Callable[..., list[dict[str, Any]]], text: str, at: dt.date | None,
                 limit: int) -> list[tuple[Unit, float]]:
    """Units matching `text` on `at` (None: any date), best first, with the embedded
    store's scores."""
    lucene = lucene_query(text)
    if lucene is None or limit <= 0:
        return []
    rows = run("search", lucene=lucene, at=at, cap=max(SEARCH_CANDIDATES, 5 * limit))
    candidates = {u.id: u for u in (DECODE["units"](r["p"]) for r in rows)}
    ranked = SearchIndex(candidates.values(), fuzzy=False).search(text)
    return [(candidates[uid], score) for uid, score in ranked[:limit]]
