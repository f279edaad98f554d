"""The guarded fetcher of other issuers' documents (passport/remote.py) refuses what a credential could
abuse to reach the server's own network (SSRF): loopback, private and link-local addresses (also
behind a host name, a redirect or a DNS answer that changes), plain http, endless redirects, huge and
trickling answers. A real HTTP server in a thread plays the other side; each refusal says what and why.
"""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from django.utils import translation

from wendbaar.passport import remote

BIG = 2_000_000


class Server:
    def __init__(self) -> None:
        self.requests: list[str] = []
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (http.server's name)
                server.requests.append(self.path)
                if self.path == "/ok":
                    self._answer(200, b'{"ok": true}')
                elif self.path.startswith("/redirect?to="):
                    self.send_response(302)
                    self.send_header("Location", self.path.removeprefix("/redirect?to="))
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif self.path == "/loop":
                    self.send_response(301)
                    self.send_header("Location", "/loop")
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                elif self.path == "/big":
                    self._answer(200, b"x" * BIG)
                elif self.path == "/big-undeclared":
                    self.send_response(200)
                    self.send_header("Connection", "close")
                    self.end_headers()  # no Content-Length: the limit must hold while reading
                    self.wfile.write(b"x" * BIG)
                elif self.path == "/trickle":
                    self.send_response(200)
                    self.send_header("Content-Length", "100")
                    self.end_headers()
                    for _ in range(100):  # one byte every 0.1 s: each read is quick, the whole is not
                        self.wfile.write(b"x")
                        self.wfile.flush()
                        time.sleep(0.1)
                else:
                    self._answer(404, b"{}")

            def _answer(self, status: int, body: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (http.server's name)
                pass

        return Handler


@pytest.fixture
def server(settings: Any) -> Iterator[Server]:
    settings.DID_WEB_HTTP_HOSTS = ["127.0.0.1"]  # plain http to the test server
    settings.CREDENTIAL_FETCH_TIMEOUT = 5
    running = Server()
    thread = threading.Thread(target=running.httpd.serve_forever, daemon=True)
    thread.start()
    yield running
    running.httpd.shutdown()
    running.httpd.server_close()


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def loopback_allowed(settings: Any) -> None:
    settings.CREDENTIAL_FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]


def test_a_fetch_from_an_allowed_network_answers_the_body(server: Server, loopback_allowed: None) -> None:
    assert remote.fetch(f"{server.base}/ok") == b'{"ok": true}'


def test_loopback_is_refused_without_the_setting_and_nothing_is_sent(server: Server, settings: Any) -> None:
    settings.CREDENTIAL_FETCH_ALLOWED_NETWORKS = []
    with pytest.raises(remote.Refused) as caught:
        remote.fetch(f"{server.base}/ok")
    assert f"{server.base}/ok" in str(caught.value) and "127.0.0.1" in str(caught.value)
    assert server.requests == []


@pytest.mark.parametrize(
    "url",
    [
        "https://10.1.2.3/status/1",  # private
        "https://192.168.0.10/did.json",  # private
        "https://169.254.169.254/latest/meta-data/",  # link-local: the cloud metadata service
        "https://[::1]/did.json",  # IPv6 loopback
        "https://[fe80::1]/did.json",  # IPv6 link-local
        "https://[fd00::1]/did.json",  # IPv6 unique local
        "https://[::ffff:127.0.0.1]/did.json",  # loopback dressed as IPv6
        "https://0.0.0.0/did.json",  # "this host"
        "https://100.64.0.1/did.json",  # carrier-grade NAT, not public
    ],
)
def test_private_loopback_and_link_local_addresses_are_refused(url: str, settings: Any) -> None:
    settings.CREDENTIAL_FETCH_ALLOWED_NETWORKS = []
    with pytest.raises(remote.Refused, match="private network"):
        remote.fetch(url)


def test_the_refusal_speaks_the_persons_language(settings: Any) -> None:
    settings.CREDENTIAL_FETCH_ALLOWED_NETWORKS = []
    with translation.override("nl"), pytest.raises(remote.Refused) as caught:
        remote.fetch("https://169.254.169.254/latest/meta-data/")
    assert str(caught.value) == (
        "We halen https://169.254.169.254/latest/meta-data/ niet op: dit adres leidt naar 169.254.169.254, "
        "een adres in een afgeschermd (privé) netwerk."
    )


def test_a_host_name_that_resolves_to_loopback_is_refused(settings: Any) -> None:
    settings.CREDENTIAL_FETCH_ALLOWED_NETWORKS = []
    with pytest.raises(remote.Refused) as caught:
        remote.fetch("https://localhost/.well-known/did.json")
    assert "https://localhost/.well-known/did.json" in str(caught.value)


def test_an_allowed_network_does_not_open_the_others(settings: Any) -> None:
    settings.CREDENTIAL_FETCH_ALLOWED_NETWORKS = ["127.0.0.0/8"]
    with pytest.raises(remote.Refused, match="169.254.169.254"):
        remote.fetch("https://169.254.169.254/latest/meta-data/")


@pytest.mark.parametrize("url", ["http://example.org/did.json", "ftp://example.org/did.json", "file:///etc/passwd"])
def test_only_https_unless_the_host_is_named_for_plain_http(url: str, settings: Any) -> None:
    settings.DID_WEB_HTTP_HOSTS = []
    with pytest.raises(remote.Refused, match="https"):
        remote.fetch(url)


def test_a_user_name_in_the_address_is_refused(settings: Any) -> None:
    with pytest.raises(remote.Refused, match="user name"):
        remote.fetch("https://admin:secret@example.org/did.json")


def test_a_redirect_to_a_private_address_is_refused_before_following(server: Server, loopback_allowed: None) -> None:
    with pytest.raises(remote.Refused, match="169.254.169.254"):
        remote.fetch(f"{server.base}/redirect?to=http://169.254.169.254/latest/meta-data/")
    with pytest.raises(remote.Refused, match="https"):  # plain http to a host not named for it
        remote.fetch(f"{server.base}/redirect?to=http://example.org/did.json")


def test_a_redirect_to_an_allowed_address_is_followed(server: Server, loopback_allowed: None) -> None:
    assert remote.fetch(f"{server.base}/redirect?to=/ok") == b'{"ok": true}'
    assert server.requests == ["/redirect?to=/ok", "/ok"]


def test_endless_redirects_stop(server: Server, loopback_allowed: None) -> None:
    with pytest.raises(remote.Refused, match="redirect"):
        remote.fetch(f"{server.base}/loop")
    assert len(server.requests) == remote.MAX_REDIRECTS + 1


@pytest.mark.parametrize("path", ["/big", "/big-undeclared"])
def test_an_answer_larger_than_the_limit_is_refused(server: Server, loopback_allowed: None, path: str) -> None:
    with pytest.raises(remote.Unreachable, match="larger than 1 MB"):
        remote.fetch(f"{server.base}{path}")


def test_a_server_that_trickles_its_answer_is_cut_off_at_the_deadline(
    server: Server, loopback_allowed: None, settings: Any
) -> None:
    settings.CREDENTIAL_FETCH_TIMEOUT = 0.5
    started = time.monotonic()
    with pytest.raises(remote.Unreachable, match="0.5"):
        remote.fetch(f"{server.base}/trickle")
    assert time.monotonic() - started < 3


def test_a_dns_answer_that_changes_after_the_check_is_caught_on_connecting(
    server: Server, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """DNS rebinding: the check sees a public address, the connection lands on loopback."""
    settings.CREDENTIAL_FETCH_ALLOWED_NETWORKS = []
    monkeypatch.setattr(remote, "resolve", lambda host, port: [ipaddress.ip_address("93.184.216.34")])
    with pytest.raises(remote.Refused, match="127.0.0.1"):
        remote.fetch(f"{server.base}/ok")
    assert server.requests == []


def test_a_malformed_allowed_network_stops_the_start_with_its_name() -> None:
    env = {**os.environ, "WENDBAAR_CREDENTIAL_FETCH_ALLOWED_NETWORKS": "127.0.0.0/8,intranet",
           "DJANGO_SETTINGS_MODULE": "wendbaar.settings"}  # fmt: skip
    done = subprocess.run([sys.executable, "-c", "import django; django.setup()"], env=env, capture_output=True,  # noqa: S603
                          text=True, check=False)  # fmt: skip
    assert done.returncode != 0
    assert "WENDBAAR_CREDENTIAL_FETCH_ALLOWED_NETWORKS" in done.stderr and "'intranet'" in done.stderr
