"""Benchmark: the embedded engine on SQLite — parallel waits, and 10,000-resource stacks.

Targets (issue: stack engine), on the 2-core machine:

- 200 TestResources with a 1 s create wait and no dependencies finish in
  under 1.5 s; a 10-deep chain of them in about 10 s;
- 10,000 OS::Heat::None resources (a fan, a chain, and 100 layers of 100):
  create, update of 1% of them, and delete each under 10 s, with peak
  memory under 500 MB.

    python bench/engine_parallel.py                     # every shape, 3 runs
    python bench/engine_parallel.py --runs 1 --shapes fan200 layers10000

Each run is a fresh process with a fresh SQLite database in a temporary
folder (so its peak memory is its own); it times the stack from the call
until the action completes. Prints medians of the runs, and time per resource.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

HEADER = "heat_template_version: 2016-10-14\nresources:\n"


def fan(count: int, wait: float) -> str:
    return HEADER + "".join(
        f"  r{i}: {{type: OS::Heat::TestResource, properties: {{wait_secs: {wait}}}}}\n"
        for i in range(count)
    )


def chain(count: int, wait: float) -> str:
    return HEADER + "".join(
        f"  r{i}: {{type: OS::Heat::TestResource, properties: {{wait_secs: {wait}}}"
        + (f", depends_on: r{i - 1}" if i else "") + "}\n"
        for i in range(count)
    )


def nones(count: int, changed: int = 0) -> str:
    """``count`` independent None resources; the first ``changed`` carry a new property."""
    return HEADER + "".join(
        f"  r{i}: {{type: OS::Heat::None" + (", properties: {v: 2}" if i < changed else "")
        + "}\n"
        for i in range(count)
    )


def none_chain(count: int, changed: int = 0) -> str:
    return HEADER + "".join(
        f"  r{i}: {{type: OS::Heat::None"
        + (f", depends_on: r{i - 1}" if i else "")
        + (", properties: {v: 2}" if i < changed else "") + "}\n"
        for i in range(count)
    )


def layers(count: int, changed: int = 0, width: int = 100) -> str:
    """Layers of ``width`` None resources, each needing two of the layer below."""
    lines = [HEADER.rstrip("\n")]
    for i in range(count):
        layer, slot = divmod(i, width)
        needs = "" if layer == 0 else (
            f", depends_on: [r{(layer - 1) * width + slot}, "
            f"r{(layer - 1) * width + (slot + 1) % width}]"
        )
        props = ", properties: {v: 2}" if i < changed else ""
        lines.append(f"  r{i}: {{type: OS::Heat::None{needs}{props}}}")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Shape:
    """A stack to time: its template, the 1% update (if any), and the target in seconds."""

    resources: int
    template: Callable[[], str]
    updated: Callable[[], str] | None
    target: float


SHAPES: dict[str, Shape] = {
    "fan200": Shape(200, lambda: fan(200, 1.0), None, 1.5),
    "chain10": Shape(10, lambda: chain(10, 1.0), None, 10.5),
    "fan10000": Shape(10_000, lambda: nones(10_000), lambda: nones(10_000, 100), 10.0),
    "chain10000": Shape(10_000, lambda: none_chain(10_000), lambda: none_chain(10_000, 100),
                        10.0),
    "layers10000": Shape(10_000, lambda: layers(10_000), lambda: layers(10_000, 100), 10.0),
}


async def run_once(text: str, updated: str | None = None) -> dict[str, float]:
    """Create (and update, if given) and delete one stack; seconds for each."""
    from calor.service.embedded import Embedded
    from calor.template.loader import load_template

    times: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as home:
        url = f"sqlite:///{Path(home) / 'calor.db'}"
        async with Embedded(url) as service:
            start = time.perf_counter()
            stack = await service.create_stack(
                "bench", load_template(text, max_size=len(text) + 1), text=text
            )
            done = await service.wait(stack.id, timeout=900)
            times["create"] = time.perf_counter() - start
            if done is None or done.status != "COMPLETE":
                raise SystemExit(f"create did not complete: {done}")
            if updated is not None:
                start = time.perf_counter()
                stack = await service.update_stack(
                    "bench", load_template(updated, max_size=len(updated) + 1), text=updated
                )
                done = await service.wait(stack.id, timeout=900)
                times["update"] = time.perf_counter() - start
                if done is None or done.status != "COMPLETE":
                    raise SystemExit(f"update did not complete: {done}")
            start = time.perf_counter()
            await service.delete_stack(stack.id)
            await service.wait(stack.id, timeout=900)
            times["delete"] = time.perf_counter() - start
    times["peak_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return times


def one_run(name: str) -> dict[str, float]:
    """One run of ``name`` in a fresh process (its own peak memory)."""
    env = {**os.environ, "CALOR_MAX_RESOURCES_PER_STACK": "-1",
           "CALOR_MAX_TEMPLATE_SIZE": str(16 * 1024 * 1024)}
    done = subprocess.run(
        [sys.executable, __file__, "--child", name], capture_output=True, text=True, env=env,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{name} failed:\n{done.stderr}")
    result: dict[str, float] = json.loads(done.stdout.splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shapes", nargs="*", default=list(SHAPES), choices=list(SHAPES))
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        shape = SHAPES[args.child]
        updated = shape.updated() if shape.updated else None
        print(json.dumps(asyncio.run(run_once(shape.template(), updated))))
        return

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"Embedded engine on SQLite (median of {args.runs} runs)")
    for column in ("shape", "resources", "create s", "update 1% s", "delete s",
                   "per resource (create)", "peak MiB", "target", "met"):
        table.add_column(column, justify="right")
    for name in args.shapes:
        shape = SHAPES[name]
        results = [one_run(name) for _ in range(args.runs)]

        def median(key: str, results: list[dict[str, float]] = results) -> float | None:
            values = [r[key] for r in results if key in r]
            return statistics.median(values) if values else None

        create, update, delete = median("create"), median("update"), median("delete")
        assert create is not None and delete is not None
        worst = max(v for v in (create, update, delete) if v is not None)
        peak = median("peak_mib") or 0.0
        met = worst < shape.target and peak < 500
        table.add_row(
            name, f"{shape.resources:,}", f"{create:.2f}",
            "—" if update is None else f"{update:.2f}", f"{delete:.2f}",
            f"{create / shape.resources * 1000:.2f} ms", f"{peak:.0f}",
            f"< {shape.target:g} s", "yes" if met else "NO",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
