"""What a request carries through the app: its ID, and the client's address
behind a trusted proxy (stack/request_id.py, stack/client_address.py)."""

import ipaddress
import re

import pytest
from django.test import RequestFactory

from stack import client_address
from stack.client_address import ClientAddressMiddleware

PROXY = "10.213.64.5"
GENERATED = re.compile(r"[0-9a-f]{32}")


@pytest.fixture
def proxy_trusted():
    """The proxy's network trusted, as gunicorn's worker would from
    FORWARDED_ALLOW_IPS; nothing trusted again afterwards."""
    client_address.trust(["10.213.64.0/24"], [ipaddress.ip_network("10.213.64.0/24")])
    yield
    client_address.trust([], [])


def through(client, path="/api/time", peer=PROXY, **headers):
    return client.get(path, REMOTE_ADDR=peer, headers=headers)


@pytest.mark.django_db
def test_it_makes_an_id_for_a_request_that_has_none(client):
    assert GENERATED.fullmatch(through(client)["X-Request-ID"])


@pytest.mark.django_db
def test_it_keeps_a_well_formed_id_from_a_trusted_proxy(client, proxy_trusted):
    sent = "f3b1c2d4-5e6f-4a8b-9c0d-1e2f3a4b5c6d"
    assert through(client, **{"X-Request-ID": sent})["X-Request-ID"] == sent


@pytest.mark.django_db
@pytest.mark.parametrize(
    "sent", ["a" * 65, "has space", "new\x0bline", "quote\"'", "ünï", "a;b=c"]
)
def test_it_replaces_a_malformed_or_oversized_id(client, proxy_trusted, sent):
    returned = through(client, **{"X-Request-ID": sent})["X-Request-ID"]
    assert GENERATED.fullmatch(returned)


@pytest.mark.django_db
def test_it_replaces_an_id_from_a_peer_it_does_not_trust(client, proxy_trusted):
    returned = through(client, peer="192.0.2.7", **{"X-Request-ID": "chosen-by-me"})
    assert GENERATED.fullmatch(returned["X-Request-ID"])


@pytest.mark.django_db
def test_it_returns_its_id_on_errors_and_probes_too(client):
    for path in ("/no-such-page", "/healthz"):
        assert GENERATED.fullmatch(through(client, path)["X-Request-ID"])


def seen_by_the_app(peer, forwarded):
    """REMOTE_ADDR and PROXY_ADDR as the views below the middleware see them."""
    seen = {}

    def view(request):
        seen.update(
            client=request.META["REMOTE_ADDR"], proxy=request.META.get("PROXY_ADDR")
        )

    request = RequestFactory().get("/", REMOTE_ADDR=peer)
    if forwarded is not None:
        request.META["HTTP_X_FORWARDED_FOR"] = forwarded
    ClientAddressMiddleware(view)(request)
    return seen


def test_it_takes_the_clients_address_from_a_trusted_proxy(proxy_trusted):
    assert seen_by_the_app(PROXY, "203.0.113.9") == {
        "client": "203.0.113.9",
        "proxy": PROXY,
    }


def test_it_takes_the_address_the_proxy_wrote_not_one_a_client_prepended(
    proxy_trusted,
):
    seen = seen_by_the_app(PROXY, "198.51.100.1, 203.0.113.9")
    assert seen["client"] == "203.0.113.9"


def test_it_ignores_forwarded_for_from_a_peer_it_does_not_trust(proxy_trusted):
    assert seen_by_the_app("192.0.2.7", "203.0.113.9") == {
        "client": "192.0.2.7",
        "proxy": None,
    }


def test_it_ignores_a_forwarded_for_that_is_no_address(proxy_trusted):
    assert seen_by_the_app(PROXY, "unknown")["client"] == PROXY


def test_it_trusts_no_proxy_unless_gunicorn_says_which():
    assert seen_by_the_app("127.0.0.1", "203.0.113.9")["client"] == "127.0.0.1"
