"""viz.event_text on a real store (tests/data/r_bac_ninh in SQLite): an event the scenario
engine recorded (source `scenario:…`, an English note of ids) is told in the page's
language from its type and units; a dataset's own keeps its author's text."""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.dates import PartialDate
from graph.model import Event
from viz.event_text import event_sentence, is_generated

DATA = Path(__file__).resolve().parents[1] / "data"


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    from graph.embedded.store import EmbeddedStore
    from loaders import read_dataset
    s = EmbeddedStore(tmp_path_factory.mktemp("event-text") / "r_bac_ninh.db")
    s.replace_dataset(read_dataset(DATA / "r_bac_ninh"))
    return s


def engine(type_: str, inputs: tuple[str, ...], outputs: tuple[str, ...], note: str) -> Event:
    return Event(id="s-01", date=PartialDate.parse("2025-07-01"), type=type_, inputs=inputs,
                 outputs=outputs, description=note, source="scenario:s")


BTG, BDV, TU = "Ban Tuyên giáo Tỉnh ủy Bắc Giang", "Ban Dân vận Tỉnh ủy Bắc Giang", "Tỉnh ủy Bắc Giang"


@pytest.mark.parametrize(("event", "vi", "en"), [
    (engine("MERGE", ("bg-btg", "bg-bdv"), ("bg-tu",), "merge (sáp nhập): bg-btg, bg-bdv absorbed into bg-tu."),
     f"Sáp nhập {BTG} và {BDV} vào {TU}", f"{BTG} and {BDV} merged into {TU}"),
    (engine("DISSOLVE", ("bg-bdv",), (), "dissolve (giải thể): bg-bdv ends."),
     f"Giải thể {BDV}", f"{BDV} dissolved"),
    (engine("TRANSFER_FUNCTION", ("bg-btg",), ("bg-bdv",),
            "propaganda: the function moves from bg-btg to bg-bdv."),
     f"Chuyển chức năng propaganda từ {BTG} sang {BDV}",
     f"Function propaganda moved from {BTG} to {BDV}"),
    (engine("MOVE", ("bg-btg",), ("bg-tu",), "move: bg-btg moves from no parent to bg-tu."),
     f"Chuyển {BTG} về trực thuộc {TU}", f"{BTG} moved under {TU}"),
])
def test_an_engine_event_is_a_sentence_in_the_page_s_language(store, event, vi, en):
    assert is_generated(event)
    assert event_sentence(store, event, "vi") == vi
    assert event_sentence(store, event, "en") == en


@pytest.mark.parametrize(("recorded", "note"), [
    ("consolidate (hợp nhất): bg-btg, bg-bdv end and bg-btgdv (Ban Tuyên giáo và Dân vận "
     "Tỉnh ủy Bắc Giang) starts. Trụ sở đặt tại Ban Tuyên giáo (cũ)",
     "Trụ sở đặt tại Ban Tuyên giáo (cũ)"),
    ("consolidate (hợp nhất): a, b end and c (TP. Thủ Đức) starts.", ""),
    ("rename: 'Ban Tuyên giáo' becomes 'Ban T.G. mới'. Theo Quyết định 1.", "Theo Quyết định 1."),
])
def test_the_plan_author_s_note_follows_the_sentence(store, recorded, note):
    """An operation's `note:` the engine appends to its own note, after a full stop; a full
    stop in a unit's name (in brackets, in quotes) is not that one."""
    event = engine("CONSOLIDATE", ("bg-btg", "bg-bdv"), ("bg-btgdv",), recorded)
    told = f"Hợp nhất {BTG} và {BDV} thành Ban Tuyên giáo và Dân vận Tỉnh ủy Bắc Giang"
    assert event_sentence(store, event, "vi") == (f"{told}. {note}" if note else told)


def test_a_dataset_event_keeps_its_author_s_text(store):
    (event,) = [e for e in store.dataset().events if e.id == "bg-ev-tgdv"]
    assert not is_generated(event)
    for lang in ("vi", "en"):
        assert event_sentence(store, event, lang) == \
            "Hợp nhất Ban Tuyên giáo Tỉnh ủy và Ban Dân vận Tỉnh ủy Bắc Giang"
