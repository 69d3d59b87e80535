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


def tree_positions(root: str, children: Mapping[str, Sequence[str]], *, x_gap: float = 170,
                   y_gap: float = 160, row_gap: float = 82,
                   leaf_block: int = LEAF_BLOCK) -> dict[str, tuple[int, int]]:
    """Top-down tidy tree: each subtree gets a horizontal span as wide as it needs and a
    parent sits centred over its span. The leaf children of a parent (when there are at
    least `leaf_block` of them) form a grid block, rows `row_gap` apart, at the left of
    its other children: a unit with eight cells or thousands stays compact.

    Iterative (no recursion limit); `children` lists only the visible children."""
    order: list[str] = []
    depth = {root: 0}
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        for child in reversed(children.get(node, ())):
            if child not in depth:  # a defensive guard: a tree has no repeated node
                depth[child] = depth[node] + 1
                stack.append(child)
    kids = {n: [c for c in children.get(n, ()) if depth.get(c) == depth[n] + 1] for n in order}
    width: dict[str, float] = {}
    blocks: dict[str, tuple[list[str], int]] = {}  # node -> (its leaves, columns)
    for node in reversed(order):  # children before parents
        cs = kids[node]
        leaves = [c for c in cs if not kids[c]]
        if len(leaves) >= leaf_block:
            cols = block_columns(len(leaves))
            blocks[node] = (leaves, cols)
            width[node] = cols + sum(width[c] for c in cs if kids[c])
        else:
            width[node] = sum(width[c] for c in cs) or 1.0
    pos: dict[str, tuple[float, float]] = {}
    start = {root: 0.0}
    for node in order:  # parents before children
        if node in pos:  # a leaf already placed in its parent's block
            continue
        left = start[node]
        level_y = depth[node] * y_gap
        pos[node] = ((left + width[node] / 2) * x_gap, level_y)
        inner = kids[node]
        if node in blocks:
            leaves, cols = blocks[node]
            for i, leaf in enumerate(leaves):
                row, col = divmod(i, cols)
                pos[leaf] = ((left + col + 0.5) * x_gap, level_y + y_gap + row * row_gap)
            left += cols
            inner = [c for c in inner if kids[c]]
        for child in inner:
            start[child] = left
            left += width[child]
    shift = pos[root][0]
    return {n: (round(x - shift), round(y)) for n, (x, y) in pos.items()}


def column_positions(columns: Sequence[Sequence[str]], *, x_gap: float = 260,
                     y_gap: float = 110) -> dict[str, tuple[int, int]]:
    """Left-to-right columns (e.g. one per date), each centred on y = 0."""
    pos: dict[str, tuple[int, int]] = {}
    for ci, column in enumerate(columns):
        top = -(len(column) - 1) * y_gap / 2
        for ri, node in enumerate(column):
            pos[node] = (round(ci * x_gap), round(top + ri * y_gap))
    return pos
