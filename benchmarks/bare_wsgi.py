"""The throughput ceiling: a WSGI callable with no Django behind it.

Bind-mounted read-only into the production image and served by the image's own
gunicorn config, so that only the application differs from what we measure.
"""

BODY = b"ok\n"


def app(environ, start_response):
    start_response(
        "200 OK", [("Content-Type", "text/plain"), ("Content-Length", str(len(BODY)))]
    )
    return [BODY]
