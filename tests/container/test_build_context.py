"""The .dockerignore allow-list: what `docker build` sends, and nothing else."""

import subprocess
import tarfile
import tempfile

from tests.container.stack import ROOT, run

# What the Dockerfiles COPY: everything the build context may hold.
EXPECTED_TOP_LEVEL = {"apps", "docker", "manage.py", "project", "requirements"}


def build_context_files(engine):
    """The files of the build context, as the engine receives them."""
    tag = "moscow-clock-build-context:test"
    subprocess.run(
        ["docker", "build", "--quiet", "--tag", tag, "--file", "-", "."],
        input="FROM scratch\nCOPY . /context/\n",
        cwd=ROOT,
        text=True,
        check=True,
        capture_output=True,
        timeout=120,
    )
    container = run("docker", "create", tag, "none").stdout.strip()
    try:
        with tempfile.TemporaryFile() as archive:
            subprocess.run(
                ["docker", "export", container], stdout=archive, check=True, timeout=60
            )
            archive.seek(0)
            with tarfile.open(fileobj=archive) as tar:
                return [
                    member.name.removeprefix("context/")
                    for member in tar.getmembers()
                    if member.isfile() and member.name.startswith("context/")
                ]
    finally:
        run("docker", "rm", container, check=False)
        run("docker", "rmi", tag, check=False)


def test_it_sends_only_what_the_images_need(engine):
    files = build_context_files(engine)
    assert {path.split("/")[0] for path in files} == EXPECTED_TOP_LEVEL
    assert "project/settings.py" in files
    assert "requirements/base.txt" in files
    assert "requirements/dev.txt" not in files
    unwanted = ("/tests/", "__pycache__", ".pyc", "db.sqlite3")
    assert [path for path in files if any(part in path for part in unwanted)] == []
    secrets = ("secret_key", ".secret", ".env")
    assert [path for path in files if path.endswith(secrets)] == []
