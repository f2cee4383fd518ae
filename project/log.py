"""The one log format of Django and gunicorn: one line per event on stdout,
with its level and logger, for `docker logs` and any collector."""

import logging

LINE_FORMAT = "%(asctime)s %(levelname)s %(name)s %(message)s"
LEVELS = frozenset({"DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"})


class WithoutTraceback(logging.Filter):
    """Keeps the message, drops the traceback: for expected, client-made errors
    (a bad Host header) that would otherwise print one per probe."""

    def filter(self, record):
        record.exc_info = None
        record.exc_text = None
        return True


def stdout_logging(level, loggers=None):
    """A dictConfig: the root logger at `level`, and `loggers` unpropagated at
    the level their owner gives them, to stdout."""
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"line": {"format": LINE_FORMAT}},
        "handlers": {
            "stdout": {
                "class": "logging.StreamHandler",
                "stream": "ext://sys.stdout",
                "formatter": "line",
            },
        },
        "root": {"handlers": ["stdout"], "level": level},
        "loggers": {
            name: {"handlers": ["stdout"], "propagate": False} for name in loggers or ()
        },
    }
