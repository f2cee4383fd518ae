"""deploy/swarm/deploy.py, the swarm stack's deploy: one env file holds every
setting, a misspelt name or a malformed line is refused in one line, and a
front subnet another network overlaps is found before anything is deployed.
(The swarm suite deploys with it, and meets a taken subnet for real.)"""

import runpy
import subprocess
import sys

import pytest

from containers.contract import SWARM_STACK

DEPLOY = SWARM_STACK.with_name("deploy.py")
deploy = runpy.run_path(str(DEPLOY))


def refused(env_file):
    """deploy.py run on `env_file`: refused before it asks the engine anything."""
    result = subprocess.run(
        [sys.executable, str(DEPLOY), str(env_file), "clock"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1, result.stderr
    return result.stderr


def test_it_knows_every_variable_of_the_stack_file_and_its_default():
    known = deploy["stack_variables"](SWARM_STACK.read_text(encoding="utf-8"))
    assert known["FRONT_SUBNET"] == "10.213.64.0/24"
    assert {"APP_IMAGE", "APP_TAG", "DATABASE_USER", "HTTP_PORT"} <= set(known)


def test_it_reads_an_env_file_as_docker_does(tmp_path):
    env_file = tmp_path / "clock.env"
    env_file.write_text(
        "# the site\nAPP_TAG=1.4-alpine\n\nDJANGO_ALLOWED_HOSTS=a,b=c\n"
    )
    assert deploy["read_env_file"](env_file) == {
        "APP_TAG": "1.4-alpine",
        "DJANGO_ALLOWED_HOSTS": "a,b=c",
    }


def test_it_refuses_a_misspelt_variable(tmp_path):
    (tmp_path / "clock.env").write_text("APP_TGA=1.4-alpine\n")
    said = refused(tmp_path / "clock.env")
    assert "APP_TGA" in said
    assert "does not use" in said


def test_it_refuses_a_line_that_is_not_a_setting(tmp_path):
    (tmp_path / "clock.env").write_text("APP_TAG=1\nexport HTTP_PORT 80\n")
    assert "clock.env:2:" in refused(tmp_path / "clock.env")


def test_it_refuses_a_subnet_that_is_not_one(tmp_path):
    (tmp_path / "clock.env").write_text("FRONT_SUBNET=10.213.64/33\n")
    assert "is not a subnet" in refused(tmp_path / "clock.env")


def test_it_refuses_an_env_file_it_cannot_read(tmp_path):
    assert "cannot be read" in refused(tmp_path / "missing.env")


IN_USE = {
    "bridge": ["172.17.0.0/16"],
    "ingress": ["10.0.0.0/24"],
    "clock_front": ["10.213.64.0/24"],
    "none": [],
}


@pytest.mark.parametrize(
    ("subnet", "own", "holder"),
    [
        ("10.213.64.0/24", "clock_front", None),
        ("10.213.64.0/24", "shop_front", "clock_front (10.213.64.0/24)"),
        ("10.213.0.0/16", "shop_front", "clock_front (10.213.64.0/24)"),
        ("172.17.5.0/24", "shop_front", "bridge (172.17.0.0/16)"),
        ("10.213.65.0/24", "shop_front", None),
    ],
)
def test_it_finds_the_network_that_holds_a_subnet(subnet, own, holder):
    assert deploy["holder"](subnet, IN_USE, own) == holder
