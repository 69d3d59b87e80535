"""Thin page renderers: build a chart (pure, `viz.orgchart` & co.) and render it to HTML.

Each returns the page as a string; `standalone=True` inlines every asset so the
string can be written to a file and opened without a server.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from graph.dates import parse_at
from graph.scenarios.diff import ScenarioDiff
from graph.scenarios.impact import ImpactReport
from graph.store import GraphReader
from viz.chart import Chart, lineage_href, scenario_href, timeline_href, unit_href
from viz.i18n import event_word, fmt_date, kind_word, level_word, t
from viz.lineage import build_lineage_chart
from viz.orgchart import MAX_VISIBLE, SERVED_NODES, build_org_chart
from viz.scenario import (FullLists, Sides, build_scenario_pairs, change_sections, first_rows,
                          impact_tables, legend, more_note, summary_figures)
from viz.render import render


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", text).strip("-")[:80] or "chart"


def _generated() -> str:
    return dt.datetime.now().astimezone().strftime("%Y-%m-%d %H:%M")


_DATES_CACHE: dict[str, list[str]] = {}


def structure_dates(reader: GraphReader) -> list[str]:
    """The dates on which the structure changes (event dates, full days, ISO), sorted;
    cached per revision (the date slider's stops)."""
    key = reader.revision
    if key not in _DATES_CACHE:
        days = {e.date.first_day().isoformat() for e in reader.events()
                if getattr(e.date, "day", None)}
        if len(_DATES_CACHE) > 8:
            _DATES_CACHE.clear()
        _DATES_CACHE[key] = sorted(days)
    return _DATES_CACHE[key]


def _slider_index(dates: list[str], at: str | None) -> int:
    if not dates or not at:
        return 0
    before = [i for i, d in enumerate(dates) if d <= at]
    return before[-1] if before else 0


def _words(lang: str) -> dict[str, Any]:
    return {"kind_word": lambda k: kind_word(k, lang), "level_word": lambda v: level_word(v, lang),
            "event_word": lambda v: event_word(v, lang)}


def _plan_summary(plan: Any) -> dict[str, Any]:
    """A plan's summary with the date it would apply from (`at`, else its date): what a
    planner asks first of a plan."""
    at = plan.at or plan.date
    return {**plan.summary(), "at": str(at) if at else None}


def plans_here(reader: GraphReader, unit_ids: list[str], *, prefix: str = "",
               lang: str = "vi", standalone: bool = False, count: bool = False,
               primary: str | None = None) -> list[dict[str, Any]]:
    """The dataset's plans that would change one of `unit_ids` (a plan is not a fact: the
    pages show the record and name the plans beside it), each with its status, dates and
    the link to its before and after (none in a standalone page); `count`: how many of
    the units it would change.

    Each also says what it does to the units (`effects`: the page's own unit `primary`,
    default the first, then `more`: the others, in the order given), read from the plan's
    log, indexed once per plan and baseline (`viz.plan_effects.effects_of`); `more` names
    the first `viz.scenario.TABLE_ROWS` ("more_total": how many, "more_note": where the
    plan's whole diff is)."""
    from viz.plan_effects import effect_line, effects_of
    wanted = set(unit_ids)
    primary = primary or (unit_ids[0] if unit_ids else None)
    out = []
    names: dict[str, str] | None = None
    for plan in reader.plans():
        hit = wanted.intersection(plan.units)
        if not hit:
            continue
        fx = effects_of(reader, plan)
        if names is None:
            found = reader.get_units(list(wanted))
            names = {uid: u.name for uid, u in found.items()}
        lines = [{"unit": uid, "text": effect_line(fx, uid, names.get(uid, uid), lang)}
                 for uid in unit_ids if uid in hit]
        lines = [x for x in lines if x["text"]]
        # The chart's other units: up to its 2,500 boxes, each a line; the page's bound.
        others = [x for x in lines if x["unit"] != primary]
        shown, left = first_rows(others)
        out.append({**_plan_summary(plan), "units": len(hit) if count else None,
                    "href": None if standalone else scenario_href(plan.id, prefix, lang),
                    "effects": [x for x in lines if x["unit"] == primary],
                    "more": shown, "more_total": len(others),
                    "more_note": more_note(left, "", FullLists.of_scenario(plan.id),
                                           lang == "en")})
    return out


def org_chart_page(reader: GraphReader, unit_id: str, at: dt.date | None,
                   depth: int | None = None, *, standalone: bool = True, prefix: str = "",
                   max_nodes: int | None = None, tree: dict[str, Any] | None = None,
                   lang: str = "vi", lang_href: str = "") -> str:
    """The org chart page. Served, it sends the first levels (at most `SERVED_NODES`
    units) and the page fetches the rest from the API when a unit is expanded;
    standalone, up to `MAX_VISIBLE` units (there is no API to ask)."""
    if max_nodes is None:
        max_nodes = MAX_VISIBLE if standalone else SERVED_NODES
    chart = build_org_chart(reader, unit_id, at, depth, max_nodes=max_nodes, prefix=prefix,
                            tree=tree, lang=lang)
    from graph.queries.structure import ancestors
    chain = ancestors(reader, unit_id, at)
    parent = chain[0] if chain else None
    at_text = at.isoformat() if at else None
    dates = [] if standalone else structure_dates(reader)
    chart_query = "?" + "&".join(p for p in (f"at={at_text}" if at_text else "",
                                             "lang=en" if lang == "en" else "") if p)
    api = None if standalone else {
        "units": f"{prefix}/units/", "search": f"{prefix}/search", "at": at_text,
        "chart": f"{prefix}/viz/units/", "chartQuery": chart_query if chart_query != "?" else "",
        "lang": lang}
    return render("orgchart.html", title=chart.title, charts={"main": chart},
                  standalone=standalone, prefix=prefix, lang=lang, lang_href=lang_href,
                  extra_data={"api": api, "dates": dates},
                  self_path=unit_href(unit_id, prefix=prefix), dates=dates,
                  slider_index=_slider_index(dates, at_text),
                  unit_link=lambda uid: unit_href(uid, at=at_text, prefix=prefix, lang=lang),
                  parent_href=unit_href(parent.id, at=at_text, depth=depth, prefix=prefix,
                                        lang=lang) if parent else None,
                  parent_name=(parent.name if parent else ""),
                  lineage_href=lineage_href(unit_id, prefix, lang),
                  timeline_href=timeline_href(unit_id, prefix, lang),
                  png_name=f"{_slug(unit_id)}-{at_text or 'all'}.png",
                  plans=plans_here(reader, [u["id"] for u in chart.meta["units"]],
                                   prefix=prefix, lang=lang, standalone=standalone,
                                   count=True, primary=unit_id),
                  generated=_generated() if standalone else "", **_words(lang))


_TOP_CACHE: dict[tuple[str, dt.date], list[Any]] = {}


def top_level_units(reader: GraphReader, at: dt.date) -> list[Any]:
    """Units with no PART_OF parent on `at`, central first, by name (cached per revision;
    `graph.queries.structure.roots`, the store's own capability where it has one)."""
    key = (reader.revision, at)
    if key not in _TOP_CACHE:
        roots_of = getattr(reader, "roots", None)
        if callable(roots_of):
            top = list(roots_of(at))
            if top and isinstance(top[0], str):  # the store capability answers ids
                found = reader.get_units(top)
                top = [found[i] for i in top if i in found]
        else:
            from graph.queries.structure import roots
            top = roots(reader, at)
        level_rank = {"central": 0, "province": 1, "district": 2, "commune": 3}
        top.sort(key=lambda u: (level_rank.get(u.level, 9), u.name, u.id))
        if len(_TOP_CACHE) > 16:
            _TOP_CACHE.clear()
        _TOP_CACHE[key] = top
    return _TOP_CACHE[key]


def landing_page(reader: GraphReader, at: dt.date, *, scenarios: list[Any] = (),
                 query: str = "", results: list[Any] = (), prefix: str = "",
                 search_api: str = "/search", lang: str = "vi", lang_href: str = "",
                 warming: bool = False, search_warming: bool = False) -> str:
    """The start page: a date control, search, the top-level units on `at`, the saved
    scenarios. `warming`: the indexes behind the top-level units and the date slider are
    still being built after a start (the page says so instead of waiting for them);
    `search_warming`: the same for the search index."""
    at_text = at.isoformat()
    former = [] if (results or search_warming or not query.strip()) else \
        _other_dates(reader, query, at, prefix, lang)
    top = [] if warming else top_level_units(reader, at)
    dates = [] if warming else structure_dates(reader)
    return render(
        "landing.html", title=t("start", lang), standalone=False, prefix=prefix, at=at_text,
        query=query, lang=lang, lang_href=lang_href, search_api=prefix + search_api,
        extra_data={"dates": dates}, dates=dates, slider_index=_slider_index(dates, at_text),
        chart_query=f"?at={at_text}" + ("&lang=en" if lang == "en" else ""),
        top=[{"name": u.name, "name_en": u.name_en, "kind": u.kind, "level": u.level,
              "href": unit_href(u.id, at=at_text, prefix=prefix, lang=lang),
              "lineage": lineage_href(u.id, prefix, lang),
              "timeline": timeline_href(u.id, prefix, lang)} for u in top[:200]],
        top_total=len(top), warming=warming, search_warming=search_warming,
        results=[{"name": u.name, "name_en": u.name_en, "kind": u.kind,
                  "href": unit_href(u.id, at=at_text, prefix=prefix, lang=lang)}
                 for u in results],
        former=former,
        scenarios=[{"name": s.name or s.id, "at": s.at, "description": s.description,
                    "committed": s.committed, "href": scenario_href(s.id, prefix, lang)}
                   for s in scenarios],
        plans=[] if warming else [
            {**_plan_summary(p), "units": len(p.units), "href": scenario_href(p.id, prefix, lang)}
            for p in reader.plans()], **_words(lang))


def _other_dates(reader: GraphReader, query: str, at: dt.date, prefix: str,
                 lang: str) -> list[dict[str, Any]]:
    """When nothing bears `query` on `at`: the units that bore it on another date (a
    province consolidated on 01/07/2025, searched for on that day), each with when it
    ended or started and its chart on its last (or first) day; its lineage says what it
    became."""
    out = []
    for unit, _ in reader.search_units(query, None, limit=10):
        if unit.valid_at(at):
            continue
        ended = unit.valid_to is not None and unit.valid_to.first_day() <= at
        day = unit.valid_to.first_day() - dt.timedelta(days=1) if ended else \
            (unit.valid_from.first_day() if unit.valid_from is not None else at)
        when = unit.valid_to if ended else unit.valid_from
        out.append({"name": unit.name, "name_en": unit.name_en, "kind": unit.kind,
                    "when": t("ended_on" if ended else "started_on", lang).format(
                        date=fmt_date(str(when))),
                    "href": unit_href(unit.id, at=day.isoformat(), prefix=prefix, lang=lang),
                    "lineage": lineage_href(unit.id, prefix, lang)})
    return out


def error_page(status: int, heading: str, detail: str, *, prefix: str = "",
               lang: str = "vi") -> str:
    return render("error.html", title=heading, prefix=prefix, heading=heading, detail=detail,
                  status=status, lang=lang)


def lineage_page(reader: GraphReader, unit_id: str, *, standalone: bool = True,
                 prefix: str = "", data: dict[str, Any] | None = None, lang: str = "vi",
                 lang_href: str = "") -> str:
    chart = build_lineage_chart(reader, unit_id, data, prefix=prefix, lang=lang)
    return render("lineage.html", title=chart.title, charts={"main": chart},
                  standalone=standalone, prefix=prefix, lang=lang, lang_href=lang_href,
                  png_name=f"{_slug(unit_id)}-lineage.png",
                  plans=plans_here(reader, [unit_id], prefix=prefix, lang=lang,
                                   standalone=standalone),
                  generated=_generated() if standalone else "", **_words(lang))


def timeline_page(reader: GraphReader, unit_id: str, *, standalone: bool = False,
                  prefix: str = "", lang: str = "vi", lang_href: str = "") -> str:
    """A unit's life on a time axis: names, parents, events (with their basis documents),
    headcount figures and post holders (`viz.timeline`)."""
    from viz.timeline import build_timeline
    data = build_timeline(reader, unit_id, prefix=prefix, lang=lang, standalone=standalone)
    return render("timeline.html", title=f"{t('timeline', lang)}: {data['unit']['name']}",
                  standalone=standalone, prefix=prefix, lang=lang, lang_href=lang_href,
                  tl=data, plans=plans_here(reader, [unit_id], prefix=prefix, lang=lang,
                                            standalone=standalone),
                  generated=_generated() if standalone else "", **_words(lang))


def _chart_total(chart: Chart, impact: ImpactReport | None) -> dict[str, Any]:
    """How many units a side's chart stands for (drawn and not sent), and whether its root
    is only the context the changes sit in: a root no operation acts on (the country over
    three provinces brought together) is outside the report's scope, so it is left out of
    the figure, which then agrees with the summary's units figure (90, not 91), and the
    figure is labelled as counting the units under the root."""
    drawn = chart.meta.get("drawn") or len(chart.unit_nodes)
    total = drawn + (chart.meta.get("not_sent") or 0)
    root = (chart.meta.get("root") or {}).get("id")
    context = bool(impact is not None and drawn and root
                   and root not in impact.scope.subjects)
    return {"value": total - 1 if context else total, "under_root": context}


def scenario_page(before_reader: GraphReader, after_reader: GraphReader, root_id: str | None,
                  at: dt.date | str | None, diff: ScenarioDiff | None = None,
                  impact: ImpactReport | None = None, *, at_before: dt.date | None = None,
                  name: str = "", description: str = "", standalone: bool = True,
                  prefix: str = "", max_nodes: int = MAX_VISIBLE, lang: str = "vi",
                  lang_href: str = "", committed: dict[str, str] | None = None,
                  scenario_id: str = "", plan_file: str = "") -> str:
    """Before and after a scenario, side by side (one pair per tree it touches), with
    the impact report as tables and the change legend in view.

    `diff` and `impact` are the scenario engine's typed results (`ScenarioDiff`,
    `ImpactReport`; for a committed scenario, read back by `viz.scenario_record`). The
    after side is drawn on `at`, the before side on `at_before` (default `at`).
    `committed` ({"date", "revision"}) says the scenario is in the baseline now.
    `root_id` None picks the lowest unit holding every change, else one pair per tree.
    A long list names its first `viz.scenario.TABLE_ROWS` rows, then "… and N more" and
    where the whole list is: the scenario's JSON endpoints and CLI commands when
    `scenario_id` is given, `bomay scenario run PLAN --json` when `plan_file` is.
    Standalone by default (for `bomay scenario run --html`)."""
    if isinstance(at, str):
        at = parse_at(at)
    full = (FullLists.of_scenario(scenario_id) if scenario_id else
            FullLists.of_plan_file(plan_file) if plan_file else FullLists())
    sides = Sides(before_reader, after_reader, at_before or at, at)
    pairs, changes = build_scenario_pairs(sides, root_id, diff, max_nodes=max_nodes,
                                          prefix=prefix, lang=lang)
    charts: dict[str, Any] = {}
    pair_views = []
    for i, (before, after) in enumerate(pairs):
        suffix = "" if i == 0 else f"-{i}"
        charts["before" + suffix], charts["after" + suffix] = before, after
        root = before.meta.get("root") or {}
        pair_views.append({"before": "before" + suffix, "after": "after" + suffix,
                           "root": root.get("name") or root.get("id") or "",
                           "totals": {"before" + suffix: _chart_total(before, impact),
                                      "after" + suffix: _chart_total(after, impact)}})
    notices = [] if changes.touched() else [t("no_change", lang)]
    committed_text = committed_note = ""
    if committed:
        committed_text = t("committed_on", lang).format(
            date=fmt_date(committed.get("date", "")[:10]), revision=committed.get("revision") or "—")
        committed_note = t("committed_note", lang).format(before=fmt_date(sides.at_before),
                                                         after=fmt_date(sides.at_after))
    return render("scenario.html", title=f"{t('scenario', lang)} {name}".strip(),
                  charts=charts, standalone=standalone, prefix=prefix, lang=lang,
                  lang_href=lang_href, name=name or "—", description=description,
                  at=at.isoformat() if at else "",
                  at_before=sides.at_before.isoformat() if sides.at_before else "",
                  sides=pair_views, status_legend=legend(lang),
                  committed=committed_text, committed_note=committed_note,
                  tables=impact_tables(impact, before_reader, after_reader, lang, changes, full),
                  changes=change_sections(changes, before_reader, after_reader, lang,
                                          sides.at_after, full),
                  summary=summary_figures(impact, lang),
                  notices=notices, png_stem=_slug(name or "scenario"),
                  generated=_generated() if standalone else "", **_words(lang))
