"""The page from Flask's built-in server, started as a user would: `python app.py`."""

import os

import clock
from flask import Flask, render_template

app = Flask(__name__)
# Django keeps a template's last newline, Jinja drops it unless told: the
# same bytes as the clock's page.
app.jinja_env.keep_trailing_newline = True


@app.get("/")
def index():
    return render_template("index.html", **clock.context())


if __name__ == "__main__":
    # Every interface of the container: the port is published on the host's
    # loopback alone.
    app.run(host="0.0.0.0", port=int(os.environ["PORT"]))  # noqa: S104
