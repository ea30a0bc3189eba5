"""Benchmark: a stack of 100 servers on the sandbox cloud, through openstacksdk over HTTP.

Targets (issue: sandbox cloud and OpenStack resource types), on the 2-core machine:

- 100 servers, each with a port, a floating IP and an attached volume, with
  zero sandbox latency: report create and delete times and the HTTP calls
  per resource;
- with 2 s server build latency, creation stays close to the critical path
  (about 2 s plus overhead): the engine waits for the builds in parallel.

    python bench/sandbox_servers.py                  # 100 servers, both latencies
    python bench/sandbox_servers.py --servers 20 --build-latency 2

The sandbox runs in this process (uvicorn in a thread, its own SQLite file in
a temporary folder) behind a counter of the requests it answers; the engine
is embedded, on its own SQLite file, and reaches the sandbox only through
its clouds.yaml entry, as it would a real cloud.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import socket
import tempfile
import threading
import time
import warnings
from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

CLOUDS_YAML = """\
clouds:
  sandbox:
    auth:
      auth_url: {url}/identity
      username: admin
      password: {password}
      project_name: admin
      user_domain_name: Default
      project_domain_name: Default
    region_name: RegionOne
    identity_api_version: 3
"""

NETWORK = """\
heat_template_version: 2018-08-31
resources:
  net: {type: OS::Neutron::Net}
  subnet:
    type: OS::Neutron::Subnet
    properties: {network: {get_resource: net}, cidr: 10.200.0.0/16}
  router:
    type: OS::Neutron::Router
    properties: {external_gateway_info: {network: public}}
  router_interface:
    type: OS::Neutron::RouterInterface
    properties: {router: {get_resource: router}, subnet: {get_resource: subnet}}
"""

SERVER = """\
  port{i}:
    type: OS::Neutron::Port
    properties:
      network: {{get_resource: net}}
      fixed_ips: [{{subnet: {{get_resource: subnet}}}}]
  server{i}:
    type: OS::Nova::Server
    properties: {{flavor: m1.tiny, image: cirros, networks: [{{port: {{get_resource: port{i}}}}}]}}
  fip{i}:
    type: OS::Neutron::FloatingIP
    depends_on: router_interface
    properties: {{floating_network: public, port_id: {{get_resource: port{i}}}}}
  volume{i}:
    type: OS::Cinder::Volume
    properties: {{size: 1}}
  attachment{i}:
    type: OS::Cinder::VolumeAttachment
    properties:
      instance_uuid: {{get_resource: server{i}}}
      volume_id: {{get_resource: volume{i}}}
"""

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class CountingApp:
    """The sandbox's ASGI app, counting the HTTP requests it answers, by service."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.counts: collections.Counter[str] = collections.Counter()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            self.counts[scope["path"].strip("/").split("/")[0]] += 1
        await self.app(scope, receive, send)


def template(servers: int) -> str:
    return NETWORK + "".join(SERVER.format(i=i) for i in range(servers))


@contextmanager
def sandbox(workdir: Path, build_latency: float) -> Iterator[tuple[CountingApp, Path]]:
    import uvicorn

    from calor.sandbox.app import create_app
    from calor.sandbox.config import FaultRule, SandboxConfig

    faults = ({"compute.server.create": FaultRule(latency=build_latency)}
              if build_latency else {})
    config = SandboxConfig(state_file=workdir / "sandbox.db", latency=0.0, faults=faults,
                           quotas={"compute": {"instances": 1000, "cores": 10000,
                                               "ram": 10_000_000},
                                   "network": {"port": 1000, "floatingip": 1000},
                                   "volume": {"volumes": 1000, "gigabytes": 10000}})
    counting = CountingApp(create_app(config))
    sock = socket.socket()
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(counting, log_level="warning", lifespan="on"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    while not server.started:
        time.sleep(0.01)
    clouds = workdir / "clouds.yaml"
    clouds.write_text(CLOUDS_YAML.format(url=f"http://127.0.0.1:{sock.getsockname()[1]}",
                                         password=config.password))
    try:
        yield counting, clouds
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


async def run(servers: int, build_latency: float) -> dict[str, float]:
    from calor.clouds import cloud_from_config
    from calor.service.embedded import Embedded
    from calor.template.loader import load_template

    text = template(servers)
    resources = 4 + 5 * servers
    with tempfile.TemporaryDirectory() as home, sandbox(Path(home), build_latency) as (
        counting, clouds
    ):
        cloud = cloud_from_config("sandbox", config_files=[str(clouds)])
        try:
            async with Embedded(f"sqlite:///{Path(home) / 'calor.db'}", cloud=cloud) as service:
                counting.counts.clear()
                start = time.perf_counter()
                stack = await service.create_stack(
                    "many", load_template(text, max_size=len(text) + 1), text=text)
                done = await service.wait(stack.id, timeout=1800)
                create = time.perf_counter() - start
                if done is None or done.status != "COMPLETE":
                    raise SystemExit(f"create did not complete: {done}")
                create_calls = sum(counting.counts.values())
                counting.counts.clear()
                start = time.perf_counter()
                await service.delete_stack(stack.id)
                await service.wait(stack.id, timeout=1800)
                delete = time.perf_counter() - start
                delete_calls = sum(counting.counts.values())
        finally:
            cloud.close()
    return {"resources": resources, "create": create, "delete": delete,
            "create_calls": create_calls, "delete_calls": delete_calls}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--servers", type=int, default=100)
    parser.add_argument("--build-latency", type=float, nargs="*", default=[0.0, 2.0],
                        help="seconds a server spends in BUILD (one run each)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore", module="openstack")

    from rich.console import Console
    from rich.table import Table

    table = Table(title=f"{args.servers} servers, each with a port, a floating IP and a "
                        "volume attached, on the sandbox cloud")
    for column in ("server build", "resources", "create s", "delete s",
                   "calls per resource (create)", "calls per resource (delete)"):
        table.add_column(column, justify="right")
    for latency in args.build_latency:
        result = asyncio.run(run(args.servers, latency))
        table.add_row(f"{latency:g} s", f"{result['resources']:.0f}", f"{result['create']:.2f}",
                      f"{result['delete']:.2f}",
                      f"{result['create_calls'] / result['resources']:.1f}",
                      f"{result['delete_calls'] / result['resources']:.1f}")
    Console().print(table)


if __name__ == "__main__":
    main()
