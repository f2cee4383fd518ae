"""Where SECRET_KEY comes from: the environment, a file, or one generated once.

A first `docker compose up` must need no setup, yet no key may be committed or
baked into an image. So when none is given, a key is generated on first start
and kept in the data directory (owner-only), where the volume keeps it.
"""

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


def load_or_generate(data_dir):
    """The key kept in `data_dir`, generated there on first use.

    Several gunicorn workers may start at once: the key is written to a private
    temporary file and published with link(), which fails if another process
    won the race, so every process ends up reading the one key that was kept.
    """
    path = Path(data_dir) / GENERATED_NAME
    if not path.exists():
        try:
            os.makedirs(data_dir, exist_ok=True)
            fd, temporary = tempfile.mkstemp(dir=data_dir, prefix=".secret_key.")
        except OSError as error:
            raise ImproperlyConfigured(
                f"No secret key is set and none can be generated in {str(data_dir)!r}: "
                f"{error.strerror}. Set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE."
            ) from None
        try:
            # mkstemp creates the file 0600: the key is never readable by others.
            with os.fdopen(fd, "w", encoding="utf-8") as file:
                file.write(get_random_secret_key())
                file.flush()
                os.fsync(file.fileno())
            os.link(temporary, path)
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    return read_key_file(path, "the generated secret key")
