"""One container started by `docker run`: the app's, or any auxiliary one
(a database, a proxy) that a test or a benchmark needs beside it."""

import io
import json
import subprocess
import tarfile
from contextlib import contextmanager
from pathlib import Path

from containers import wait
from containers.commands import CommandFailed
from containers.docker import docker, new_name
from containers.http import free_port, request

PROBES = Path(__file__).with_name("probes")
# Seconds for an image's HEALTHCHECK to say healthy (start period and retries).
HEALTHY_WITHIN = 180


class Container:
    """A container by name; `url` reaches its published port, if any. As a
    context manager, it is removed with its volumes on exit."""

    def __init__(self, name, url=None):
        self.name, self.url = name, url

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()

    @classmethod
    def start(cls, image, *options, env=None, command=(), publish=None, kind="run"):
        """`docker run --detach` of image, returning at once; `publish`, a
        container port, is published on a free loopback port."""
        name, url, flags = new_name(kind), None, []
        if publish is not None:
            port = free_port()
            url = f"http://127.0.0.1:{port}"
            flags.append(f"--publish=127.0.0.1:{port}:{publish}")
        flags += [f"--env={key}={value}" for key, value in (env or {}).items()]
        flags += [*options, image, *command]
        try:
            docker("run", "--detach", f"--name={name}", *flags)
        except CommandFailed:
            # Created, but it could not start: nothing else would remove it.
            docker("rm", "--force", "--volumes", name, check=False)
            raise
        return cls(name, url)

    def get(self, path, **kwargs):
        return request(self.url + path, **kwargs)

    def _exec(self, command, env, stdin):
        """`docker exec`'s arguments, after `docker`."""
        flags = [f"--env={key}={value}" for key, value in (env or {}).items()]
        return [
            "exec",
            *(["-i"] if stdin else []),
            *flags,
            self.name,
            *command,
        ]

    def exec(self, *command, env=None, input=None, check=True, timeout=300):
        """A command run inside, as the image's user."""
        return docker(
            *self._exec(command, env, input is not None),
            input=input,
            check=check,
            timeout=timeout,
        )

    def python(self, probe, *args, check=True):
        """probes/<probe>.py run by the container's own python (its stdin)."""
        script = (PROBES / f"{probe}.py").read_text(encoding="utf-8")
        return self.exec("python", "-", *map(str, args), input=script, check=check)

    def probe(self, probe, *args):
        """What a probe prints as JSON."""
        return json.loads(self.python(probe, *args).stdout)

    @contextmanager
    def python_running(self, probe, *args):
        """A probe left running (its stdout a pipe), killed on exit."""
        command = ["docker", *self._exec(("python", "-", *map(str, args)), None, True)]
        with (PROBES / f"{probe}.py").open(encoding="utf-8") as script:
            process = subprocess.Popen(
                command, stdin=script, stdout=subprocess.PIPE, text=True
            )
        try:
            yield process
        finally:
            process.kill()
            process.wait(10)

    def read_file(self, path):
        """A file's bytes, copied out of the container (no program runs inside)."""
        archive = subprocess.run(
            ["docker", "cp", f"{self.name}:{path}", "-"],
            capture_output=True,
            check=True,
            timeout=60,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            return tar.extractfile(tar.getmembers()[0]).read()

    def inspect(self):
        return json.loads(docker("inspect", self.name).stdout)[0]

    def state(self):
        return self.inspect()["State"]

    def logs(self):
        """What the container wrote, stdout then stderr."""
        result = docker("logs", self.name)
        return result.stdout + result.stderr

    def wait_healthy(self, timeout=HEALTHY_WITHIN, since=None):
        """Docker's own verdict from the image's HEALTHCHECK; fails at once
        if the container exits."""

        def healthy():
            state = self.state()
            if state["Status"] == "exited":
                raise AssertionError(
                    f"{self.name} exited with {state['ExitCode']}:\n{self.logs()}"
                )
            return state.get("Health", {}).get("Status") == "healthy"

        wait.until(healthy, timeout, f"{self.name} healthy", since=since)

    def wait_exit(self, timeout=300):
        """The exit status, once the container has stopped by itself."""
        return int(docker("wait", self.name, timeout=timeout).stdout)

    def stop(self, grace=None):
        """SIGTERM, then SIGKILL after `grace` seconds (docker's default if None)."""
        seconds = [] if grace is None else [f"--time={grace}"]
        docker("stop", *seconds, self.name, timeout=120)

    def remove(self):
        docker("rm", "--force", "--volumes", self.name, check=False)


@contextmanager
def volume():
    """A named volume of its own, removed on exit."""
    name = new_name("data")
    docker("volume", "create", name)
    try:
        yield name
    finally:
        docker("volume", "rm", "--force", name, check=False)
