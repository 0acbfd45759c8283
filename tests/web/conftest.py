import pytest


@pytest.fixture(autouse=True)
def web_settings(settings):
    # The test client speaks plain HTTP; production redirects it to HTTPS.
    settings.SECURE_SSL_REDIRECT = False
    # The real password hasher takes most of a second per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def login(client):
    """Log the client in as ``user`` and return it."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user
