"""The variables the app reads, DOCKER.md's tables of them and the app service's
pass-through list: one set of names, held together here."""

import re

import yaml

from containers import ROOT

# The env_* helpers of stack/env.py, called with the variable's name first.
READ = re.compile(r"\benv_[a-z]+\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']")


def documented_tables():
    """The variable names of each table in DOCKER.md's "Environment" section."""
    text = (ROOT / "DOCKER.md").read_text(encoding="utf-8")
    section = text.split("\n## Environment\n", 1)[1].split("\n## ", 1)[0]
    tables, rows = [], []
    for line in [*section.splitlines(), ""]:
        if line.startswith("|"):
            rows.append(line)
        elif rows:
            first_cells = [row.split("|")[1] for row in rows[2:]]
            tables.append(
                {n for cell in first_cells for n in re.findall(r"`(\w+)`", cell)}
            )
            rows = []
    return tables


def read_by_the_app():
    sources = [ROOT / "stack" / "settings.py", ROOT / "docker" / "gunicorn.conf.py"]
    return {name for path in sources for name in READ.findall(path.read_text())}


def passed_by_compose():
    compose = yaml.safe_load(
        (ROOT / "docker" / "compose" / "app.yaml").read_text(encoding="utf-8")
    )
    return set(compose["services"]["web"]["environment"])


def test_it_passes_through_exactly_the_variables_documented_for_the_app():
    app, _, _ = documented_tables()
    assert passed_by_compose() == app


def test_it_documents_every_variable_the_app_reads():
    app, images, _ = documented_tables()
    assert read_by_the_app() - (app | images) == set()


def test_it_leaves_the_variables_the_images_set_to_the_images():
    _, images, _ = documented_tables()
    assert images
    assert passed_by_compose() & images == set()


def test_it_finds_the_variables_it_compares():
    # A parser that found nothing would make the tests above pass vacuously.
    assert {"DJANGO_DEBUG", "PORT", "WEB_CONCURRENCY"} <= read_by_the_app()
    assert "GUNICORN_CMD_ARGS" in documented_tables()[0]
