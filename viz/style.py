"""Colours, edge styles and legends shared by every chart (pure data, no I/O)."""

from __future__ import annotations

#: Fill colour of a unit node by `kind` (one hue family per branch of the system:
#: Party reds, State blues, Front and mass organisations greens, places greys).
KIND_COLOURS: dict[str, str] = {
    "party_committee": "#c62828",
    "standing_committee": "#e53935",
    "party_board": "#ef6c00",
    "inspection_committee": "#8e24aa",
    "party_office": "#f9a825",
    "party_cell": "#ffb8a8",
    "government": "#1565c0",
    "people_council": "#5e35b1",
    "department": "#42a5f5",
    "inspectorate": "#00838f",
    "ministry": "#283593",
    "front": "#2e7d32",
    "mass_org": "#66bb6a",
    "shared_agency": "#00a88f",
    "subcommittee": "#a5d6a7",
    "centre": "#8d6e63",
    "province": "#607d8b",
    "district": "#90a4ae",
    "commune": "#cfd8dc",
    "other": "#bdbdbd",
}
#: Kinds outside the glossary (the data may add some) share this colour.
UNKNOWN_KIND_COLOUR = "#9e9e9e"
CLUSTER_COLOUR = "#fff8e1"
CLUSTER_BORDER = "#ff8f00"

KIND_LABELS: dict[str, str] = {
    "party_committee": "Party committee",
    "standing_committee": "Standing committee",
    "party_board": "Party board",
    "inspection_committee": "Party inspection committee",
    "party_office": "Party committee office",
    "party_cell": "Party cell",
    "government": "People's Committee (government)",
    "people_council": "People's Council",
    "department": "Department / office",
    "inspectorate": "Inspectorate",
    "ministry": "Ministry",
    "front": "Fatherland Front",
    "mass_org": "Mass organisation",
    "shared_agency": "Shared advisory agency",
    "subcommittee": "Sub-committee",
    "centre": "Centre",
    "province": "Province",
    "district": "District",
    "commune": "Commune / ward",
    "other": "Other",
}

#: vis-network `dashes` per relation type: PART_OF solid, SERVES dashed, GUIDED_BY dotted.
EDGE_DASHES: dict[str, bool | list[int]] = {
    "PART_OF": False,
    "SERVES": [10, 6],
    "GUIDED_BY": [2, 5],
}
EDGE_COLOURS: dict[str, str] = {
    "PART_OF": "#616161",
    "SERVES": "#00897b",
    "GUIDED_BY": "#6a1b9a",
}
EDGE_LABELS: dict[str, str] = {
    "PART_OF": "part of (solid)",
    "SERVES": "serves (dashed)",
    "GUIDED_BY": "guided by (dotted)",
}

#: Scenario statuses: colour, border and legend text.
STATUS_STYLES: dict[str, dict[str, str]] = {
    "unchanged": {"colour": "#eceff1", "border": "#90a4ae", "label": "unchanged"},
    "removed": {"colour": "#ffcdd2", "border": "#c62828", "label": "removed"},
    "added": {"colour": "#c8e6c9", "border": "#2e7d32", "label": "added"},
    "merged": {"colour": "#e1bee7", "border": "#6a1b9a", "label": "merged or consolidated into another unit"},
    "merge_target": {"colour": "#f3e5f5", "border": "#6a1b9a", "label": "absorbs merged units"},
    "moved": {"colour": "#ffe0b2", "border": "#e65100", "label": "moved (new parent)"},
    "renamed": {"colour": "#bbdefb", "border": "#1565c0", "label": "renamed"},
}


def kind_colour(kind: str) -> str:
    return KIND_COLOURS.get(kind, UNKNOWN_KIND_COLOUR)


def kind_label(kind: str) -> str:
    return KIND_LABELS.get(kind, kind.replace("_", " "))


def text_colour(fill: str) -> str:
    """Black or white, whichever reads better on `fill` (#rrggbb)."""
    r, g, b = (int(fill[i:i + 2], 16) for i in (1, 3, 5))
    return "#000000" if (0.299 * r + 0.587 * g + 0.114 * b) > 150 else "#ffffff"


def node_size(headcount: int | None) -> int:
    """Node radius by headcount: unknown 9, then growing with the square root, capped."""
    if headcount is None:
        return 9
    return int(min(48, 12 + 3.2 * max(0, headcount) ** 0.5))
