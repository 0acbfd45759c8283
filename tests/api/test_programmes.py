"""The programme API: catalogue, rules, cycles and enrolments, scoped like the registry API.

A generated regency is written and scored once for the module, inside a transaction rolled
back at the end; each test's own writes are rolled back after it.
"""

import json
from collections import Counter

import pytest
from django.conf import settings
from django.utils import translation

from sejahtera.accounts.models import Agency
from sejahtera.accounts.roles import Role
from sejahtera.core.models import AuditEvent
from sejahtera.programs.catalogue import PROGRAMMES
from sejahtera.programs.models import Cycle, Enrolment, Programme
from sejahtera.programs.rules import describe
from sejahtera.registry.identity import mask_nik
from sejahtera.welfare.models import WelfareScore
from tests.api.conftest import API
from tests.programs.conftest import REGENCY, scored_once_per_module

pytestmark = pytest.mark.django_db

registry = scored_once_per_module(300, 11)

RULE = "desil <= 4"


@pytest.fixture(autouse=True)
def english(client):
    """Answers in English (the language cookie), and English for what the tests compute themselves."""
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def officer(make_user):
    return make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos", username="officer")


@pytest.fixture
def head(make_user):
    return make_user(Role.AGENCY_HEAD, REGENCY, agency="dinsos", username="head")


@pytest.fixture
def verifier(make_user):
    return make_user(Role.KECAMATAN_VERIFIER, REGENCY, username="verifier")


def make_programme(code, *, target="family", quota=None, amount=100_000):
    return Programme.objects.create(
        regency_code=REGENCY, code=code, name=code, agency=Agency.objects.get(code="dinsos"), target=target,
        benefit="cash", amount=amount, period="once", quota=quota)


def post(client, path, data=None, headers=None):
    return client.post(f"{API}{path}", json.dumps(data or {}), content_type="application/json", headers=headers)


def get(client, path, headers=None, **params):
    return client.get(f"{API}{path}", params, headers=headers)


def open_cycle(client, headers, programme, rule=RULE, label="2026") -> dict:
    """Draft, publish, create and open a cycle through the API; the opened cycle's detail."""
    assert post(client, f"/programmes/{programme.code}/rules/draft", {"text": rule}, headers).status_code == 200
    assert post(client, f"/programmes/{programme.code}/rules/publish", None, headers).status_code == 200
    created = post(client, f"/programmes/{programme.code}/cycles",
                   {"label": label, "starts_on": "2026-01-01", "ends_on": "2026-12-31"}, headers)
    assert created.status_code == 201, created.content
    opened = post(client, f"/cycles/{created.json()['id']}/open", None, headers)
    assert opened.status_code == 200, opened.content
    return opened.json()


@pytest.fixture
def family_cycle(client, bearer, officer):
    """An open cycle of a family programme (quota 5) proposing every family of desil 1-4."""
    programme = make_programme("uji-api-keluarga", quota=5)
    return Cycle.objects.get(pk=open_cycle(client, bearer(officer), programme)["id"])


def enrolment_ids(cycle, **filters) -> list[int]:
    return list(Enrolment.objects.filter(cycle=cycle, **filters).order_by("priority").values_list("id", flat=True))


# --- catalogue and rules ---------------------------------------------------------------------


@pytest.mark.parametrize("method, path", [
    ("get", "/programmes"), ("get", "/programmes/pbi-jkn-daerah"), ("post", "/rules/validate"),
    ("get", "/cycles/1"), ("get", "/cycles/1/enrolments"), ("get", "/enrolments/1"),
    ("post", "/enrolments/1/verify"), ("post", "/cycles/1/enrolments/bulk"),
])
def test_programme_endpoints_need_authentication(client, method, path):
    assert getattr(client, method)(f"{API}{path}").status_code == 401


def test_list_and_detail_with_the_published_rule_in_words(client, officer):
    client.force_login(officer)
    listing = get(client, "/programmes")
    assert listing.status_code == 200
    assert "no-store" in listing["Cache-Control"]
    codes = {item["code"] for item in listing.json()}
    assert {row[0] for row in PROGRAMMES} <= codes

    detail = get(client, "/programmes/pbi-jkn-daerah")
    assert detail.status_code == 200
    body = detail.json()
    seeded_rule = next(row[11] for row in PROGRAMMES if row[0] == "pbi-jkn-daerah")
    assert body["agency"]["code"] == "dinkes" and body["target"] == "person"
    assert body["rule"]["version"] == 1 and body["rule"]["text"] == seeded_rule
    assert body["rule"]["description"] == describe(seeded_rule, "person")
    assert "and" in body["rule"]["description"]  # the English words: the language cookie applies
    assert body["draft_version"] is None
    assert get(client, "/programmes/no-such-programme").status_code == 404


