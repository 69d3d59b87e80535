"""Server-side layouts (pure functions of ids, no drawing): a top-down tree, time columns.

Positions computed here let the browser draw thousands of nodes with physics and
its own layout pass switched off.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence

#: A parent with at least this many leaf children lays them out as a grid block.
LEAF_BLOCK = 4


def block_columns(n: int) -> int:
    """Columns of a grid of `n` leaves: about 1.5 times wider than tall."""
    return min(n, max(3, math.ceil(math.sqrt(n * 1.5))))


#: A parent whose children need more columns than this wraps them into bands.
WRAP_COLUMNS = 16
#: The shape wrapped subtrees aim at (width / height, in pixels).
ASPECT = 1.6


def tree_positions(root: str, children: Mapping[str, Sequence[str]], *, x_gap: float = 170,
                   y_gap: float = 160, row_gap: float = 82, leaf_block: int = LEAF_BLOCK,
                   wrap_columns: int = WRAP_COLUMNS) -> dict[str, tuple[int, int]]:
    """Top-down tidy tree: each subtree gets a horizontal span as wide as it needs and a
    parent sits centred over its span.

    - The leaf children of a parent (at least `leaf_block` of them) form a grid block,
      rows `row_gap` apart: a unit with eight cells or thousands stays compact.
    - When a parent's children (its leaf block and its other subtrees) need more than
      `wrap_columns` columns, they are wrapped into bands stacked one under the other,
      as many as make the subtree about `ASPECT` times wider than tall: a province with
      thousands of units fits a screen instead of a strip 100 000 pixels wide.

    Iterative (no recursion limit); `children` lists only the visible children."""
    order: list[str] = []
    seen = {root}
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        for child in reversed(children.get(node, ())):
            if child not in seen:  # a defensive guard: a tree has no repeated node
                seen.add(child)
                stack.append(child)
    kids = {n: [c for c in children.get(n, ()) if c in seen] for n in order}
    width: dict[str, float] = {}
    height: dict[str, float] = {}  # extent below the node's own y
    layout: dict[str, list[list[tuple]]] = {}  # node -> bands of items
    for node in reversed(order):  # children before parents
        cs = kids[node]
        if not cs:
            width[node], height[node] = 1.0, 0.0
            continue
        leaves = [c for c in cs if not kids[c]]
        items: list[tuple] = []  # (kind, payload, width, extent)
        if len(leaves) >= leaf_block:
            cols = block_columns(len(leaves))
            rows = math.ceil(len(leaves) / cols)
            items.append(("block", (leaves, cols), float(cols), (rows - 1) * row_gap))
            cs = [c for c in cs if kids[c]]
        items += [("node", c, width[c], height[c]) for c in cs]
        bands = _bands(items, wrap_columns, x_gap, y_gap)
        layout[node] = bands
        width[node] = max(sum(i[2] for i in band) for band in bands)
        height[node] = sum(y_gap + max(i[3] for i in band) for band in bands)
    pos: dict[str, tuple[float, float]] = {}
    start = {root: (0.0, 0.0)}  # left column, y
    for node in order:  # parents before children
        if node in pos:  # a leaf already placed in its parent's block
            continue
        left, y = start[node]
        pos[node] = ((left + width[node] / 2) * x_gap, y)
        band_y = y
        for band in layout.get(node, ()):
            band_y += y_gap
            x = left + (width[node] - sum(i[2] for i in band)) / 2
            for kind, payload, w, _ in band:
                if kind == "block":
                    leaves, cols = payload
                    for i, leaf in enumerate(leaves):
                        row, col = divmod(i, cols)
                        pos[leaf] = ((x + col + 0.5) * x_gap, band_y + row * row_gap)
                else:
                    start[payload] = (x, band_y)
                x += w
            band_y += max(i[3] for i in band)
    shift = pos[root][0]
    return {n: (round(x - shift), round(y)) for n, (x, y) in pos.items()}


def _bands(items: list[tuple], wrap_columns: int, x_gap: float, y_gap: float) -> list[list[tuple]]:
    """Items in one band, or wrapped into the number of bands that makes the whole about
    ASPECT times wider than tall (greedy packing in order)."""
    total = sum(i[2] for i in items)
    if total <= wrap_columns or len(items) == 1:
        return [items]
    best, best_score = [items], math.inf
    for n in range(1, min(len(items), 60) + 1):
        target = max(total / n, max(i[2] for i in items))
        bands: list[list[tuple]] = [[]]
        filled = 0.0
        for item in items:
            if bands[-1] and filled + item[2] > target:
                bands.append([])
                filled = 0.0
            bands[-1].append(item)
            filled += item[2]
        w = max(sum(i[2] for i in b) for b in bands) * x_gap
        h = sum(y_gap + max(i[3] for i in b) for b in bands)
        score = abs(math.log(w / (h * ASPECT)))
        if score < best_score:
            best, best_score = bands, score
    return best


def column_positions(columns: Sequence[Sequence[str]], *, x_gap: float = 260,
                     y_gap: float = 110) -> dict[str, tuple[int, int]]:
    """Left-to-right columns (e.g. one per date), each centred on y = 0."""
    pos: dict[str, tuple[int, int]] = {}
    for ci, column in enumerate(columns):
        top = -(len(column) - 1) * y_gap / 2
        for ri, node in enumerate(column):
            pos[node] = (round(ci * x_gap), round(top + ri * y_gap))
    return pos
