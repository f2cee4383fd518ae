"""What `docker build` sends, as the engine receives it: the project's source,
less what .dockerignore keeps out."""

import shutil
import subprocess

import pytest

from containers import ROOT
from containers.images import build_context_image, filesystem

# The Moscow clock's source, the stack's Python and the pins the images install.
EXPECTED_TOP_LEVEL = {
    "LICENSE",
    "apps",
    "docker",
    "manage.py",
    "project",
    "pyproject.toml",
    "requirements",
    "stack",
    "stack.env",
}


def build_context_files():
    """The files of the build context, as the engine receives them."""
    with build_context_image() as image:
        return [
            path.removeprefix("context/")
            for path, member in filesystem(image).items()
            if member.isfile() and path.startswith("context/")
        ]


def git_ignored(paths):
    """Which of the checkout's paths git ignores, by git's own reading."""
    git = shutil.which("git")
    if git is None:
        pytest.fail("git is needed to read .gitignore as git does")
    result = subprocess.run(
        [git, "check-ignore", "--no-index", "--stdin"],
        cwd=ROOT,
        input="\n".join(paths),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: nothing ignored
    return result.stdout.splitlines()


def test_it_sends_the_source_and_nothing_else(engine):
    files = build_context_files()
    assert {path.split("/")[0] for path in files} == EXPECTED_TOP_LEVEL
    needed = {"project/settings.py", "stack/settings.py", "requirements/base.txt"}
    assert needed <= set(files)
    unwanted = ("/tests/", "conftest.py", ".md", "Dockerfile", "compose")
    assert [path for path in files if any(part in path for part in unwanted)] == []


def test_it_keeps_what_git_ignores_out(engine):
    # The checkout holds .venv, caches and __pycache__ folders by now: local
    # state that git ignores, and that no image may carry.
    assert git_ignored(build_context_files()) == []
