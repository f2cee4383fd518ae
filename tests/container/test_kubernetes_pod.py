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
import math
import os
import secrets
import time
from pathlib import Path

import pytest

from containers import wait
from containers.container import Container
from tests.deployment.test_kubernetes import find, quantity, render

# Seconds for every probe of the pod to answer 200.
READY_WITHIN = 60
PROBES = ("startupProbe", "livenessProbe", "readinessProbe")


@pytest.fixture
def overlay(variant):
    """(the web pod's spec, {name: content} of the Secret it mounts), as the
    variant's overlay renders them."""
    objects = render(variant.name)
    pod = find(objects, "Deployment", "web")["spec"]["template"]["spec"]
    (volume,) = (v for v in pod["volumes"] if "secret" in v)
    secret = find(objects, "Secret", volume["secret"]["secretName"])
    files = {name: base64.b64decode(data) for name, data in secret["data"].items()}
    return pod, files


def test_the_pod_runs_the_images_user_port_and_data_directory(overlay, image):
    pod, _ = overlay
    context = pod["securityContext"]
    assert image.user == f"{context['runAsUser']}:{context['runAsGroup']}"
    (container,) = pod["containers"]
    ports = {port["name"]: port["containerPort"] for port in container["ports"]}
    assert f"{ports['http']}/tcp" in image.config["ExposedPorts"]
    assert image.port == ports["http"]
    assert f"METRICS_PORT={ports['metrics']}" in image.config["Env"]
    (mount,) = (
        m for m in container["volumeMounts"] if m["mountPath"] == image.data_dir
    )
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


def test_the_image_serves_its_probes_under_the_pods_security_context(
    overlay, image, tmp_path
):
    pod, files = overlay
    (container,) = pod["containers"]
    # The Secret as a user's overlay fills it: one key that every replica shares.
    key = secrets.token_urlsafe(50).encode()
    secret_dir = secret_volume(tmp_path, pod, {**files, key_file(container): key})
    flags = run_flags(pod, secret_dir)
    with Container.start(image.id, *flags, publish=image.port, kind="pod") as app:
        since = time.monotonic()
        for probe in PROBES:
            path = container[probe]["httpGet"]["path"]
            wait.answer(app.url + path, READY_WITHIN, status=200, since=since)
        # SIGTERM, then SIGKILL after the pod's grace period, as the kubelet does.
        app.stop(grace=pod["terminationGracePeriodSeconds"])
        state = app.state()
        assert (state["ExitCode"], state["OOMKilled"]) == (0, False)


def test_the_shipped_empty_secret_stops_the_app_with_one_line_naming_it(
    overlay, image, tmp_path
):
    """The overlays carry no key: the app must refuse to start, not run with
    a key nobody chose."""
    pod, files = overlay
    (container,) = pod["containers"]
    assert files[key_file(container)] == b""
    flags = run_flags(pod, secret_volume(tmp_path, pod, files))
    with Container.start(image.id, *flags, kind="pod") as app:
        assert app.wait_exit(timeout=120) != 0
        (line,) = (
            line for line in app.logs().splitlines() if "Configuration error" in line
        )
    assert "DJANGO_SECRET_KEY_FILE" in line
