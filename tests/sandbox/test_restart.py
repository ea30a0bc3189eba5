"""State lives in the sandbox's own SQLite file and survives a restart."""

from __future__ import annotations

from pathlib import Path

from tests.sandbox.running import SDK_WARNINGS, sandbox_config, serve

pytestmark = SDK_WARNINGS


def test_networks_servers_and_images_survive_a_restart_and_seeds_are_not_repeated(
        tmp_path: Path) -> None:
    config = sandbox_config(tmp_path / "cloud.db")
    with serve(config, tmp_path) as first:
        cloud = first.connect()
        net = cloud.network.create_network(name="kept")
        cloud.network.create_subnet(network_id=net.id, cidr="10.60.0.0/24", ip_version=4)
        image = cloud.image.find_image("cirros", ignore_missing=False)
        flavor = cloud.compute.find_flavor("m1.tiny", ignore_missing=False)
        server = cloud.compute.create_server(name="kept-vm", image_id=image.id,
                                             flavor_id=flavor.id, networks=[{"uuid": net.id}])
        cloud.close()
    with serve(config, tmp_path) as second:
        cloud = second.connect()
        again = cloud.compute.get_server(server.id)
        assert again.status == "ACTIVE"
        assert again.addresses["kept"][0]["addr"] == "10.60.0.2"
        assert [f.name for f in cloud.compute.flavors()].count("m1.tiny") == 1
        assert len(list(cloud.image.images(name="cirros"))) == 1
        assert len(list(cloud.network.networks(name="public"))) == 1
        cloud.close()
