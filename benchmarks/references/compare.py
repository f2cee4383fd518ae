"""Both images beside the reference servers, measured alike in one run.

    export APP_IMAGE=...   # the repository the four images are tagged under
    python -m benchmarks.references.compare

Builds the two images (compose) and the two references (Dockerfile in this
folder, on the Alpine image's base), starts each as compose starts the app
(hardening flags, port and data path from compose's resolved configuration),
checks that the four pages are the same markup, and prints one table and the
ratios: wrk on each path (best of WRK_TRIES), p99, the first 200 after
`docker run` on an empty volume and on a used one (best of START_TRIES),
memory after the load (docker stats) and size above the base image. Figures
from a shared machine compare only within one run.
"""

import difflib
import http.client
import json
import os
import re
import socket
import subprocess
import time
import uuid
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
VARIANTS = ("alpine", "distroless")
REFERENCES = ("flask", "uvicorn")
# Ours answer the page and the API; a reference has the page alone.
OUR_PATHS = ("/", "/api/time")
REFERENCE_PATHS = ("/",)
WRK = ("wrk", "--threads", "2", "--connections", "16", "--duration", "10s")
WRK_TRIES = 2
START_TRIES = 3
COMPOSE = ("docker", "compose", "--file", str(ROOT / "compose.yaml"))
PREFIX = f"refs-bench-{uuid.uuid4().hex[:8]}"
STARTUP_SECONDS = 120
# Counts every answer outside 2xx, and prints the figures as one JSON line.
WRK_SCRIPT = HERE.parent / "wrk.lua"


def run(*command, env=None):
    """A command's stdout; its stderr in the error when it fails."""
    result = subprocess.run(
        command, capture_output=True, text=True, env=env, check=False
    )
    if result.returncode:
        raise RuntimeError(f"{' '.join(command)} failed:\n{result.stderr}")
    return result.stdout


def dockerfile_arg(dockerfile, name):
    """The default of `ARG name=...` in a Dockerfile of the project."""
    text = (ROOT / dockerfile).read_text(encoding="utf-8")
    return re.search(rf"^ARG {name}=(\S+)", text, flags=re.MULTILINE)[1]


def compose_service(variant):
    """compose's resolved `web` service for a variant."""
    env = {**os.environ, "APP_VARIANT": variant}
    config = run(*COMPOSE, "config", "--format", "json", env=env)
    return json.loads(config)["services"]["web"]


def hardening_flags(web):
    """compose's read_only, tmpfs, cap_drop, security_opt and init as run flags."""
    flags = ["--read-only"] if web.get("read_only") else []
    flags += [f"--tmpfs={path}" for path in web.get("tmpfs", [])]
    flags += [f"--cap-drop={cap}" for cap in web.get("cap_drop", [])]
    flags += [f"--security-opt={opt}" for opt in web.get("security_opt", [])]
    return flags + (["--init"] if web.get("init") else [])


def base_image(web):
    """The final stage's base: the build argument its last FROM names, as
    compose passes it, or else the Dockerfile's pinned default."""
    dockerfile = web["build"]["dockerfile"]
    text = (ROOT / dockerfile).read_text(encoding="utf-8")
    argument = re.findall(r"^FROM \$\{(\w+)\}\s*$", text, flags=re.MULTILINE)[-1]
    passed = (web["build"].get("args") or {}).get(argument)
    return passed or dockerfile_arg(dockerfile, argument)


def build_ours(variant):
    run(*COMPOSE, "build", env={**os.environ, "APP_VARIANT": variant})


def build_reference(name, web):
    """The reference's image, tagged beside ours, on the Alpine image's base."""
    image = f"{web['image'].rpartition(':')[0]}:reference-{name}"
    arguments = {
        "PYTHON_ALPINE_IMAGE": base_image(web),
        "APP_UID": dockerfile_arg(web["build"]["dockerfile"], "APP_UID"),
        "PORT": web["ports"][0]["target"],
        "REFERENCE": name,
    }
    run(
        *("docker", "build", "--quiet", "--tag", image),
        *(f"--build-arg={key}={value}" for key, value in arguments.items()),
        str(HERE),
        env={**os.environ, "DOCKER_BUILDKIT": "1"},
    )
    return image


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def first_200(port, since):
    """Seconds from since (a monotonic time) until / first answers 200."""
    while time.monotonic() - since < STARTUP_SECONDS:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        try:
            connection.request("GET", "/")
            if connection.getresponse().status == 200:
                return time.monotonic() - since
        except OSError:
            pass  # Refused, or accepted by docker-proxy and closed: not up yet.
        finally:
            connection.close()
        time.sleep(0.01)
    raise RuntimeError(f"no 200 on 127.0.0.1:{port}/ within {STARTUP_SECONDS} s")


