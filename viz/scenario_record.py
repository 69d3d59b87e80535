"""A committed scenario's typed results, rebuilt from the JSON its commit kept.

`ScenarioService` keeps a committed scenario's impact report and diff as their
`to_dict()` JSON (the baseline they were computed against is gone). The scenario page
reads the typed classes (`ImpactReport`, `ScenarioDiff`) and nothing else, so this
module turns that JSON back into them: one shape (exactly what `to_dict()` writes), no
alternative spellings. `tests/viz/test_scenario_record.py` checks the round trip
(`from_dict(x.to_dict()).to_dict() == x.to_dict()`) on the seed scenarios.
"""

from __future__ import annotations

import datetime as dt
from typing import Any, Mapping

from graph.dates import PartialDate
from graph.model import Event
from graph.scenarios.apply import LogEntry
from graph.scenarios.diff import (AddedUnit, FunctionMove, Merged, MovedUnit, RemovedUnit,
                                  RenamedUnit, ScenarioDiff, Split)
from graph.scenarios.diff_areas import AreaChange
from graph.scenarios.impact import (Assumptions, BodiesSection, Count, DuplicatedFunction,
                                    DuplicatedPost, FunctionEnd, FunctionsSection, HeadcountChange,
                                    HeadcountSection, ImpactReport, LeadershipSection,
                                    PartyGroup, PersonAffected, Saving, Scope, SpanReading,
                                    SpanSection, UnitsSection)

J = Mapping[str, Any]


def _date(text: str) -> dt.date:
    return dt.date.fromisoformat(text)


def _partial(text: Any) -> PartialDate | None:
    return PartialDate.parse(str(text)) if text not in (None, "") else None


def event_from_dict(d: J) -> Event:
    return Event(id=d["id"], date=_partial(d["date"]), type=d["type"],
                 inputs=tuple(d.get("inputs") or ()), outputs=tuple(d.get("outputs") or ()),
                 basis=tuple(d.get("basis") or ()), description=d.get("description") or "",
                 source=d.get("source") or "")


def log_entry_from_dict(d: J) -> LogEntry:
    return LogEntry(
        index=d["index"], op=d["op"], date=d["date"], summary=d["summary"],
        events=tuple(map(event_from_dict, d["events"])), subjects=tuple(d["subjects"]),
        ended=tuple(d["ended"]), started=tuple(d["started"]),
        moved=tuple((m["unit"], m["from"], m["to"]) for m in d["moved"]),
        renamed=tuple((r["unit"], r["from"], r["to"], r["id"]) for r in d["renamed"]),
        functions=tuple((f["function"], f["from"], f["to"]) for f in d["functions"]),
        duplicated_functions=tuple((x["unit"], x["function"], x["holders"])
                                   for x in d["duplicated_functions"]),
        posts=tuple((p["person"], p["unit"], p["role"], p["to"]) for p in d["posts"]),
        headcount=tuple((h["unit"], h["before"], h["after"]) for h in d["headcount"]),
        warnings=tuple(d["warnings"]),
        # absent from a log kept before they existed (read back as none, the defaults)
        bodies=tuple((b["unit"], tuple(b["from"])) for b in d.get("bodies") or ()),
        unpaired=tuple((u["unit"], u["from_area"], u["to_area"])
                       for u in d.get("unpaired") or ()),
        overrides=tuple(d.get("overrides") or ()),
        # only an operation that names leaders writes them
        leaders=tuple((x["unit"], x["role"], x["person"],
                       tuple((e["person"], e["unit"]) for e in x["ended"]))
                      for x in d.get("leaders") or ()))


def diff_from_dict(d: J) -> ScenarioDiff:
    """`ScenarioDiff.to_dict()` read back."""
    return ScenarioDiff(
        at=_date(d["at"]),
        added=tuple(AddedUnit(x["id"], x["name"], x["kind"], x["parent"], x["operation"])
                    for x in d["added"]),
        removed=tuple(RemovedUnit(x["id"], x["name"], x["kind"], x["parent"], x["ended"],
                                  tuple(x["successors"]), x["operation"]) for x in d["removed"]),
        moved=tuple(MovedUnit(x["id"], x["name"], x["from"], x["to"], x.get("operation"),
                              x.get("event"), x.get("area_from"), x.get("area_to"))
                    for x in d["moved"]),
        renamed=tuple(RenamedUnit(x["id"], x["from"], x["to"], x["new_id"], x["operation"])
                      for x in d["renamed"]),
        merged=tuple(Merged(x["event"], x["type"], tuple(x["inputs"]), x["into"], x["date"],
                            x["operation"]) for x in d["merged"]),
        split=tuple(Split(x["event"], x["unit"], tuple(x["into"]), x["date"], x["operation"])
                    for x in d["split"]),
        functions=tuple(FunctionMove(x["function"], x["from"], x["to"], x["operation"])
                        for x in d["functions"]),
        events=tuple(map(event_from_dict, d["events"])),
        # A diff kept before `area_changes` existed has none: it reads back with none (the
        # one key allowed to be absent; `ScenarioDiff` defaults it likewise).
        area_changes=tuple(map(area_change_from_dict, d.get("area_changes") or ())))


