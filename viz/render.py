"""Thin HTML rendering: a `Chart` (or several) into a page, served or standalone.

- Served pages link the assets from the app (`{prefix}/static/<name>`); standalone
  pages inline them, so a file written by `bomay viz` opens offline from disk.
- Every string from the data is escaped by Jinja2's autoescape in the markup, and
  travels to the script as JSON inside `<script type="application/json">` with
  `<`, `>` and `&` written as `\\u003c`-style escapes; the page script puts it in the
  DOM as text only.
- A Content-Security-Policy (meta tag) allows scripts and styles only from the
  server itself or with the exact hashes of the inline ones, and no connection
  anywhere but the server: a request to another host cannot leave the page.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable

import jinja2
from markupsafe import Markup, escape

from viz.chart import Chart, LegendItem
from viz.i18n import fmt_number

STATIC = Path(__file__).resolve().parent / "static"
TEMPLATES = Path(__file__).resolve().parent / "templates"

SCRIPTS = ("vis-network.min.js", "bomay-viz.js")
STYLES = ("vis-network.css", "bomay-viz.css")
#: The files `/static/{name}` serves (nothing else under viz/static is reachable).
STATIC_TYPES = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8",
                ".svg": "image/svg+xml"}


@lru_cache(maxsize=None)
def asset_text(name: str) -> str:
    text = (STATIC / name).read_text(encoding="utf-8")
    lowered = text.lower()
    if "</script" in lowered or "</style" in lowered or "<!--" in lowered:
        raise ValueError(f"asset {name} cannot be inlined safely")
    return text


def static_files() -> dict[str, Path]:
    return {p.name: p for p in STATIC.iterdir()
            if p.is_file() and p.suffix in STATIC_TYPES}


def script_json(data: Any) -> Markup:
    """JSON safe to place inside `<script type="application/json">` (no `<`, `>`, `&`)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    text = (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))
    return Markup(text)


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


@lru_cache(maxsize=None)
def _asset_hash(name: str) -> str:
    return _sha256(asset_text(name))


@dataclass
class Assets:
    """What the page head needs: links (served) or inline text (standalone), and the CSP."""

    standalone: bool
    prefix: str = ""
    page_css: str = ""
    links: list[str] = field(default_factory=list)
    scripts_src: list[str] = field(default_factory=list)
    inline_styles: list[Markup] = field(default_factory=list)
    inline_scripts: list[Markup] = field(default_factory=list)
    csp: str = ""


def make_assets(*, standalone: bool, prefix: str = "", page_css: str = "",
                scripts: Iterable[str] = SCRIPTS, styles: Iterable[str] = STYLES) -> Assets:
    a = Assets(standalone=standalone, prefix=prefix, page_css=page_css)
    style_hashes, script_hashes = [], []
    if standalone:
        for name in styles:
            a.inline_styles.append(Markup(asset_text(name)))
            style_hashes.append(_asset_hash(name))
        for name in scripts:
            a.inline_scripts.append(Markup(asset_text(name)))
            script_hashes.append(_asset_hash(name))
    else:
        a.links = [f"{prefix}/static/{name}" for name in styles]
        a.scripts_src = [f"{prefix}/static/{name}" for name in scripts]
    if page_css:
        a.inline_styles.append(Markup(page_css))
        style_hashes.append(_sha256(page_css))
    own = [] if standalone else ["'self'"]
    a.csp = "; ".join([
        "default-src 'none'",
        "script-src " + " ".join(own + script_hashes or ["'none'"]),
        "style-src " + " ".join(own + style_hashes or ["'none'"]),
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src " + ("'none'" if standalone else "'self'"),
        "form-action 'self'",
        "base-uri 'none'",
    ])
    return a


