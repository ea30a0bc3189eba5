"""Benchmark: the orchestration API under load, through a real ``calor serve``.

Targets (issue: REST API v1 and identity), on the 2-core machine:

- 50 concurrent clients creating and deleting 10-resource stacks through
  the API for 60 s: report stacks per second and the p50/p99 latency of
  create, list and show;
- ``GET /v1/{project}/stacks`` with 1,000 stacks answers in under 50 ms at p50.

    python bench/api_load.py                          # 50 clients, 60 s, then 1,000 stacks
    python bench/api_load.py --clients 10 --duration 15 --list-stacks 200

The server is started as a subprocess (``calor serve``) on a free port with
a fresh SQLite database in a temporary ``CALOR_HOME``; by default a user is
bootstrapped and every request carries a real token (``--no-auth`` measures
without identity). The clients are asyncio tasks sharing one process.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx

#: Ten OS::Heat::None resources in a chain of two fans (some dependencies, no waits).
TEMPLATE = {
    "heat_template_version": "2016-10-14",
    "resources": {
        **{f"a{i}": {"type": "OS::Heat::None"} for i in range(5)},
        **{f"b{i}": {"type": "OS::Heat::None", "depends_on": [f"a{i}"]} for i in range(5)},
    },
}

PASSWORD = "bench-secret"


@dataclass
class Timings:
    """Latencies in seconds, by request kind."""

    samples: dict[str, list[float]] = field(default_factory=dict)
    stacks_done: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, kind: str, seconds: float) -> None:
        self.samples.setdefault(kind, []).append(seconds)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@asynccontextmanager
async def running_server(home: Path, *, auth: bool) -> AsyncIterator[tuple[str, dict[str, str]]]:
    """``calor serve`` on a free port: (the project's orchestration URL, request headers)."""
    env = {**os.environ, "CALOR_HOME": str(home)}
    env.pop("CALOR_DATABASE_URL", None)
    port = free_port()
    root = f"http://127.0.0.1:{port}"
    if auth:
        subprocess.run(
            [sys.executable, "-m", "calor", "admin", "bootstrap", "--admin-password", PASSWORD],
            env=env, check=True, capture_output=True,
        )
    command = [sys.executable, "-m", "calor", "serve", "--port", str(port)]
    if not auth:
        command.append("--no-auth")
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                              stderr=subprocess.PIPE)
    try:
        async with httpx.AsyncClient() as client:
            for _ in range(200):
                try:
                    if (await client.get(f"{root}/")).status_code < 500:
                        break
                except httpx.TransportError:
                    pass
                if server.poll() is not None:
                    raise SystemExit(f"calor serve exited:\n{server.stderr.read().decode()}")
                await asyncio.sleep(0.1)
            if not auth:
                yield f"{root}/v1/local", {}
                return
            body = {"auth": {
                "identity": {"methods": ["password"], "password": {"user": {
                    "name": "admin", "password": PASSWORD, "domain": {"name": "Default"}}}},
                "scope": {"project": {"name": "admin", "domain": {"name": "Default"}}},
            }}
            answer = await client.post(f"{root}/identity/v3/auth/tokens", json=body)
            answer.raise_for_status()
            project = answer.json()["token"]["project"]["id"]
            yield f"{root}/v1/{project}", {"X-Auth-Token": answer.headers["X-Subject-Token"]}
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


async def timed(timings: Timings, kind: str, request: asyncio.Future[httpx.Response] | object
                ) -> httpx.Response:
    start = time.perf_counter()
    response: httpx.Response = await request  # type: ignore[misc]
    timings.add(kind, time.perf_counter() - start)
    return response


async def wait_status(client: httpx.AsyncClient, url: str, wanted: set[str],
                      timings: Timings) -> str | None:
    """Poll a stack until its status is one of ``wanted`` (None once it is gone)."""
    while True:
        response = await timed(timings, "show", client.get(url))
        if response.status_code == 404:
            return None
        status = response.json()["stack"]["stack_status"]
        if status in wanted or status.endswith("FAILED"):
            return str(status)
        await asyncio.sleep(0.05)


