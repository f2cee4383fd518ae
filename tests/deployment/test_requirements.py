"""The pinned requirements stay what Renovate can update."""

import shlex

import pytest

from containers import ROOT

REQUIREMENTS = ROOT / "requirements"


@pytest.mark.parametrize("name", sorted(p.name for p in REQUIREMENTS.glob("*.txt")))
def test_it_records_a_compile_command_renovate_can_replay(name):
    """Renovate's pip-compile manager re-runs the command in the header, and
    takes only `--option=value` forms and an --output-file that names the file."""
    header = (REQUIREMENTS / name).read_text(encoding="utf-8").splitlines()[1]
    command = shlex.split(header.removeprefix("#"))
    assert command[:3] == ["uv", "pip", "compile"]
    options = [word for word in command[3:] if word.startswith("-")]
    sources = [word for word in command[3:] if not word.startswith("-")]
    assert [option for option in options if not option.startswith("--")] == []
    assert f"--output-file={name}" in options
    assert "--python-version" not in options
    assert sources
    assert [source for source in sources if not (REQUIREMENTS / source).is_file()] == []
