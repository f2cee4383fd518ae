"""The repository's own files agree with each other; fast, and with no Docker.

What git ignores is local state (databases, keys, caches) and must stay out of
the images' build context too. `.dockerignore` is read here as the Docker
engine reads it (moby's patternmatcher), and `.gitignore` by git itself.
"""

import posixpath
import re
import shlex
import shutil
import subprocess

import pytest

from containers import ROOT

REQUIREMENTS = ROOT / "requirements"


def ignore_lines(path):
    """The patterns of an ignore file, without comments and blank lines."""
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def docker_regex(pattern):
    """A .dockerignore pattern as moby compiles it: `*` and `?` stop at `/`,
    `**` spans any number of folders, `[...]` is a character class."""
    regex, i = "", 0
    while i < len(pattern):
        char = pattern[i]
        if pattern.startswith("**", i):
            i += 2
            if pattern.startswith("/", i):
                i += 1
            regex += ".*" if i == len(pattern) else "(.*/)?"
            continue
        if char == "*":
            regex += "[^/]*"
        elif char == "?":
            regex += "[^/]"
        elif char == "[":
            end = pattern.index("]", i)
            regex += pattern[i : end + 1]
            i = end
        elif char == "\\":
            i += 1
            regex += re.escape(pattern[i])
        else:
            regex += re.escape(char)
        i += 1
    return re.compile(f"^{regex}$")


def dockerignore():
    """(exception, regex) per line, cleaned as moby does: no trailing `/`,
    no leading `/`."""
    rules = []
    for line in ignore_lines(ROOT / ".dockerignore"):
        exception = line.startswith("!")
        pattern = posixpath.normpath(line.removeprefix("!").strip()).lstrip("/")
        rules.append((exception, docker_regex(pattern)))
    return rules


def in_build_context(path, rules):
    """Whether `docker build` sends path: the last rule that matches it, or one
    of its parent folders, decides (moby's MatchesOrParentMatches)."""
    parents = path.split("/")[:-1]
    candidates = [path] + ["/".join(parents[: n + 1]) for n in range(len(parents))]
    excluded = False
    for exception, regex in rules:
        if exception != excluded:
            continue
        if any(regex.match(candidate) for candidate in candidates):
            excluded = not exception
    return not excluded


def allowed_folders():
    """The folders that `.dockerignore` lets files in from, and one below each."""
    folders = set()
    for line in ignore_lines(ROOT / ".dockerignore"):
        if line.startswith("!"):
            entry = line[1:].strip().lstrip("/")
            folder = entry if entry.endswith("/") else posixpath.dirname(entry) + "/"
            if folder != "/":
                folders.update({folder, folder + "sub/"})
    return sorted(folders)


def probes():
    """One path per `.gitignore` pattern in each place it applies: the root
    only for an anchored pattern, else also every allowed folder."""
    paths = []
    for pattern in ignore_lines(ROOT / ".gitignore"):
        name = re.sub(r"\[(.)[^\]]*\]", r"\1", pattern).replace("*", "probe")
        anchored = "/" in name.rstrip("/")
        name = name.lstrip("/")
        if name.endswith("/"):
            name += "probe.txt"
        places = [""] if anchored else ["", *allowed_folders()]
        paths += [place + name for place in places]
    return paths


def git_ignored(paths, tmp_path):
    """Which of paths git ignores under this checkout's .gitignore (the files
    made for real, so that git sees which parts are folders)."""
    git = shutil.which("git")
    if git is None:
        pytest.fail("git is needed to read .gitignore as git does")
    subprocess.run([git, "init", "--quiet", str(tmp_path)], check=True)
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    for path in paths:
        (tmp_path / path).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / path).touch()
    result = subprocess.run(
        [git, "check-ignore", "--no-index", "--stdin"],
        cwd=tmp_path,
        input="\n".join(paths),
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode in (0, 1), result.stderr  # 1: nothing ignored
    return set(result.stdout.splitlines())


def copied_sources():
    """What the Dockerfiles COPY from the build context (not from a stage)."""
    sources = set()
    for dockerfile in (ROOT / "docker").glob("*.Dockerfile"):
        for line in dockerfile.read_text(encoding="utf-8").splitlines():
            words = line.split()
            if words[:1] == ["COPY"] and not any(w.startswith("--from") for w in words):
                sources.update(w for w in words[1:-1] if not w.startswith("--"))
    return sorted(sources)


def test_it_keeps_what_git_ignores_out_of_the_build_context(tmp_path):
    paths = probes()
    # The probes stand for the patterns: git must ignore every one of them.
    assert sorted(set(paths) - git_ignored(paths, tmp_path)) == []
    rules = dockerignore()
    assert [path for path in paths if in_build_context(path, rules)] == []


def test_it_sends_what_the_dockerfiles_copy():
    rules = dockerignore()
    sources = copied_sources()
    assert "requirements/base.txt" in sources
    files = []
    for source in sources:
        path = ROOT / source
        if path.is_dir():
            files += [
                str(file.relative_to(ROOT))
                for file in path.rglob("*.py")
                if "__pycache__" not in file.parts and "tests" not in file.parts
            ]
        else:
            files.append(source)
    assert [file for file in files if not in_build_context(file, rules)] == []
    assert not in_build_context("requirements/dev.txt", rules)
    assert not in_build_context("apps/clock/tests/test_views.py", rules)


@pytest.mark.parametrize("name", sorted(p.name for p in REQUIREMENTS.glob("*.txt")))
def test_it_records_a_compile_command_renovate_can_replay(name):
    """Renovate's pip-compile manager re-runs the command in the header, and
    takes only `--option=value` forms and an --output-file that names the file."""
    header = (REQUIREMENTS / name).read_text(encoding="utf-8").splitlines()[1]
    command = shlex.split(header.removeprefix("#"))
    assert command[:3] == ["uv", "pip", "compile"]
    options = [word for word in command[3:] if word.startswith("-")]
    sources = [word for word in command[3:] if not word.startswith("-")]
    assert [option for option in options if not option.startswith("--")] == []
    assert f"--output-file={name}" in options
    assert "--python-version" not in options
    assert sources
    assert [source for source in sources if not (REQUIREMENTS / source).is_file()] == []
