import datetime
import hashlib
import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from sejahtera.accounts.models import ApiToken
from sejahtera.core.models import AuditEvent
from sejahtera.registry.identity import mask_nik
from tests.api.conftest import API, ORIGIN


@pytest.fixture
def family(operator_a, make_family):
    return make_family(operator_a)


def test_token_reads_like_its_user(client, operator_a, agency_officer, family, bearer):
    as_operator = client.get(f"{API}/families/{family.pk}", headers=bearer(operator_a))
    assert as_operator.status_code == 200
    assert as_operator.json()["no_kk"] == family.no_kk
    as_officer = client.get(f"{API}/families/{family.pk}", headers=bearer(agency_officer))
    assert as_officer.json()["no_kk"] == mask_nik(family.no_kk)
    event = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).order_by("id").last()
    assert (event.actor, event.channel) == (agency_officer, "api")


def test_token_post_needs_no_csrf_token(client, operator_a, family, bearer):
    """A bearer token is not sent by browsers on their own, so it needs no CSRF protection."""
    head = family.members.get()
    response = client.post(f"{API}/persons/lookup", json.dumps({"nik": head.nik}),
                           content_type="application/json", headers=bearer(operator_a))
    assert response.status_code == 200
    assert response.json()["id"] == head.pk


def test_session_post_needs_csrf_token(client, operator_a, family, csrf_headers):
    head = family.members.get()
    client.force_login(operator_a)
    body = json.dumps({"nik": head.nik})
    refused = client.post(f"{API}/persons/lookup", body, content_type="application/json",
                          headers={"Origin": ORIGIN})
    assert refused.status_code == 403
    headers = csrf_headers(client)
    cross_site = client.post(f"{API}/persons/lookup", body, content_type="application/json",
                             headers={**headers, "Origin": "https://evil.example"})
    assert cross_site.status_code == 403
    accepted = client.post(f"{API}/persons/lookup", body, content_type="application/json", headers=headers)
    assert accepted.status_code == 200


def test_only_the_hash_of_the_key_is_stored(operator_a, make_token):
    key = make_token(operator_a, name="SIKS-NG")
    token = ApiToken.objects.get()
    assert key.startswith("sjt_") and len(key) > 40
    assert token.key_hash == hashlib.sha256(key.encode()).hexdigest()
    assert token.prefix == key[:12]
    assert key not in {token.key_hash, token.prefix, token.name}
    created = AuditEvent.objects.get(object_type="accounts.apitoken")
    assert created.action == AuditEvent.Action.CREATE
    assert key not in json.dumps(created.changes) + created.summary


def test_use_is_noted(client, operator_a, make_token):
    key = make_token(operator_a)
    assert ApiToken.objects.get().last_used_at is None
    client.get(f"{API}/families", headers={"Authorization": f"Bearer {key}"})
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize("header", [
    "Bearer sjt_not-a-key", "Bearer ", "Bearer", "Token sjt_x", "sjt_x", "Basic dXNlcjpwYXNz",
])
def test_wrong_token_is_401(client, header):
    assert client.get(f"{API}/families", headers={"Authorization": header}).status_code == 401


def test_a_key_with_a_changed_character_is_401(client, operator_a, make_token):
    key = make_token(operator_a)
    wrong = key[:-1] + ("A" if key[-1] != "A" else "B")
    assert client.get(f"{API}/families", headers={"Authorization": f"Bearer {wrong}"}).status_code == 401


def test_inactive_token_is_401(client, operator_a, make_token):
    key = make_token(operator_a)
    ApiToken.objects.update(is_active=False)
    assert client.get(f"{API}/families", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_expired_token_is_401(client, operator_a, make_token):
    key = make_token(operator_a, expires_at=timezone.now() + datetime.timedelta(days=1))
    headers = {"Authorization": f"Bearer {key}"}
    assert client.get(f"{API}/families", headers=headers).status_code == 200
    ApiToken.objects.update(expires_at=timezone.now() - datetime.timedelta(seconds=1))
    assert client.get(f"{API}/families", headers=headers).status_code == 401


def test_token_of_a_deactivated_user_is_401(client, operator_a, make_token):
    key = make_token(operator_a)
    operator_a.is_active = False
    operator_a.save()
    assert client.get(f"{API}/families", headers={"Authorization": f"Bearer {key}"}).status_code == 401


def test_create_api_token_command_prints_the_key_once(client, operator_a, family):
    out, err = io.StringIO(), io.StringIO()
    call_command("create_api_token", operator_a.username, name="Dinsos SIKS-NG", expires_days=30,
                 stdout=out, stderr=err)
    key = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert (token.user, token.name, token.prefix) == (operator_a, "Dinsos SIKS-NG", key[:12])
    assert token.expires_at > timezone.now() + datetime.timedelta(days=29)
    assert key not in err.getvalue()
    assert token.prefix in err.getvalue()
    response = client.get(f"{API}/families/{family.pk}", headers={"Authorization": f"Bearer {key}"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_create_api_token_command_rejects_unknown_user():
    with pytest.raises(CommandError):
        call_command("create_api_token", "nobody", name="x", stdout=io.StringIO())
    assert not ApiToken.objects.exists()