def test_rule_validate_says_where_the_rule_goes_wrong(client, officer, bearer):
    headers = bearer(officer)
    wrong = post(client, "/rules/validate", {"text": "age >= 18\nand desill <= 4", "target": "person"}, headers)
    assert wrong.status_code == 200
    body = wrong.json()
    assert body["valid"] is False and body["description"] == ""
    [error] = body["errors"]
    assert (error["line"], error["column"], error["token"]) == (2, 5, "desill")
    assert "desil" in error["hint"]
    assert error["caret"] == "and desill <= 4\n    ^"

    right = post(client, "/rules/validate", {"text": RULE, "target": "family"}, headers).json()
    assert right == {"valid": True, "errors": [], "description": describe(RULE, "family")}
    assert post(client, "/rules/validate", {"text": RULE, "target": "nobody"}, headers).status_code == 422


def test_rule_preview_counts_per_kecamatan(client, officer, bearer):
    headers = bearer(officer)
    response = post(client, "/rules/preview", {"text": RULE, "target": "family"}, headers)
    assert response.status_code == 200
    body = response.json()
    desils = WelfareScore.objects.filter(is_current=True).values_list("desil", "family__desa_id")
    expected = Counter(desa[:6] for desil, desa in desils if desil <= 4)
    assert body["total"] == sum(expected.values()) > 0
    assert {row["code"]: row["count"] for row in body["per_kecamatan"]} == expected
    invalid = post(client, "/rules/preview", {"text": "desil <=", "target": "family"}, headers)
    assert invalid.status_code == 422
    [error] = invalid.json()["errors"]
    assert (error["column"], error["token"]) == (7, "<=")  # the rule ends after the operator
    assert invalid.json()["detail"].startswith("Column 7:")


def test_draft_then_publish(client, officer, csrf_headers):
    programme = make_programme("uji-api-aturan")
    client.force_login(officer)
    headers = csrf_headers(client)
    path = f"/programmes/{programme.code}/rules"

    draft = post(client, f"{path}/draft", {"text": "desill <= 4", "note": "first try"}, headers)
    assert draft.status_code == 200
    assert (draft.json()["version"], draft.json()["is_draft"]) == (1, True)
    refused = post(client, f"{path}/publish", None, headers)
    assert refused.status_code == 422
    assert "Column 1" in refused.json()["detail"] and "desil" in refused.json()["detail"]

    edited = post(client, f"{path}/draft", {"text": RULE}, headers)
    assert (edited.json()["version"], edited.json()["text"]) == (1, RULE)  # the open draft is edited
    published = post(client, f"{path}/publish", None, headers)
    assert published.status_code == 200 and published.json()["is_draft"] is False
    assert post(client, f"{path}/publish", None, headers).status_code == 422  # nothing left to publish

    post(client, f"{path}/draft", {"text": "desil <= 3"}, headers)
    versions = get(client, path).json()
    assert [(v["version"], v["is_draft"], v["text"]) for v in versions] == [(2, True, "desil <= 3"), (1, False, RULE)]
    detail = get(client, f"/programmes/{programme.code}").json()
    assert (detail["rule"]["version"], detail["rule"]["text"], detail["draft_version"]) == (1, RULE, 2)


