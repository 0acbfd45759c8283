"""The review queue in the web: scoped lists, logged views, decisions by POST, undo."""

import datetime

import pytest
from django.urls import reverse

from sejahtera.core.models import AuditEvent
from sejahtera.registry.dedup import services
from sejahtera.registry.identity import mask_nik
from sejahtera.registry.models import DuplicateCandidate, PersonMerge
from tests.conftest import DESA_B


@pytest.fixture
def as_user(login):
    return login


def _head(candidate):
    return candidate.person_a if candidate.person_a.nik else candidate.person_b


def test_list_is_scoped_and_never_cached(as_user, make_pair, operator_a, operator_b, agency_officer):
    inside = make_pair()
    across = make_pair(DESA_B, actor=operator_b)
    response = as_user(operator_a).get(reverse("web:duplicate_list"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert [row["candidate"] for row in response.context["rows"]] == [inside]
    head = _head(inside)
    assert head.nik in response.text  # a desa operator sees the whole NIK in the own desa

    response = as_user(agency_officer).get(reverse("web:duplicate_list"))
    assert {row["candidate"] for row in response.context["rows"]} == {inside, across}
    assert head.nik not in response.text and mask_nik(head.nik) in response.text


def test_planners_and_anonymous_users_see_no_pairs(client, as_user, make_pair, planner):
    make_pair()
    assert client.get(reverse("web:duplicate_list")).status_code == 302
    response = as_user(planner).get(reverse("web:duplicate_list"))
    assert response.status_code == 403
    assert "rows" not in response.context


def test_detail_logs_the_read_of_both_persons(as_user, make_pair, operator_a, verifier_a):
    candidate = make_pair()
    response = as_user(operator_a).get(reverse("web:duplicate_detail", args=[candidate.pk]))
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    assert not response.context["can_decide"]  # desa operators see, verifiers decide
    views = AuditEvent.objects.filter(actor=operator_a, action="view", object_type="registry.person")
    assert {e.object_id for e in views} == {str(candidate.person_a_id), str(candidate.person_b_id)}
    assert "Same name" in response.text or "Nama sama" in response.text or response.context["reasons"]

    response = as_user(verifier_a).get(reverse("web:duplicate_detail", args=[candidate.pk]))
    assert response.context["can_decide"]
    assert reverse("web:duplicate_merge", args=[candidate.pk]) in response.text


def test_detail_outside_the_scope_is_not_found(as_user, make_pair, operator_a, operator_b):
    across = make_pair(DESA_B, actor=operator_b)
    assert as_user(operator_a).get(reverse("web:duplicate_detail", args=[across.pk])).status_code == 404
    assert as_user(operator_a).post(reverse("web:duplicate_merge", args=[across.pk]),
                                    {"survivor": across.person_a_id}).status_code == 404


def test_merge_by_post_then_undo(as_user, make_pair, verifier_a):
    candidate = make_pair()
    client = as_user(verifier_a)
    url = reverse("web:duplicate_merge", args=[candidate.pk])
    assert client.get(url).status_code == 405
    response = client.post(url, {"survivor": candidate.person_b_id})
    assert response.status_code == 302 and response["Location"] == reverse("web:duplicate_list")
    candidate.refresh_from_db()
    assert candidate.status == "merged"
    merge = PersonMerge.objects.get()
    assert merge.survivor_id == candidate.person_b_id

    response = client.get(reverse("web:merge_list"))
    assert [row["merge"] for row in response.context["rows"]] == [merge]
    assert response.context["rows"][0]["can_undo"]
    response = client.post(reverse("web:merge_undo", args=[merge.pk]))
    assert response.status_code == 302
    merge.refresh_from_db()
    candidate.refresh_from_db()
    assert merge.undone_at and candidate.status == "open"


def test_merge_needs_a_survivor_of_the_pair(as_user, make_pair, verifier_a):
    candidate = make_pair()
    response = as_user(verifier_a).post(reverse("web:duplicate_merge", args=[candidate.pk]), {"survivor": "x"})
    assert response.status_code == 302
    candidate.refresh_from_db()
    assert candidate.status == "open"


def test_operator_cannot_decide_by_post(as_user, make_pair, operator_a):
    candidate = make_pair()
    client = as_user(operator_a)
    client.post(reverse("web:duplicate_merge", args=[candidate.pk]), {"survivor": candidate.person_a_id})
    client.post(reverse("web:duplicate_distinct", args=[candidate.pk]), {"reason": "x"})
    candidate.refresh_from_db()
    assert candidate.status == "open" and not PersonMerge.objects.exists()


def test_mark_distinct_by_post(as_user, make_pair, verifier_a):
    candidate = make_pair()
    as_user(verifier_a).post(reverse("web:duplicate_distinct", args=[candidate.pk]), {"reason": "Kembar"})
    candidate.refresh_from_db()
    assert candidate.status == "distinct" and candidate.decision_note == "Kembar"
    response = as_user(verifier_a).get(reverse("web:duplicate_list"))
    assert response.context["rows"] == []
    response = as_user(verifier_a).get(reverse("web:duplicate_list"), {"status": "distinct"})
    assert [row["candidate"] for row in response.context["rows"]] == [candidate]


def test_nik_conflict_in_the_queue(as_user, make_family, operator_a, verifier_a):
    person = make_family(operator_a).members.get()
    candidate = services.candidate_from_nik_conflict(
        person=person, incoming={"nik": person.nik, "name": "Asep S.", "birth_date": datetime.date(1981, 5, 17)},
        batch_id=None)
    client = as_user(verifier_a)
    response = client.get(reverse("web:duplicate_list"), {"source": "nik_conflict"})
    assert [row["candidate"] for row in response.context["rows"]] == [candidate]
    response = client.get(reverse("web:duplicate_detail", args=[candidate.pk]))
    assert response.context["incoming"]["name"] == "Asep S."
    client.post(reverse("web:nik_conflict_resolve", args=[candidate.pk]), {"decision": "keep"})
    candidate.refresh_from_db()
    assert candidate.status == DuplicateCandidate.Status.KEPT
