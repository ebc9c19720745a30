"""Gazetteer benchmark: load time once per process, and the cost of a lookup and a resolve.

Run: .venv/bin/python bench/gazetteer.py   (not part of the test suite)
"""

from __future__ import annotations

import random
import time

from pipeline.resolve import gazetteer


def main() -> None:
    began = time.perf_counter()
    known = gazetteer.load()
    load_s = time.perf_counter() - began
    names = known.names("commune") + known.names("district") + known.names("province")
    sample = random.Random(7).choices(names, k=200_000)
    context = {gazetteer.compact(n) for n in ("Quỳnh Phụ", "Thái Bình", "Tiền Hải")}

    began = time.perf_counter()
    for name in sample:
        known.lookup(name, "commune")
    lookup_us = (time.perf_counter() - began) / len(sample) * 1e6

    began = time.perf_counter()
    for name in sample:
        known.resolve(name, "commune", None, context)
    resolve_us = (time.perf_counter() - began) / len(sample) * 1e6

    began = time.perf_counter()
    for name in sample[:20_000]:
        known.known_prefix(f"{name} Từ")
    prefix_us = (time.perf_counter() - began) / 20_000 * 1e6

    print(f"units: {len(names)} names; load {load_s * 1000:.0f} ms (once per process)")
    print(f"lookup(name, level): {lookup_us:.2f} µs")
    print(f"resolve(name, level, parent, context): {resolve_us:.2f} µs")
    print(f"known_prefix(name + one word): {prefix_us:.2f} µs")


if __name__ == "__main__":
    main()
