"""The container toolkit's pure parts: the image contract, compose's hardening,
build output and gunicorn's processes, read without a Docker engine.

The container suite (`make containers`) runs the rest against real images.
"""

import re

import pytest

from containers import ROOT, compose, contract, images, processes
from containers.__main__ import base_images


def test_it_reads_every_variant_with_its_dockerfile_and_traits():
    variants = contract.variants()
    assert variants
    for variant in variants.values():
        assert variant.dockerfile.is_file()
        assert isinstance(variant.traits["shell"], bool)


def test_it_finds_each_base_argument_pinned_in_the_dockerfile():
    for variant in contract.variants().values():
        pinned = variant.pinned()
        assert sorted(pinned) == sorted(variant.base_arguments)
        assert all(":" in reference for reference in pinned.values())


def test_it_takes_a_base_image_from_the_environment_first(monkeypatch):
    variant = next(iter(contract.variants().values()))
    argument = variant.base_arguments[-1]
    monkeypatch.setenv(argument, "mirror.example/python:3")
    assert variant.base_images()[argument] == "mirror.example/python:3"


def test_it_lists_the_pinned_base_and_service_images_as_plain_tags():
    lines = base_images()
    assert not any("@" in line for line in lines)
    names = [line.split()[0] for line in lines]
    arguments = [a for v in contract.variants().values() for a in v.base_arguments]
    assert sorted(names) == sorted({*arguments, *contract.pinned_service_images()})
    assert "POSTGRES_IMAGE" in names


def test_it_refuses_a_service_image_pinned_twice_differently(tmp_path):
    stacks = (tmp_path / "a.yaml", tmp_path / "b.yaml")
    for stack, tag in zip(stacks, ("17", "18"), strict=True):
        stack.write_text(f"image: ${{POSTGRES_IMAGE:-postgres:{tag}}}\n")
    with pytest.raises(ValueError, match=r"b\.yaml pins POSTGRES_IMAGE"):
        contract.pinned_service_images(stacks)


def test_it_refuses_a_variant_without_traits(tmp_path, monkeypatch):
    declared = tmp_path / "variants.yaml"
    declared.write_text("services:\n  bare:\n    build: {context: ., dockerfile: x}\n")
    monkeypatch.setattr(contract, "VARIANTS_FILE", declared)
    contract.variants.cache_clear()
    try:
        with pytest.raises(ValueError, match="bare declares no x-traits"):
            contract.variants()
    finally:
        contract.variants.cache_clear()


def test_it_runs_containers_with_composes_hardening():
    web = {
        "read_only": True,
        "tmpfs": ["/tmp"],
        "cap_drop": ["ALL"],
        "security_opt": ["no-new-privileges:true"],
        "init": True,
    }
    assert compose.hardening(web) == [
        "--read-only",
        "--tmpfs=/tmp",
        "--cap-drop=ALL",
        "--security-opt=no-new-privileges:true",
        "--init",
    ]


def test_it_takes_the_image_id_from_the_build_output():
    image = "sha256:" + "ab" * 32
    output = f"#20 exporting layers done\n#20 writing image {image} done\n"
    assert images.built_image(output) == image


def test_it_tells_gunicorn_workers_from_the_init_process():
    gunicorn = ["python", "-m", "gunicorn", "--config", "/app/docker/gunicorn.conf.py"]
    found = [
        {"pid": 1, "ppid": 0, "argv": ["/sbin/docker-init", "--", *gunicorn]},
        {"pid": 7, "ppid": 1, "argv": gunicorn},
        {"pid": 8, "ppid": 7, "argv": gunicorn},
        {"pid": 9, "ppid": 7, "argv": gunicorn},
        {"pid": 24, "ppid": 0, "argv": ["python", "/app/docker/healthcheck.py"]},
    ]
    assert [p["role"] for p in processes.roles(found)] == [
        "other",
        "master",
        "worker",
        "worker",
        "other",
    ]


def test_it_keeps_the_tools_free_of_imports_from_the_tests():
    tools = [*ROOT.glob("containers/**/*.py"), *ROOT.glob("benchmarks/*.py")]
    tools += ROOT.glob("reports/*.py")
    importing = [
        path.relative_to(ROOT)
        for path in tools
        if re.search(r"^(from|import) tests\b", path.read_text(), flags=re.M)
    ]
    assert importing == []
