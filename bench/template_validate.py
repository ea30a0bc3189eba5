"""Benchmark: parse and validate large templates.

Target (issue: template language): a 10,000-resource template parsed and
validated in under 1 second on a 2-core machine.

    python bench/template_validate.py            # 10,000 resources, 5 runs
    python bench/template_validate.py --resources 2000 --runs 3

Each shape is timed from YAML text to a finished validation (what
``calor orchestration template validate`` does after reading the file):
load, version detection, parameters, function parsing, dependency graph and
cycle check, and property validation against the type schemas. Prints the
median of the runs, the time per resource and the peak memory of one run.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import time
import tracemalloc
from collections.abc import Callable

import yaml
from rich.console import Console
from rich.table import Table

from calor.resources import default_registry
from calor.service.templates import TemplateValidationFailed, check_template
from calor.template.loader import load_template


def fan(n: int) -> str:
    """Independent resources, each reading a parameter."""
    resources = {
        f"r{i}": {"type": "OS::Heat::Value", "properties": {"value": {"get_param": "v"}}}
        for i in range(n)
    }
    return _dump(resources)


def chain(n: int) -> str:
    """Each resource needs the one before it (via get_attr)."""
    resources: dict[str, object] = {"r0": {"type": "OS::Heat::None"}}
    for i in range(1, n):
        resources[f"r{i}"] = {
            "type": "OS::Heat::Value",
            "properties": {"value": {"get_attr": [f"r{i - 1}", "value"]}},
        }
    resources["r0"] = {"type": "OS::Heat::Value", "properties": {"value": "x"}}
    return _dump(resources)


def layers(n: int, width: int = 100) -> str:
    """Layers of ``width`` resources; each needs two resources of the layer below."""
    resources: dict[str, object] = {}
    depth = max(1, n // width)
    for layer in range(depth):
        for j in range(width):
            body: dict[str, object] = {
                "type": "OS::Heat::RandomString",
                "properties": {"length": 8, "salt": {"str_replace": {
                    "template": "layer-$L", "params": {"$L": str(layer)}}}},
            }
            if layer:
                below = layer - 1
                body["depends_on"] = [f"l{below}_{j}", f"l{below}_{(j + 1) % width}"]
            resources[f"l{layer}_{j}"] = body
    return _dump(resources)


def _dump(resources: dict[str, object]) -> str:
    template = {
        "heat_template_version": "2021-04-16",
        "parameters": {"v": {"type": "string", "default": "hello"}},
        "resources": resources,
    }
    return yaml.safe_dump(template, sort_keys=False)


SHAPES: dict[str, Callable[[int], str]] = {"fan": fan, "chain": chain, "100 layers": layers}


def run_once(text: str) -> float:
    """What ``template validate`` does once the file is read: load, then check."""
    registry = default_registry()
    start = time.perf_counter()
    data = load_template(text, filename="bench.yaml", max_size=len(text) + 1)
    try:
        check_template(data, text=text, filename="bench.yaml", registry=registry,
                       max_resources=-1)
    except TemplateValidationFailed as exc:
        raise SystemExit(f"benchmark template did not validate: {exc.errors[0]}") from None
    return time.perf_counter() - start


def peak_memory(text: str) -> int:
    gc.collect()
    tracemalloc.start()
    run_once(text)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--resources", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    table = Table(title=f"Parse + validate, {args.resources:,} resources "
                        f"(median of {args.runs} runs)")
    for column in ("shape", "template KiB", "median s", "per resource µs", "peak MiB",
                   "target < 1 s"):
        table.add_column(column, justify="right")
    for shape, build in SHAPES.items():
        text = build(args.resources)
        times = [run_once(text) for _ in range(args.runs)]
        median = statistics.median(times)
        peak = peak_memory(text)
        table.add_row(
            shape,
            f"{len(text) / 1024:,.0f}",
            f"{median:.3f}",
            f"{median / args.resources * 1e6:.1f}",
            f"{peak / 2**20:.1f}",
            "yes" if median < 1.0 else "NO",
        )
    Console().print(table)


if __name__ == "__main__":
    main()
