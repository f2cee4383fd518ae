"""compose.https.yaml for real, offline: Caddy gets a certificate for the
site's name from Pebble (Let's Encrypt's ACME test server) over HTTP-01, and
serves the app over HTTP/2 to a client that trusts Pebble's roots alone.

One stack per variant, shared by the tests of this module; the restart test
comes last.
"""

import base64
import hashlib
import json
import os
import re
import socket
import ssl
import uuid

import pytest
from cryptography import x509
from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat
from playwright.sync_api import Error as PlaywrightError

from containers import contract
from containers.docker import docker
from containers.https import DOMAIN, ROOTS, HttpsStack
from containers.wait import until
from tests import browser
from tests.container.load import beside_slow_clients, status_of

STYLESHEET = re.compile(r'<link rel="stylesheet"[^>]* href="(/static/[^"]+\.css)"')
SCRIPT = re.compile(r'<script[^>]* src="(/static/[^"]+\.js)"')
# What a client tries to tell the app about itself.
FORGED = {
    "X-Forwarded-For": "203.0.113.9",
    "X-Forwarded-Proto": "http",
    "X-Forwarded-Ssl": "off",
    "X-Forwarded-Protocol": "http",
}
# How long a visitor may wait for the page while slow clients hold connections.
SERVED_WITHIN_SECONDS = 1


@pytest.fixture(scope="module")
def https(variant):
    running = HttpsStack(variant.name).up()
    yield running
    running.down(volumes=True)


def access_log_line(https, marker):
    """gunicorn's access-log line for the request whose path holds `marker`,
    once written (the answer may reach the client before its line reaches
    the log)."""
    lines = until(
        lambda: [line for line in https.logs().splitlines() if marker in line],
        30,
        f"the access line of {marker}",
    )
    (line,) = lines
    return line


def test_it_obtains_a_certificate_by_acme_and_serves_http2_with_the_chain_verified(
    https,
):
    page = https.get("/")
    assert page.status == 200
    assert page.headers[":version"] == "HTTP/2"
    assert "Moscow" in page.text
    # One order, validated by Pebble connecting back to the name (HTTP-01 or
    # TLS-ALPN-01: both are Let's Encrypt's, and Caddy may take either).
    assert https.orders() == 1
    assert "certificate obtained successfully" in https.logs("proxy")


def test_it_gives_each_request_an_id_the_app_returns_and_logs(https):
    sent = f"https-{uuid.uuid4().hex}"
    kept = https.get(f"/api/time?marker={sent}", headers={"X-Request-ID": sent})
    assert kept.headers["x-request-id"] == sent
    # None sent: Caddy's own, a UUID with its dashes (the app's have none).
    made = https.get("/api/time").headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}", made)
    assert f"request-id={sent} " in access_log_line(https, f"marker={sent}")


def test_it_answers_over_http3(https):
    page = https.get("/", http3=True)
    assert page.status == 200
    assert page.headers[":version"] == "HTTP/3"


def test_it_redirects_plain_http_to_https_with_308_saying_nothing_of_itself(https):
    answer = https.get("/admin/?next=/", scheme="http")
    assert answer.status == 308
    assert answer.headers["location"] == f"https://{DOMAIN}/admin/?next=/"
    assert "server" not in answer.headers


@pytest.mark.parametrize("scheme", ["http", "https"])
def test_it_answers_a_host_it_does_not_serve_with_421_and_nothing_else(https, scheme):
    """The site's name on the connection, another in the Host header: neither
    the site nor a redirect to that host, and nothing of the app reached."""
    answer = https.get("/", headers={"Host": "evil.example"}, scheme=scheme)
    assert answer.status == 421
    assert answer.text == ""
    assert "server" not in answer.headers
    assert "location" not in answer.headers


def test_it_ends_the_handshake_for_a_tls_name_it_has_no_certificate_for(https):
    refused = https.client(
        *("--cacert", ROOTS, "--connect-to", f"evil.example:443:{DOMAIN}:443"),
        "https://evil.example/",
        check=False,
    )
    # curl's 35: the TLS handshake failed; no HTTP answer came.
    assert refused.returncode == 35, refused.stderr


def test_it_sends_hsts_and_says_nothing_of_its_servers(https):
    page = https.get("/")
    assert page.headers["strict-transport-security"].startswith("max-age=31536000")
    assert "server" not in page.headers
    assert "via" not in page.headers


