"""The check of the host's programs (`python -m containers host-tools`) and the
benchmarks' own, run against a PATH made for each test."""

import subprocess
import sys

import pytest

from containers import ROOT, host


def program(folder, name):
    """An executable named `name` in folder, which is all `which` looks for."""
    path = folder / name
    path.write_text("#!/bin/sh\nexit 0\n")
    path.chmod(0o755)


def run_module(module, args, path):
    return subprocess.run(
        [sys.executable, "-m", module, *args],
        cwd=ROOT,
        env={"PATH": str(path)},
        capture_output=True,
        text=True,
    )


@pytest.fixture
def bin_dir(tmp_path):
    folder = tmp_path / "bin"
    folder.mkdir()
    return folder


def test_it_passes_when_every_program_is_on_path(bin_dir):
    for name in host.TOOLS:
        program(bin_dir, name)
    result = run_module("containers", ["host-tools"], bin_dir)
    assert result.returncode == 0, result.stderr
    assert all(name in result.stdout for name in host.TOOLS)


def test_it_fails_naming_each_missing_program_and_where_it_comes_from(bin_dir):
    for name in set(host.TOOLS) - {"wrk", "kubectl"}:
        program(bin_dir, name)
    result = run_module("containers", ["host-tools"], bin_dir)
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert "wrk (" in line and "Debian package wrk" in line
    assert "kubectl (" in line
    assert "docker (" not in line


def test_the_benchmarks_stop_in_one_line_without_wrk(bin_dir):
    program(bin_dir, "docker")
    result = run_module("benchmarks", ["--quick"], bin_dir)
    assert result.returncode == 1
    assert result.stdout == ""
    (line,) = result.stderr.splitlines()
    assert line.startswith("python -m benchmarks: missing on PATH: wrk (")