def legend_css(groups: dict[str, list[LegendItem]]) -> str:
    """Swatch colours as classes (the CSP forbids inline style attributes)."""
    from viz.style import STATUS_STYLES
    rules = [f".bv-st-{name}{{background:{_css_colour(st['colour'])};"
             f"border-color:{_css_colour(st['border'])}}}" for name, st in STATUS_STYLES.items()]
    for group, items in groups.items():
        for i, item in enumerate(items):
            cls = f".bv-lg-{group}-{i}"
            if item.shape == "edge":
                rules.append(f"{cls}{{border-top-color:{_css_colour(item.colour)}}}")
            else:
                border = _css_colour(item.border) if item.border else "#37474f"
                rules.append(f"{cls}{{background:{_css_colour(item.colour)};border-color:{border}}}")
    return "\n".join(rules)


def _css_colour(value: str) -> str:
    # Colours come from viz.style, never from data; still, allow only #hex.
    if value.startswith("#") and all(c in "0123456789abcdefABCDEF" for c in value[1:]):
        return value
    return "#9e9e9e"


@lru_cache(maxsize=1)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True)
    env.filters["dashclass"] = _dash_class
    # `{{ n | num(lang) }}`: every figure shown as text, grouped as the language writes
    # it; attributes, ids, URLs and the script's JSON keep the plain number.
    env.filters["num"] = fmt_number
    env.filters["code_spans"] = code_spans
    return env


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def code_spans(value: object) -> Markup:
    """Text as a page shows it, escaped, with each `quoted` term (a column, an operation, an
    option: the engine's warnings write them in backticks) set as code, not shown with
    its backticks."""
    return Markup(_CODE_SPAN.sub(r"<code>\1</code>", str(escape(str(value)))))


def _dash_class(dashes: Any) -> str:
    if not dashes:
        return ""
    return "bv-dotted" if isinstance(dashes, list) and dashes and dashes[0] <= 3 else "bv-dashed"


#: A collapsible list (`<details>`) of at most this many lines is open on arrival; a longer
#: one is closed, its summary saying how many lines it holds.
FOLD_OPEN = 12


def render(template: str, *, title: str, charts: dict[str, Chart] | None = None,
           standalone: bool = False, prefix: str = "", extra_data: dict[str, Any] | None = None,
           lang: str = "vi", lang_href: str = "", **context: Any) -> str:
    """Render `template` with the charts' data embedded; `standalone` inlines the assets.
    `lang` picks the page's words (viz.i18n); `lang_href` links the other language."""
    from viz.i18n import KINDS, LEVELS, fmt_date, strings_for
    charts = charts or {}
    legends = {name: chart.legend for name, chart in charts.items()}
    assets = make_assets(standalone=standalone, prefix=prefix, page_css=legend_css(legends))
    strings = strings_for(lang)
    pick = 1 if lang == "en" else 0
    data = {"charts": {name: _chart_payload(chart) for name, chart in charts.items()},
            "strings": strings, "lang": lang,
            "kinds": {k: v[pick] for k, v in KINDS.items()},
            "levels": {k: v[pick] for k, v in LEVELS.items()}}
    data.update(extra_data or {})
    favicon = (_favicon_data() if standalone else f"{prefix}/static/favicon.svg")
    return environment().get_template(template).render(
        title=title, charts=charts, assets=assets, standalone=standalone, prefix=prefix,
        data_json=script_json(data), mode="standalone" if standalone else "served",
        lang=lang, s=strings, fmt_date=fmt_date, lang_href=lang_href, favicon=favicon,
        fold_open=FOLD_OPEN, **context)


@lru_cache(maxsize=1)
def _favicon_data() -> str:
    return "data:image/svg+xml;base64," + base64.b64encode((STATIC / "favicon.svg").read_bytes()).decode()


#: Node keys the page script does not need (the builders keep them for templates and tests).
_SERVER_ONLY = ("name", "name_en", "kind")


def _chart_payload(chart: Chart) -> dict[str, Any]:
    nodes = [{k: v for k, v in n.items() if k not in _SERVER_ONLY} for n in chart.nodes]
    return {"kind": chart.kind, "nodes": nodes, "edges": chart.edges,
            "options": chart.options, "axis": chart.axis}
