"""How each image runs: its user, what it may write, what it carries."""

from containers import compose, contract
from containers.commands import CommandFailed
from containers.compose import ComposeProject
from containers.container import Container
from containers.processes import processes
from stack import facts


def test_it_runs_as_the_shared_non_root_user(stack, image):
    container = stack.container()
    assert container.inspect()["Config"]["User"] == f"{image.uid}:{image.gid}"
    assert image.uid == image.gid != 0
    assert {uid for p in processes(container) for uid in p["uids"]} == {image.uid}
    # One data volume serves every variant: each image runs as the same user.
    for name in contract.variants():
        other = ComposeProject(name)
        other.compose("build", "web")
        assert contract.image(other.image()).user == image.user


def test_it_can_write_only_to_data_and_tmp(stack, web, image):
    writable = stack.container().probe("writable")
    expected = {image.data_dir, *web["tmpfs"]}
    assert {path for path, ok in writable.items() if ok} == expected


def test_it_runs_read_only_without_capabilities_and_with_an_init(stack):
    host = stack.container().inspect()["HostConfig"]
    assert host["ReadonlyRootfs"] is True
    assert host["CapDrop"] == ["ALL"]
    assert "no-new-privileges:true" in host["SecurityOpt"]
    assert host["Init"] is True


def test_it_has_no_pip_in_the_image(stack):
    for python in ("python", "/usr/bin/python3", "/usr/local/bin/python3"):
        result = stack.container().exec(python, "-c", "import pip", check=False)
        assert result.returncode != 0


def test_it_declares_its_healthcheck_and_command_in_exec_form(image):
    assert image.config["Healthcheck"]["Test"][0] == "CMD"
    assert image.config["Cmd"][0] == "python"
    assert image.config.get("Entrypoint") in (None, [])
    labels = image.config["Labels"]
    assert labels["org.opencontainers.image.title"] == facts.fact("PROJECT_NAME")
    # No source label unless a build names one.
    assert "org.opencontainers.image.source" not in labels


def shell_status(image):
    """`/bin/sh -c true` run in the image: its exit status, None if it cannot start."""
    try:
        with Container.start(
            image, "--entrypoint=/bin/sh", command=("-c", "true")
        ) as sh:
            return sh.wait_exit()
    except CommandFailed:
        return None


def test_it_has_a_shell_and_package_manager_only_where_its_variant_declares_one(
    stack, variant
):
    found = stack.container().probe("tools_on_path")
    shell = shell_status(stack.image())
    if variant.traits["shell"]:
        assert "sh" in found
        assert shell == 0
    else:
        assert found == []
        assert shell is None


def test_it_serves_under_an_arbitrary_uid_in_group_zero(web, image):
    # An anonymous volume starts as the image's data folder: group 0 may write.
    options = ("--user", "12345:0", f"--volume={image.data_dir}")
    with compose.start_app(web, *options) as app:
        app.wait_healthy()
        assert app.get("/").status == 200
