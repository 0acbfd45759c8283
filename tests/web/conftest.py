import pytest


@pytest.fixture(autouse=True)
def web_settings(plain_http):
    """Every web test speaks plain HTTP (see tests/conftest.py)."""
