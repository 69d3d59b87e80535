"""The scenario benchmark: consolidate two provinces in a scenario and compute its impact.

Uses the project's scenario engine (`graph.scenarios.apply.apply` and the impact
report in `graph.scenarios.impact`); when either is missing the figure is reported as
skipped with the reason, never as a failure.
"""

from __future__ import annotations

import datetime as dt
import importlib
import time
from typing import Any, Callable

from bench.stats import summarise_ns

AT = dt.date(2026, 1, 1)


def _impact_fn() -> tuple[Callable | None, str]:
    try:
        mod = importlib.import_module("graph.scenarios.impact")
    except ImportError as exc:
        return None, f"graph.scenarios.impact is missing ({exc})"
    for name in ("impact", "compute_impact", "impact_report"):
        fn = getattr(mod, name, None)
        if callable(fn):
            return fn, f"graph.scenarios.impact.{name}"
    return None, "graph.scenarios.impact has no impact function"


def _pairs(store, n: int) -> tuple[dt.date, list[tuple[str, str]]]:
    """Pairs of provinces that exist, open-ended, on the scenario date (after the reform)."""
    provinces = sorted(u.id for u in store.units(AT, kind="province") if u.valid_to is None)
    return AT, [(provinces[i], provinces[i + 1]) for i in range(0, min(len(provinces) - 1, 2 * n), 2)]


def run(store, quick: bool = False, log: Callable[[str], None] = print) -> dict[str, Any]:
    try:
        from graph.scenarios.apply import apply
    except ImportError as exc:
        return {"skipped": f"graph.scenarios.apply is missing ({exc})"}
    impact, impact_label = _impact_fn()
    at, pairs = _pairs(store, 3 if quick else 10)
    if not pairs:
        return {"skipped": "fewer than two provinces after the reform (use --provinces 3 or more)"}
    apply_ns, impact_ns, total_ns, total_cpu, sizes = [], [], [], [], []
    for i, (a, b) in enumerate(pairs * (1 if quick else 2)):
        op = {"op": "consolidate", "units": [a, b], "date": at.isoformat(),
              "new": {"id": f"bench-new-{i}", "name": f"Tỉnh hợp nhất {i}",
                      "name_en": f"Consolidated province {i}"}}
        c0 = time.process_time_ns()
        t0 = time.perf_counter_ns()
        state, entries = apply(store, [op], at=at)
        t1 = time.perf_counter_ns()
        if impact is not None:
            report = _call_impact(impact, store, state, entries)
            t2 = time.perf_counter_ns()
            impact_ns.append(t2 - t1)
            total_ns.append(t2 - t0)
            total_cpu.append(time.process_time_ns() - c0)
            sizes.append(_size(report))
        apply_ns.append(t1 - t0)
    out: dict[str, Any] = {"pairs": [list(p) for p in pairs], "at": at.isoformat(),
                           "apply": summarise_ns(apply_ns), "apply_impl": "graph.scenarios.apply.apply"}
    if impact is None:
        out["two_province_impact"] = {"skipped": impact_label}
    else:
        out["impact_only"] = summarise_ns(impact_ns)
        cpu = summarise_ns(total_cpu)
        out["two_province_impact"] = summarise_ns(total_ns) | {
            "cpu_median_ms": cpu["median_ms"], "cpu_p99_ms": cpu["p99_ms"],
            "impl": impact_label + " after apply"}
        out["impact_report_size"] = max(sizes) if sizes else None
    return out


def _call_impact(fn: Callable, store, state, entries) -> Any:
    """Call the impact function with whichever signature it has."""
    import inspect
    params = list(inspect.signature(fn).parameters)
    if len(params) >= 2 and params[1] in ("log", "entries"):
        return fn(state, entries)
    if len(params) >= 2 and params[0] in ("before", "base", "baseline", "reader", "store"):
        return fn(store, state)
    return fn(state)


def _size(report: Any) -> int:
    if isinstance(report, dict):
        return len(report)
    as_dict = getattr(report, "as_dict", None)
    return len(as_dict()) if callable(as_dict) else 1
