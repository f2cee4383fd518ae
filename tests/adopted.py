"""Django projects that nobody here wrote, made as their teams make them, and
the stack applied to them from this checkout as README.md says: `copier
copy`, then the requirements compiled with the stack's own, pinned with
hashes.

`startproject()` is `django-admin startproject` and `startapp` with a model,
a view, a template, a static file and an admin, on this machine's Django;
`packaged()` is a settings package, apps in a folder and a pyproject.toml.
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
# Django's long-term support release, which the packaged project is on.
LTS = "5.2"
# The packaged project's page and script.
CATALOGUE = "Products: {count}"
SCRIPT = "".join(f"window.product{n} = {n} * 2;\n" for n in range(60))
BIN = Path(sys.executable).parent


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip(), encoding="utf-8")


def append(path, text):
    with path.open("a", encoding="utf-8") as file:
        file.write(textwrap.dedent(text))


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
            count = Note.objects.count()
            return render(request, "notes/index.html", {"count": count})
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


def copier(*args, check=True, cwd=ROOT):
    """copier, run by this interpreter with no terminal to ask on: what it
    would ask is an error."""
    return run(
        *(sys.executable, "-m", "copier", *args),
        input="",
        check=check,
        cwd=cwd,
        timeout=120,
    )


def copy_stack(directory, *answers, template=ROOT, ref="HEAD", check=True):
    """`copier copy` from this checkout (or `template` at `ref`), its
    defaults taken but for `answers` (NAME=VALUE); copier's result."""
    return copier(
        *("copy", "--defaults", f"--vcs-ref={ref}"),
        *(f"--data={answer}" for answer in answers),
        *(str(template), str(directory)),
        check=check,
    )


def apply_stack(directory, *answers, sources=("requirements.in",)):
    """The stack copied, then the project's requirements (`sources`)
    compiled with the stack's own."""
    copy_stack(directory, *answers)
    compile_requirements(directory, sources)
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


def packaged(directory):
    """A project laid out as larger teams lay theirs out: settings as a
    package (config/settings/base.py, production.py), its apps in a folder
    (shop/catalog), its dependencies in pyproject.toml, on Django's LTS, and a
    model that stores an uploaded file."""
    directory.mkdir()
    python(directory, "-m", "django", "startproject", "config", ".")
    settings = directory / "config" / "settings"
    settings.mkdir()
    (directory / "config" / "settings.py").rename(settings / "base.py")
    write(settings / "__init__.py", "")
    edit(
        settings / "base.py",
        "BASE_DIR = Path(__file__).resolve().parent.parent\n",
        "BASE_DIR = Path(__file__).resolve().parent.parent.parent\n",
    )
    edit(
        settings / "base.py",
        "'django.contrib.staticfiles',\n",
        "'django.contrib.staticfiles',\n    'shop.catalog',\n",
    )
    append(
        settings / "base.py",
        """
        DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
        MEDIA_URL = "uploads/"
        MEDIA_ROOT = BASE_DIR / "uploads"
        """,
    )
    write(
        settings / "production.py",
        """
        from .base import *  # noqa: F403

        DEBUG = False
        SESSION_COOKIE_AGE = 3600
        """,
    )
    edit(
        directory / "manage.py",
        "'config.settings'",
        "'config.settings.base'",
    )
    app = directory / "shop" / "catalog"
    app.mkdir(parents=True)
    write(directory / "shop" / "__init__.py", "")
    python(directory, "manage.py", "startapp", "catalog", str(app))
    edit(app / "apps.py", "name = 'catalog'", "name = 'shop.catalog'")
    write(
        app / "models.py",
        """
        from django.db import models


        class Product(models.Model):
            name = models.CharField(max_length=100)
            leaflet = models.FileField(upload_to="leaflets/")
        """,
    )
    write(
        app / "admin.py",
        """
        from django.contrib import admin

        from .models import Product

        admin.site.register(Product)
        """,
    )
    write(
        app / "views.py",
        """
        from django.shortcuts import render

        from .models import Product


        def index(request):
            count = Product.objects.count()
            return render(request, "catalog/index.html", {"count": count})
        """,
    )
    write(
        app / "urls.py",
        """
        from django.urls import path

        from . import views

        app_name = "catalog"
        urlpatterns = [path("", views.index, name="index")]
        """,
    )
    write(
        app / "templates" / "catalog" / "index.html",
        """
        {% load static %}<!doctype html>
        <script src="{% static 'catalog/catalog.js' %}"></script>
        <p>"""
        + CATALOGUE.format(count="{{ count }}")
        + """</p>
        """,
    )
    write(app / "static" / "catalog" / "catalog.js", SCRIPT)
    edit(
        directory / "config" / "urls.py",
        "from django.urls import path\n",
        "from django.urls import include, path\n",
    )
    edit(
        directory / "config" / "urls.py",
        "    path('admin/', admin.site.urls),\n",
        "    path('admin/', admin.site.urls),\n"
        "    path('', include('shop.catalog.urls')),\n",
    )
    python(directory, "manage.py", "makemigrations", "catalog")
    write(
        directory / "pyproject.toml",
        f"""
        [project]
        name = "shop"
        version = "1.0"
        requires-python = ">=3.12"
        dependencies = ["django~={LTS}.0"]
        """,
    )
    git(directory, "init", "--quiet")
    commit(directory, "A Django project with a settings package")
    return directory