def test_it_publishes_the_proxy_alone(https):
    published = docker(
        *(
            "ps",
            "--filter",
            f"label=com.docker.compose.project={https.project}",
        ),
        *("--format", '{{.Label "com.docker.compose.service"}} {{.Ports}}'),
    ).stdout.splitlines()
    ports = dict(line.partition(" ")[::2] for line in published)
    assert ports["web"] == "8000/tcp"
    assert f"127.0.0.1:{https.port}->443/tcp" in ports["proxy"]
    assert f"127.0.0.1:{https.http_port}->80/tcp" in ports["proxy"]


def test_it_runs_the_proxy_hardened(https):
    proxy = https.compose("ps", "--quiet", "proxy").stdout.strip()
    details = json.loads(docker("inspect", proxy).stdout)[0]
    host = details["HostConfig"]
    assert host["ReadonlyRootfs"] is True
    assert host["CapDrop"] == ["ALL"]
    assert [cap.removeprefix("CAP_") for cap in host["CapAdd"]] == ["NET_BIND_SERVICE"]
    assert host["SecurityOpt"] == ["no-new-privileges:true"]
    assert details["Config"]["User"] == "65532:65532"


def test_it_replaces_the_forwarded_headers_a_client_sends(https):
    marker = uuid.uuid4().hex
    page = https.get(f"/?{marker}", headers=FORGED)
    # Had the app believed `X-Forwarded-Proto: http`, it would redirect.
    assert page.status == 200
    logged = access_log_line(https, marker)
    client = https.compose("exec", "-T", "client", "hostname", "-i").stdout.split()[0]
    assert f"forwarded-for={client} " in logged
    assert "proto=https ssl=- protocol=-" in logged


def test_it_believes_forwarded_headers_from_the_proxy_alone(https):
    """Straight to the app from another container on its network, claiming
    HTTPS: the app sees plain HTTP and redirects."""
    answer = https.client(
        *("--include", "--output", "-", "--header", f"Host: {DOMAIN}"),
        *("--header", "X-Forwarded-Proto: https"),
        "http://web:8000/",
    ).stdout
    assert answer.split()[1] == "301"
    assert f"location: https://{DOMAIN}/" in answer.lower()


@pytest.mark.parametrize("asset", [STYLESHEET, SCRIPT], ids=["css", "js"])
def test_it_serves_static_files_brotli_compressed_through_the_proxy(
    https, asset, reliability
):
    path = asset.search(https.get("/").text).group(1)
    sizes = {}
    for encoding in ("identity", "gzip", "br"):
        answer = https.get(path, headers={"Accept-Encoding": encoding}, body=False)
        assert answer.status == 200
        assert answer.headers.get("content-encoding", "identity") == encoding
        sizes[encoding] = int(answer.headers["content-length"])
    reliability(https.variant, "https", f"page {path.rsplit('.', 1)[1]} bytes", sizes)
    assert sizes["br"] < sizes["gzip"] < sizes["identity"]


def test_it_serves_others_while_slow_clients_trickle_their_headers(https, reliability):
    """1,000 connections trickling their headers over TLS for 30 s, reopened
    as Caddy closes them: the page, asked for from the published port, is
    still served within SERVED_WITHIN_SECONDS (p99)."""
    tls = ssl.create_default_context(cadata=https.roots())
    figures = beside_slow_clients(
        https.port,
        lambda: status_of(https.port, "/", tls, DOMAIN),
        tls=tls,
        server_name=DOMAIN,
    )
    reliability(https.variant, "https", "beside slow clients", figures)
    assert figures["ok"] == figures["requests"], figures
    assert figures["p99_ms"] < 1000 * SERVED_WITHIN_SECONDS, figures
    # Caddy's read_header timeout closed each slow connection at least once.
    assert figures["closed_by_server"] >= figures["slow_connections"], figures


def served_key_pin(https):
    """The base64 SHA-256 of the served certificate's public key, read over a
    connection that verified it against Pebble's roots."""
    tls = ssl.create_default_context(cadata=https.roots())
    with (
        socket.create_connection(("127.0.0.1", https.port), timeout=10) as raw,
        tls.wrap_socket(raw, server_hostname=DOMAIN) as connection,
    ):
        leaf = x509.load_der_x509_certificate(connection.getpeercert(binary_form=True))
    key = leaf.public_key().public_bytes(
        Encoding.DER, PublicFormat.SubjectPublicKeyInfo
    )
    return base64.b64encode(hashlib.sha256(key).digest()).decode()


