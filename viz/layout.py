"""Server-side layouts (pure functions of ids, no drawing): time columns.

The org chart's tidy tree is laid out by the page script (viz/static/bomay-viz.js), which
also places the units fetched on expand; the lineage chart's date columns are placed here.
"""

from __future__ import annotations

from typing import Sequence


def column_positions(columns: Sequence[Sequence[str]], *, x_gap: float = 260,
                     y_gap: float = 110) -> dict[str, tuple[int, int]]:
    """Left-to-right columns (e.g. one per date), each centred on y = 0."""
    pos: dict[str, tuple[int, int]] = {}
    for ci, column in enumerate(columns):
        top = -(len(column) - 1) * y_gap / 2
        for ri, node in enumerate(column):
            pos[node] = (round(ci * x_gap), round(top + ri * y_gap))
    return pos
