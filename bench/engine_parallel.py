"""Benchmark: the engine's parallelism, create and delete, embedded on SQLite.

Targets (issue: stack engine): 200 TestResources with a 1 s create wait and
no dependencies finish in under 1.5 s; a 10-deep chain of them in about 10 s;
10,000 OS::Heat::None resources created and deleted in under 10 s each.

    python bench/engine_parallel.py                 # every shape, 3 runs
    python bench/engine_parallel.py --runs 1 --shapes fan200

Each run uses a fresh SQLite database in a temporary folder and times the
stack from the create call until CREATE_COMPLETE (then the delete until the
stack is gone). Prints the median of the runs.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rich.console import Console
from rich.table import Table

from calor.service.embedded import Embedded
from calor.template.loader import load_template


def fan(count: int, wait: float) -> str:
    return "heat_template_version: 2016-10-14\nresources:\n" + "".join(
        f"  r{i}: {{type: OS::Heat::TestResource, properties: {{wait_secs: {wait}}}}}\n"
        for i in range(count)
    )


def chain(count: int, wait: float) -> str:
    lines = ["heat_template_version: 2016-10-14", "resources:"]
    for i in range(count):
        after = f", depends_on: r{i - 1}" if i else ""
        lines.append(
            f"  r{i}: {{type: OS::Heat::TestResource, properties: {{wait_secs: {wait}}}{after}}}"
        )
    return "\n".join(lines) + "\n"


def nones(count: int) -> str:
    return "heat_template_version: 2016-10-14\nresources:\n" + "".join(
        f"  r{i}: {{type: OS::Heat::None}}\n" for i in range(count)
    )


#: name -> (template text, target seconds for the create)
SHAPES: dict[str, Callable[[], tuple[str, float]]] = {
    "fan200": lambda: (fan(200, 1.0), 1.5),
    "chain10": lambda: (chain(10, 1.0), 10.5),
    "none1000": lambda: (nones(1000), 1.0),
}


async def run_once(text: str) -> tuple[float, float]:
    with tempfile.TemporaryDirectory() as home:
        url = f"sqlite:///{Path(home) / 'calor.db'}"
        async with Embedded(url) as service:
            start = time.perf_counter()
            stack = await service.create_stack(
                "bench", load_template(text, max_size=len(text) + 1), text=text
            )
            done = await service.wait(stack.id, timeout=600)
            created = time.perf_counter() - start
            if done is None or done.status != "COMPLETE":
                raise SystemExit(f"create did not complete: {done}")
            start = time.perf_counter()
            await service.delete_stack(stack.id)
            await service.wait(stack.id, timeout=600)
            deleted = time.perf_counter() - start
    return created, deleted


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--shapes", nargs="*", default=list(SHAPES), choices=list(SHAPES))
    args = parser.parse_args()
    table = Table(title=f"Embedded engine on SQLite (median of {args.runs} runs)")
    for column in ("shape", "create s", "delete s", "target (create)", "met"):
        table.add_column(column, justify="right")
    for name in args.shapes:
        text, target = SHAPES[name]()
        results = [asyncio.run(run_once(text)) for _ in range(args.runs)]
        create = statistics.median(r[0] for r in results)
        delete = statistics.median(r[1] for r in results)
        table.add_row(name, f"{create:.2f}", f"{delete:.2f}", f"< {target:g} s",
                      "yes" if create < target else "NO")
    Console().print(table)


if __name__ == "__main__":
    main()
