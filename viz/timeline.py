"""A unit's life on a time axis (pure): names, parents, events with their basis
documents, headcount figures and post holders, as SVG-ready lanes plus tables.

Coordinates are computed here and written as SVG attributes (the pages' CSP allows
no inline style), so the page needs no script.
"""

from __future__ import annotations

import datetime as dt
import textwrap
from typing import Any

from graph.dates import start_day
from graph.errors import NotFound
from graph.store import GraphReader
from viz.chart import lineage_href, scenario_href, unit_href
from viz.documents import basis_refs
from viz.event_text import event_sentence, is_generated
from viz.i18n import event_word, fmt_date, fmt_number, headcount_basis_word, role_word, t

WIDTH = 1000  # px of the time axis
LABEL_W = 170  # px of the lane labels


def _day(value: Any, default: dt.date) -> dt.date:
    return value.first_day() if value is not None else default


def build_timeline(reader: GraphReader, unit_id: str, *, prefix: str = "",
                   lang: str = "vi", today: dt.date | None = None,
                   standalone: bool = False) -> dict[str, Any]:
    unit = reader.get_unit(unit_id)
    if unit is None:
        raise NotFound(f"no unit with id {unit_id!r}")
    today = today or dt.date.today()
    rels = [r for r in reader.relations(unit_id, None, types=("PART_OF",), direction="out")]
    posts = reader.posts(unit_id=unit_id)
    heads = reader.headcounts(unit_id)
    events = sorted(reader.events(unit_id=unit_id), key=lambda e: e.date.first_day())
    former = sorted(reader.unit_names(unit_id), key=lambda n: start_day(n.valid_from))
    # The dataset's plans that would change it: not facts, so not events; each is marked
    # on the axis from the date it would apply on (`at`, else the date it was made).
    plans = [p for p in reader.plans() if unit_id in p.units and (p.at or p.date)]
    dates = [d for d in ([unit.valid_from, unit.valid_to]
                         + [p.at or p.date for p in plans]
                         + [n.valid_from for n in former] + [n.valid_to for n in former]
                         + [r.valid_from for r in rels] + [r.valid_to for r in rels]
                         + [p.valid_from for p in posts] + [p.valid_to for p in posts]
                         + [h.date for h in heads] + [e.date for e in events]) if d is not None]
    first = min((d.first_day() for d in dates), default=today - dt.timedelta(days=365))
    last = max([today] + [d.first_day() for d in dates])
    start = dt.date(first.year, 1, 1)
    end = dt.date(last.year + 1, 1, 1)
    span = (end - start).days or 1

    def x(day: dt.date) -> float:
        return round(LABEL_W + (day - start).days / span * WIDTH, 1)

    def bar(lo: Any, hi: Any, text: str, title: str, cls: str, href: str = "") -> dict[str, Any]:
        a, b = x(_day(lo, start)), x(_day(hi, end))
        return {"x": a, "w": max(4.0, b - a), "text": text, "title": title, "cls": cls,
                "href": href, "open_start": lo is None, "open_end": hi is None}

    def interval(lo: Any, hi: Any) -> str:
        return f"{fmt_date(str(lo)) if lo else '…'} – {fmt_date(str(hi)) if hi else t('now', lang)}"

    lanes: list[dict[str, Any]] = []
    # The names it bore (names.csv), each over its period, then its name since the last
    # of them ended (the unit's own name, over its whole life when it had no other).
    names = []
    current_from = unit.valid_from
    for n in former:
        lo = n.valid_from or unit.valid_from
        names.append(bar(lo, n.valid_to, n.name, f"{n.name} ({interval(lo, n.valid_to)})",
                         "former"))
        if n.valid_to is not None and (current_from is None
                                       or n.valid_to.first_day() > current_from.first_day()):
            current_from = n.valid_to
    names.append(bar(current_from, unit.valid_to, unit.name,
                     f"{unit.name} ({interval(current_from, unit.valid_to)})", "life"))
    lanes.append({"label": t("name", lang), "items": names})
    parents = []
    for r in sorted(rels, key=lambda r: _day(r.valid_from, start)):
        target = reader.get_unit(r.target_id)
        name = target.name if target else r.target_id
        parents.append(bar(r.valid_from, r.valid_to, name, f"{name} ({interval(r.valid_from, r.valid_to)})",
                           "parent", unit_href(r.target_id, prefix=prefix, lang=lang)))
    lanes.append({"label": t("up", lang) if not parents else ("Trực thuộc" if lang != "en" else "Part of"),
                  "items": parents})
    holders = []
    for p in sorted(posts, key=lambda p: (_day(p.valid_from, start), p.role)):
        person = reader.get_person(p.person_id)
        who = person.name if person else p.person_id
        text = f"{who} ({role_word(p.role, lang)})"
        holders.append(bar(p.valid_from, p.valid_to, text, f"{text}: {interval(p.valid_from, p.valid_to)}",
                           "post"))
    lanes.append({"label": t("head", lang), "items": holders, "stack": True})
    figures = [{"x": x(h.date.first_day()), "text": fmt_number(h.headcount, lang),
                "title": f"{fmt_date(str(h.date))}: {fmt_number(h.headcount, lang)} "
                         f"({headcount_basis_word(h.basis, lang)})"} for h in heads]
    # One mark per day: a reform's events share their date (a body consolidated and four
    # merged into it on 01/07/2025), and five labels at one point would print over each other.
    by_day: dict[dt.date, list[tuple[str, str]]] = {}
    event_rows = []
    for e in events:
        refs = basis_refs(reader, e.basis)
        docs = [d["text"] for d in refs]
        by_day.setdefault(e.date.first_day(), []).append(
            (event_word(e.type, lang), f"{fmt_date(str(e.date))} · {event_word(e.type, lang)}"
             + (f" · {'; '.join(docs)}" if docs else "")))
        event_rows.append({"id": e.id, "date": fmt_date(str(e.date)), "type": event_word(e.type, lang),
                           "inputs": [_name(reader, i) for i in e.inputs],
                           "outputs": [_name(reader, o) for o in e.outputs],
                           "basis": docs, "basis_refs": refs,
                           "description": event_sentence(reader, e, lang),
                           "recorded": e.description if is_generated(e) else ""})
    # Post holders may overlap: one row each in their lane.
    rows: list[float] = []
    for item in holders:
        for i, right in enumerate(rows):
            if item["x"] >= right + 4:
                item["row"] = i
                rows[i] = item["x"] + item["w"]
                break
        else:
            item["row"] = len(rows)
            rows.append(item["x"] + item["w"])
    plan_marks = []
    row = 0
    for p in sorted(plans, key=lambda p: (p.at or p.date).first_day()):
        day = (p.at or p.date).first_day()
        status = t("plan_adopted" if p.status == "adopted" else "plan_planned", lang)
        when = f"{t('plan_from', lang)} {fmt_date(str(p.at or p.date))}"
        made = ", ".join(part for part in (
            f"{t('plan_adopted_on', lang)} {fmt_date(str(p.adopted))}" if p.adopted else "",
            f"{t('plan_made', lang)} {fmt_date(str(p.date))}" if p.date else "") if part)
        px = x(day)
        label = f"{t('plan_mark', lang)} ({status}): {p.name} — {when}"
        anchor, lines = _label_lines(px, label)
        plan_marks.append({
            "id": p.id, "x": px, "w": round(LABEL_W + WIDTH - px, 1), "row": row,
            "status": p.status, "anchor": anchor, "label": label,
            "lines": [{"text": line, "y": 36 + 18 * (row + i)} for i, line in enumerate(lines)],
            "title": f"{t('plan_mark', lang)} ({status}{', ' + made if made else ''}): "
                     f"{p.name} — {when}. {t('plan_not_fact', lang)}",
            "href": None if standalone else scenario_href(p.id, prefix, lang)})
        row += len(lines)
    ticks = []
    step = max(1, (end.year - start.year) // 12)
    for year in range(start.year, end.year + 1, step):
        ticks.append({"x": x(dt.date(year, 1, 1)), "label": str(year)})
    top = 44 + 18 * row if row else 40  # the plans' labels above the lanes
    y = top
    for lane in lanes:
        lane["y"] = y
        n = (max((i.get("row", 0) for i in lane["items"]), default=0) + 1) if lane.get("stack") else 1
        lane["h"] = 30 * n
        for item in lane["items"]:
            item["y"] = y + 4 + 30 * item.get("row", 0)
        y += lane["h"] + 10
    figures_y, events_y = y, y + 40
    marks = _event_marks(by_day, x, lang, events_y)
    height = max([events_y + 60] + [m["y"] + 14 for m in marks])
    return {"unit": {"id": unit.id, "name": unit.name, "name_en": unit.name_en},
            "lanes": lanes, "figures": figures, "figures_y": figures_y, "marks": marks,
            "events_y": events_y, "ticks": ticks, "plan_marks": plan_marks,
            "axis_end": LABEL_W + WIDTH, "today_label": t("today", lang), "width": LABEL_W + WIDTH + 20,
            "height": height, "label_w": LABEL_W, "today_x": x(today),
            "events": event_rows,
            "headcounts": [{"date": fmt_date(str(h.date)), "headcount": h.headcount,
                            "basis": headcount_basis_word(h.basis, lang)} for h in heads],
            "posts": [{"text": i["text"], "title": i["title"]} for i in holders],
            "chart_href": unit_href(unit.id, prefix=prefix, lang=lang),
            "lineage_href": lineage_href(unit.id, prefix, lang)}


#: About how wide a character of a plan's label is (12 px, bold; wide enough for Vietnamese).
CHAR_W = 7.2


def _label_lines(x: float, label: str) -> tuple[str, list[str]]:
    """A plan's label beside its line: on the right unless it fits better on the left,
    wrapped into lines that stay inside the chart."""
    right = LABEL_W + WIDTH + 10 - (x + 6)
    left = x - 6
    anchor = "start" if right >= len(label) * CHAR_W or right >= left else "end"
    room = max(120.0, right if anchor == "start" else left)
    return anchor, textwrap.wrap(label, width=max(16, int(room / CHAR_W))) or [label]


#: About how wide a character of an event's label is (12 px, regular).
EVENT_CHAR_W = 6.8


def _event_marks(by_day: dict[dt.date, list[tuple[str, str]]], x: Any, lang: str,
                 events_y: float) -> list[dict[str, Any]]:
    """The events lane: one diamond per day, labelled with its event's type, or with the
    count and the types of the day's events; a label that would run into the one before it
    goes on the next free line below."""
    marks: list[dict[str, Any]] = []
    rights: list[float] = []
    for day in sorted(by_day):
        items = by_day[day]
        words = list(dict.fromkeys(word for word, _ in items))
        text = words[0] if len(items) == 1 else \
            f"{fmt_number(len(items), lang)} {t('events', lang).lower()}: {', '.join(words)}"
        mx = x(day)
        row = next((i for i, right in enumerate(rights) if mx + 8 >= right + 6), len(rights))
        if row == len(rights):
            rights.append(0.0)
        rights[row] = mx + 8 + len(text) * EVENT_CHAR_W
        marks.append({"x": mx, "y": events_y + 36 + 16 * row, "text": text,
                      "count": len(items), "title": "\n".join(title for _, title in items)})
    return marks


def _name(reader: GraphReader, uid: str) -> str:
    unit = reader.get_unit(uid)
    return unit.name if unit else uid
