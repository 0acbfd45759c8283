import json

import pytest

from sejahtera.core.models import AuditEvent
from sejahtera.registry.identity import mask_nik
from tests.api.conftest import API
from tests.conftest import DESA_A, DESA_B


@pytest.fixture
def families(operator_a, operator_b, make_family):
    """One family in DESA_A and one in DESA_B, each with its head."""
    return make_family(operator_a, DESA_A), make_family(operator_b, DESA_B, head_name="Euis Komariah",
                                                        head_sex="P")


def lookup(client, nik, headers=None):
    return client.post(f"{API}/persons/lookup", json.dumps({"nik": nik}), content_type="application/json",
                       headers=headers)


@pytest.mark.django_db
@pytest.mark.parametrize("method, path", [
    ("get", "/families"), ("get", "/families/1"), ("get", "/persons/1"), ("post", "/persons/lookup"),
])
def test_registry_needs_authentication(client, method, path):
    response = getattr(client, method)(f"{API}{path}")
    assert response.status_code == 401


def test_operator_reads_own_desa_with_full_numbers(client, operator_a, families):
    family_a, _ = families
    head = family_a.members.get()
    client.force_login(operator_a)

    listing = client.get(f"{API}/families")
    assert listing.status_code == 200
    assert "no-store" in listing["Cache-Control"]
    body = listing.json()
    assert body["count"] == 1
    item = body["items"][0]
    assert item["id"] == family_a.pk
    assert item["no_kk"] == family_a.no_kk
    assert item["desa"] == {"code": "32.01.01.1001", "name": "Pondok Rajeg"}
    assert item["kecamatan"]["code"] == "32.01.01"
    assert item["head"] == {"id": head.pk, "name": "Asep Sunandar", "nik": head.nik}

    detail = client.get(f"{API}/families/{family_a.pk}")
    assert detail.status_code == 200
    assert "no-store" in detail["Cache-Control"]
    member = detail.json()["members"][0]
    assert member["nik"] == head.nik
    assert member["sex"] == "L" and member["sex_label"]
    assert member["relationship"] == 1 and member["relationship_label"]
    assert member["desa"]["code"] == "32.01.01.1001"

    person = client.get(f"{API}/persons/{head.pk}")
    assert person.status_code == 200
    assert person.json()["nik"] == head.nik
    assert person.json()["family"] == {"id": family_a.pk, "no_kk": family_a.no_kk}


def test_other_desa_is_404_and_not_listed(client, operator_a, families, csrf_headers):
    _, family_b = families
    head_b = family_b.members.get()
    client.force_login(operator_a)
    assert [item["id"] for item in client.get(f"{API}/families").json()["items"]] != [family_b.pk]
    assert client.get(f"{API}/families", {"desa": DESA_B}).json() == {"items": [], "count": 0}
    assert client.get(f"{API}/families/{family_b.pk}").status_code == 404
    assert client.get(f"{API}/persons/{head_b.pk}").status_code == 404
    assert client.get(f"{API}/families/999999").status_code == 404
    assert lookup(client, head_b.nik, csrf_headers(client)).status_code == 404
    # Nothing of DESA_B was read, so nothing of it is in the access log.
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, region_code=DESA_B).exists()


def test_planner_sees_no_personal_records(client, planner, families, csrf_headers):
    family_a, _ = families
    client.force_login(planner)
    assert client.get(f"{API}/families").json() == {"items": [], "count": 0}
    assert client.get(f"{API}/families/{family_a.pk}").status_code == 404
    assert client.get(f"{API}/persons/{family_a.members.get().pk}").status_code == 404
    assert lookup(client, family_a.members.get().nik, csrf_headers(client)).status_code == 404


def test_agency_officer_gets_masked_numbers(client, agency_officer, families):
    family_a, family_b = families
    client.force_login(agency_officer)
    items = client.get(f"{API}/families").json()["items"]
    assert {item["id"] for item in items} == {family_a.pk, family_b.pk}
    for item in items:
        assert "*" in item["no_kk"] and "*" in item["head"]["nik"]
    head = family_a.members.get()
    detail = client.get(f"{API}/families/{family_a.pk}").json()
    assert detail["no_kk"] == mask_nik(family_a.no_kk)
    assert detail["members"][0]["nik"] == mask_nik(head.nik)
    person = client.get(f"{API}/persons/{head.pk}").json()
    assert person["nik"] == mask_nik(head.nik)
    assert person["family"]["no_kk"] == mask_nik(family_a.no_kk)
    assert head.nik not in json.dumps([items, detail, person])


