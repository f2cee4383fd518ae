"""The client's address behind a trusted proxy.

gunicorn trusts X-Forwarded-Proto from FORWARDED_ALLOW_IPS alone; the same
peers are believed about the client's address. From them, the last address of
X-Forwarded-For (the one the proxy itself wrote; nginx writes the client's
alone) becomes REMOTE_ADDR, which both Django and gunicorn's access log read,
and the proxy's own address moves to PROXY_ADDR, as gunicorn's PROXY protocol
support names it. A client that writes the header itself, straight to the app,
changes nothing.
"""

import ipaddress
from functools import lru_cache

# Set in each gunicorn worker from gunicorn's own configuration (trust());
# empty elsewhere (tests, runserver): no peer is a proxy.
_trusted = {"any": False, "networks": ()}


def trust(allow_list, networks):
    """gunicorn's forwarded_allow_ips and the networks it parsed them into."""
    _trusted.update(any="*" in allow_list, networks=tuple(networks))
    is_trusted.cache_clear()


@lru_cache(maxsize=256)
def is_trusted(peer):
    if _trusted["any"]:
        return True
    try:
        address = ipaddress.ip_address(peer)
    except ValueError:
        return False
    return any(address in network for network in _trusted["networks"])


def via_trusted_proxy(meta):
    """Whether the request came from a trusted peer (before or after the
    middleware moved its address to PROXY_ADDR)."""
    peer = meta.get("PROXY_ADDR") or meta.get("REMOTE_ADDR")
    return peer is not None and is_trusted(peer)


def forwarded_client(meta):
    """The address the trusted proxy gave for the client, or None."""
    forwarded = meta.get("HTTP_X_FORWARDED_FOR")
    if not forwarded or not is_trusted(meta.get("REMOTE_ADDR", "")):
        return None
    client = forwarded.rpartition(",")[2].strip()
    try:
        return str(ipaddress.ip_address(client))
    except ValueError:
        return None


class ClientAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        meta = request.META
        if (client := forwarded_client(meta)) is not None:
            meta["PROXY_ADDR"], meta["REMOTE_ADDR"] = meta["REMOTE_ADDR"], client
        return self.get_response(request)
