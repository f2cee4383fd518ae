"""Where the secret key comes from, read in fresh processes as a start reads it."""

import os
import stat
import subprocess
import tempfile
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from containers.commands import run_python, start_python
from stack.secret_key import read_key_file
from tests.app_user import APP_UID

PRINT_KEY = [
    *("shell", "--verbosity", "0"),
    *("-c", "from django.conf import settings; print(settings.SECRET_KEY)"),
]
REMEDY = (
    "Mount a volume the app's user can write there, "
    "or set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE."
)


def run(args, data_dir, **variables):
    # Nothing inherited: a developer's DJANGO_SECRET_KEY must not leak in.
    env = {
        "DJANGO_SETTINGS_MODULE": "stack.settings",
        "DJANGO_DATA_DIR": str(data_dir),
        "PATH": os.environ["PATH"],
    }
    return run_python(*args, env={**env, **variables}, check=False)


def key_of(data_dir, **variables):
    result = run(["manage.py", *PRINT_KEY], data_dir, **variables)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def test_it_generates_a_key_file_readable_only_by_its_owner(tmp_path):
    key = key_of(tmp_path)
    assert (tmp_path / "secret_key").read_text() == key
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_it_generates_a_long_random_key(tmp_path):
    assert len(key_of(tmp_path / "a")) >= 50
    assert key_of(tmp_path / "a") != key_of(tmp_path / "b")


def test_it_reuses_the_generated_key_in_the_next_process(tmp_path):
    first = key_of(tmp_path)
    assert key_of(tmp_path) == first


def test_it_leaves_only_the_key_file_behind(tmp_path):
    key_of(tmp_path)
    key_of(tmp_path)
    assert os.listdir(tmp_path) == ["secret_key"]


def test_it_creates_a_missing_data_directory(tmp_path):
    key = key_of(tmp_path / "new" / "data")
    assert (tmp_path / "new" / "data" / "secret_key").read_text() == key


def test_it_keeps_a_key_that_is_already_there(tmp_path):
    (tmp_path / "secret_key").write_text("kept-from-an-earlier-start\n")
    assert key_of(tmp_path) == "kept-from-an-earlier-start"


def test_it_generates_the_key_when_the_settings_are_loaded(tmp_path):
    result = run(["-c", "import django; django.setup()"], tmp_path)
    assert result.returncode == 0, result.stderr
    assert os.listdir(tmp_path) == ["secret_key"]


def test_processes_starting_together_agree_on_one_key(tmp_path):
    code = "from django.conf import settings; print(settings.SECRET_KEY)"
    env = {
        "DJANGO_SETTINGS_MODULE": "stack.settings",
        "DJANGO_DATA_DIR": str(tmp_path),
        "PATH": os.environ["PATH"],
    }
    racers = [
        start_python("-c", code, env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(8)
    ]
    keys = {racer.communicate(timeout=60)[0].strip() for racer in racers}
    assert keys == {(tmp_path / "secret_key").read_text()}
    assert os.listdir(tmp_path) == ["secret_key"]


def test_it_prefers_the_key_from_the_environment(tmp_path):
    (tmp_path / "key").write_text("from-the-file")
    variables = {
        "DJANGO_SECRET_KEY": "from-the-env",
        "DJANGO_SECRET_KEY_FILE": str(tmp_path / "key"),
    }
    assert key_of(tmp_path, **variables) == "from-the-env"


def test_it_reads_the_key_file_named_in_the_environment(tmp_path):
    (tmp_path / "key").write_text("from-the-file\n")
    assert key_of(tmp_path, DJANGO_SECRET_KEY_FILE=str(tmp_path / "key")) == (
        "from-the-file"
    )


@pytest.mark.parametrize(
    "variables",
    [{"DJANGO_SECRET_KEY": "given"}, {"DJANGO_SECRET_KEY_FILE": "{tmp}/key"}],
    ids=["key", "key-file"],
)
def test_it_generates_nothing_when_a_key_is_given(tmp_path, variables):
    (tmp_path / "key").write_text("given")
    key_of(tmp_path, **{k: v.format(tmp=tmp_path) for k, v in variables.items()})
    assert not (tmp_path / "secret_key").exists()


def test_it_reads_a_key_file_without_its_newline(tmp_path):
    (tmp_path / "key").write_text("  from-a-file\n")
    assert read_key_file(tmp_path / "key", "SOME_VARIABLE") == "from-a-file"


@pytest.mark.parametrize(
    ("content", "problem"), [(None, "cannot be read"), ("\n", "is an empty file")]
)
def test_it_refuses_a_missing_or_empty_key_file(tmp_path, content, problem):
    path = tmp_path / "key"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ImproperlyConfigured) as error:
        read_key_file(path, "SOME_VARIABLE")
    assert str(error.value).startswith(f"SOME_VARIABLE={str(path)!r} {problem}")


