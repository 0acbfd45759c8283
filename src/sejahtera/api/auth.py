"""Authentication of API requests: the Django session (browsers) or a bearer token (integrators).

Both give ``request.auth`` = the user, so the selectors scope every read the same way.
"""

from django.conf import settings
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from sejahtera.api.tokens import api_token_for_key


class SessionCookieAuth(SessionAuth):
    """ninja's ``django_auth`` (CSRF-checked for unsafe methods), tried only when a session cookie
    is present. Without one the user is anonymous anyway, and skipping keeps a bearer-token POST
    from failing the CSRF check before the token auth gets its turn."""

    def __call__(self, request: HttpRequest):
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return None
        return super().__call__(request)


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer sjt_…``: an ``ApiToken`` looked up by the hash of the key."""

    def authenticate(self, request: HttpRequest, token: str):
        api_token = api_token_for_key(token.strip())
        if api_token is None:
            return None
        request.api_token = api_token
        request.user = api_token.user
        return api_token.user


session_auth = SessionCookieAuth()
token_auth = ApiTokenAuth()
# For endpoints with personal data.
REGISTRY_AUTH = [session_auth, token_auth]
