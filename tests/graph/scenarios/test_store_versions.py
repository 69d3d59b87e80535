"""The scenario version check of the store: a compare-and-set on one SQLite file, seen by
two store objects (as two `bomay serve` processes see it)."""

from __future__ import annotations

import dataclasses

import pytest

from graph.embedded.store import EmbeddedStore
from graph.errors import Conflict
from graph.store import StoredScenario


def test_versions_count_saves_and_a_stale_write_is_refused(tmp_path):
    one, two = EmbeddedStore(tmp_path / "s.db"), EmbeddedStore(tmp_path / "s.db")
    try:
        first = one.save_scenario(StoredScenario(id="s", name="A", at="2018"), expected_version=0)
        assert first.version == 1 and two.get_scenario("s").version == 1
        with pytest.raises(Conflict, match="already exists"):
            two.save_scenario(StoredScenario(id="s", name="B", at="2018"), expected_version=0)
        seen_by_one, seen_by_two = one.get_scenario("s"), two.get_scenario("s")
        saved = two.save_scenario(dataclasses.replace(seen_by_two, name="by two"),
                                  expected_version=seen_by_two.version)
        assert saved.version == 2
        with pytest.raises(Conflict, match="is at version 2") as info:
            one.save_scenario(dataclasses.replace(seen_by_one, name="by one"),
                              expected_version=seen_by_one.version)
        assert info.value.errors[0]["field"] == "version"
        assert one.get_scenario("s").name == "by two"
        # an unconditional save still counts
        assert one.save_scenario(dataclasses.replace(seen_by_one, name="forced")).version == 3
    finally:
        one.close()
        two.close()


def test_a_delete_over_a_stale_version_deletes_nothing(tmp_path):
    one, two = EmbeddedStore(tmp_path / "s.db"), EmbeddedStore(tmp_path / "s.db")
    try:
        one.save_scenario(StoredScenario(id="s", name="A", at="2018"))
        stale = two.get_scenario("s")
        one.save_scenario(dataclasses.replace(stale, name="changed"), expected_version=1)
        with pytest.raises(Conflict):
            two.delete_scenario("s", expected_version=stale.version)
        assert two.get_scenario("s").name == "changed"
        assert two.delete_scenario("s", expected_version=2) is True
        assert one.get_scenario("s") is None and one.delete_scenario("s") is False
        with pytest.raises(Conflict, match="was deleted"):
            one.save_scenario(stale, expected_version=1)
    finally:
        one.close()
        two.close()


def test_the_codec_round_trips_every_field():
    s = StoredScenario(id="s", name="Hợp nhất", at="2018-08", description="d",
                       operations=({"op": "merge", "into": "a", "units": ["b"]},),
                       base_revision="r1", created="2020-01-01T00:00:00+00:00",
                       committed="2020-02-01T00:00:00+00:00", extra={"events": ["e1"]},
                       version=7)
    back = StoredScenario.from_json(s.to_json())
    assert back == s and back.version == 7
    assert StoredScenario.from_json(s.to_json().decode()).operations == s.operations
