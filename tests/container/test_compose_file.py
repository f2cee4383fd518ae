"""compose.yaml's variant switch, read by compose itself."""

import yaml

from containers import contract
from containers.compose import ComposeProject


def test_it_builds_each_variant_under_its_own_tag(engine):
    tags = {ComposeProject(variant).image() for variant in contract.variants()}
    assert len(tags) == len(contract.variants())


def test_it_stops_on_an_unknown_variant_with_a_clear_message(engine):
    result = ComposeProject("no-such-variant").compose("config", check=False)
    assert result.returncode != 0
    assert 'service "no-such-variant" not found in docker/variants.yaml' in (
        result.stderr
    )


def test_the_stacks_reach_the_port_the_image_declares(web, image):
    """compose.yaml publishes, and the swarm stack's proxy forwards to, the
    PORT the image sets: neither may drift from it."""
    (published,) = web["ports"]
    assert published["target"] == image.port
    stack = yaml.safe_load(contract.SWARM_STACK.read_text(encoding="utf-8"))
    upstream = stack["services"]["proxy"]["environment"]["APP_UPSTREAM"]
    assert upstream.rpartition(":")[2] == str(image.port)
