"""compose.https.yaml brought up for real: Caddy in front of the app, its
certificate ordered from Pebble, Let's Encrypt's ACME test server, started
beside it as a private CA (tests/container/compose.pebble.yaml) and named to
Caddy by the documented ACME_CA and ACME_CA_ROOT alone; and a client on
Caddy's network that reaches it by the site's name and trusts Pebble's roots
alone.

The client is curl: it speaks HTTP/2, and what it sends and sees is what
`curl` shows an operator.
"""

from dataclasses import dataclass, field

from containers import ROOT, contract
from containers.compose import ComposeProject, environment
from containers.docker import docker
from containers.http import Response, free_port

# The site's name: Caddy's alias on its network, where Pebble validates it.
DOMAIN = "clock.test"
# Pebble's ACME directory, and the root of its API's certificate in its image.
ACME_CA = "https://pebble:14000/dir"
PEBBLE_API_ROOT = "/test/certs/pebble.minica.pem"
# Where the client keeps the roots Pebble issues from (new on each start).
ROOTS = "/tmp/pebble-roots.pem"
# The headers the app got, logged by gunicorn for each request: the scheme
# and client address the proxy stated, and any a client tried to.
ACCESS_LOG_FORMAT = (
    "forwarded-for=%({x-forwarded-for}i)s proto=%({x-forwarded-proto}i)s "
    "ssl=%({x-forwarded-ssl}i)s protocol=%({x-forwarded-protocol}i)s "
    "request-id=%({x-request-id}i)s "
    '"%(r)s" %(s)s'
)


@dataclass
class HttpsStack(ComposeProject):
    """compose.yaml, compose.https.yaml and the Pebble override, as one project.
    Caddy's ports are published on loopback ports of their own."""

    http_port: int = field(default_factory=free_port)
    # The root of Pebble's API certificate (PEM), Caddy's ACME_CA_ROOT.
    ca_root: str = ""

    @property
    def https_url(self):
        return f"https://127.0.0.1:{self.port}"

    def compose(self, *args, timeout=600, check=True):
        files = (ROOT / "compose.yaml", contract.HTTPS_STACK, contract.ACME_TEST_STACK)
        return docker(
            *("compose", "--project-name", self.project),
            *(option for path in files for option in ("--file", str(path))),
            *args,
            env=environment(
                self.variant,
                DOMAIN=DOMAIN,
                ACME_CA=ACME_CA,
                ACME_CA_ROOT=self.ca_root,
                PROXY_ADDRESS="127.0.0.1",
                HTTP_PORT=str(self.http_port),
                HTTPS_PORT=str(self.port),
                GUNICORN_CMD_ARGS=f"--access-logformat '{ACCESS_LOG_FORMAT}'",
            ),
            timeout=timeout,
            check=check,
        )

    def up(self, variant=None):
        self.ca_root = self.compose(
            *("run", "--rm", "--no-deps", "--entrypoint", "cat"),
            *("pebble", PEBBLE_API_ROOT),
        ).stdout
        super().up(variant)
        self.trust_pebble()
        return self

    def trust_pebble(self):
        """The roots Pebble issues from now, fetched from its management API
        (whose own certificate the client checks) into the client."""
        self.client(
            *("--cacert", "/pebble/pebble.minica.pem", "--output", ROOTS),
            "https://pebble:15000/roots/0",
        )

    def roots(self):
        """Pebble's issuing roots (PEM), as the client trusts them."""
        return self.compose("exec", "-T", "client", "cat", ROOTS).stdout

    def client(self, *curl_args, check=True):
        """curl in the client container, silent but for errors."""
        return self.compose(
            *("exec", "-T", "client", "curl", "--silent", "--show-error"),
            *curl_args,
            check=check,
        )

    def get(
        self, path, headers=None, scheme="https", body=True, timeout=30, http3=False
    ):
        """One request by the site's name; the body left out unless `body`;
        over QUIC alone with `http3`."""
        flags = [f"--header={name}: {value}" for name, value in (headers or {}).items()]
        flags += ["--http3-only"] if http3 else []
        flags += [f"--max-time={timeout}", "--output", "-" if body else "/dev/null"]
        answer = self.client(
            *("--cacert", ROOTS, "--dump-header", "-", *flags),
            f"{scheme}://{DOMAIN}{path}",
        ).stdout
        # Text mode has turned the protocol's CRLFs into newlines.
        head, _, text = answer.partition("\n\n")
        status_line, *lines = head.splitlines()
        version, status = status_line.split()[:2]
        response = Response(
            int(status),
            {
                name.strip().lower(): value.strip()
                for name, _, value in (line.partition(":") for line in lines)
            },
            text.encode(),
        )
        response.headers[":version"] = version
        return response

    def certificate_serial(self):
        """The serial number of the certificate Caddy serves now (the chain
        curl verified, leaf first)."""
        chain = self.client(
            *("--cacert", ROOTS, "--output", "/dev/null", "--write-out", "%{certs}"),
            f"https://{DOMAIN}/healthz",
        ).stdout
        return next(
            line.partition(":")[2].strip()
            for line in chain.splitlines()
            if line.startswith("Serial Number:")
        )

    def orders(self):
        """The certificate orders Pebble has taken since it started."""
        return self.logs("pebble").count("Added order")

    def logs(self, service="web"):
        return self.compose("logs", "--no-color", service).stdout
