"""A reader's terminal: the docs' commands typed into bash as printed, in a
copy of the checkout of its own (the files a command writes land there, not
in the checkout), on a terminal (interactive commands get their prompts and
the answers given), with the aliases an earlier block defined, as a shell
session keeps them."""

import contextlib
import http.client
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import threading
import time
from dataclasses import dataclass, field

from containers import ROOT, wait
from containers.commands import clean_environment
from containers.docker import docker, new_name
from containers.http import free_port, request

ALIAS = re.compile(r"^alias \w+=.*$", re.MULTILINE)


def copy_of_checkout(directory):
    """The checkout's files as they are now, tracked or new, nothing ignored,
    in a directory others may read, as a clone is (the dev container's user
    reads the mounted checkout)."""
    directory.chmod(0o755)
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.decode()
    for name in filter(None, listed.split("\0")):
        source = ROOT / name
        if source.is_file():
            (directory / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, directory / name)
    return directory


@dataclass
class Terminal:
    directory: object
    project: str = field(default_factory=lambda: new_name("docs"))
    port: int = field(default_factory=free_port)
    aliases: list = field(default_factory=list)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.port}"

    def environment(self):
        # The project name and the host port are the reader's to choose:
        # compose reads both from the environment.
        return clean_environment(
            COMPOSE_PROJECT_NAME=self.project,
            HOST_PORT=str(self.port),
            # compose's Bake builder needs buildx >= 0.17; its classic path
            # builds the same Dockerfiles with BuildKit.
            COMPOSE_BAKE="false",
        )

    def _start(self, text):
        script = "\n".join([*self.aliases, text])
        self.aliases += ALIAS.findall(text)
        controller, terminal = pty.openpty()
        process = subprocess.Popen(
            ["bash", "-e", "-O", "expand_aliases", "-c", script],
            cwd=self.directory,
            env=self.environment(),
            stdin=terminal,
            stdout=terminal,
            stderr=terminal,
            start_new_session=True,
        )
        os.close(terminal)
        return process, controller

    def type(self, text, replies=(), timeout=300):
        """Runs `text` to its end, sending each (prompt pattern, answer) once
        the prompt shows: what the terminal showed. Fails on a nonzero exit."""
        process, controller = self._start(text)
        shown, since, pending = b"", 0, list(replies)
        deadline = time.monotonic() + timeout
        try:
            while True:
                assert time.monotonic() < deadline, f"still running:\n{shown}"
                if select.select([controller], [], [], 1)[0]:
                    try:
                        chunk = os.read(controller, 65536)
                    except OSError:  # the last writer has closed it
                        chunk = b""
                    if not chunk:
                        break
                    shown += chunk
                    if pending and re.search(pending[0][0], shown[since:]):
                        os.write(controller, pending.pop(0)[1])
                        since = len(shown)
                elif process.poll() is not None:
                    break
            status = process.wait(timeout=max(1, deadline - time.monotonic()))
        finally:
            os.close(controller)
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGKILL)
        text_shown = shown.decode(errors="replace")
        assert status == 0, f"exit {status}:\n{text_shown}"
        assert not pending, f"no prompt {pending[0][0]!r}:\n{text_shown}"
        return text_shown

    def foreground(self, line):
        """A command that runs until interrupted (`docker compose up`):
        started, to be stopped with `interrupt`."""
        return Foreground(*self._start(line))

    def down(self, *files):
        """Everything the session's project started, its volumes included."""
        options = [
            arg for name in files for arg in ("--file", str(self.directory / name))
        ]
        docker(
            *("compose", "--project-directory", str(self.directory), *options),
            *("--profile", "backup", "down", "--volumes", "--timeout", "40"),
            env=self.environment(),
            timeout=300,
        )


class Foreground:
    """A command on the terminal until Ctrl-C; what it writes is read as it
    comes, so that it never waits on a full terminal."""

    def __init__(self, process, controller):
        self.process, self.controller = process, controller
        self.shown = bytearray()
        self._reader = threading.Thread(target=self._read, daemon=True)
        self._reader.start()

    def _read(self):
        with contextlib.suppress(OSError):  # the last writer has closed it
            while chunk := os.read(self.controller, 65536):
                self.shown += chunk

    def output(self):
        return self.shown.decode(errors="replace")

    def running(self):
        """Fails, with what the terminal showed, once the command has ended."""
        if self.process.poll() is not None:
            raise AssertionError(f"exit {self.process.poll()}:\n{self.output()}")
        return True

    def shows(self, text, timeout=300):
        """Waits for `text` on the terminal (compose's `Attaching to`, once
        its build and its containers are done)."""
        wait.until(lambda: self.running() and text in self.output(), timeout, text)

    def serves(self, url, timeout=300):
        """Waits for a 200 from `url` while the command runs."""

        def answered():
            self.running()
            try:
                return request(url, timeout=2).status == 200
            except (OSError, http.client.HTTPException):
                return False

        try:
            wait.until(answered, timeout, f"{url} answering 200")
        except AssertionError as error:
            raise AssertionError(
                f"{error}; the terminal showed:\n{self.output()}"
            ) from None

    def interrupt(self, timeout=90):
        """Ctrl-C, and its end: the exit status."""
        os.killpg(self.process.pid, signal.SIGINT)
        try:
            status = self.process.wait(timeout=timeout)
        finally:
            if self.process.poll() is None:
                os.killpg(self.process.pid, signal.SIGKILL)
        self._reader.join(10)
        os.close(self.controller)
        return status
