"""Small helpers: latency summaries, peak memory, the machine."""

from __future__ import annotations

import os
import platform
import resource
import subprocess
import time
from typing import Any, Callable, Iterable, Sequence


def summarise_ns(samples_ns: Sequence[int]) -> dict[str, float]:
    """n, median, p99 (nearest rank), max and mean of durations in nanoseconds, as ms."""
    xs = sorted(samples_ns)
    n = len(xs)
    if n == 0:
        return {"n": 0}

    def rank(q: float) -> float:
        return xs[min(n - 1, max(0, int(round(q * n + 0.5)) - 1))] / 1e6

    return {"n": n, "median_ms": round(rank(0.5), 4), "p99_ms": round(rank(0.99), 4),
            "max_ms": round(xs[-1] / 1e6, 4), "mean_ms": round(sum(xs) / n / 1e6, 4)}


def time_calls(fn: Callable[..., Any], args: Iterable[tuple], warmup: int = 0) -> dict[str, float]:
    """Call fn(*a) for every a in args (the first `warmup` calls not counted); summarise the
    wall time, and the process CPU time (`cpu_*`: robust to other load on the machine)."""
    args = list(args)
    for a in args[:warmup]:
        fn(*a)
    wall, cpu = [], []
    clock, cpu_clock = time.perf_counter_ns, time.process_time_ns
    for a in args:
        c = cpu_clock()
        t = clock()
        fn(*a)
        wall.append(clock() - t)
        cpu.append(cpu_clock() - c)
    out = summarise_ns(wall)
    c = summarise_ns(cpu)
    out.update({"cpu_median_ms": c["median_ms"], "cpu_p99_ms": c["p99_ms"]})
    return out


def cpu_seconds() -> float:
    """User + system CPU time of this process so far."""
    r = resource.getrusage(resource.RUSAGE_SELF)
    return round(r.ru_utime + r.ru_stime, 3)


def peak_rss_mib() -> float:
    """Peak resident set size of this process so far (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def proc_status_mib(pid: int, field: str = "VmHWM") -> float | None:
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return round(int(line.split()[1]) / 1024, 1)
    except OSError:
        return None
    return None


def machine() -> dict[str, Any]:
    info: dict[str, Any] = {"nproc": os.cpu_count(), "python": platform.python_version(),
                            "platform": platform.platform()}
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    info["cpu"] = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    info["memory_gib"] = round(int(line.split()[1]) / 1024 / 1024, 1)
                    break
    except OSError:
        pass
    try:
        info["nproc_available"] = len(os.sched_getaffinity(0))
    except AttributeError:
        pass
    try:
        rev = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True,
                             timeout=5)
        info["git"] = rev.stdout.strip() or None
    except (OSError, subprocess.SubprocessError):
        info["git"] = None
    return info
