"""Server-side layouts (pure functions of ids, no drawing): a top-down tree, time columns.

Positions computed here let the browser draw thousands of nodes with physics and
its own layout pass switched off.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

#: A parent with more leaf children than this lays them out in a grid under it.
LEAF_WRAP = 8


def tree_positions(root: str, children: Mapping[str, Sequence[str]], *, x_gap: float = 170,
                   y_gap: float = 130, row_gap: float = 80,
                   leaf_wrap: int = LEAF_WRAP) -> dict[str, tuple[float, float]]:
    """Top-down tidy tree: each subtree gets a horizontal span as wide as its leaves, a
    parent sits centred over its children; a large fan of leaves is wrapped into a grid
    (rows `row_gap` apart) so that a unit with thousands of cells stays compact.

    Iterative (no recursion limit); `children` lists only the visible children."""
    order: list[str] = []
    depth = {root: 0}
    stack = [root]
    seen = {root}
    while stack:
        node = stack.pop()
        order.append(node)
        for child in reversed(children.get(node, ())):
            if child not in seen:  # a defensive guard: a tree has no repeated node
                seen.add(child)
                depth[child] = depth[node] + 1
                stack.append(child)
    kids = {n: [c for c in children.get(n, ()) if c in depth and depth[c] == depth[n] + 1]
            for n in order}
    width: dict[str, float] = {}
    grid_cols: dict[str, int] = {}
    for node in reversed(order):  # children before parents
        cs = kids[node]
        if not cs:
            width[node] = 1.0
        elif len(cs) > leaf_wrap and all(not kids[c] for c in cs):
            cols = min(len(cs), max(leaf_wrap, math.ceil(2 * math.sqrt(len(cs)))))
            grid_cols[node] = cols
            width[node] = float(cols)
        else:
            width[node] = sum(width[c] for c in cs)
    pos: dict[str, tuple[float, float]] = {}
    start = {root: 0.0}
    for node in order:  # parents before children
        if node in pos:  # a leaf already placed in its parent's grid
            continue
        left = start[node]
        pos[node] = ((left + width[node] / 2) * x_gap, depth[node] * y_gap)
        cs = kids[node]
        if node in grid_cols:
            cols = grid_cols[node]
            for i, child in enumerate(cs):
                row, col = divmod(i, cols)
                start[child] = left + col
                pos[child] = ((left + col + 0.5) * x_gap, (depth[node] + 1) * y_gap + row * row_gap)
            continue
        for child in cs:
            start[child] = left
            left += width[child]
    # Centre the root on x = 0.
    shift = pos[root][0]
    return {n: (round(x - shift), round(y)) for n, (x, y) in pos.items()}


def column_positions(columns: Sequence[Sequence[str]], *, x_gap: float = 260,
                     y_gap: float = 110) -> dict[str, tuple[float, float]]:
    """Left-to-right columns (e.g. one per date), each centred on y = 0."""
    pos: dict[str, tuple[float, float]] = {}
    for ci, column in enumerate(columns):
        top = -(len(column) - 1) * y_gap / 2
        for ri, node in enumerate(column):
            pos[node] = (round(ci * x_gap), round(top + ri * y_gap))
    return pos
