"""Django projects that nobody here wrote, made as their teams make them, and
the stack applied to them from this checkout as README.md says: `copier
copy`, then the requirements compiled with the stack's own, pinned with
hashes.

`startproject()` is `django-admin startproject` and `startapp` with a model,
a view, a template, a static file and an admin, on this machine's Django.
"""

import subprocess
import sys
import textwrap
from pathlib import Path

from containers import ROOT
from containers.commands import clean_environment, run

# The app's static file, which the page links and the test fetches: long
# enough that compressing it pays.
STYLESHEET = "".join(
    f".note-{n} {{ margin: {n}px; font-family: sans-serif; }}\n" for n in range(40)
)
# What the project's own page says, with the number of its notes.
PAGE = "Notes kept: {count}"
BIN = Path(sys.executable).parent


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def edit(path, old, new):
    """A team's edit of a generated file: `old` must be there."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} has no {old!r}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def python(directory, *args):
    """This interpreter in the project's directory, on its own settings."""
    env = clean_environment()
    env.pop("DJANGO_SETTINGS_MODULE")
    return run(sys.executable, *args, cwd=directory, env=env)


def startproject(directory):
    """`startproject mysite` and `startapp notes`, as Django's tutorial goes."""
    directory.mkdir()
    python(directory, "-m", "django", "startproject", "mysite", ".")
    python(directory, "manage.py", "startapp", "notes")
    write(
        directory / "notes" / "models.py",
        """
        from django.db import models


        class Note(models.Model):
            text = models.CharField(max_length=200)
        """,
    )
    write(
        directory / "notes" / "admin.py",
        """
        from django.contrib import admin

        from .models import Note

        admin.site.register(Note)
        """,
    )
    write(
        directory / "notes" / "views.py",
        """
        from django.shortcuts import render

        from .models import Note


        def index(request):
            return render(request, "notes/index.html", {"count": Note.objects.count()})
        """,
    )
    write(
        directory / "notes" / "urls.py",
        """
        from django.urls import path

        from . import views

        app_name = "notes"
        urlpatterns = [path("", views.index, name="index")]
        """,
    )
    write(
        directory / "notes" / "templates" / "notes" / "index.html",
        """
        {% load static %}<!doctype html>
        <link rel="stylesheet" href="{% static 'notes/site.css' %}">
        <p>"""
        + PAGE.format(count="{{ count }}")
        + """</p>
        """,
    )
    write(directory / "notes" / "static" / "notes" / "site.css", STYLESHEET)
    edit(
        directory / "mysite" / "settings.py",
        "'django.contrib.staticfiles',\n",
        "'django.contrib.staticfiles',\n    'notes',\n",
    )
    edit(
        directory / "mysite" / "urls.py",
        "from django.urls import path\n",
        "from django.urls import include, path\n",
    )
    edit(
        directory / "mysite" / "urls.py",
        "    path('admin/', admin.site.urls),\n",
        "    path('admin/', admin.site.urls),\n    path('', include('notes.urls')),\n",
    )
    python(directory, "manage.py", "makemigrations", "notes")
    write(directory / "requirements.in", "django\n")
    git(directory, "init", "--quiet")
    commit(directory, "A Django project")
    return directory


def git(directory, *args):
    return run("git", *args, cwd=directory)


def commit(directory, message):
    git(directory, "add", "--all")
    git(
        directory,
        *("-c", "user.name=A team", "-c", "user.email=team@example.com"),
        *("commit", "--quiet", "--message", message),
    )


def apply_stack(directory, *answers):
    """`copier copy` from this checkout, then the requirements compiled with
    the stack's own; `answers` are copier's `--data NAME=VALUE`."""
    run(
        *(sys.executable, "-m", "copier", "copy", "--defaults", "--vcs-ref=HEAD"),
        *(f"--data={answer}" for answer in answers),
        *(str(ROOT), str(directory)),
        timeout=120,
    )
    compile_requirements(directory)
    return directory


def compile_requirements(directory, sources=("requirements.in",)):
    """The command README.md gives, with uv."""
    run(
        *(str(BIN / "uv"), "pip", "compile", "--quiet", "--generate-hashes"),
        *("--universal", "--python-version=3.13"),
        *sources,
        "stack/requirements.in",
        *("--output-file", "requirements.txt"),
        cwd=directory,
        timeout=300,
    )


def tree(directory):
    """The project's files, as git sees them (tracked or not, not ignored)."""
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=directory,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(listed.split())