def test_reads_are_logged_with_channel_api(client, operator_a, families):
    family_a, _ = families
    head = family_a.members.get()
    client.force_login(operator_a)
    client.get(f"{API}/families")  # a list is not a read of a record
    assert not AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).exists()
    client.get(f"{API}/families/{family_a.pk}")
    client.get(f"{API}/persons/{head.pk}")
    views = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).order_by("id")
    assert [(e.object_type, e.object_id, e.actor, e.channel, e.region_code) for e in views] == [
        ("registry.family", str(family_a.pk), operator_a, "api", DESA_A),
        ("registry.person", str(head.pk), operator_a, "api", DESA_A),
    ]


def test_lookup_by_nik_finds_the_person_and_is_logged(client, operator_a, families, csrf_headers):
    head = families[0].members.get()
    client.force_login(operator_a)
    response = lookup(client, f" {head.nik} ", csrf_headers(client))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert response.json()["id"] == head.pk
    assert response.json()["nik"] == head.nik
    search = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH)
    assert (search.actor, search.channel, search.object_type, search.object_id) == (
        operator_a, "api", "registry.person", str(head.pk))
    assert search.summary == mask_nik(head.nik)
    assert AuditEvent.objects.filter(action=AuditEvent.Action.VIEW, object_id=str(head.pk), channel="api").exists()


def test_lookup_miss_is_404_and_logged(client, operator_a, families, csrf_headers):
    client.force_login(operator_a)
    response = lookup(client, "3201010101010001", csrf_headers(client))
    assert response.status_code == 404
    search = AuditEvent.objects.get(action=AuditEvent.Action.SEARCH)
    assert (search.object_id, search.summary, search.channel) == ("", mask_nik("3201010101010001"), "api")


@pytest.mark.parametrize("nik", ["", "320101", "32010101010100012", "3201-10101010001", "abcdefghijklmnop"])
def test_lookup_rejects_malformed_nik(client, operator_a, nik, csrf_headers):
    client.force_login(operator_a)
    assert lookup(client, nik, csrf_headers(client)).status_code == 422


def test_nik_never_stands_in_a_lookup_url(client, operator_a):
    client.force_login(operator_a)
    assert client.get(f"{API}/persons/lookup", {"nik": "3201010101010001"}).status_code in (404, 405)


def test_family_filters(client, agency_officer, families):
    family_a, family_b = families
    client.force_login(agency_officer)

    def ids(**params):
        response = client.get(f"{API}/families", params)
        assert response.status_code == 200, response.content
        return [item["id"] for item in response.json()["items"]]

    assert ids(desa="32.01.01.1001") == [family_a.pk]
    assert ids(desa=DESA_B) == [family_b.pk]
    assert ids(kecamatan="32.01.02") == [family_b.pk]
    assert ids(kecamatan="320101") == [family_a.pk]
    assert ids() == [family_b.pk, family_a.pk]  # newest first
    assert ids(flag="no_survey") == [family_b.pk, family_a.pk]
    assert ids(flag="no_nik") == []
    for bad in ({"desa": "32.01.01"}, {"kecamatan": DESA_A}, {"desa": "abc"}, {"flag": "poor"}):
        assert client.get(f"{API}/families", bad).status_code == 422, bad


def test_family_list_is_paginated(client, agency_officer, families):
    client.force_login(agency_officer)
    first = client.get(f"{API}/families", {"limit": 1}).json()
    second = client.get(f"{API}/families", {"limit": 1, "offset": 1}).json()
    assert first["count"] == second["count"] == 2
    assert len(first["items"]) == len(second["items"]) == 1
    assert first["items"][0]["id"] != second["items"][0]["id"]
    assert client.get(f"{API}/families", {"limit": 501}).status_code == 422


def test_family_list_query_count_does_not_grow_with_rows(client, agency_officer, operator_a, make_family,
                                                         django_assert_max_num_queries):
    for index in range(6):
        make_family(operator_a, head_name=f"Kepala {index}")
    client.force_login(agency_officer)
    with django_assert_max_num_queries(8):
        assert client.get(f"{API}/families").json()["count"] == 6