@browser.requires_chromium
def test_it_logs_in_to_the_admin_in_chromium_over_https(https):
    """Chromium resolves the site's name to Caddy's published port and
    accepts the key of the certificate Pebble issued (checked above against
    Pebble's root); CSRF passes, and the cookies it gets are Secure."""
    password = uuid.uuid4().hex
    https.compose(
        *("exec", "-T", "--env", "DJANGO_SUPERUSER_USERNAME=admin"),
        *("--env", "DJANGO_SUPERUSER_EMAIL=admin@example.com"),
        *("--env", f"DJANGO_SUPERUSER_PASSWORD={password}"),
        *("web", "python", "manage.py", "createsuperuser", "--noinput"),
    )
    arguments = [
        f"--host-resolver-rules=MAP {DOMAIN} 127.0.0.1",
        f"--ignore-certificate-errors-spki-list={served_key_pin(https)}",
    ]
    landed, content, cookies = log_in(https, arguments, password)
    assert landed == f"https://{DOMAIN}:{https.port}/admin/"
    assert "Site administration" in content
    assert {cookie["name"] for cookie in cookies} >= {"csrftoken", "sessionid"}
    assert all(cookie["secure"] for cookie in cookies)


def log_in(https, arguments, password, attempts=3):
    """The login form filled in and sent: where it lands, what it shows and
    the cookies set. Chromium abandons a navigation when the host's network
    changes (any container starting or stopping on the engine adds or removes
    an interface): that error alone is tried again, in a new browser."""
    attempt = 1
    while True:
        try:
            with (
                browser.chromium(extra_args=arguments) as chromium,
                browser.open_page(
                    chromium, f"https://{DOMAIN}:{https.port}/admin/login/"
                ) as visit,
            ):
                assert visit.status == 200
                visit.page.fill("#id_username", "admin")
                visit.page.fill("#id_password", password)
                with visit.page.expect_navigation():
                    visit.page.click("input[type=submit]")
                return (
                    visit.page.url,
                    visit.page.content(),
                    visit.page.context.cookies(),
                )
        except PlaywrightError as error:
            if "ERR_NETWORK_CHANGED" not in str(error) or attempt == attempts:
                raise
            attempt += 1


def test_it_keeps_its_certificate_across_a_restart(https):
    serial, orders = https.certificate_serial(), https.orders()
    https.compose("restart", "proxy")
    until(
        lambda: (
            https.client("--head", f"http://{DOMAIN}/", check=False).returncode == 0
        ),
        60,
        "Caddy answering again",
    )
    assert https.certificate_serial() == serial
    assert https.orders() == orders == 1


def proxy_started_with(https, **variables):
    """The proxy's own command, as compose resolves it, run with `variables`."""
    proxy = json.loads(https.compose("config", "--format", "json").stdout)["services"][
        "proxy"
    ]
    # `$$` is compose's escape of a `$` it leaves to the shell.
    entrypoint, *arguments = (part.replace("$$", "$") for part in proxy["entrypoint"])
    return docker(
        *("run", "--rm", f"--entrypoint={entrypoint}"),
        *(f"--env={name}={value}" for name, value in variables.items()),
        *(proxy["image"], *arguments, *proxy["command"]),
        check=False,
    )


@pytest.mark.parametrize("domain", ["", "not a name", "https://clock.example.com"])
def test_it_stops_on_a_missing_or_malformed_domain_with_one_line(https, domain):
    result = proxy_started_with(https, DOMAIN=domain)
    assert result.returncode == 1
    assert result.stderr.strip().splitlines()[-1] == (
        f"Configuration error: DOMAIN='{domain}' is not a host name "
        "such as www.example.com"
    )


def test_it_stops_on_a_ca_root_that_is_no_certificate_with_one_line(https):
    result = proxy_started_with(https, DOMAIN=DOMAIN, ACME_CA_ROOT="root.pem")
    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [
        "Configuration error: ACME_CA_ROOT holds no PEM certificate: set it to "
        'the CA\'s root, e.g. ACME_CA_ROOT="$(cat root.pem)"'
    ]


def test_compose_refuses_to_start_without_a_domain(engine):
    result = docker(
        *("compose", "--file", "compose.yaml"),
        *("--file", str(contract.HTTPS_STACK), "config", "--quiet"),
        env={k: v for k, v in os.environ.items() if k != "DOMAIN"},
        check=False,
    )
    assert result.returncode != 0
    assert "set DOMAIN to the site's host name" in result.stderr
