"""Fixtures of the API tests: clients and API tokens."""

import pytest
from django.test import Client

from sejahtera.api.tokens import api_token_create

API = "/api/v1"


ORIGIN = "https://testserver"


class HttpsClient(Client):
    """Every request over HTTPS, as in production (where plain HTTP is redirected)."""

    def generic(self, *args, secure=True, **kwargs):
        return super().generic(*args, secure=True, **kwargs)


@pytest.fixture
def client():
    """An HTTPS client that meets the CSRF checks a browser meets."""
    return HttpsClient(enforce_csrf_checks=True)


@pytest.fixture
def csrf_headers():
    """Headers a browser page would send with a session POST: its origin and the CSRF token."""

    def headers(client) -> dict:
        client.get(f"{API}/docs")  # a page that sets the CSRF cookie
        return {"Origin": ORIGIN, "X-CSRFToken": client.cookies["csrftoken"].value}

    return headers


@pytest.fixture
def make_token(db):
    def make(user, **kwargs) -> str:
        _, key = api_token_create(actor=None, user=user, name=kwargs.pop("name", "test"), **kwargs)
        return key

    return make


@pytest.fixture
def bearer(make_token):
    """Request headers authenticating as ``user`` with a new API token."""

    def headers(user) -> dict:
        return {"Authorization": f"Bearer {make_token(user)}"}

    return headers


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """The users of these tests log in by session or token, never by password: skip PBKDF2's cost."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
