"""What each image carries: no secret, nothing setuid or world-writable that
the project adds, no build tools or tests; production checks clean; its
software bill of materials written to reports/."""

import json
import os
import re
import secrets
import subprocess
import tarfile
import tempfile

import pytest

from tests.container.report import REPORTS
from tests.container.stack import ROOT, filesystem, inspect, run

TOOLS = re.compile(r"^(pip[0-9.]*|gcc|cc|c\+\+|g\+\+|clang|tcc|[\w-]+-gcc(-[\d.]+)?)$")
SBOM = """
import importlib.metadata, json, platform
print(json.dumps({
    "python": platform.python_version(),
    "distributions": sorted(
        ({"name": d.metadata["Name"], "version": d.version}
         for d in importlib.metadata.distributions()),
        key=lambda d: d["name"].lower(),
    ),
}))
"""


def base_image(variant):
    """The final stage's base, as the build got it (environment or pinned tag)."""
    dockerfile = (ROOT / "docker" / f"{variant}.Dockerfile").read_text()
    argument = re.findall(r"^FROM \$\{(\w+)\}\s*$", dockerfile, flags=re.MULTILINE)[-1]
    pinned = re.search(rf"^ARG {argument}=([^@\s]+)", dockerfile, flags=re.MULTILINE)
    return os.environ.get(argument) or pinned[1]


@pytest.fixture(scope="session")
def files(stack):
    return filesystem(stack.image()), filesystem(base_image(stack.variant))


def special(tree, bits):
    """Files and directories with any of `bits` (device nodes are the engine's)."""
    return {
        path for path, m in tree.items() if (m.isfile() or m.isdir()) and m.mode & bits
    }


def test_it_keeps_no_secret_in_any_layer_or_in_its_history(stack):
    key = stack.python("print(open('/data/secret_key').read().strip())").stdout.strip()
    assert len(key) >= 50
    history = run(
        "docker", "history", "--no-trunc", "--format", "{{.CreatedBy}}", stack.image()
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
        with tarfile.open(fileobj=saved) as image:
            for entry in image.getmembers():
                if not entry.isfile():
                    continue
                content = image.extractfile(entry).read()
                assert key.encode() not in content, entry.name
                if entry.name.endswith("layer.tar"):
                    with tarfile.open(fileobj=image.extractfile(entry)) as layer:
                        names = layer.getnames()
                    assert [
                        n for n in names if n.rsplit("/", 1)[-1] == "secret_key"
                    ] == []
                    assert [
                        n for n in names if n.startswith("data/") and n != "data/"
                    ] == []


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


def test_it_runs_as_a_numeric_non_root_user(stack):
    user = inspect(stack.image(), "{{.Config.User}}")
    assert re.fullmatch(r"\d+(:\d+)?", user)
    assert int(user.split(":")[0]) != 0


def test_it_passes_the_deployment_checks_with_production_settings(stack):
    result = run(
        *("docker", "run", "--rm", "--read-only", "--tmpfs", "/tmp"),
        *("-e", "DJANGO_HTTPS=true", "-e", "DJANGO_HSTS_PRELOAD=true"),
        *("-e", "DJANGO_ALLOWED_HOSTS=clock.example.com"),
        *("-e", f"DJANGO_SECRET_KEY={secrets.token_urlsafe(50)}"),
        *(stack.image(), "python", "manage.py", "check", "--deploy"),
        *("--fail-level", "WARNING"),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "System check identified no issues" in result.stdout


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


def test_it_writes_its_bill_of_materials_matching_the_pins(stack):
    sbom = json.loads(stack.python(SBOM).stdout)
    installed = {d["name"].lower(): d["version"] for d in sbom["distributions"]}
    pinned = dict(
        re.findall(
            r"^([A-Za-z0-9_.-]+)==(\S+)",
            (ROOT / "requirements" / "base.txt").read_text(),
            flags=re.MULTILINE,
        )
    )
    REPORTS.mkdir(exist_ok=True)
    (REPORTS / f"sbom-{stack.variant}.json").write_text(
        json.dumps(
            {
                "image": stack.image(),
                "image_id": inspect(stack.image(), "{{.Id}}"),
                "base": base_image(stack.variant),
                **sbom,
            },
            indent=2,
        )
        + "\n"
    )
    assert {name.lower(): v for name, v in pinned.items()}.items() <= installed.items()