def test_it_names_the_data_directory_when_manage_py_cannot_keep_a_key(tmp_path):
    # Under a regular file, no directory can be made, even by root.
    (tmp_path / "afile").write_text("")
    data_dir = tmp_path / "afile" / "data"
    result = run(["manage.py", "check"], data_dir)
    assert result.returncode != 0
    assert result.stderr.strip() == (
        f"Configuration error: DJANGO_DATA_DIR={str(data_dir)!r} cannot hold the "
        f"generated secret key: Not a directory. {REMEDY}"
    )


# --- A data directory the images' user cannot use ---------------------------


@pytest.fixture
def place():
    """A directory every user may enter, unlike pytest's own (0700) tmp_path,
    so that each case below fails for its own reason and not on the way."""
    with tempfile.TemporaryDirectory() as path:
        os.chmod(path, 0o755)  # noqa: S103 (the images' user must enter it)
        yield Path(path)


def for_app_user(path, mode):
    """`path` made for the images' user (when run as root), then set to `mode`."""
    path.mkdir()
    if os.geteuid() == 0:
        os.chown(path, APP_UID, APP_UID)
    path.chmod(mode)
    return path


CASES = {
    # Its parent takes no new entry, so it cannot be made.
    "missing": lambda place: for_app_user(place / "parent", 0o555) / "data",
    "read-only": lambda place: for_app_user(place / "data", 0o555),
    # As a tmpfs mounted by root with mode 0770 is for any other user.
    "not listable": lambda place: for_app_user(place / "data", 0o000),
    # Another user's directory, as the images' /data is not on every volume.
    "not writable": lambda place: Path("/"),
}
FAILURES = {
    "missing": "Permission denied",
    "read-only": "Permission denied",
    "not listable": "Permission denied",
    "not writable": "Permission denied",
    "full": "File too large",
}


def start_as_app_user(data_dir, *args):
    return run(["-m", "tests.app_user", str(data_dir), *args], data_dir)


@pytest.mark.parametrize("case", [*CASES, "full"])
def test_it_stops_with_one_line_naming_an_unusable_data_directory(place, case):
    if case == "full":
        data_dir = for_app_user(place / "data", 0o755)
        result = start_as_app_user(data_dir, "--file-size-limit", "10")
    else:
        data_dir = CASES[case](place)
        result = start_as_app_user(data_dir)
    assert result.returncode != 0
    assert result.stderr.strip() == (
        f"Configuration error: DJANGO_DATA_DIR={str(data_dir)!r} cannot hold the "
        f"generated secret key: {FAILURES[case]}. {REMEDY}"
    )
    if case == "full":
        assert list(data_dir.iterdir()) == []


def test_it_generates_the_key_as_the_app_user_in_a_usable_directory(place):
    data_dir = for_app_user(place / "data", 0o770)
    result = start_as_app_user(data_dir)
    assert result.returncode == 0, result.stderr
    assert os.listdir(data_dir) == ["secret_key"]


def test_it_serves_an_existing_key_from_a_read_only_directory(place):
    data_dir = for_app_user(place / "data", 0o755)
    (data_dir / "secret_key").write_text("kept\n")
    if os.geteuid() == 0:
        os.chown(data_dir / "secret_key", APP_UID, APP_UID)
    data_dir.chmod(0o555)
    result = start_as_app_user(data_dir)
    assert result.returncode == 0, result.stderr
