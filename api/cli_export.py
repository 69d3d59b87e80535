"""`bomay export`: the baseline or a saved scenario, whole or on one day, in the data
contract's CSV folder or an open format (W3C ORG Turtle / JSON-LD / N-Triples, Popolo,
GraphML, GEXF)."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from api.cli import app, open_store, out
from api.cli_query import _date
from api.exports import EXPORTS, check_base, check_format, scenario_state, write_csv_folder, \
    write_export
from graph.formats import DEFAULT_BASE


@app.command()
def export(path: Path = typer.Argument(..., metavar="OUT",
                                       help="A folder for csv, a file for the other formats."),
           fmt: str = typer.Option("csv", "--format", "-f",
                                   help="One of: " + ", ".join(EXPORTS) + "."),
           at: Optional[str] = typer.Option(None, "--at", help="Only the structure on this "
                                            "date (YYYY-MM-DD); default: the whole history."),
           scenario: Optional[str] = typer.Option(None, "--scenario",
                                                  help="A saved scenario's id: export its "
                                                  "state instead of the baseline."),
           base: str = typer.Option(DEFAULT_BASE, "--base", help="Base of the RDF IRIs "
                                    "(turtle, jsonld, nt): where bomay serves, or a urn: prefix.")) -> None:
    """Write the stored baseline (or a scenario's state) as CSV files or in an open format."""
    check_format(fmt, "--format")
    check_base(base, "--base")
    day = _date(at)
    store = open_store()
    try:
        reader = store if scenario is None else scenario_state(store, scenario)
        if fmt == "csv":
            written = write_csv_folder(reader, path, day)
            out.print(f"wrote {', '.join(f'{n} rows to {name}' for name, n in written.items())}",
                      markup=False)
            return
        if path.is_dir():
            path = path / f"bomay{EXPORTS[fmt][1]}"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".part")
        # Written aside, then renamed: a failed export leaves no half file under OUT's name.
        try:
            with open(tmp, "wb") as fh:
                write_export(reader, fmt, fh, at=day, base=base)
            tmp.replace(path)
        finally:
            tmp.unlink(missing_ok=True)
    finally:
        store.close()
    out.print(f"wrote {fmt} to {path} ({path.stat().st_size} bytes)", markup=False)
