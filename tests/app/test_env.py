from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from stack.env import env_bool, env_choice, env_int, env_list, env_path, env_str

NAME = "CLOCK_TEST_VARIABLE"


@pytest.fixture(autouse=True)
def unset(monkeypatch):
    monkeypatch.delenv(NAME, raising=False)


@pytest.mark.parametrize(
    ("read", "default"),
    [
        (lambda: env_str(NAME, "fallback"), "fallback"),
        (lambda: env_str(NAME, None), None),
        (lambda: env_bool(NAME, True), True),
        (lambda: env_int(NAME, 42), 42),
        (lambda: env_list(NAME, ["a", "b"]), ["a", "b"]),
        (lambda: env_choice(NAME, "INFO", {"INFO", "DEBUG"}), "INFO"),
        (lambda: env_path(NAME, "/srv/data"), Path("/srv/data")),
    ],
    ids=["str", "str-none", "bool", "int", "list", "choice", "path"],
)
def test_it_returns_the_default_when_unset(read, default):
    assert read() == default


@pytest.mark.parametrize(
    ("read", "value", "expected"),
    [
        (lambda: env_str(NAME, None), "  some text \n", "some text"),
        (lambda: env_int(NAME, 0), " 8000 ", 8000),
        (lambda: env_int(NAME, 5, minimum=1), "1", 1),
        (
            lambda: env_list(NAME, []),
            "a.example, b.example ",
            ["a.example", "b.example"],
        ),
        (lambda: env_list(NAME, []), "one", ["one"]),
        (lambda: env_choice(NAME, "INFO", {"INFO", "DEBUG"}), "debug", "DEBUG"),
        (
            lambda: env_path(NAME, "/default"),
            " /var/lib/clock ",
            Path("/var/lib/clock"),
        ),
    ],
    ids=["str", "int", "int-minimum", "list", "list-single", "choice", "path"],
)
def test_it_parses_a_set_value(monkeypatch, read, value, expected):
    monkeypatch.setenv(NAME, value)
    assert read() == expected


@pytest.mark.parametrize("value", ["1", "true", "True", "YES", "on", " true "])
def test_it_reads_true_booleans(monkeypatch, value):
    monkeypatch.setenv(NAME, value)
    assert env_bool(NAME, False) is True


@pytest.mark.parametrize("value", ["0", "false", "FALSE", "no", "Off"])
def test_it_reads_false_booleans(monkeypatch, value):
    monkeypatch.setenv(NAME, value)
    assert env_bool(NAME, True) is False


def test_it_returns_a_fresh_copy_of_a_default_list():
    default = ["a"]
    env_list(NAME, default).append("b")
    assert default == ["a"]


@pytest.mark.parametrize(
    ("read", "value", "message"),
    [
        (lambda: env_str(NAME, "x"), "", "is set but empty"),
        (lambda: env_str(NAME, "x"), "   ", "is set but empty"),
        (lambda: env_bool(NAME, False), "maybe", "'maybe' is not a boolean"),
        (lambda: env_bool(NAME, False), "", "'' is not a boolean"),
        (lambda: env_int(NAME, 1), "eight", "'eight' is not a whole number"),
        (lambda: env_int(NAME, 1), "2.5", "'2.5' is not a whole number"),
        (lambda: env_int(NAME, 1), "-1", "'-1' must be at least 0"),
        (lambda: env_int(NAME, 1, minimum=1), "0", "'0' must be at least 1"),
        (lambda: env_list(NAME, []), "a,,b", "'a,,b' has an empty item"),
        (lambda: env_list(NAME, []), "a,", "'a,' has an empty item"),
        (lambda: env_list(NAME, []), "", "'' has an empty item"),
        (lambda: env_choice(NAME, "A", {"A", "B"}), "C", "'C' is not one of A, B"),
        (lambda: env_path(NAME, "/x"), "data", "'data' must be an absolute path"),
        (lambda: env_path(NAME, "/x"), "", "'' must be an absolute path"),
    ],
)
def test_it_rejects_a_malformed_value_naming_the_variable(
    monkeypatch, read, value, message
):
    monkeypatch.setenv(NAME, value)
    with pytest.raises(ImproperlyConfigured) as error:
        read()
    assert str(error.value).startswith(NAME)
    assert message in str(error.value)


def test_it_rejects_a_list_item_its_validator_refuses(monkeypatch):
    monkeypatch.setenv(NAME, "good,bad")
    with pytest.raises(ImproperlyConfigured) as error:
        env_list(NAME, [], validate=lambda item: "is bad" if item == "bad" else None)
    assert str(error.value) == f"{NAME}='good,bad': 'bad' is bad."


def test_it_accepts_list_items_its_validator_allows(monkeypatch):
    monkeypatch.setenv(NAME, "good,fine")
    assert env_list(NAME, [], validate=lambda item: None) == ["good", "fine"]
