"""The sandbox's Object Storage v1 (Swift) through the real clients: CLI, openstacksdk, httpx."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from openstack.connection import Connection
from tests.sandbox.running import SDK_WARNINGS, Openstack, RunningSandbox
from tests.sandbox.volume_clients import project_id

pytestmark = SDK_WARNINGS


@pytest.fixture(scope="module")
def swift(sandbox: RunningSandbox) -> Iterator[httpx.Client]:
    """An httpx client rooted at the admin project's account, with a token."""
    token = sandbox.token()
    base = f"{sandbox.url}/object-store/v1/AUTH_{project_id(sandbox, token)}"
    with httpx.Client(base_url=base, headers={"X-Auth-Token": token}) as client:
        yield client


@pytest.fixture
def container(swift: httpx.Client) -> str:
    name = f"c-{uuid.uuid4().hex[:8]}"
    assert swift.put(f"/{name}").status_code == 201
    return name


def test_openstack_container_and_object_create_list_and_save(
        openstack_cli: Openstack, tmp_path: Path) -> None:
    name = f"cli-{uuid.uuid4().hex[:8]}"
    source = tmp_path / "hello.txt"
    source.write_text("hello sandbox\n")
    openstack_cli("container", "create", name)
    created = json.loads(openstack_cli("object", "create", name, str(source), "--name",
                                       "hello.txt", "-f", "json").stdout)
    assert created[0]["etag"] == hashlib.md5(b"hello sandbox\n").hexdigest()
    listed = json.loads(openstack_cli("object", "list", name, "-f", "json").stdout)
    assert [row["Name"] for row in listed] == ["hello.txt"]
    openstack_cli("object", "save", name, "hello.txt", "--file", str(tmp_path / "out.txt"))
    assert (tmp_path / "out.txt").read_text() == "hello sandbox\n"


def test_sdk_creates_a_container_uploads_and_downloads_an_object(cloud: Connection) -> None:
    name = f"sdk-{uuid.uuid4().hex[:8]}"
    cloud.object_store.create_container(name=name)
    cloud.object_store.upload_object(container=name, name="data.bin", data=b"\x00\x01bytes")
    assert cloud.object_store.download_object("data.bin", container=name) == b"\x00\x01bytes"
    shown = cloud.object_store.get_object_metadata("data.bin", container=name)
    assert shown.content_length == 7
    assert [o.name for o in cloud.object_store.objects(name)] == ["data.bin"]
    cloud.object_store.delete_object("data.bin", container=name)
    cloud.object_store.delete_container(name)


def test_sdk_uploads_a_file_after_reading_the_capabilities(cloud: Connection,
                                                           tmp_path: Path) -> None:
    name = f"file-{uuid.uuid4().hex[:8]}"
    source = tmp_path / "page.html"
    source.write_bytes(b"<p>hi</p>")
    cloud.create_container(name)
    cloud.create_object(name, "page.html", filename=str(source))
    shown = cloud.object_store.get_object_metadata("page.html", container=name)
    assert shown.content_type == "text/html"
    assert shown.etag == hashlib.md5(b"<p>hi</p>").hexdigest()


def test_a_put_answers_the_md5_etag_and_a_wrong_etag_is_422(swift: httpx.Client,
                                                            container: str) -> None:
    answer = swift.put(f"/{container}/a.txt", content=b"abc")
    assert answer.status_code == 201
    assert answer.headers["Etag"] == hashlib.md5(b"abc").hexdigest()
    wrong = swift.put(f"/{container}/b.txt", content=b"abc", headers={"Etag": "0" * 32})
    assert wrong.status_code == 422


def test_listings_come_as_json_or_text_with_prefix_delimiter_marker_and_limit(
        swift: httpx.Client, container: str) -> None:
    for name in ("a/1", "a/2", "b", "c"):
        swift.put(f"/{container}/{name}", content=name.encode(),
                  headers={"Content-Type": "text/plain"})
    entries = swift.get(f"/{container}", params={"format": "json"}).json()
    assert set(entries[0]) == {"name", "bytes", "hash", "content_type", "last_modified"}
    assert (entries[0]["name"], entries[0]["bytes"], entries[0]["content_type"]) == \
        ("a/1", 3, "text/plain")
    assert swift.get(f"/{container}").text == "a/1\na/2\nb\nc\n"
    grouped = swift.get(f"/{container}", params={"format": "json", "delimiter": "/"}).json()
    assert [e.get("subdir", e.get("name")) for e in grouped] == ["a/", "b", "c"]
    assert swift.get(f"/{container}", params={"prefix": "a/"}).text == "a/1\na/2\n"
    assert swift.get(f"/{container}", params={"marker": "a/2", "limit": 1}).text == "b\n"
    assert swift.get(f"/{container}", params={"reverse": "true"}).text == "c\nb\na/2\na/1\n"


