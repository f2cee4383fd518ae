import shutil
from collections import namedtuple

import pytest

from stack.health import checks

Usage = namedtuple("Usage", "total used free")


@pytest.mark.django_db
def test_it_reports_ready_and_leaves_nothing_in_the_data_directory(
    client, settings, tmp_path
):
    settings.DATA_DIR = tmp_path
    assert client.get("/readyz").status_code == 200
    assert list(tmp_path.iterdir()) == []


@pytest.mark.django_db
def test_it_reports_unready_when_the_data_volume_is_full(
    client, settings, tmp_path, monkeypatch
):
    settings.DATA_DIR = tmp_path
    monkeypatch.setattr(
        shutil, "disk_usage", lambda path: Usage(10_000_000, 9_990_000, 10_000)
    )
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"] == "data-dir"
    assert checks.data_directory_problem(tmp_path) == (
        f"data volume full: 10000 bytes free in {tmp_path}, "
        f"{checks.MIN_FREE_BYTES} needed"
    )


@pytest.mark.django_db
def test_it_reports_unready_when_the_data_directory_takes_no_write(
    client, settings, tmp_path
):
    # Tests run as root, whom permissions do not stop: a missing directory
    # refuses the probe's file the same way a read-only one does.
    settings.DATA_DIR = tmp_path / "gone"
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["reason"] == "data-dir"
    assert checks.data_directory_problem(tmp_path / "gone") == (
        f"data directory {tmp_path / 'gone'} cannot be written: "
        "No such file or directory"
    )
