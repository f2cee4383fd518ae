"""compose.yaml's variant switch, read by compose itself."""

from containers import contract
from containers.compose import Stack


def test_it_builds_each_variant_under_its_own_tag(engine):
    tags = {Stack(variant).image() for variant in contract.variants()}
    assert len(tags) == len(contract.variants())


def test_it_stops_on_an_unknown_variant_with_a_clear_message(engine):
    result = Stack("no-such-variant").compose("config", check=False)
    assert result.returncode != 0
    assert 'service "no-such-variant" not found in docker/variants.yaml' in (
        result.stderr
    )
