"""The one log format of Django and gunicorn: one line per event on stdout,
for `docker logs` and any collector. LOG_FORMAT picks the line: `text`, with
its level and logger, or `json`, one object per line with the request's
fields (DOCKER.md, "Observability")."""

import logging

from stack import request_id

LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
LEVELS = frozenset({"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})
FORMATS = frozenset({"TEXT", "JSON"})
DEFAULT_FORMAT = "TEXT"
# gunicorn's "combined" access line, and the request's ID (the response's
# X-Request-ID header, which the app always sets) at its end.
ACCESS_FORMAT = (
    '%(h)s %(l)s %(u)s %(t)s "%(r)s" %(s)s %(b)s "%(f)s" "%(a)s" %({x-request-id}o)s'
)

FORMATTERS = {
    "TEXT": {"format": LINE_FORMAT},
    "JSON": {"()": "stack.log.json_formatter"},
}


class ClientError(logging.Filter):
    """For an error the client made (a Host header the site does not serve): a
    warning, since nothing of ours failed, on one line without the traceback
    that would otherwise print one per probe, and so never an error event
    where errors are tracked (stack/sentry.py records errors alone)."""

    def filter(self, record):
        record.levelno, record.levelname = logging.WARNING, "WARNING"
        record.exc_info = None
        record.exc_text = None
        return True


class RequestFields(logging.Filter):
    """The request a line belongs to, as attributes of the record: its ID on
    every line, and method, path, status, duration (seconds) and client
    address where the line describes the request."""

    def filter(self, record):
        if record.name == "gunicorn.access":
            # gunicorn passes its access-log atoms as the record's args.
            atoms = record.args
            record.request_id = atoms["{x-request-id}o"]
            record.method = atoms["m"]
            record.path = atoms["U"]
            record.status = int(atoms["s"])
            record.duration = atoms["D"] / 1e6
            record.client = atoms["h"]
            return True
        request = getattr(record, "request", None)
        # An HttpRequest (runserver's lines pass a socket there).
        if hasattr(request, "META"):
            # Django's lines about a response it has finished (404s, 500s):
            # written after the request's context has closed.
            record.request_id = request.META.get(request_id.META_KEY, "-")
            record.method = request.method
            record.path = request.path
            record.client = request.META.get("REMOTE_ADDR")
            if hasattr(record, "status_code"):
                record.status = record.status_code
        elif not hasattr(record, "request_id"):
            record.request_id = request_id.current.get()
        return True


def json_formatter():
    """python-json-logger's formatter, imported only when asked for: a
    logging.Formatter, so that one dictConfig serves gunicorn's loggers and
    Django's. The attributes RequestFields adds come out as fields."""
    from pythonjsonlogger.core import RESERVED_ATTRS
    from pythonjsonlogger.json import JsonFormatter

    return JsonFormatter(
        ["levelname", "name", "message"],
        rename_fields={"levelname": "level", "name": "logger"},
        timestamp="time",
        # Django's log_response() passes the request and its status along;
        # RequestFields has made plain fields of them.
        reserved_attrs=[*RESERVED_ATTRS, "request", "status_code"],
    )


def stdout_logging(level, loggers=None, log_format=DEFAULT_FORMAT):
    """A dictConfig: the root logger at `level`, and `loggers` unpropagated at
    the level their owner gives them, to stdout, in `log_format`."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": FORMATTERS[log_format]},
        "filters": {"request": {"()": "stack.log.RequestFields"}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "line",
                "filters": ["request"],
            },
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            name: {"handlers": ["stdout"], "propagate": False} for name in loggers or ()
        },
    }
