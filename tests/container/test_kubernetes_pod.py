"""Each image run as the Kubernetes manifests run it, on the real engine.

No cluster runs here, so the web pod's spec, rendered by `kubectl kustomize`,
is compared with the image's own configuration and translated to `docker run`
flags: its user, read-only root, emptyDirs (as tmpfs), dropped capabilities,
no privilege escalation, resource limits and the Secret's key file. The
database settings are left out, since no database runs beside the container:
the app keeps SQLite in the /data emptyDir instead. With the overlays' own
empty Secret, the app must refuse to start.
"""

import base64
import json
import math
import os
import re
import secrets
import shutil
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
VARIANTS = sorted(
    yaml.safe_load((ROOT / "docker" / "variants.yaml").read_text())["services"]
)
# compose.yaml tags each variant ${APP_IMAGE:-moscow-clock}:<variant>.
IMAGE = os.environ.get("APP_IMAGE") or re.search(
    r"image: \$\{APP_IMAGE:-([^}]+)\}", (ROOT / "compose.yaml").read_text()
).group(1)
UNITS = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "M": 1e6, "G": 1e9}
READY_SECONDS = 60


def docker(*args, timeout=600, **kwargs):
    return subprocess.run(
        ["docker", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=True,
        **kwargs,
    )


def quantity(value):
    number, unit = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(value)).groups()
    return float(number) * UNITS.get(unit, 1)