def test_other_regency_sees_404_and_other_agency_gets_403(client, make_user, bearer, family_cycle):
    programme = family_cycle.programme
    enrolment = enrolment_ids(family_cycle)[0]
    elsewhere = bearer(make_user(Role.AGENCY_OFFICER, "3202", agency="dinsos", username="sukabumi"))
    assert get(client, "/programmes", elsewhere).json() == []
    for path in (f"/programmes/{programme.code}", f"/programmes/{programme.code}/cycles",
                 f"/cycles/{family_cycle.pk}", f"/cycles/{family_cycle.pk}/enrolments", f"/enrolments/{enrolment}"):
        assert get(client, path, elsewhere).status_code == 404, path
    assert post(client, f"/programmes/{programme.code}/rules/draft", {"text": RULE}, elsewhere).status_code == 404
    assert post(client, f"/cycles/{family_cycle.pk}/close", None, elsewhere).status_code == 404

    disdik = bearer(make_user(Role.AGENCY_OFFICER, REGENCY, agency="disdik", username="disdik"))
    assert get(client, f"/programmes/{programme.code}", disdik).status_code == 200  # the catalogue is public
    # Enrolments name persons: agency staff read only their own agency's.
    assert get(client, f"/cycles/{family_cycle.pk}/enrolments", disdik).json() == {"items": [], "count": 0}
    assert get(client, f"/enrolments/{enrolment}", disdik).status_code == 404
    draft = post(client, f"/programmes/{programme.code}/rules/draft", {"text": RULE}, disdik)
    assert draft.status_code == 403 and programme.agency.short_name in draft.json()["detail"]
    assert post(client, f"/cycles/{family_cycle.pk}/close", None, disdik).status_code == 403
    created = post(client, f"/programmes/{programme.code}/cycles",
                   {"label": "2027", "starts_on": "2027-01-01", "ends_on": "2027-12-31"}, disdik)
    assert created.status_code == 403
    assert not programme.rules.filter(version=2).exists() and not programme.cycles.filter(label="2027").exists()


# --- cycles ----------------------------------------------------------------------------------


def test_opening_proposes_as_many_candidates_as_the_rule_matches(client, officer, bearer, family_cycle):
    # Independently: the families whose current score has desil 1-4, counted in Python.
    expected = sum(1 for desil in WelfareScore.objects.filter(is_current=True).values_list("desil", flat=True)
                   if desil <= 4)
    assert expected > 20
    headers = bearer(officer)
    detail = get(client, f"/cycles/{family_cycle.pk}", headers).json()
    assert (detail["status"], detail["candidates"], detail["rule_version"]) == ("open", expected, 1)
    assert (detail["quota"], detail["quota_left"], detail["approved_count"]) == (5, 5, 0)
    assert detail["status_counts"]["candidate"] == expected
    assert sum(detail["status_counts"].values()) == expected
    assert get(client, f"/cycles/{family_cycle.pk}/enrolments", headers).json()["count"] == expected
    cycles = get(client, f"/programmes/{family_cycle.programme.code}/cycles", headers).json()
    assert [(c["id"], c["candidates"]) for c in cycles] == [(family_cycle.pk, expected)]

    reopened = post(client, f"/cycles/{family_cycle.pk}/open", None, headers)
    assert reopened.status_code == 422 and "draft" in reopened.json()["detail"]
    duplicate = post(client, f"/programmes/{family_cycle.programme.code}/cycles",
                     {"label": "2026", "starts_on": "2026-01-01", "ends_on": "2026-12-31"}, headers)
    assert duplicate.status_code == 422 and "2026" in duplicate.json()["detail"]
    closed = post(client, f"/cycles/{family_cycle.pk}/close", None, headers)
    assert closed.status_code == 200 and closed.json()["status"] == "closed"


# --- enrolments: scope, masking, access log --------------------------------------------------


def test_desa_operator_sees_only_their_desa(client, make_user, bearer, family_cycle):
    per_desa = Counter(Enrolment.objects.filter(cycle=family_cycle).values_list("desa_code", flat=True))
    desa, count = per_desa.most_common(1)[0]
    headers = bearer(make_user(Role.DESA_OPERATOR, desa, username="operator"))
    body = get(client, f"/cycles/{family_cycle.pk}/enrolments", headers).json()
    assert body["count"] == count < sum(per_desa.values())
    assert {item["desa"].replace(".", "") for item in body["items"]} == {desa}
    assert [item["priority"] for item in body["items"]] == sorted(item["priority"] for item in body["items"])
    # Whole numbers for the operator of the desa.
    first = Enrolment.objects.select_related("family").get(pk=body["items"][0]["id"])
    assert body["items"][0]["family"] == {"id": first.family_id, "no_kk": first.family.no_kk}

    outside = Enrolment.objects.filter(cycle=family_cycle).exclude(desa_code=desa).first()
    assert get(client, f"/enrolments/{outside.pk}", headers).status_code == 404
    assert post(client, f"/enrolments/{outside.pk}/verify", None, headers).status_code == 404
    assert get(client, f"/cycles/{family_cycle.pk}/enrolments", headers,
               region=outside.desa_code).json() == {"items": [], "count": 0}
    assert get(client, f"/cycles/{family_cycle.pk}/enrolments", headers, region="32.0x").status_code == 422


