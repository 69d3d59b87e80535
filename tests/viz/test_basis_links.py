"""The basis documents of the events on a unit's timeline and lineage pages: a link to a
document's address when its record holds one, plain text when it holds none, and never a
link for text that is not a web address (a store written before documents.csv's url rule
may hold it). On the bundled data, with addresses set in the records."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from graph.embedded.memory import MemoryGraph
from loaders import read_dataset
from viz.pages import lineage_page, timeline_page

SEED = Path(__file__).resolve().parents[2] / "data" / "seed"
ADDRESS = "https://tulieuvankien.dangcongsan.vn/he-thong-van-ban/van-ban-cua-dang/nq-18"


def _reader(urls: dict[str, str]) -> MemoryGraph:
    ds = read_dataset(SEED)
    docs = tuple(dataclasses.replace(d, url=urls.get(d.id, d.url)) for d in ds.documents)
    return MemoryGraph(dataclasses.replace(ds, documents=docs))


def _links(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<a class="bv-doc" href="([^"]*)"[^>]*>([^<]*)</a>', html)


PAGES = {"timeline": lambda r: timeline_page(r, "mc-ubkt-thanh-tra", standalone=True),
         "lineage": lambda r: lineage_page(r, "mc-ubkt-thanh-tra", standalone=True)}


@pytest.mark.parametrize("page", sorted(PAGES))
def test_a_document_with_an_address_is_a_link_and_one_without_is_text(page):
    html = PAGES[page](_reader({"doc-18-nq-tw": ADDRESS}))
    links = _links(html)
    assert links and {href for href, _ in links} == {ADDRESS}, links
    assert all(text.startswith("18-NQ/TW — Nghị quyết số 18-NQ/TW") for _, text in links)
    # 19-NQ/TW has no address: named, not linked
    assert "19-NQ/TW — Nghị quyết số 19-NQ/TW" in html
    assert 'rel="noopener noreferrer"' in html


@pytest.mark.parametrize("page", sorted(PAGES))
@pytest.mark.parametrize("stored", ["javascript:alert(1)", "nq18.pdf",
                                    'https://x.vn/" onmouseover="alert(1)'])
def test_text_that_is_not_a_web_address_is_never_a_link(page, stored):
    html = PAGES[page](_reader({"doc-18-nq-tw": stored}))
    assert _links(html) == []
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert not [h for h in hrefs if "alert" in h or "nq18" in h], hrefs
    assert "18-NQ/TW — Nghị quyết số 18-NQ/TW" in html  # still named