# What may differ between our page and a reference's: the static files' content
# hashes, the instant, the visit count.
VARYING = (
    (re.compile(r"\.[0-9a-f]{12}(\.\w+\")"), r"\1"),
    (re.compile(r'datetime="[^"]*"'), 'datetime=""'),
    (re.compile(r">\d\d:\d\d:\d\d<"), "><"),
    (re.compile(r'(id="visits">)\d+'), r"\1"),
)


def markup(port):
    """The page at / with what may vary blanked out."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", "/")
        page = connection.getresponse().read().decode()
    finally:
        connection.close()
    for pattern, replacement in VARYING:
        page = pattern.sub(replacement, page)
    return page


def start(image, web, volume):
    """(container, port, seconds to the first 200) of a `docker run` as compose's."""
    port = free_port()
    since = time.monotonic()
    container = run(
        *("docker", "run", "--detach", "--name", f"{PREFIX}-{uuid.uuid4().hex[:8]}"),
        *hardening_flags(web),
        f"--publish=127.0.0.1:{port}:{web['ports'][0]['target']}",
        f"--volume={volume}:{web['volumes'][0]['target']}",
        image,
    ).strip()
    try:
        return container, port, first_200(port, since)
    except RuntimeError:
        run("docker", "rm", "--force", container)
        raise


def wrk_once(url):
    """One wrk run's figures, from the JSON line the harness's wrk.lua prints."""
    output = run(*WRK, "--script", str(WRK_SCRIPT), url)
    line = next(line for line in output.splitlines() if line.startswith("WRK_RESULT"))
    raw = json.loads(line.removeprefix("WRK_RESULT"))
    return {
        "requests_per_s": raw["requests"] / (raw["duration_us"] / 1e6),
        "p99_ms": raw["p99_us"] / 1e3,
        "errors": sum(raw["errors"].values()) + raw["non_2xx"],
    }


MEMORY_UNITS = {"B": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30}


def memory_mib(container):
    """The container's memory use as `docker stats` reports it."""
    usage = run(
        "docker", "stats", "--no-stream", "--format", "{{.MemUsage}}", container
    ).split("/")[0]
    number, unit = re.fullmatch(r"\s*([\d.]+)(\w+)\s*", usage).groups()
    return float(number) * MEMORY_UNITS[unit] / 2**20


def image_mb(image):
    return int(run("docker", "image", "inspect", "--format", "{{.Size}}", image)) / 1e6


def check_markup(rows):
    """Stop, with the difference, where a page is not the first one's markup."""
    for row in rows:
        if row["markup"] != rows[0]["markup"]:
            raise SystemExit(
                f"{row['name']}'s page differs from {rows[0]['name']}'s:\n"
                + "".join(
                    difflib.unified_diff(
                        rows[0]["markup"].splitlines(keepends=True),
                        row["markup"].splitlines(keepends=True),
                    )
                )
            )


def start_seconds(setup, volume):
    """Seconds from `docker run` to the first 200 on volume; the container goes."""
    container, _, seconds = start(setup["image"], setup["web"], volume)
    run("docker", "rm", "--force", container)
    return seconds


