"""The project's facts, from stack.env at the project's root (beside this
package): one file that the images, compose, the swarm deploy and the
Kubernetes overlay read alike.

The file holds NAME=value lines and # comments, the subset of compose's
env-file syntax that every reader parses the same way: no quotes, no
expansion. A variable of the same name in the environment wins.
"""

import ast
import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent
FILE = ROOT / "stack.env"


def read(path=FILE):
    """The file's variables, or ImproperlyConfigured naming the bad line."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ImproperlyConfigured(
            f"{path} cannot be read: {error.strerror}."
        ) from None
    facts = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        name, equals, value = line.partition("=")
        if not equals or not name.strip():
            raise ImproperlyConfigured(
                f"{path.name}, line {number}: {line!r} is not NAME=value."
            )
        facts[name.strip()] = value.strip()
    return facts


def fact(name, path=FILE):
    """One fact: the environment's value if set, else the file's."""
    if value := os.environ.get(name, "").strip():
        return value
    if value := read(path).get(name):
        return value
    raise ImproperlyConfigured(
        f"{name} is set neither in the environment nor in {path.name}."
    )


def project_settings(path=FILE, manage_py=ROOT / "manage.py"):
    """The project's own settings module: DJANGO_PROJECT_SETTINGS if set,
    else the one manage.py gives DJANGO_SETTINGS_MODULE, as startproject
    writes it (`os.environ.setdefault("DJANGO_SETTINGS_MODULE", "...")`)."""
    name = "DJANGO_PROJECT_SETTINGS"
    if value := os.environ.get(name, "").strip() or read(path).get(name):
        return value
    try:
        nodes = ast.walk(ast.parse(manage_py.read_bytes(), filename=str(manage_py)))
    except (OSError, SyntaxError):
        nodes = ()
    for node in nodes:
        match node:
            case ast.Call(
                func=ast.Attribute(attr="setdefault"),
                args=[
                    ast.Constant(value="DJANGO_SETTINGS_MODULE"),
                    ast.Constant(value=str(module)),
                ],
            ):
                return module
    raise ImproperlyConfigured(
        f"{name} is set neither in the environment nor in {path.name}, and "
        f"{manage_py.name} sets no DJANGO_SETTINGS_MODULE: name the project's "
        f"settings module in {path.name}."
    )
