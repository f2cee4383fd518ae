"""The Kubernetes manifests, rendered as `kubectl apply -k` renders them.

Every pod meets the restricted Pod Security profile, and what the manifests
repeat of the app (port, probe paths, variables, image, graceful stop, memory)
agrees with the app's own definition of it. No cluster is needed: kubectl's
built-in kustomize renders the overlays.
"""

import base64
import math
import os
import re
import runpy
import shutil
import subprocess
from functools import cache
from pathlib import Path

import pytest
import yaml

from containers import ROOT, contract
from reports import published
from stack import facts

MANIFESTS = ROOT / "deploy" / "kubernetes"
OVERLAYS = sorted(path.name for path in (MANIFESTS / "overlays").iterdir())
# One overlay per image variant, named after it.
VARIANTS = sorted(contract.variants())
# kustomize reads stack.env, at the project's root, with this alone (README.md).
LOAD_STACK_ENV = ("--load-restrictor", "LoadRestrictionsNone")
# The repository compose builds the images under: the project's name.
COMPOSE_IMAGE = facts.fact("PROJECT_NAME")
# The volume types the restricted profile allows.
RESTRICTED_VOLUMES = {
    "configMap",
    "csi",
    "downwardAPI",
    "emptyDir",
    "ephemeral",
    "persistentVolumeClaim",
    "projected",
    "secret",
}