def area_change_from_dict(d: J) -> AreaChange:
    """`AreaChange.to_dict()` read back."""
    return AreaChange(id=d["id"], name=d["name"], old_parent=d["parent_from"],
                      new_parent=d["parent_to"], old_area=d["area_from"], new_area=d["area_to"],
                      old_by=d["from_by"], new_by=d["to_by"], by=d["by"], via=d["via"],
                      operation=d["operation"])


def _count(d: J) -> Count:
    return Count(d["before"], d["after"])


def _assumptions(d: J) -> Assumptions:
    return Assumptions(remove_duplicate_leadership=d["remove_duplicate_leadership"],
                       leadership_post_saving=d["leadership_post_saving"],
                       support_saving=dict(d["support_saving"]),
                       support_staff=d["support_staff"], max_span=d["max_span"],
                       single_holder_roles=tuple(d["single_holder_roles"]))


def _saving(d: J) -> Saving:
    return Saving(d["reason"], d["unit"], d["amount"], d["how"], d["applied"],
                  function=d.get("function"), role=d.get("role"), note=d.get("note"))


def _headcount(d: J) -> HeadcountSection:
    # An unknown total is null in the JSON and None in the section alike.
    return HeadcountSection(
        before=d["before"], after_recorded=d["after_recorded"],
        savings=tuple(map(_saving, d["savings"])), saving_total=d["saving_total"],
        after=d["after"], change=d["change"],
        units_without_figure=_count(d["units_without_figure"]),
        changes=tuple(HeadcountChange(c["unit"], c["before"], c["after"], c["operation"])
                      for c in d["changes"]))


def _function_end(d: J) -> FunctionEnd:
    return FunctionEnd(d["function"], d["from"], d.get("to"), d["operation"])


def _functions(d: J) -> FunctionsSection:
    return FunctionsSection(
        before=d["before"], after=d["after"],
        duplicated=tuple(DuplicatedFunction(x["unit"], x["function"], x["holders"],
                                            x["operation"], x.get("saving"),
                                            x.get("saving_applied", False))
                         for x in d["duplicated"]),
        nowhere=tuple(map(_function_end, d["nowhere"])),
        moved=tuple(map(_function_end, d["moved"])))


def _leadership(d: J) -> LeadershipSection:
    return LeadershipSection(
        before=d["before"], after_recorded=d["after_recorded"],
        duplicated=tuple(DuplicatedPost(x["unit"], x["role"], tuple(x["people"]))
                         for x in d["duplicated"]),
        removed=d["removed"],
        people_affected=tuple(PersonAffected(p["person"], p["name"], p["unit"], p["role"],
                                             p["to"], p["operation"], p.get("duplicated", False),
                                             p.get("not_named"))
                              for p in d["people_affected"]),
        # only a plan that names leaders writes `named` (a report of another plan has none)
        named=tuple((x["unit"], x["role"], x["person"], tuple(x["ended"]), x["operation"])
                    for x in d.get("named", ())))


def _span_reading(d: J) -> SpanReading:
    return SpanReading(d["max"], d["mean"], d["units_with_children"],
                       tuple((x["unit"], x["children"]) for x in d["exceeding"]))


def _party(d: J) -> PartyGroup:
    return PartyGroup(_count(d), tuple(d["ended"]), tuple(d["started"]), tuple(d["moved"]),
                      tuple(d["changed"]))


def impact_from_dict(d: J) -> ImpactReport:
    """`ImpactReport.to_dict()` read back."""
    units, span = d["units"], d["span"]
    return ImpactReport(
        at_before=_date(d["at"]["before"]), at_after=_date(d["at"]["after"]),
        scope=Scope(tuple(d["scope"]["subjects"]), tuple(d["scope"]["parents"]),
                    d["scope"]["units_before"], d["scope"]["units_after"]),
        assumptions=_assumptions(d["assumptions"]),
        units=UnitsSection(_count(units),
                           tuple((k, _count(c)) for k, c in units["by_kind"].items()),
                           tuple((k, _count(c)) for k, c in units["by_level"].items()),
                           tuple(units["ended"]), tuple(units["started"])),
        headcount=_headcount(d["headcount"]), functions=_functions(d["functions"]),
        leadership=_leadership(d["leadership"]),
        span=SpanSection(span["max_span"], _span_reading(span["before"]),
                         _span_reading(span["after"]),
                         tuple((c["unit"], c["before"], c["after"]) for c in span["changes"])),
        depth=_count(d["depth"]),
        party_cells=_party(d["party"]["cells"]), party_committees=_party(d["party"]["committees"]),
        warnings=tuple(d["warnings"]),
        operations=tuple(map(log_entry_from_dict, d["operations"])),
        # A report kept before `bodies` and `overrides` existed has neither: it reads back
        # with none (`ImpactReport` defaults them likewise).
        bodies=_bodies(d.get("bodies") or {}),
        overrides=tuple((o["event"], o["type"], o["date"], o["operation"])
                        for o in d.get("overrides") or ()))


def _bodies(d: J) -> BodiesSection:
    """`BodiesSection.to_dict()` read back (its counts are the lists' own)."""
    return BodiesSection(
        groups=tuple((g["unit"], tuple(g["from"]), g["operation"]) for g in d.get("groups", ())),
        unpaired=tuple((u["unit"], u["from_area"], u["to_area"], u["operation"])
                       for u in d.get("unpaired", ())))
