"""`bomay` viz commands (added to `api.cli.app` on import)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from api.cli import app, open_store, out
from graph.errors import InvalidParameter


@app.command()
def viz(unit: str = typer.Argument(..., help="The unit id whose chart to draw."),
        at: Optional[str] = typer.Option(None, "--at", help="As-of date (YYYY-MM-DD, YYYY-MM or "
                                         "YYYY; default: today)."),
        depth: Optional[int] = typer.Option(None, "--depth", min=1,
                                            help="Levels below the unit (default: all)."),
        lineage: bool = typer.Option(False, "--lineage",
                                     help="Draw the unit's lineage instead of its org chart."),
        output: Path = typer.Option(Path("chart.html"), "-o", "--output",
                                    help="The HTML file to write (standalone, opens offline).")
        ) -> None:
    """Write a standalone org chart (or lineage) page: every asset inlined, no server needed."""
    import datetime as dt

    from graph.dates import DateParseError, parse_at
    from viz.pages import lineage_page, org_chart_page

    try:
        when = parse_at(at) or dt.date.today()
    except DateParseError as exc:
        raise InvalidParameter(f"--at: {exc} (got {at!r})") from None
    store = open_store()
    try:
        if store.is_empty():
            raise InvalidParameter(f"the store {store.location} is empty: run `bomay load FOLDER` first")
        html = (lineage_page(store, unit, standalone=True) if lineage
                else org_chart_page(store, unit, when, depth, standalone=True))
    finally:
        store.close()
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(html, encoding="utf-8")
    what = "lineage of" if lineage else "org chart of"
    out.print(f"wrote the {what} {unit}{'' if lineage else f' as of {when.isoformat()}'} "
              f"to {output} ({len(html.encode()) // 1024} KiB, standalone)", markup=False)