def test_planner_gets_no_personal_data(client, planner, bearer, family_cycle):
    headers = bearer(planner)
    assert get(client, f"/cycles/{family_cycle.pk}/enrolments", headers).json() == {"items": [], "count": 0}
    assert get(client, f"/enrolments/{enrolment_ids(family_cycle)[0]}", headers).status_code == 404
    detail = get(client, f"/cycles/{family_cycle.pk}", headers)
    assert detail.status_code == 200  # totals carry no personal data
    assert detail.json()["candidates"] > 0 and set(detail.json()["status_counts"].values()) == {0}
    assert post(client, "/rules/preview", {"text": RULE, "target": "family"}, headers).json()["total"] > 0


def test_agency_roles_get_masked_numbers_and_reads_are_logged(client, officer, bearer,
                                                             django_assert_max_num_queries):
    programme = make_programme("uji-api-lansia", target="person")
    headers = bearer(officer)
    cycle = open_cycle(client, headers, programme, rule="age >= 60")
    with django_assert_max_num_queries(8):  # a page costs the same few queries whatever its length
        listing = get(client, f"/cycles/{cycle['id']}/enrolments", headers, limit=500).json()
    assert listing["count"] == cycle["candidates"] > 20
    enrolments = Enrolment.objects.filter(cycle_id=cycle["id"]).select_related("person", "family")
    whole = {e.pk: (e.person.nik, e.family.no_kk) for e in enrolments}
    for item in listing["items"]:
        nik, no_kk = whole[item["id"]]
        assert (item["person"]["nik"], item["family"]["no_kk"]) == (mask_nik(nik), mask_nik(no_kk))
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()  # a list reads no record

    first = listing["items"][0]["id"]
    detail = get(client, f"/enrolments/{first}", headers)
    assert detail.status_code == 200
    assert detail.json()["person"]["nik"] == mask_nik(whole[first][0])
    assert (detail.json()["programme"], detail.json()["cycle_label"]) == (programme.code, "2026")
    assert whole[first][0] not in json.dumps([listing, detail.json()])
    event = AuditEvent.objects.get(action=AuditEvent.Action.VIEW)
    assert (event.object_type, event.object_id, event.actor, event.channel) == (
        "programs.enrolment", str(first), officer, "api")
    assert event.region_code == Enrolment.objects.get(pk=first).desa_code


# --- the workflow ----------------------------------------------------------------------------


def test_steps_one_at_a_time_and_approval_within_the_quota(client, head, verifier, officer, bearer, family_cycle):
    ids = enrolment_ids(family_cycle)[:7]
    as_verifier, as_head = bearer(verifier), bearer(head)
    verified = post(client, f"/enrolments/{ids[0]}/verify", None, as_verifier)
    assert verified.status_code == 200 and verified.json()["status"] == "verified"
    assert post(client, f"/enrolments/{ids[0]}/verify", None, as_verifier).status_code == 422  # not a candidate
    assert post(client, f"/enrolments/{ids[1]}/approve", None, as_head).status_code == 422  # not verified
    assert post(client, f"/enrolments/{ids[0]}/approve", None, as_verifier).status_code == 403

    for pk in ids[1:]:
        assert post(client, f"/enrolments/{pk}/verify", None, as_verifier).status_code == 200
    answers = [post(client, f"/enrolments/{pk}/approve", None, as_head) for pk in ids[:6]]
    assert [a.status_code for a in answers] == [200] * 5 + [422]
    assert "quota" in answers[-1].json()["detail"]
    detail = get(client, f"/cycles/{family_cycle.pk}", as_head).json()
    assert (detail["approved_count"], detail["quota_left"], detail["status_counts"]["approved"]) == (5, 0, 5)

    no_reason = post(client, f"/enrolments/{ids[6]}/reject", None, as_verifier)
    assert no_reason.status_code == 422
    rejected = post(client, f"/enrolments/{ids[6]}/reject", {"reason": "moved away"}, as_verifier)
    assert rejected.status_code == 200 and rejected.json()["reason"] == "moved away"
    assert post(client, f"/enrolments/{ids[0]}/exit", {"reason": "died"}, bearer(officer)).json()["status"] == "exited"
    assert get(client, f"/cycles/{family_cycle.pk}", as_head).json()["quota_left"] == 1
    assert post(client, f"/enrolments/{ids[0]}/promote", None, as_head).status_code == 422  # no such step


