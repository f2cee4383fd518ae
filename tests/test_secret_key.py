import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from project.secret_key import load_or_generate, read_key_file

ROOT = Path(__file__).resolve().parent.parent
PRINT_KEY = (
    "import django; django.setup(); from django.conf import settings; "
    "print(settings.SECRET_KEY)"
)


def settings_process(data_dir, **variables):
    # Nothing inherited: a developer's DJANGO_SECRET_KEY must not leak in.
    env = {
        "DJANGO_SETTINGS_MODULE": "project.settings",
        "DJANGO_DATA_DIR": str(data_dir),
    }
    return subprocess.run(
        [sys.executable, "-c", PRINT_KEY],
        cwd=ROOT,
        env={**env, **variables},
        capture_output=True,
        text=True,
    )


def key_of(data_dir, **variables):
    result = settings_process(data_dir, **variables)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


@pytest.fixture
def unwritable_dir(tmp_path):
    """A data directory that cannot be created or written, even by root.

    A read-only directory stops an ordinary user; root writes there anyway, so
    for root the directory is placed under a regular file instead.
    """
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o500)
    try:
        (locked / "probe").touch()
    except PermissionError:
        yield locked
    else:
        (locked / "probe").unlink()
        (tmp_path / "afile").write_text("")
        yield tmp_path / "afile" / "sub"
    locked.chmod(0o700)


def test_it_generates_a_key_file_readable_only_by_its_owner(tmp_path):
    load_or_generate(tmp_path)
    assert stat.S_IMODE((tmp_path / "secret_key").stat().st_mode) == 0o600


def test_it_returns_the_key_it_stored(tmp_path):
    key = load_or_generate(tmp_path)
    assert (tmp_path / "secret_key").read_text() == key


def test_it_generates_a_long_random_key(tmp_path):
    assert len(load_or_generate(tmp_path)) >= 50
    assert load_or_generate(tmp_path / "other") != load_or_generate(tmp_path)


def test_it_returns_the_same_key_on_a_second_call(tmp_path):
    assert load_or_generate(tmp_path) == load_or_generate(tmp_path)


def test_it_leaves_only_the_key_file_behind(tmp_path):
    load_or_generate(tmp_path)
    load_or_generate(tmp_path)
    assert os.listdir(tmp_path) == ["secret_key"]


def test_it_creates_a_missing_data_directory(tmp_path):
    data_dir = tmp_path / "new" / "data"
    key = load_or_generate(data_dir)
    assert (data_dir / "secret_key").read_text() == key


def test_it_keeps_a_key_that_is_already_there(tmp_path):
    (tmp_path / "secret_key").write_text("kept-from-an-earlier-start\n")
    assert load_or_generate(tmp_path) == "kept-from-an-earlier-start"


def test_it_refuses_an_unwritable_data_directory_naming_the_remedy(unwritable_dir):
    with pytest.raises(ImproperlyConfigured) as error:
        load_or_generate(unwritable_dir)
    assert str(unwritable_dir) in str(error.value)
    assert "Set DJANGO_SECRET_KEY or DJANGO_SECRET_KEY_FILE" in str(error.value)


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


def test_it_reuses_the_generated_key_in_the_next_process(tmp_path):
    first = key_of(tmp_path)
    assert key_of(tmp_path) == first
    assert (tmp_path / "secret_key").read_text() == first


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


def test_it_stops_when_no_key_is_given_and_none_can_be_kept(unwritable_dir):
    result = settings_process(unwritable_dir)
    assert result.returncode != 0
    assert "Set DJANGO_SECRET_KEY" in result.stderr.strip().splitlines()[-1]