@cache
def render(overlay):
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        pytest.fail(
            "kubectl is not on PATH: these tests render the overlays with "
            "`kubectl kustomize`; install kubectl to run them."
        )
    result = subprocess.run(
        [kubectl, "kustomize", *LOAD_STACK_ENV, str(MANIFESTS / "overlays" / overlay)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [document for document in yaml.safe_load_all(result.stdout) if document]


def pods(objects):
    """(name, pod spec) of every object that makes pods."""
    for obj in objects:
        spec = obj.get("spec", {})
        template = spec.get("jobTemplate", {}).get("spec", spec).get("template")
        if template is not None:
            yield f"{obj['kind']}/{obj['metadata']['name']}", template["spec"]


def containers(pod):
    return pod["containers"] + pod.get("initContainers", [])


def app_containers(objects):
    """Every container that runs the app's image."""
    for _, pod in pods(objects):
        for container in containers(pod):
            if container["image"].split(":")[0] == COMPOSE_IMAGE:
                yield container


def find(objects, kind, name):
    (obj,) = (o for o in objects if o["kind"] == kind and o["metadata"]["name"] == name)
    return obj


def web(objects):
    return find(objects, "Deployment", "web")


def web_container(objects):
    (container,) = web(objects)["spec"]["template"]["spec"]["containers"]
    return container


def probe_ports(container):
    return {
        container[probe]["httpGet"]["port"]
        for probe in ("startupProbe", "livenessProbe", "readinessProbe")
    }


def quantity(value):
    """A Kubernetes quantity in plain units (cores, bytes)."""
    units = {"m": 1e-3, "Ki": 2**10, "Mi": 2**20, "Gi": 2**30, "M": 1e6, "G": 1e9}
    number, unit = re.fullmatch(r"([0-9.]+)([A-Za-z]*)", str(value)).groups()
    return float(number) * units.get(unit, 1)


def gunicorn_config(monkeypatch):
    """gunicorn's settings as the images start it, with nothing overridden."""
    for name in list(os.environ):
        if name == "PORT" or name.startswith("GUNICORN_"):
            monkeypatch.delenv(name)
    return runpy.run_path(str(ROOT / "docker" / "gunicorn.conf.py"))


def documented_variables():
    """The names in DOCKER.md's "Environment" table."""
    text = (ROOT / "DOCKER.md").read_text(encoding="utf-8")
    table = text.split("\n## Environment\n", 1)[1].split("\n#", 1)[0]
    rows = [line for line in table.splitlines() if line.startswith("| `")]
    return {
        name for row in rows for name in re.findall(r"`([A-Z_]+)`", row.split("|")[1])
    }


@pytest.fixture(params=OVERLAYS)
def rendered(request):
    return render(request.param)


def test_it_has_one_overlay_per_image_variant_on_the_image_compose_builds():
    for variant in VARIANTS:
        images = {container["image"] for container in app_containers(render(variant))}
        assert images == {f"{COMPOSE_IMAGE}:{variant}"}


def test_every_pod_meets_the_restricted_pod_security_profile(rendered):
    assert {"Deployment/web", "Job/migrate"} <= {name for name, _ in pods(rendered)}
    for name, pod in pods(rendered):
        context = pod["securityContext"]
        assert context["runAsNonRoot"] is True, name
        assert context["runAsUser"] != 0, name
        assert context["seccompProfile"]["type"] == "RuntimeDefault", name
        assert not {"hostNetwork", "hostPID", "hostIPC"} & pod.keys(), name
        assert {next(iter(v.keys() - {"name"})) for v in pod["volumes"]} <= (
            RESTRICTED_VOLUMES
        ), name
        for container in containers(pod):
            own = container["securityContext"]
            assert own["allowPrivilegeEscalation"] is False, name
            assert own["capabilities"] == {"drop": ["ALL"]}, name
            assert not own.get("privileged"), name
            assert own.get("runAsUser", context["runAsUser"]) != 0, name
            assert all("hostPort" not in port for port in container.get("ports", []))


def test_every_container_has_a_read_only_root_and_a_memory_backed_tmp(rendered):
    for name, pod in pods(rendered):
        volumes = {volume["name"]: volume for volume in pod["volumes"]}
        for container in containers(pod):
            assert container["securityContext"]["readOnlyRootFilesystem"] is True
            (tmp,) = (m for m in container["volumeMounts"] if m["mountPath"] == "/tmp")
            assert volumes[tmp["name"]]["emptyDir"]["medium"] == "Memory", name


def test_no_pod_mounts_a_service_account_token(rendered):
    for name, pod in pods(rendered):
        assert pod["automountServiceAccountToken"] is False, name
    accounts = [obj for obj in rendered if obj["kind"] == "ServiceAccount"]
    assert all(account["automountServiceAccountToken"] is False for account in accounts)


def test_the_namespace_enforces_the_restricted_profile(rendered):
    (namespace,) = (obj for obj in rendered if obj["kind"] == "Namespace")
    labels = namespace["metadata"]["labels"]
    assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
    assert {
        obj["metadata"]["namespace"] for obj in rendered if obj is not namespace
    } == {namespace["metadata"]["name"]}


def test_the_pods_listen_on_gunicorns_port_and_probe_it(rendered, monkeypatch):
    port = int(gunicorn_config(monkeypatch)["bind"].rsplit(":", 1)[1])
    container = web_container(rendered)
    (declared,) = (p for p in container["ports"] if p["name"] == "http")
    assert declared["containerPort"] == port
    assert probe_ports(container) == {declared["name"]}
    service = find(rendered, "Service", "web")
    assert {p["targetPort"] for p in service["spec"]["ports"]} == {declared["name"]}


@pytest.mark.django_db
def test_liveness_ignores_the_data_directory_and_readiness_does_not(
    rendered, client, settings, tmp_path
):
    """A probe path that no longer answered, or a liveness probe that failed
    with the data volume, would restart healthy pods."""
    settings.DATA_DIR = tmp_path / "missing"
    container = web_container(rendered)
    for probe in ("startupProbe", "livenessProbe"):
        assert client.get(container[probe]["httpGet"]["path"]).status_code == 200
    assert client.get(container["readinessProbe"]["httpGet"]["path"]).status_code == 503
    settings.DATA_DIR = tmp_path
    assert client.get(container["readinessProbe"]["httpGet"]["path"]).status_code == 200


def test_the_grace_period_covers_prestop_and_gunicorns_graceful_timeout(
    rendered, monkeypatch
):
    graceful = gunicorn_config(monkeypatch)["graceful_timeout"]
    pod = web(rendered)["spec"]["template"]["spec"]
    pre_stop = web_container(rendered)["lifecycle"]["preStop"]["sleep"]["seconds"]
    assert pre_stop + graceful < pod["terminationGracePeriodSeconds"]


def test_the_app_is_given_only_documented_variables(rendered):
    config_maps = {
        o["metadata"]["name"]: o for o in rendered if o["kind"] == "ConfigMap"
    }
    documented = documented_variables()
    for container in app_containers(rendered):
        names = {variable["name"] for variable in container.get("env", [])}
        for source in container.get("envFrom", []):
            names |= config_maps[source["configMapRef"]["name"]]["data"].keys()
        assert names - documented == set()


def test_the_migrations_job_runs_a_module_of_the_app(rendered):
    (command,) = (
        c["command"] for c in app_containers(rendered) if c["name"] == "migrate"
    )
    assert command[:2] == ["python", "-m"]
    assert (ROOT / Path(*command[2].split("."))).with_suffix(".py").is_file()


def test_workers_follow_the_cpu_limit_and_memory_covers_the_measured_figure(
    rendered,
):
    """The benchmark's "Memory, after load" was measured with as many workers
    as the CPU limit gives each pod here."""
    container = web_container(rendered)
    (concurrency,) = (v for v in container["env"] if v["name"] == "WEB_CONCURRENCY")
    assert concurrency["valueFrom"]["resourceFieldRef"]["resource"] == "limits.cpu"
    resources = container["resources"]
    workers = math.ceil(quantity(resources["limits"]["cpu"]))
    for measured in published.benchmarks().variants.values():
        after_load = measured.memory.after_load
        roles = [process.role for process in after_load.processes]
        assert roles.count("worker") == workers
        assert quantity(resources["requests"]["memory"]) > after_load.container_mb * 1e6
        assert quantity(resources["limits"]["memory"]) > quantity(
            resources["requests"]["memory"]
        )


def test_the_ingress_serves_only_allowed_hosts(rendered):
    (settings,) = (o for o in rendered if o["kind"] == "ConfigMap")
    allowed = settings["data"]["DJANGO_ALLOWED_HOSTS"].split(",")
    ingress = find(rendered, "Ingress", "web")
    assert {rule["host"] for rule in ingress["spec"]["rules"]} <= set(allowed)


def test_the_ingress_serves_every_host_over_tls_from_cert_manager(rendered):
    ingress = find(rendered, "Ingress", "web")
    hosts = {rule["host"] for rule in ingress["spec"]["rules"]}
    (tls,) = ingress["spec"]["tls"]
    assert set(tls["hosts"]) == hosts
    assert tls["secretName"]
    # cert-manager's ingress-shim issues for an Ingress with this annotation.
    assert ingress["metadata"]["annotations"]["cert-manager.io/cluster-issuer"]


def test_all_replicas_read_one_key_from_the_secret(rendered):
    container = web_container(rendered)
    (key_file,) = (
        v["value"] for v in container["env"] if v["name"] == "DJANGO_SECRET_KEY_FILE"
    )
    mounts = container["volumeMounts"]
    (mount,) = (m for m in mounts if key_file.startswith(m["mountPath"] + "/"))
    volumes = web(rendered)["spec"]["template"]["spec"]["volumes"]
    (volume,) = (v for v in volumes if v["name"] == mount["name"])
    secret = find(rendered, "Secret", volume["secret"]["secretName"])
    assert Path(key_file).name in secret["data"]


@pytest.mark.parametrize("overlay", VARIANTS)
def test_the_deployable_overlays_carry_no_secret_value(overlay):
    """Empty, so that the app refuses to start until the user's own overlay
    gives the real values."""
    for obj in render(overlay):
        if obj["kind"] == "Secret":
            assert {base64.b64decode(v) for v in obj["data"].values()} == {b""}


def test_every_pod_is_behind_a_default_deny_policy(rendered):
    policies = [o for o in rendered if o["kind"] == "NetworkPolicy"]
    assert any(
        p["spec"]["podSelector"] == {}
        and p["spec"]["policyTypes"] == ["Ingress"]
        and not p["spec"].get("ingress")
        for p in policies
    )


def test_the_web_pods_admit_only_the_ingress_controllers_namespace(rendered):
    policies = [
        p
        for p in rendered
        if p["kind"] == "NetworkPolicy"
        and p["spec"]["podSelector"]
        .get("matchLabels", {})
        .get("app.kubernetes.io/component")
        == "web"
    ]
    # The app's port; the metrics port has a policy of its own (below).
    peers = [
        peer
        for p in policies
        for rule in p["spec"]["ingress"]
        if {port["port"] for port in rule["ports"]} == {"http"}
        for peer in rule["from"]
    ]
    assert peers
    assert all(peer.keys() == {"namespaceSelector"} for peer in peers)
    assert all(
        {port["port"] for port in rule["ports"]} <= {"http", "metrics"}
        for p in policies
        for rule in p["spec"]["ingress"]
    )


def test_the_database_admits_only_the_apps_pods():
    objects = render("postgres")
    app_components = {
        obj["spec"]["template"]["metadata"]["labels"]["app.kubernetes.io/component"]
        for obj in objects
        if any(
            c["image"].split(":")[0] == COMPOSE_IMAGE
            for c in obj.get("spec", {})
            .get("template", {})
            .get("spec", {})
            .get("containers", [])
        )
    }
    (policy,) = (
        p
        for p in objects
        if p["kind"] == "NetworkPolicy"
        and p["spec"]["podSelector"]
        .get("matchLabels", {})
        .get("app.kubernetes.io/component")
        == "database"
    )
    (rule,) = policy["spec"]["ingress"]
    (peer,) = rule["from"]
    (expression,) = peer["podSelector"]["matchExpressions"]
    assert expression["key"] == "app.kubernetes.io/component"
    assert expression["operator"] == "In"
    assert app_components == {"web", "migrate"}
    # And the pods that dump it.
    backup = find(objects, "CronJob", "postgres-backup")
    dumper = backup["spec"]["jobTemplate"]["spec"]["template"]["metadata"]["labels"]
    assert set(expression["values"]) == {
        *app_components,
        dumper["app.kubernetes.io/component"],
    }


def test_the_try_out_database_is_dumped_by_the_image_the_stacks_pin():
    backup = find(render("postgres"), "CronJob", "postgres-backup")
    (dumper,) = containers(backup["spec"]["jobTemplate"]["spec"]["template"]["spec"])
    assert dumper["image"] == contract.pinned_service_images()["POSTGRES_IMAGE"]
    assert "pg_dump --format=custom" in dumper["command"][-1]


def test_the_try_out_database_runs_the_image_the_stacks_pin():
    (database,) = (o for o in render("postgres") if o["kind"] == "StatefulSet")
    (server,) = containers(database["spec"]["template"]["spec"])
    assert server["image"] == contract.pinned_service_images()["POSTGRES_IMAGE"]


def metrics_port_of_the_images():
    """METRICS_PORT as both Dockerfiles declare it (one value)."""
    found = {
        int(re.search(r"\bMETRICS_PORT=(\d+)", variant.dockerfile.read_text())[1])
        for variant in contract.variants().values()
    }
    (port,) = found
    return port


def test_the_pods_offer_the_images_metrics_port_to_prometheus_alone(rendered):
    port = metrics_port_of_the_images()
    container = web_container(rendered)
    (metrics,) = (p for p in container["ports"] if p["containerPort"] == port)
    annotations = web(rendered)["spec"]["template"]["metadata"]["annotations"]
    assert annotations["prometheus.io/port"] == str(port)
    assert annotations["prometheus.io/scrape"] == "true"
    service = find(rendered, "Service", "web")
    assert metrics["name"] not in {p["targetPort"] for p in service["spec"]["ports"]}
    allowed = [
        rule
        for policy in rendered
        if policy["kind"] == "NetworkPolicy"
        for rule in policy["spec"].get("ingress", [])
        if any(p["port"] == metrics["name"] for p in rule.get("ports", []))
    ]
    assert [peer["namespaceSelector"] for r in allowed for peer in r["from"]] == [
        {"matchLabels": {"kubernetes.io/metadata.name": "monitoring"}}
    ]