async def one_client(base: str, headers: dict[str, str], until: float, timings: Timings) -> None:
    async with httpx.AsyncClient(headers=headers, timeout=60) as client:
        while time.perf_counter() < until:
            name = f"load-{uuid.uuid4().hex[:12]}"
            created = await timed(timings, "create", client.post(
                f"{base}/stacks", json={"stack_name": name, "template": TEMPLATE}))
            if created.status_code != 201:
                timings.errors.append(f"create {created.status_code}: {created.text[:200]}")
                continue
            url = f"{base}/stacks/{name}/{created.json()['stack']['id']}"
            status = await wait_status(client, url, {"CREATE_COMPLETE"}, timings)
            if status != "CREATE_COMPLETE":
                timings.errors.append(f"{name}: {status}")
            await timed(timings, "list", client.get(f"{base}/stacks"))
            await timed(timings, "delete", client.delete(url))
            status = await wait_status(client, url, {"DELETE_COMPLETE"}, timings)
            if status not in (None, "DELETE_COMPLETE"):
                timings.errors.append(f"{name}: {status}")
            timings.stacks_done += 1


async def fill(base: str, headers: dict[str, str], count: int) -> None:
    """Create ``count`` stacks (50 at a time) and wait until they are all complete."""
    async with httpx.AsyncClient(headers=headers, timeout=120) as client:
        gate = asyncio.Semaphore(50)
        scratch = Timings()

        async def make(i: int) -> None:
            async with gate:
                created = await client.post(f"{base}/stacks", json={
                    "stack_name": f"listed-{i:05d}", "template": TEMPLATE})
                created.raise_for_status()
                url = f"{base}/stacks/listed-{i:05d}/{created.json()['stack']['id']}"
                await wait_status(client, url, {"CREATE_COMPLETE"}, scratch)

        await asyncio.gather(*(make(i) for i in range(count)))


async def list_latency(base: str, headers: dict[str, str], repeats: int) -> list[float]:
    async with httpx.AsyncClient(headers=headers, timeout=60) as client:
        timings = Timings()
        for _ in range(repeats):
            answer = await timed(timings, "list", client.get(f"{base}/stacks"))
            answer.raise_for_status()
        return timings.samples["list"]


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


async def main_async(args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as home:
        async with running_server(Path(home), auth=not args.no_auth) as (base, headers):
            timings = Timings()
            start = time.perf_counter()
            until = start + args.duration
            await asyncio.gather(*(one_client(base, headers, until, timings)
                                   for _ in range(args.clients)))
            elapsed = time.perf_counter() - start
            await fill(base, headers, args.list_stacks)
            listed = await list_latency(base, headers, args.list_repeats)
    return {"timings": timings, "elapsed": elapsed, "listed": listed}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--duration", type=float, default=60.0, help="seconds of load")
    parser.add_argument("--list-stacks", type=int, default=1000,
                        help="stacks present for the list-latency measurement")
    parser.add_argument("--list-repeats", type=int, default=50)
    parser.add_argument("--no-auth", action="store_true",
                        help="serve with --no-auth (no identity, no tokens)")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    args = parser.parse_args()
    result = asyncio.run(main_async(args))
    timings: Timings = result["timings"]  # type: ignore[assignment]
    elapsed: float = result["elapsed"]  # type: ignore[assignment]
    listed: list[float] = result["listed"]  # type: ignore[assignment]
    rows = []
    for kind in ("create", "list", "show", "delete"):
        values = timings.samples.get(kind, [])
        if values:
            rows.append((kind, len(values), statistics.median(values) * 1000,
                         percentile(values, 0.99) * 1000))
    list_p50 = statistics.median(listed) * 1000
    if args.json:
        print(json.dumps({"stacks_per_second": timings.stacks_done / elapsed,
                          "requests": rows, "list_1000_p50_ms": list_p50,
                          "errors": timings.errors[:20]}))
        return

    from rich.console import Console
    from rich.table import Table

    console = Console()
    table = Table(title=(f"{args.clients} clients for {args.duration:g} s: "
                         f"{timings.stacks_done} stacks created and deleted, "
                         f"{timings.stacks_done / elapsed:.2f} stacks/s"))
    for column in ("request", "count", "p50 ms", "p99 ms"):
        table.add_column(column, justify="right")
    for kind, count, p50, p99 in rows:
        table.add_row(kind, str(count), f"{p50:.1f}", f"{p99:.1f}")
    console.print(table)
    listing = Table(title=f"GET /stacks with {args.list_stacks:,} stacks")
    for column in ("requests", "p50 ms", "p99 ms", "target", "met"):
        listing.add_column(column, justify="right")
    listing.add_row(str(len(listed)), f"{list_p50:.1f}", f"{percentile(listed, 0.99) * 1000:.1f}",
                    "< 50 ms", "yes" if list_p50 < 50 else "NO")
    console.print(listing)
    if timings.errors:
        console.print(f"[red]{len(timings.errors)} errors[/red], first: {timings.errors[0]}")


if __name__ == "__main__":
    main()