def test_bulk_steps_answer_the_counts(client, head, verifier, make_user, bearer, family_cycle):
    per_kecamatan = Counter(code[:6] for code in Enrolment.objects.filter(cycle=family_cycle)
                            .values_list("desa_code", flat=True))
    kecamatan, in_kecamatan = per_kecamatan.most_common(1)[0]
    assert in_kecamatan > 5
    path = f"/cycles/{family_cycle.pk}/enrolments/bulk"

    by_filter = post(client, path, {"action": "verify", "filter": {"region": kecamatan}}, bearer(verifier))
    assert by_filter.status_code == 200
    assert by_filter.json() == {"selected": in_kecamatan, "changed": in_kecamatan, "skipped": 0, "left_out": 0,
                                "conflicts": 0, "amount": in_kecamatan * 100_000}

    approved = post(client, path, {"action": "approve", "filter": {"status": "verified"}}, bearer(head)).json()
    assert (approved["selected"], approved["changed"], approved["left_out"]) == (in_kecamatan, 5, in_kecamatan - 5)
    assert enrolment_ids(family_cycle, status="approved") == enrolment_ids(family_cycle, status__in=(
        "approved", "verified"))[:5]  # the highest priorities

    # A desa operator's selection outside their desa is skipped.
    desa = Enrolment.objects.filter(cycle=family_cycle, status="candidate").values_list("desa_code", flat=True)[0]
    operator = bearer(make_user(Role.DESA_OPERATOR, desa, username="operator"))
    candidates = enrolment_ids(family_cycle, status="candidate")
    inside = len(enrolment_ids(family_cycle, status="candidate", desa_code=desa))
    mixed = post(client, path, {"action": "reject", "ids": candidates, "reason": "not found"}, operator).json()
    assert (mixed["selected"], mixed["changed"], mixed["skipped"]) == (len(candidates), inside,
                                                                     len(candidates) - inside)

    assert post(client, path, {"action": "reject", "ids": candidates}, operator).status_code == 422  # no reason
    assert post(client, path, {"action": "verify"}, operator).status_code == 422  # neither ids nor filter
    assert post(client, path, {"action": "approve", "ids": candidates}, operator).status_code == 403


# --- documentation and authentication --------------------------------------------------------


def test_openapi_documents_the_programme_endpoints(client):
    paths = client.get(f"{API}/openapi.json").json()["paths"]
    expected = {
        "/programmes": {"get"}, "/programmes/{code}": {"get"}, "/programmes/{code}/rules": {"get"},
        "/programmes/{code}/rules/draft": {"post"}, "/programmes/{code}/rules/publish": {"post"},
        "/rules/validate": {"post"}, "/rules/preview": {"post"},
        "/programmes/{code}/cycles": {"get", "post"}, "/cycles/{cycle_id}": {"get"},
        "/cycles/{cycle_id}/open": {"post"}, "/cycles/{cycle_id}/close": {"post"},
        "/cycles/{cycle_id}/enrolments": {"get"}, "/enrolments/{enrolment_id}": {"get"},
        "/enrolments/{enrolment_id}/{step}": {"post"}, "/cycles/{cycle_id}/enrolments/bulk": {"post"},
    }
    for path, methods in expected.items():
        operations = paths[f"{API}{path}"]
        assert set(operations) == methods, path
        for operation in operations.values():
            assert operation["tags"] == ["programmes"] and operation["summary"] and operation["description"], path
            assert operation["security"], path
    step = next(p for p in paths[f"{API}/enrolments/{{enrolment_id}}/{{step}}"]["post"]["parameters"]
                if p["name"] == "step")
    assert set(step["schema"]["enum"]) == {"verify", "approve", "reject", "activate", "complete", "graduate", "exit"}


def test_bearer_token_acts_without_csrf_and_a_session_needs_it(client, verifier, bearer, family_cycle,
                                                               csrf_headers):
    first, second = enrolment_ids(family_cycle)[:2]
    by_token = post(client, f"/enrolments/{first}/verify", None, bearer(verifier))
    assert by_token.status_code == 200
    assert Enrolment.objects.get(pk=first).verified_by == verifier
    client.force_login(verifier)
    assert post(client, f"/enrolments/{second}/verify").status_code == 403  # CSRF
    assert Enrolment.objects.get(pk=second).status == "candidate"
    assert post(client, f"/enrolments/{second}/verify", None, csrf_headers(client)).status_code == 200
