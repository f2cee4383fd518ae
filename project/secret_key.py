"""Where SECRET_KEY comes from: the environment, a file, or one generated once.

A first `docker compose up` must need no setup, yet no key may be committed or
baked into an image. So when none is given, the process that starts the app
(gunicorn's master, before it forks the workers, or manage.py) generates one
into the data directory, where the volume keeps it. Importing the settings
only reads it: that never writes a file.
"""

import os
import tempfile
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.utils import get_random_secret_key

GENERATED_NAME = "secret_key"
REMEDY = (
    "Mount a volume the app's user can write there, "
    "or set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE."
)


class NotGeneratedYet(ImproperlyConfigured):
    """No key is given and none has been generated into `data_dir` yet."""

    def __init__(self, data_dir):
        self.data_dir = Path(data_dir)
        super().__init__(
            f"DJANGO_DATA_DIR={str(data_dir)!r} holds no generated secret key yet, "
            "and only gunicorn's master or manage.py generates one. "
            "Start the app through either, or set DJANGO_SECRET_KEY or "
            "DJANGO_SECRET_KEY_FILE."
        )


def unusable(data_dir, error):
    """The one message for a data directory that cannot give a key."""
    return ImproperlyConfigured(
        f"DJANGO_DATA_DIR={str(data_dir)!r} cannot hold the generated secret key: "
        f"{error.strerror or error}. {REMEDY}"
    )


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


def read_generated(data_dir):
    """The key generated into `data_dir` earlier; the settings call this."""
    try:
        key = (Path(data_dir) / GENERATED_NAME).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        raise NotGeneratedYet(data_dir) from None
    except OSError as error:
        # An unlistable directory (EACCES) lands here, not in the branch above.
        raise unusable(data_dir, error) from None
    if not key:
        raise ImproperlyConfigured(
            f"DJANGO_DATA_DIR={str(data_dir)!r} holds an empty {GENERATED_NAME} file: "
            "delete it to have a new key generated."
        )
    return key


def generate_if_missing():
    """Generate the key the settings ask for, if they ask for one.

    Called once by the process that starts the app, before anything else
    reads the settings. The key is written to a private temporary file and
    published with link(), which fails if the name exists: two containers
    starting at once on one volume both end up with the key that was kept.
    """
    from django.conf import settings

    try:
        settings.SECRET_KEY  # noqa: B018 (loads the settings, which read the key)
    except NotGeneratedYet as missing:
        data_dir = missing.data_dir
    else:
        return
    temporary = None
    try:
        os.makedirs(data_dir, exist_ok=True)
        fd, temporary = tempfile.mkstemp(dir=data_dir, prefix=f".{GENERATED_NAME}.")
        # mkstemp creates the file 0600: the key is never readable by others.
        with os.fdopen(fd, "w", encoding="utf-8") as file:
            file.write(get_random_secret_key())
            file.flush()
            os.fsync(file.fileno())
        os.link(temporary, data_dir / GENERATED_NAME)
    except FileExistsError:
        pass
    except OSError as error:
        raise unusable(data_dir, error) from None
    finally:
        if temporary is not None:
            Path(temporary).unlink(missing_ok=True)
