"""An event told in the page's language: "Sáp nhập Quận ủy Quận 1 vào Thành ủy Thành phố Hồ
Chí Minh" / "Quận ủy Quận 1 merged into Thành ủy Thành phố Hồ Chí Minh".

The scenario engine (graph/scenarios/apply.py, `_Apply.event`) writes each event it records
with an English working note of ids ("merge (sáp nhập): hcm-q1-tu absorbed into hcm25-tu.")
and the source `scenario:<prefix>`; a page in Vietnamese showed that as the event's
description. Such an event is told here from its fields (type, the inputs named on the day
before its date, the outputs on its date); an event of the dataset (events.csv, any other
source) keeps the description its author wrote, as written, and so does the note a plan's
author gave the operation (`note:`), after the sentence.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from graph.model import Event
from graph.queries.provenance import name_on
from graph.store import GraphReader

#: The source the scenario engine gives the events it records (`scenario:<prefix>`).
GENERATED_SOURCE = "scenario:"

#: One sentence per event type: {i} the inputs, {o} the outputs, {f} the functions moved.
SENTENCES: dict[str, tuple[str, str]] = {
    "MERGE": ("Sáp nhập {i} vào {o}", "{i} merged into {o}"),
    "CONSOLIDATE": ("Hợp nhất {i} thành {o}", "{i} consolidated into {o}"),
    "SPLIT": ("Chia tách {i} thành {o}", "{i} split into {o}"),
    "ESTABLISH": ("Thành lập {o}", "{o} established"),
    "DISSOLVE": ("Giải thể {i}", "{i} dissolved"),
    "RENAME": ("Đổi tên {i} thành {o}", "{i} renamed {o}"),
    "MOVE": ("Chuyển {i} về trực thuộc {o}", "{i} moved under {o}"),
    "TRANSFER_FUNCTION": ("Chuyển chức năng {f}từ {i} sang {o}",
                          "Function {f}moved from {i} to {o}"),
}


def is_generated(event: Event) -> bool:
    """Whether the event's description is the scenario engine's working note, not an
    author's text."""
    return event.source.startswith(GENERATED_SOURCE)


def _names(reader: GraphReader, ids: Sequence[str], day: dt.date) -> list[str]:
    names = []
    for uid in ids:
        unit = reader.get_unit(uid)
        names.append(name_on(reader, unit, day)[0].name if unit else uid)
    return names


def _join(names: list[str], lang: str) -> str:
    if len(names) <= 1:
        return "".join(names)
    last = " và " if lang != "en" else " and "
    return ", ".join(names[:-1]) + last + names[-1]


def _functions(event: Event) -> str:
    """The function keys a generated transfer names before its colon ("to_chuc: the
    function moves from ..."; "a;b: the functions of ...")."""
    head, sep, _ = event.description.partition(":")
    if not sep or " " in head.strip():
        return ""
    return ", ".join(f for f in head.strip().split(";") if f) + " "


def planner_note(event: Event) -> str:
    """The note the plan's author gave the operation (`note:`), which the engine appends to
    its working note after a full stop ("consolidate (hợp nhất): … starts. Trung tâm chính
    trị - hành chính đặt tại …"): the text after the first full stop outside brackets and
    quotes (a unit's name there may hold one: "(TP. Thủ Đức)"); "" when there is none."""
    text, depth, quote = event.description, 0, ""
    for i, c in enumerate(text):
        if quote:
            if c == quote and (i + 1 == len(text) or not text[i + 1].isalnum()):
                quote = ""
        elif c in "'\"" and (i == 0 or not text[i - 1].isalnum()):
            quote = c
        elif c == "(":
            depth += 1
        elif c == ")":
            depth = max(0, depth - 1)
        elif c == "." and depth == 0 and (i + 1 == len(text) or text[i + 1] == " "):
            return text[i + 1:].strip()
    return ""


def event_sentence(reader: GraphReader, event: Event, lang: str) -> str:
    """The event's description for a page in `lang`: an author's as written, the engine's
    told from the event's fields."""
    if not is_generated(event) or event.type not in SENTENCES:
        return event.description
    day = event.date.first_day()
    before = day - dt.timedelta(days=1)
    vi, en = SENTENCES[event.type]
    inputs = _names(reader, event.inputs, before)
    outputs = _names(reader, event.outputs, day)
    told = (en if lang == "en" else vi).format(
        i=_join(inputs, lang), o=_join(outputs, lang),
        f=_functions(event) if event.type == "TRANSFER_FUNCTION" else "")
    note = planner_note(event)
    return f"{told}. {note}" if note else told
