"""Where SECRET_KEY comes from when it is not given: a key generated once into
the data directory, where the volume keeps it.

A first `docker compose up` must need no setup, yet no key may be committed or
baked into an image. The settings call `generated()`, so every process that
loads them (gunicorn, manage.py, pytest) finds or makes the same key.
"""

import contextlib
import os
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

GENERATED_NAME = "secret_key"


def read_key_file(path, variable):
    """The key stored in `path`; `variable` names the setting that pointed there."""
    try:
        key = Path(path).read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"{variable}={str(path)!r} cannot be read: {error.strerror}."
        ) from None
    if not key:
        raise ImproperlyConfigured(f"{variable}={str(path)!r} is an empty file.")
    return key


def generated(data_dir):
    """The key kept in `data_dir`, generated there first if there is none.

    The new key is written to a private temporary file (mkstemp: mode 0600)
    and published with link(), which fails if the name exists: processes and
    containers starting at once on one volume all end up with the one key that
    was published, and none ever reads a half-written file.
    """
    path = Path(data_dir) / GENERATED_NAME
    temporary = None
    try:
        if not path.exists():
            os.makedirs(data_dir, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=data_dir, prefix=f".{GENERATED_NAME}.")
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(get_random_secret_key())
                file.flush()
                os.fsync(file.fileno())
            # Another process published its key first: that one is kept.
            with contextlib.suppress(FileExistsError):
                os.link(temporary, path)
        key = path.read_text(encoding="utf-8").strip()
    except OSError as error:
        raise ImproperlyConfigured(
            f"DJANGO_DATA_DIR={str(data_dir)!r} cannot hold the generated secret key: "
            f"{error.strerror or error}. Mount a volume the app's user can write "
            "there, or set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE."
        ) from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
    if not key:
        raise ImproperlyConfigured(
            f"DJANGO_DATA_DIR={str(data_dir)!r} holds an empty {GENERATED_NAME} file: "
            "delete it to have a new key generated."
        )
    return key