def test_an_empty_container_lists_as_204_in_text_and_an_empty_json_list(
        swift: httpx.Client, container: str) -> None:
    assert swift.get(f"/{container}").status_code == 204
    assert swift.get(f"/{container}", params={"format": "json"}).json() == []


def test_account_listing_and_head_count_containers_objects_and_bytes(
        swift: httpx.Client, container: str) -> None:
    swift.put(f"/{container}/x", content=b"12345")
    listed = swift.get("", params={"format": "json"}).json()
    mine = next(c for c in listed if c["name"] == container)
    assert (mine["count"], mine["bytes"]) == (1, 5)
    head = swift.head(f"/{container}")
    assert (head.status_code, head.headers["X-Container-Object-Count"],
            head.headers["X-Container-Bytes-Used"]) == (204, "1", "5")
    account = swift.head("")
    assert int(account.headers["X-Account-Object-Count"]) >= 1
    assert "X-Trans-Id" in account.headers


def test_deleting_a_non_empty_container_is_a_409(swift: httpx.Client, container: str) -> None:
    swift.put(f"/{container}/keep", content=b"x")
    refused = swift.delete(f"/{container}")
    assert refused.status_code == 409
    assert "<h1>Conflict</h1>" in refused.text
    assert swift.delete(f"/{container}/keep").status_code == 204
    assert swift.delete(f"/{container}").status_code == 204
    assert swift.head(f"/{container}").status_code == 404


def test_missing_containers_and_objects_are_swifts_404(swift: httpx.Client,
                                                       container: str) -> None:
    for path in (f"/{container}/nothing", "/no-such-container", "/no-such-container/o"):
        answer = swift.get(path)
        assert answer.status_code == 404, path
        assert "<h1>Not Found</h1>" in answer.text
    assert swift.put("/no-such-container/o", content=b"x").status_code == 404


def test_object_metadata_is_set_on_put_and_replaced_by_post(swift: httpx.Client,
                                                          container: str) -> None:
    swift.put(f"/{container}/m", content=b"x",
              headers={"X-Object-Meta-Color": "blue", "X-Object-Meta-Size": "s"})
    assert swift.head(f"/{container}/m").headers["X-Object-Meta-Color"] == "blue"
    assert swift.post(f"/{container}/m", headers={"X-Object-Meta-Shape": "round"}) \
        .status_code == 202
    headers = swift.head(f"/{container}/m").headers
    assert headers["X-Object-Meta-Shape"] == "round"
    assert "X-Object-Meta-Color" not in headers


def test_range_requests_answer_206_or_416(swift: httpx.Client, container: str) -> None:
    swift.put(f"/{container}/r", content=b"0123456789")
    part = swift.get(f"/{container}/r", headers={"Range": "bytes=2-4"})
    assert (part.status_code, part.content, part.headers["Content-Range"]) == \
        (206, b"234", "bytes 2-4/10")
    assert swift.get(f"/{container}/r", headers={"Range": "bytes=-3"}).content == b"789"
    assert swift.get(f"/{container}/r", headers={"Range": "bytes=20-"}).status_code == 416


def test_copy_and_put_with_x_copy_from_copy_bytes_and_metadata(swift: httpx.Client,
                                                               container: str) -> None:
    swift.put(f"/{container}/src", content=b"payload",
              headers={"X-Object-Meta-Origin": "src", "Content-Type": "text/plain"})
    copied = swift.request("COPY", f"/{container}/src",
                           headers={"Destination": f"{container}/dst"})
    assert copied.status_code == 201
    assert copied.headers["X-Copied-From"] == f"{container}/src"
    fetched = swift.get(f"/{container}/dst")
    assert fetched.content == b"payload"
    assert fetched.headers["X-Object-Meta-Origin"] == "src"
    assert fetched.headers["Content-Type"] == "text/plain"
    swift.put(f"/{container}/again", headers={"X-Copy-From": f"/{container}/src"})
    assert swift.get(f"/{container}/again").content == b"payload"


