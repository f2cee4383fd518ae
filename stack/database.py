"""The PostgreSQL settings that DATABASE_URL describes.

The URL (`postgres://user@host:5432/name`, the form Heroku, Render, Fly and
dj-database-url use) is read by libpq's own parser, through psycopg: what it
accepts here, libpq accepts when connecting, query parameters such as
`?sslmode=require` included, and a misspelt one stops start-up instead of the
first connection. The password may stay out of the URL, in the file named by
DATABASE_PASSWORD_FILE (a Docker or Kubernetes secret).

No message repeats the password: libpq's own may quote it, so it is masked.
"""

import re
from urllib.parse import unquote

from django.core.exceptions import ImproperlyConfigured

from stack.secret_key import read_key_file

SCHEMES = ("postgres://", "postgresql://")
MASK = "***"
# Seconds: an unreachable server fails a request or a readiness probe in this
# time, instead of the operating system's TCP timeout (minutes).
CONNECT_TIMEOUT = 5


def postgresql(url, password_file=None):
    """Django's DATABASES entry for the server `url` names.

    `password_file`, when given, holds the password the URL leaves out.
    """
    from psycopg import Error
    from psycopg.conninfo import conninfo_to_dict

    written = _written_passwords(url)

    def problem(text):
        shown = f"DATABASE_URL={url!r} {text}"
        for secret in {*written, *map(unquote, written)}:
            shown = shown.replace(secret, MASK)
        return ImproperlyConfigured(shown)

    if not url.startswith(SCHEMES):
        raise problem("is not a PostgreSQL URL: begin it with postgres://.")
    try:
        params = conninfo_to_dict(url)
    except Error as error:
        reason = str(error).strip().splitlines()[0]
        raise problem(f"is not a valid PostgreSQL URL: {reason}.") from None
    for key, what in (("host", "host"), ("dbname", "database"), ("user", "user")):
        if not params.get(key):
            raise problem(f"names no {what}: write it as postgres://USER@HOST/NAME.")
    port = params.pop("port", "")
    if port and not (port.isdigit() and 0 < int(port) < 65536):
        raise problem("has a port that is not a number from 1 to 65535.")
    password = params.pop("password", None)
    if password_file is not None:
        if password is not None:
            raise problem(
                "holds a password, and DATABASE_PASSWORD_FILE names another: "
                "give it in one place."
            )
        password = read_key_file(password_file, "DATABASE_PASSWORD_FILE")
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": params.pop("dbname"),
        "USER": params.pop("user"),
        "PASSWORD": password or "",
        "HOST": params.pop("host"),
        "PORT": port,
        "OPTIONS": {"connect_timeout": CONNECT_TIMEOUT, **params},
    }


def _written_passwords(url):
    """The passwords as written in the URL: in its user part, and in a
    `password=` query parameter (which libpq accepts too).

    The user part's is everything between the first colon after the user name
    and the last `@`: a password with a stray `/`, `@` or `?` is still masked
    whole (and more than the password, at worst).
    """
    userinfo, at, _ = url.partition("://")[2].rpartition("@")
    in_user_part = userinfo.partition(":")[2] if at else ""
    in_query = re.findall(r"[?&]password=([^&]*)", url)
    return [password for password in (in_user_part, *in_query) if password]
