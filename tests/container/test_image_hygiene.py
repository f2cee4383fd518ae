"""What each image carries: no secret, nothing setuid or world-writable that
the project adds, no build tools or tests; production checks clean; its
software bill of materials written to test-results/."""

import json
import re
import secrets
import subprocess
import tarfile
import tempfile

import pytest

from containers import RESULTS, ROOT, compose
from containers.docker import docker
from containers.images import filesystem

TOOLS = re.compile(r"^(pip[0-9.]*|gcc|cc|c\+\+|g\+\+|clang|tcc|[\w-]+-gcc(-[\d.]+)?)$")


@pytest.fixture(scope="session")
def files(stack, variant):
    return filesystem(stack.image()), filesystem(variant.final_base())


def special(tree, bits):
    """Files and directories with any of `bits` (device nodes are the engine's)."""
    return {
        path for path, m in tree.items() if (m.isfile() or m.isdir()) and m.mode & bits
    }


def test_it_keeps_no_secret_in_any_layer_or_in_its_history(stack, image):
    key = stack.container().read_file(f"{image.data_dir}/secret_key").decode().strip()
    data = image.data_dir.strip("/") + "/"
    assert len(key) >= 50
    history = docker(
        "history", "--no-trunc", "--format", "{{.CreatedBy}}", stack.image()
    ).stdout
    assert set(re.findall(r"DJANGO_SECRET_KEY=(\S+)", history)) <= {
        "collectstatic-only"
    }
    assert key not in history
    with tempfile.TemporaryFile() as saved:
        subprocess.run(
            ["docker", "save", stack.image()], stdout=saved, check=True, timeout=300
        )
        saved.seek(0)
        with tarfile.open(fileobj=saved) as archive:
            for entry in archive.getmembers():
                if not entry.isfile():
                    continue
                content = archive.extractfile(entry).read()
                assert key.encode() not in content, entry.name
                if entry.name.endswith("layer.tar"):
                    with tarfile.open(fileobj=archive.extractfile(entry)) as layer:
                        names = layer.getnames()
                    assert [
                        n for n in names if n.rsplit("/", 1)[-1] == "secret_key"
                    ] == []
                    assert [n for n in names if n.startswith(data) and n != data] == []


def test_it_adds_no_setuid_setgid_or_world_writable_file(files):
    image, base = files
    assert special(image, 0o6000) <= special(base, 0o6000)
    # /tmp, and what the base already has (/var/tmp; distroless's /var/lock).
    assert special(image, 0o002) <= {"tmp"} | special(base, 0o002)


def test_it_carries_no_pip_compiler_or_project_tests(files):
    image, _ = files
    names = {path.rsplit("/", 1)[-1] for path, m in image.items() if not m.isdir()}
    assert sorted(name for name in names if TOOLS.match(name)) == []
    assert [p for p in image if re.search(r"(site|dist)-packages/pip(/|$)", p)] == []
    assert [p for p in image if p.startswith("app/") and "/tests" in p] == []


def test_it_runs_as_a_numeric_non_root_user(image):
    assert re.fullmatch(r"\d+(:\d+)?", image.user)
    assert image.uid != 0


def test_it_passes_the_deployment_checks_with_production_settings(web):
    production = {
        "DJANGO_HTTPS": "true",
        "DJANGO_HSTS_PRELOAD": "true",
        "DJANGO_ALLOWED_HOSTS": "clock.example.com",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    }
    check = ("python", "manage.py", "check", "--deploy", "--fail-level", "WARNING")
    with compose.start_app(web, env=production, command=check) as checked:
        status = checked.wait_exit()
        output = checked.logs()
    assert status == 0, output
    assert "System check identified no issues" in output


def test_it_answers_with_the_security_headers_of_its_settings(stack):
    headers = stack.get("/").headers
    assert headers["x-frame-options"] == "DENY"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    assert "default-src 'none'" in headers["content-security-policy"]
    assert "frame-ancestors 'none'" in headers["content-security-policy"]
    assert "no-store" in headers["cache-control"]
    # No version for an attacker to look up.
    assert not re.search(r"\d", headers.get("server", ""))
    assert "x-powered-by" not in headers


def test_it_ships_bytecode_that_holds_no_time_and_never_checks_its_sources(stack):
    # Unchecked-hash pycs: the read-only image never needs to recompile, and two
    # builds of one commit give the same files (python -m containers.reproducible).
    assert stack.container().probe("bytecode", "/opt/venv", "/app") == []


def normalized(name):
    """A distribution's name as PyPI compares them (PEP 503): prometheus_client
    installs the distribution that requirements pin as prometheus-client."""
    return re.sub(r"[-_.]+", "-", name).lower()


def test_it_writes_its_bill_of_materials_matching_the_pins(stack, variant, image):
    sbom = stack.container().probe("sbom")
    installed = {normalized(d["name"]): d["version"] for d in sbom["distributions"]}
    pinned = dict(
        re.findall(
            r"^([A-Za-z0-9_.-]+)==(\S+)",
            (ROOT / "requirements" / "base.txt").read_text(),
            flags=re.MULTILINE,
        )
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"sbom-{stack.variant}.json").write_text(
        json.dumps(
            {
                "image": stack.image(),
                "image_id": image.id,
                "base": variant.final_base(),
                **sbom,
            },
            indent=2,
        )
        + "\n"
    )
    assert {normalized(n): v for n, v in pinned.items()}.items() <= installed.items()