def web_pod(variant):
    """The web pod's spec and the files of its Secret, as the overlay renders them."""
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail("kubectl is not on PATH: it renders the overlays to compare.")
    rendered = subprocess.run(
        [
            kubectl,
            "kustomize",
            str(ROOT / "deploy" / "kubernetes" / "overlays" / variant),
        ],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout
    objects = [d for d in yaml.safe_load_all(rendered) if d]
    (deployment,) = (
        d
        for d in objects
        if d["kind"] == "Deployment" and d["metadata"]["name"] == "web"
    )
    (secret,) = (d for d in objects if d["kind"] == "Secret")
    files = {name: base64.b64decode(data) for name, data in secret["data"].items()}
    return deployment["spec"]["template"]["spec"], files


@pytest.fixture(scope="module", params=VARIANTS)
def built(request):
    """(variant, image config, web pod spec, Secret files), the image built by
    compose."""
    if shutil.which("docker") is None:
        pytest.skip("no docker command")
    variant = request.param
    docker("compose", "build", env={**os.environ, "APP_VARIANT": variant})
    (image,) = json.loads(docker("image", "inspect", f"{IMAGE}:{variant}").stdout)
    return variant, image["Config"], *web_pod(variant)


def environment(config):
    return dict(variable.split("=", 1) for variable in config["Env"])


def test_the_pod_runs_the_images_user_port_and_data_directory(built):
    _, config, pod, _ = built
    context = pod["securityContext"]
    assert config["User"] == f"{context['runAsUser']}:{context['runAsGroup']}"
    (container,) = pod["containers"]
    (port,) = container["ports"]
    assert f"{port['containerPort']}/tcp" in config["ExposedPorts"]
    assert environment(config)["PORT"] == str(port["containerPort"])
    data_dir = environment(config)["DJANGO_DATA_DIR"]
    (mount,) = (m for m in container["volumeMounts"] if m["mountPath"] == data_dir)
    (volume,) = (v for v in pod["volumes"] if v["name"] == mount["name"])
    assert "emptyDir" in volume


def run_flags(pod, secret_dir):
    """The pod's security context, volumes and limits as `docker run` flags."""
    context = pod["securityContext"]
    (container,) = pod["containers"]
    own = container["securityContext"]
    flags = [
        f"--user={context['runAsUser']}:{context['runAsGroup']}",
        f"--group-add={context['fsGroup']}",
        *(f"--cap-drop={capability}" for capability in own["capabilities"]["drop"]),
    ]
    if own["readOnlyRootFilesystem"]:
        flags.append("--read-only")
    if not own["allowPrivilegeEscalation"]:
        flags.append("--security-opt=no-new-privileges")
    # RuntimeDefault is the engine's own seccomp profile, which docker applies.
    assert context["seccompProfile"]["type"] == "RuntimeDefault"
    volumes = {volume["name"]: volume for volume in pod["volumes"]}
    for mount in container["volumeMounts"]:
        volume = volumes[mount["name"]]
        if "emptyDir" in volume:
            # Owned by the fsGroup, as the kubelet makes an emptyDir.
            size = int(quantity(volume["emptyDir"]["sizeLimit"]))
            flags.append(
                f"--tmpfs={mount['mountPath']}:size={size},gid={context['fsGroup']}"
            )
        elif "secret" in volume:
            flags.append(f"--volume={secret_dir}:{mount['mountPath']}:ro")
    limits = container["resources"]["limits"]
    flags += [f"--memory={int(quantity(limits['memory']))}", f"--cpus={limits['cpu']}"]
    for variable in container["env"]:
        if variable["name"].startswith("DATABASE_"):
            continue
        if "value" in variable:
            flags.append(f"--env={variable['name']}={variable['value']}")
        elif variable["valueFrom"]["resourceFieldRef"]["resource"] == "limits.cpu":
            # What the kubelet gives a resourceFieldRef: the limit over the
            # divisor, rounded up.
            divisor = quantity(variable["valueFrom"]["resourceFieldRef"]["divisor"])
            workers = math.ceil(quantity(limits["cpu"]) / divisor)
            flags.append(f"--env={variable['name']}={workers}")
    return flags


def status(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except OSError:
        return None


def key_file(container):
    """The name, in the Secret, of the file DJANGO_SECRET_KEY_FILE names."""
    (path,) = (
        v["value"] for v in container["env"] if v["name"] == "DJANGO_SECRET_KEY_FILE"
    )
    return Path(path).name


def secret_volume(tmp_path, pod, files):
    """A Secret volume as the kubelet makes it: the pod's fsGroup may read."""
    directory = tmp_path / "secret"
    directory.mkdir()
    directory.chmod(0o755)
    for name, content in files.items():
        path = directory / name
        path.write_bytes(content)
        os.chown(path, 0, pod["securityContext"]["fsGroup"])
        path.chmod(0o440)
    return directory


def test_the_image_serves_its_probes_under_the_pods_security_context(built, tmp_path):
    variant, _, pod, files = built
    (container,) = pod["containers"]
    # The Secret as a user's overlay fills it: one key that every replica shares.
    key = secrets.token_urlsafe(50).encode()
    secret_dir = secret_volume(tmp_path, pod, {**files, key_file(container): key})
    (port,) = container["ports"]
    name = f"moscow-clock-k8s-pod-{variant}-{os.getpid()}"
    docker(
        "run",
        "--detach",
        f"--name={name}",
        f"--publish=127.0.0.1::{port['containerPort']}",
        *run_flags(pod, secret_dir),
        f"{IMAGE}:{variant}",
    )
    try:
        published = docker("port", name, str(port["containerPort"])).stdout
        base = f"http://{published.splitlines()[0].strip()}"
        probes = {
            probe: container[probe]["httpGet"]["path"]
            for probe in ("startupProbe", "livenessProbe", "readinessProbe")
        }
        deadline = time.monotonic() + READY_SECONDS
        answers = {}
        while time.monotonic() < deadline:
            answers = {probe: status(base + path) for probe, path in probes.items()}
            if set(answers.values()) == {200}:
                break
            time.sleep(0.5)
        assert answers == dict.fromkeys(probes, 200), docker("logs", name).stdout
        # SIGTERM, then SIGKILL after the pod's grace period, as the kubelet does.
        docker("stop", f"--time={pod['terminationGracePeriodSeconds']}", name)
        state = json.loads(docker("inspect", "--format={{json .State}}", name).stdout)
        assert (state["ExitCode"], state["OOMKilled"]) == (0, False)
    finally:
        subprocess.run(
            ["docker", "rm", "--force", name], capture_output=True, check=False
        )


def test_the_shipped_empty_secret_stops_the_app_with_one_line_naming_it(
    built, tmp_path
):
    """The overlays carry no key: the app must refuse to start, not run with
    a key nobody chose."""
    variant, _, pod, files = built
    (container,) = pod["containers"]
    assert files[key_file(container)] == b""
    secret_dir = secret_volume(tmp_path, pod, files)
    result = subprocess.run(
        ["docker", "run", "--rm", *run_flags(pod, secret_dir), f"{IMAGE}:{variant}"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    # The app logs to stdout, gunicorn's own lines included.
    (line,) = (
        line for line in result.stdout.splitlines() if "Configuration error" in line
    )
    assert "DJANGO_SECRET_KEY_FILE" in line