def measure(setups):
    """Every setup side by side, in rounds, so that load from elsewhere falls
    on each alike: the best of START_TRIES first starts, each on an empty
    volume; the best of WRK_TRIES loads on each path; memory after the load;
    the best of START_TRIES second starts on a volume the first one used."""
    rows = [{"name": setup["name"], "load": {}} for setup in setups]
    volumes = []
    try:
        for _ in range(START_TRIES):
            for setup, row in zip(setups, rows, strict=True):
                name = f"{PREFIX}-{setup['name']}-{len(volumes)}"
                volumes.append(run("docker", "volume", "create", name).strip())
                seconds = start_seconds(setup, volumes[-1])
                row["first_start_s"] = min(seconds, row.get("first_start_s", seconds))
        # Each setup's volume from the first round, used once already.
        used = volumes[: len(setups)]
        running = []
        try:
            for setup, row, volume in zip(setups, rows, used, strict=True):
                container, port, _ = start(setup["image"], setup["web"], volume)
                running.append((container, port))
                row["markup"] = markup(port)
            # Before any load: a page that differs makes the figures meaningless.
            check_markup(rows)
            for _ in range(WRK_TRIES):
                for setup, row, (_, port) in zip(setups, rows, running, strict=True):
                    for path in setup["paths"]:
                        figures = wrk_once(f"http://127.0.0.1:{port}{path}")
                        best = row["load"].setdefault(path, figures)
                        if figures["requests_per_s"] > best["requests_per_s"]:
                            row["load"][path] = figures
            for row, (container, _) in zip(rows, running, strict=True):
                row["memory_mib"] = memory_mib(container)
        finally:
            for container, _ in running:
                run("docker", "rm", "--force", container)
        for _ in range(START_TRIES):
            for setup, row, volume in zip(setups, rows, used, strict=True):
                seconds = start_seconds(setup, volume)
                row["restart_s"] = min(seconds, row.get("restart_s", seconds))
    finally:
        for volume in volumes:
            run("docker", "volume", "rm", "--force", volume)
    for setup, row in zip(setups, rows, strict=True):
        row["added_mb"] = image_mb(setup["image"]) - image_mb(setup["base"])
    return rows


def table(rows):
    lines = [
        "| setup | path | req/s | p99 ms | errors | first start s | restart s "
        "| memory MiB | above base MB |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        for path, figures in row["load"].items():
            lines.append(
                f"| {row['name']} | `{path}` | {figures['requests_per_s']:.0f} "
                f"| {figures['p99_ms']:.1f} | {figures['errors']} "
                f"| {row['first_start_s']:.2f} | {row['restart_s']:.2f} "
                f"| {row['memory_mib']:.1f} | {row['added_mb']:.1f} |"
            )
    return "\n".join(lines)


def ratios(ours, flask, uvicorn):
    """The issue's targets, as ratios and differences, for one of our images."""
    page, api = ours["load"]["/"], ours["load"]["/api/time"]
    flask_page, uvicorn_page = flask["load"]["/"], uvicorn["load"]["/"]
    page_ratio = page["requests_per_s"] / flask_page["requests_per_s"]
    api_ratio = api["requests_per_s"] / uvicorn_page["requests_per_s"]
    first_start = ours["first_start_s"] - flask["first_start_s"]
    restart = ours["restart_s"] - flask["restart_s"]
    memory = ours["memory_mib"] / uvicorn["memory_mib"]
    return (
        f"{ours['name']}: / at {page_ratio:.2f}x flask's req/s (p99 "
        f"{page['p99_ms']:.1f} vs {flask_page['p99_ms']:.1f} ms); /api/time at "
        f"{api_ratio:.2f}x uvicorn's /; first start {first_start:+.2f} s and "
        f"restart {restart:+.2f} s on flask's; memory {memory:.2f}x uvicorn's"
    )


def main():
    print("load before:", run("uptime").strip())
    services = {variant: compose_service(variant) for variant in VARIANTS}
    alpine = services["alpine"]
    for variant in VARIANTS:
        build_ours(variant)
    references = {name: build_reference(name, alpine) for name in REFERENCES}
    setups = [
        {
            "name": variant,
            "image": web["image"],
            "base": base_image(web),
            "web": web,
            "paths": OUR_PATHS,
        }
        for variant, web in services.items()
    ]
    setups += [
        {
            "name": name,
            "image": image,
            "base": base_image(alpine),
            "web": alpine,
            "paths": REFERENCE_PATHS,
        }
        for name, image in references.items()
    ]
    rows = measure(setups)
    print("load after:", run("uptime").strip())
    print("markup: the same page in all four, but for hashes, instant and count")
    print(table(rows))
    named = {row["name"]: row for row in rows}
    for variant in VARIANTS:
        print(ratios(named[variant], named["flask"], named["uvicorn"]))


if __name__ == "__main__":
    main()
