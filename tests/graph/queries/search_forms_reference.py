"""The search rules with the forms of bodies' names (`graph.names_forms`), read brute force:
the reference `tests/graph/queries/test_search_forms.py` (and the property tests of
test_search.py) compare the lazy `SearchIndex` with. Not a test module: importable from
both without running their tests twice."""

from __future__ import annotations

import re
import unicodedata

from graph.model import Unit
from graph.names_forms import name_words


def ref_fold(text: str) -> str:
    text = text.replace("đ", "d").replace("Đ", "D")
    stripped = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
    return stripped.casefold()


def ref_words(text: str) -> list[str]:
    return re.findall(r"[0-9a-z]+", ref_fold(text))


def ref_search_forms(units: list[Unit], text: str) -> list[tuple[str, float]]:
    """The rules read brute force, with the forms: a unit also matches by the query's
    canonical words among its words or its name's canonical words, in the same bands,
    scored on the written-out lengths; a plain match keeps its band and score."""
    query, terms = ref_fold(text).strip(), ref_words(text)
    if not terms:
        return []
    *head, last = terms
    cterms = list(name_words(text))
    phrase, cphrase = " ".join(terms), " ".join(cterms)
    qlen_c = len(query) + len(cphrase) - len(phrase)
    out = {}
    for u in units:
        own = ref_words(u.name)
        cname = list(name_words(u.name, u.kind))
        vocabulary = set(own + ref_words(u.name_en) + ref_words(u.id))
        cvocabulary = vocabulary | set(cname)
        name, name_en = ref_fold(u.name), ref_fold(u.name_en)
        nlen = max(len(name), 1)
        nlen_c = max(nlen + len(" ".join(cname)) - len(" ".join(own)), 1) if cname != own else nlen
        joined = (" ".join(own), " ".join(ref_words(u.name_en)))
        together = phrase in joined[0] or phrase in joined[1] or cphrase in " ".join(cname)
        in_head, whole = all(t in vocabulary for t in head), last in vocabulary
        prefixed = len(last) >= 2 and any(w.startswith(last) for w in vocabulary)
        c_all = all(t in cvocabulary for t in cterms)
        c_prefixed = (cterms[-1] == last and len(last) >= 2
                      and all(t in cvocabulary for t in cterms[:-1])
                      and any(w.startswith(last) for w in cvocabulary))
        band = length = None
        if in_head and whole and query in (name, name_en):
            band, length = 0.95, len(query) / nlen
        elif " ".join(cname) == cphrase and joined[0] != phrase:
            band, length = 0.95, qlen_c / nlen_c
        elif in_head and whole:
            band, length = (0.8 if together else 0.6), len(query) / nlen
        elif c_all:
            band, length = (0.8 if together else 0.6), qlen_c / nlen_c
        elif in_head and prefixed:
            band, length = 0.5, len(query) / nlen
        elif c_prefixed:
            band, length = 0.5, qlen_c / nlen_c
        score = None
        if band is not None and length is not None:
            score = round(band + 0.09 * min(1.0, length), 4)
        if u.abbr and ref_fold(u.abbr).replace(" ", "") == query.replace(" ", ""):
            score = 1.0 if score is None else max(score, 1.0)
        if score is not None:
            out[u.id] = score
    return sorted(out.items(), key=lambda kv: (-kv[1], kv[0]))
