"""The page from an ASGI stack: FastAPI and its Jinja templates under uvicorn,
as FastAPI's documentation writes a templated page."""

import os
from pathlib import Path

import clock
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

app = FastAPI()
templates = Jinja2Templates(directory=Path(__file__).with_name("templates"))
# Django keeps a template's last newline, Jinja drops it unless told: the
# same bytes as the clock's page.
templates.env.keep_trailing_newline = True


@app.get("/", response_class=HTMLResponse)
async def index(request: Request):
    return templates.TemplateResponse(request, "index.html", clock.context())


if __name__ == "__main__":
    # Every interface of the container: the port is published on the host's
    # loopback alone.
    uvicorn.run(app, host="0.0.0.0", port=int(os.environ["PORT"]))  # noqa: S104
