"""API tokens for integrators: issuing keys and finding the token of a presented key.

A key looks like ``sjt_<43 url-safe characters>``. Only its SHA-256 hash is stored, so a
stolen database does not give working keys; the key is shown once, when it is issued.
"""

import datetime
import hashlib
import secrets

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from sejahtera.accounts.models import ApiToken
from sejahtera.core.audit import audit_record
from sejahtera.core.models import AuditEvent

KEY_PREFIX = "sjt_"
PREFIX_LENGTH = len(KEY_PREFIX) + 8
# last_used_at is written at most this often per token, not on every request.
LAST_USED_RESOLUTION = datetime.timedelta(minutes=1)


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


@transaction.atomic
def api_token_create(*, actor, user, name: str, expires_at: datetime.datetime | None = None,
                     channel: str = "cli") -> tuple[ApiToken, str]:
    """Issue a token for ``user``; return it with its key (which is not stored)."""
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(user=user, name=name, prefix=key[:PREFIX_LENGTH], key_hash=hash_key(key),
                                    expires_at=expires_at)
    audit_record(actor=actor, action=AuditEvent.Action.CREATE, instance=token,
                 changes={"user": [None, user.pk], "name": [None, name], "prefix": [None, token.prefix],
                          "expires_at": [None, expires_at.isoformat() if expires_at else None]},
                 summary=f"API token {token.prefix}… for {user.username}", channel=channel)
    return token, key


def api_token_for_key(key: str) -> ApiToken | None:
    """The active, unexpired token of an active user with this key, or None. Notes its use."""
    if not key.startswith(KEY_PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=hash_key(key), is_active=True, user__is_active=True)
        .filter(Q(expires_at__isnull=True) | Q(expires_at__gt=now))
        .first()
    )
    if token is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
