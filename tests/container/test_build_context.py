"""The .dockerignore allow-list: what `docker build` sends, and nothing else."""

from containers.images import build_context_image, filesystem

# What the Dockerfiles COPY: everything the build context may hold.
EXPECTED_TOP_LEVEL = {"apps", "docker", "manage.py", "project", "requirements"}


def build_context_files():
    """The files of the build context, as the engine receives them."""
    with build_context_image() as image:
        return [
            path.removeprefix("context/")
            for path, member in filesystem(image).items()
            if member.isfile() and path.startswith("context/")
        ]


def test_it_sends_only_what_the_images_need(engine):
    files = build_context_files()
    assert {path.split("/")[0] for path in files} == EXPECTED_TOP_LEVEL
    assert "project/settings.py" in files
    assert "requirements/base.txt" in files
    assert "requirements/dev.txt" not in files
    unwanted = ("/tests/", "__pycache__", ".pyc", "db.sqlite3")
    assert [path for path in files if any(part in path for part in unwanted)] == []
    secrets = ("secret_key", ".secret", ".env")
    assert [path for path in files if path.endswith(secrets)] == []
