"""The copier template (copier.yml, template/): what `copier copy` gives a
project, applied from this checkout to one made by `startproject`."""

import re

import pytest

from containers import ROOT
from stack import facts
from tests import adopted

# The clock's answers, as its own stack.env records them.
CLOCK_ANSWERS = {
    "project_name": "moscow-clock",
    "database": "clock",
    "requirements": "requirements/base.txt",
    "django_settings": "",
}


@pytest.fixture(scope="module")
def project(tmp_path_factory):
    directory = tmp_path_factory.mktemp("template") / "mysite"
    adopted.copy_stack(adopted.startproject(directory))
    return directory


def test_it_gives_the_stack_and_the_projects_facts(project):
    files = adopted.tree(project)
    assert {
        "stack/settings.py",
        "stack/requirements.in",
        "docker/alpine.Dockerfile",
        "docker/distroless.Dockerfile",
        "compose.yaml",
        "deploy/swarm/stack.yaml",
        "deploy/kubernetes/base/kustomization.yaml",
        ".dockerignore",
        ".copier-answers.yml",
    } <= files
    assert facts.read(project / "stack.env") == {
        "PROJECT_NAME": "mysite",
        "PROJECT_DATABASE": "mysite",
        "PROJECT_REQUIREMENTS": "requirements.txt",
        "DJANGO_PROJECT_SETTINGS": "",
    }
    assert facts.project_settings(project / "stack.env", project / "manage.py") == (
        "mysite.settings"
    )


def test_it_gives_nothing_of_the_clock(project):
    files = adopted.tree(project)
    assert not {f for f in files if f.startswith(("apps/", "project/", "tests/"))}
    for path in files:
        text = (project / path).read_bytes()
        assert not re.search(rb"moscow|clock", text, flags=re.IGNORECASE), path


def test_the_stacks_files_arrive_byte_for_byte(project):
    given = {f for f in adopted.tree(project) if (ROOT / f).is_file()}
    assert given >= {"stack/settings.py", "docker/compose/app.yaml", "compose.yaml"}
    for path in given - {"stack.env", ".dockerignore", "manage.py"}:
        assert (project / path).read_bytes() == (ROOT / path).read_bytes(), path


def test_the_clocks_answers_render_the_clocks_facts(tmp_path):
    adopted.copy_stack(
        tmp_path, *(f"{name}={value}" for name, value in CLOCK_ANSWERS.items())
    )
    assert (tmp_path / "stack.env").read_bytes() == (ROOT / "stack.env").read_bytes()


def test_the_clocks_dockerignore_is_the_stacks_and_its_own_tooling(project):
    given = (project / ".dockerignore").read_text(encoding="utf-8")
    assert (ROOT / ".dockerignore").read_text(encoding="utf-8").startswith(given)


def test_a_bad_answer_is_refused_with_the_reason(tmp_path):
    result = adopted.copy_stack(tmp_path / "out", "project_name=My Site", check=False)
    assert result.returncode != 0
    assert "lower case letters, digits and hyphens" in result.stderr
    assert not (tmp_path / "out" / "stack.env").exists()


def test_a_file_of_the_projects_own_is_never_overwritten_unasked(tmp_path):
    own = b"# the team's own\n.git\n"
    (tmp_path / ".dockerignore").write_bytes(own)
    result = adopted.copy_stack(tmp_path, check=False)
    assert result.returncode != 0
    assert "conflict" in result.stderr and ".dockerignore" in result.stderr
    assert (tmp_path / ".dockerignore").read_bytes() == own


def release(template, version, edits):
    """A new version of the template: `edits` ({path: line appended}) to the
    stack's files, committed and tagged in the template's clone."""
    for path, line in edits.items():
        with (template / path).open("a", encoding="utf-8") as file:
            file.write(line)
    adopted.commit(template, f"Release {version}")
    adopted.git(template, "tag", version)


def test_an_update_merges_the_new_stack_and_keeps_the_teams_edits(tmp_path):
    template = tmp_path / "template"
    adopted.git(tmp_path, "clone", "--quiet", str(ROOT), str(template))
    adopted.git(template, "tag", "v1")
    project = adopted.startproject(tmp_path / "mysite")
    adopted.copy_stack(project, template=template, ref="v1")
    adopted.commit(project, "The container stack, v1")
    # The team's own work after adopting: a view of its own, a setting changed.
    adopted.edit(
        project / "notes" / "views.py",
        "def index(request):",
        "def about(request):\n    return render(request, 'notes/index.html')\n\n\n"
        "def index(request):",
    )
    adopted.edit(
        project / "mysite" / "settings.py",
        "TIME_ZONE = 'UTC'",
        "TIME_ZONE = 'Europe/Paris'",
    )
    # And a file the stack gave, edited where the next version does not.
    ours = "# The team's own.\nnode_modules/\n"
    with (project / ".dockerignore").open("a", encoding="utf-8") as file:
        file.write(ours)
    adopted.commit(project, "A view, a time zone, an ignored folder")
    team_files = {
        path: (project / path).read_bytes()
        for path in ("notes/views.py", "mysite/settings.py", "manage.py")
    }

    stack_edits = {
        "stack/settings.py": "# A line the next version adds.\n",
        "docker/compose/app.yaml": "# A line the next version adds.\n",
        "template/stack.env.jinja": "# A line the next version adds.\n",
    }
    adopted.edit(
        template / "template" / ".dockerignore.jinja",
        "# The images copy the project's source as it is",
        "# A line the next version changes: the images copy the source as it is",
    )
    release(template, "v2", stack_edits)
    result = adopted.copier("update", "--defaults", "--vcs-ref=v2", cwd=project)
    assert "conflict" not in result.stderr.lower(), result.stderr
    listed = adopted.tree(project)
    assert not [f for f in listed if f.endswith(".rej")]
    for path in listed:
        assert b"<<<<<<<" not in (project / path).read_bytes(), path
    for path in ("stack/settings.py", "docker/compose/app.yaml"):
        assert (project / path).read_bytes() == (template / path).read_bytes(), path
    facts_file = (project / "stack.env").read_text(encoding="utf-8")
    assert facts_file.endswith(stack_edits["template/stack.env.jinja"])
    assert "PROJECT_NAME=mysite\n" in facts_file
    for path, content in team_files.items():
        assert (project / path).read_bytes() == content, path
    ignored = (project / ".dockerignore").read_text(encoding="utf-8")
    assert ignored.startswith("# A line the next version changes")
    assert ignored.endswith(ours)
    assert "_commit: v2" in (project / ".copier-answers.yml").read_text()