def test_a_temp_url_from_the_sdk_fetches_an_object_without_a_token(
        cloud: Connection, swift: httpx.Client, container: str, sandbox: RunningSandbox) -> None:
    swift.put(f"/{container}/secret.txt", content=b"top secret")
    cloud.object_store.set_account_temp_url_key("sandbox-key")
    path = swift.base_url.path.rstrip("/").removeprefix("/object-store")
    temp = cloud.object_store.generate_temp_url(f"{path}/{container}/secret.txt", 60, "GET",
                                                temp_url_key="sandbox-key")
    assert isinstance(temp, str)
    answer = httpx.get(f"{sandbox.url}/object-store{temp}")
    assert answer.status_code == 200
    assert answer.content == b"top secret"
    assert answer.headers["Content-Disposition"].startswith('attachment; filename="secret.txt"')
    tampered = httpx.get(f"{sandbox.url}/object-store{temp.replace('sig=', 'sig=0')}")
    assert (tampered.status_code, tampered.text) == (401, "401 Unauthorized: Temp URL invalid\n")
    assert httpx.put(f"{sandbox.url}/object-store{temp}", content=b"x").status_code == 401


def test_a_sha256_temp_url_can_upload_and_an_expired_one_is_refused(
        swift: httpx.Client, container: str, sandbox: RunningSandbox) -> None:
    swift.post("", headers={"X-Account-Meta-Temp-URL-Key": "k2"})
    full_path = f"{swift.base_url.path.rstrip('/')}/{container}/up.txt"

    def signed(method: str, expires: int) -> str:
        body = f"{method}\n{expires}\n{full_path}".encode()
        signature = hmac.new(b"k2", body, hashlib.sha256).hexdigest()
        return f"{sandbox.url}{full_path}?temp_url_sig={signature}&temp_url_expires={expires}"

    upload = httpx.put(signed("PUT", int(time.time()) + 60), content=b"uploaded")
    assert upload.status_code == 201
    assert swift.get(f"/{container}/up.txt").content == b"uploaded"
    expired = httpx.get(signed("GET", int(time.time()) - 1))
    assert (expired.status_code, expired.text) == (401, "401 Unauthorized: Temp URL expired\n")


def test_without_a_token_only_public_containers_can_be_read(
        swift: httpx.Client, container: str) -> None:
    swift.put(f"/{container}/page", content=b"public page")
    url = f"{swift.base_url}".rstrip("/") + f"/{container}/page"
    assert httpx.get(url).status_code == 401
    swift.post(f"/{container}", headers={"X-Container-Read": ".r:*"})
    assert httpx.get(url).content == b"public page"
    assert httpx.put(url, content=b"x").status_code == 401
    assert httpx.get(url.rsplit("/", 1)[0]).status_code == 401


def test_another_projects_account_is_forbidden(swift: httpx.Client,
                                               sandbox: RunningSandbox) -> None:
    token = sandbox.token("demo", "demo-pass", "demo")
    answer = httpx.get(str(swift.base_url), headers={"X-Auth-Token": token})
    assert answer.status_code == 403


def test_an_object_with_x_delete_after_expires(swift: httpx.Client, container: str) -> None:
    swift.put(f"/{container}/brief", content=b"x", headers={"X-Delete-After": "1"})
    assert swift.head(f"/{container}/brief").status_code == 200
    time.sleep(1.1)
    assert swift.head(f"/{container}/brief").status_code == 404
    assert swift.get(f"/{container}").status_code == 204


def test_dynamic_and_static_large_objects_read_as_their_segments_joined(
        swift: httpx.Client, container: str) -> None:
    for index, chunk in enumerate((b"aaa", b"bbb")):
        swift.put(f"/{container}/seg/{index:03}", content=chunk)
    swift.put(f"/{container}/dlo", headers={"X-Object-Manifest": f"{container}/seg/"})
    assert swift.get(f"/{container}/dlo").content == b"aaabbb"
    manifest = [{"path": f"/{container}/seg/000"}, {"path": f"/{container}/seg/001"}]
    made = swift.put(f"/{container}/slo", params={"multipart-manifest": "put"},
                     content=json.dumps(manifest).encode())
    assert made.status_code == 201
    assert swift.get(f"/{container}/slo").content == b"aaabbb"
    bad = swift.put(f"/{container}/bad", params={"multipart-manifest": "put"},
                    content=json.dumps([{"path": f"/{container}/none"}]).encode())
    assert bad.status_code == 400
