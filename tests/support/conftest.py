import pytest


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Attached documents are stored in a folder of the test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def manager(people):
    return people["bushehr-manager"]


@pytest.fixture
def expert(people):
    return people["bushehr-expert"]


@pytest.fixture
def rep(people):
    return people["bushehr-unit"]
