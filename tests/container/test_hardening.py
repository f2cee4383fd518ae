"""How each image runs: its user, what it may write, what it carries."""

import json

from tests.container.stack import inspect, request, run, wait_healthy
from tests.serving import free_port

APP_UID = 65532

# Real and effective UIDs of every process in the container, gunicorn's too.
PROCESS_UIDS = """
import json, os
uids = set()
for pid in filter(str.isdigit, os.listdir("/proc")):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("Uid:"):
                uids.update(int(uid) for uid in line.split()[1:3])
print(json.dumps(sorted(uids)))
"""

SHELLS_AND_PACKAGE_MANAGERS = """
import json, os, shutil
path = "/bin:/usr/bin:/sbin:/usr/sbin:/usr/local/bin:/busybox"
names = ["sh", "bash", "ash", "dash", "busybox", "apt", "apt-get", "dpkg", "apk"]
print(json.dumps(sorted(n for n in names if shutil.which(n, path=path))))
"""

WRITABLE = """
import json, os
result = {}
places = ("/", "/app", "/app/project", "/opt/venv", "/etc", "/usr", "/data", "/tmp")
for directory in places:
    path = os.path.join(directory, "probe-write")
    try:
        with open(path, "w") as file:
            file.write("x")
        os.unlink(path)
        result[directory] = True
    except OSError:
        result[directory] = False
print(json.dumps(result))
"""


def test_it_runs_as_the_shared_non_root_user(stack):
    container = stack.container()
    assert inspect(container, "{{.Config.User}}") == f"{APP_UID}:{APP_UID}"
    assert json.loads(stack.python(PROCESS_UIDS).stdout) == [APP_UID]


def test_it_can_write_only_to_data_and_tmp(stack):
    writable = json.loads(stack.python(WRITABLE).stdout)
    assert {path for path, ok in writable.items() if ok} == {"/data", "/tmp"}


def test_it_runs_read_only_without_capabilities_and_with_an_init(stack):
    host = json.loads(inspect(stack.container(), "{{json .HostConfig}}"))
    assert host["ReadonlyRootfs"] is True
    assert host["CapDrop"] == ["ALL"]
    assert "no-new-privileges:true" in host["SecurityOpt"]
    assert host["Init"] is True


def test_it_has_no_pip_in_the_image(stack):
    for python in ("python", "/usr/bin/python3", "/usr/local/bin/python3"):
        result = stack.exec(python, "-c", "import pip", check=False)
        assert result.returncode != 0


def test_it_declares_its_healthcheck_and_command_in_exec_form(stack):
    config = json.loads(inspect(stack.image(), "{{json .Config}}"))
    assert config["Healthcheck"]["Test"][0] == "CMD"
    assert config["Cmd"][0] == "python"
    assert config.get("Entrypoint") in (None, [])
    labels = config["Labels"]
    assert labels["org.opencontainers.image.title"] == "moscow-clock"
    assert "org.opencontainers.image.source" in labels


def test_it_has_no_shell_or_package_manager_only_when_distroless(stack):
    found = json.loads(stack.python(SHELLS_AND_PACKAGE_MANAGERS).stdout)
    shell = run(
        *("docker", "run", "--rm", "--entrypoint", "/bin/sh", stack.image()),
        *("-c", "true"),
        check=False,
    )
    if stack.variant == "distroless":
        assert found == []
        assert shell.returncode != 0
    else:
        assert "sh" in found
        assert shell.returncode == 0


def test_it_serves_under_an_arbitrary_uid_in_group_zero(stack):
    port = free_port()
    name = f"{stack.project}-anyuid"
    run(
        *("docker", "run", "--detach", "--name", name, "--user", "12345:0"),
        *("--read-only", "--tmpfs", "/tmp", "--cap-drop", "ALL"),
        # An anonymous volume starts as the image's /data: group 0 may write.
        *("--volume", "/data"),
        *("--publish", f"127.0.0.1:{port}:8000", stack.image()),
    )
    try:
        wait_healthy(name)
        assert request(f"http://127.0.0.1:{port}/").status == 200
    finally:
        run("docker", "rm", "--force", "--volumes", name, check=False)
