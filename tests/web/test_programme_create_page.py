"""The page that creates a programme, and the live preview of its rule before it exists.

Counts are checked against counts made here in plain Python; what is saved against the database;
permissions by status codes.
"""

import json
from collections import Counter

import pytest
from django.urls import resolve, reverse
from django.utils import translation
from django.utils.html import escape

from sejahtera.accounts.roles import Role
from sejahtera.programs.models import Programme
from sejahtera.registry.models import Family, Person
from sejahtera.web.views import programs_create
from sejahtera.welfare.models import WelfareScore
from tests.conftest import REGENCY
from tests.programs.conftest import scored_once_per_module

registry = scored_once_per_module(300, 41)
pytestmark = pytest.mark.django_db

NEW = reverse("web:programme_create")
PREVIEW = reverse("web:rule_preview_new")
PERSON_RULE = 'family.desil <= 3 and sex == "P"'
FAMILY_RULE = "desil <= 3 and size >= 3"


@pytest.fixture(autouse=True)
def english(client):
    client.cookies["django_language"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def planner(make_user):
    return make_user(Role.PLANNER, REGENCY, agency="bappedalitbang", username="planner")


@pytest.fixture
def officer(make_user):
    return make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos", username="dinsos")


def posted(**overrides) -> dict:
    values = {"regency_code": REGENCY, "code": "bantuan-lansia", "name": "Bantuan Lansia", "agency": "",
              "description": "Bantuan tunai lansia.", "target": "person", "benefit": "cash", "amount": "300000",
              "period": "month", "quota": "50", "budget": "", "ranking": "neediest", "exclusive_group": "",
              "rule_text": PERSON_RULE, "action": "publish"}
    return {**values, **overrides}


def dinsos_pk(officer) -> str:
    return str(officer.memberships.get().agency_id)


def desil() -> dict[int, int]:
    return dict(WelfareScore.objects.filter(is_current=True).values_list("family_id", "desil"))


def women_of_desil_1_to_3() -> Counter:
    scores = desil()
    persons = Person.objects.filter(merged_into__isnull=True, family__isnull=False)
    return Counter(p.desa_id[:6] for p in persons if p.sex == "P" and scores.get(p.family_id, 99) <= 3)


def families_of_desil_1_to_3_with_three() -> Counter:
    scores = desil()
    sizes = Counter(Person.objects.filter(merged_into__isnull=True, family__isnull=False)
                    .values_list("family_id", flat=True))
    return Counter(f.desa_id[:6] for f in Family.objects.all()
                   if scores.get(f.pk, 99) <= 3 and sizes[f.pk] >= 3)


# -- addresses and permissions -------------------------------------------------------------------

def test_new_and_preview_are_not_read_as_programme_codes():
    assert NEW == "/programmes/new/" and PREVIEW == "/programmes/preview/"
    assert resolve(NEW).func is programs_create.programme_create
    assert resolve(PREVIEW).func is programs_create.rule_preview_new


def test_a_planner_gets_403_and_no_button(login, planner):
    client = login(planner)
    assert client.get(NEW).status_code == 403
    assert client.post(NEW, posted(agency="1")).status_code == 403
    assert not Programme.objects.filter(code="bantuan-lansia").exists()
    assert f'href="{NEW}"' not in client.get(reverse("web:programme_list")).content.decode()


def test_anonymous_is_sent_to_the_login(client):
    response = client.get(NEW)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_staff_see_the_button_and_the_form_with_only_their_agency(login, officer):
    client = login(officer)
    assert f'href="{NEW}"' in client.get(reverse("web:programme_list")).content.decode()
    response = client.get(NEW)
    assert response.status_code == 200
    html = response.content.decode()
    agency_field = response.context["form"].fields["agency"]
    assert [a.code for a in agency_field.queryset] == ["dinsos"]
    assert html.count("<option") - html.count('<option value=""') == (
        len(Programme.Target.choices) + len(Programme.Benefit.choices) + len(Programme.Period.choices)
        + len(Programme.Ranking.choices) + 1)  # the one agency
    assert f'data-preview-url="{PREVIEW}"' in html and 'data-preview-target="id_target"' in html
    assert 'src="/static/web/rule_editor.js"' in html
    assert 'name="csrfmiddlewaretoken"' in html


# -- creating ------------------------------------------------------------------------------------

def test_creating_and_publishing_redirects_to_the_programme_page(login, officer):
    client = login(officer)
    response = client.post(NEW, posted(agency=dinsos_pk(officer)))
    assert response.status_code == 302
    assert response["Location"] == reverse("web:programme_detail", args=["bantuan-lansia"])
    programme = Programme.objects.get(code="bantuan-lansia")
    assert (programme.agency.code, programme.amount, programme.quota, programme.budget) == \
        ("dinsos", 300_000, 50, None)
    rule = programme.rules.get()
    assert rule.text == PERSON_RULE and not rule.is_draft
    html = client.get(response["Location"]).content.decode()
    assert "Bantuan Lansia" in html and escape(PERSON_RULE) in html


def test_saving_with_a_draft_rule(login, officer):
    response = login(officer).post(NEW, posted(agency=dinsos_pk(officer), action="save"))
    assert response.status_code == 302
    assert Programme.objects.get(code="bantuan-lansia").rules.get().is_draft


def test_a_bad_rule_is_shown_where_it_goes_wrong_and_nothing_is_saved(login, officer):
    response = login(officer).post(NEW, posted(agency=dinsos_pk(officer), rule_text='age >= 18 and sexx == "P"'))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-line="1" data-column="15"' in html and 'aria-invalid="true"' in html
    assert escape('age >= 18 and sexx == "P"') in html  # the text is kept for correcting
    assert not Programme.objects.filter(code="bantuan-lansia").exists()


def test_service_messages_come_back_next_to_their_fields(login, officer):
    response = login(officer).post(NEW, posted(agency=dinsos_pk(officer), code="beasiswa-s1", amount="0"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert errors["code"] == ["A programme with the code “beasiswa-s1” already exists."]
    assert errors["amount"] == ["A cash programme needs an amount above zero."]
    assert Programme.objects.filter(code="beasiswa-s1").count() == 1


def test_another_agency_cannot_be_posted(login, officer):
    from sejahtera.accounts.models import Agency

    disdik = Agency.objects.get(code="disdik")
    response = login(officer).post(NEW, posted(agency=str(disdik.pk)))
    assert response.status_code == 200 and "agency" in response.context["form"].errors
    assert not Programme.objects.filter(code="bantuan-lansia").exists()


def test_posting_needs_the_csrf_token(officer, plain_http):
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(officer)
    assert strict.post(NEW, posted(agency=dinsos_pk(officer))).status_code == 403
    assert not Programme.objects.filter(code="bantuan-lansia").exists()


def test_the_preview_button_counts_without_a_script(login, officer):
    expected = women_of_desil_1_to_3()
    response = login(officer).post(NEW, posted(agency=dinsos_pk(officer), action="preview"))
    assert response.status_code == 200
    assert f'data-total="{sum(expected.values())}"' in response.content.decode()
    assert not Programme.objects.filter(code="bantuan-lansia").exists()


# -- the preview endpoint ------------------------------------------------------------------------

@pytest.mark.parametrize(("target", "text", "count"), [
    ("person", PERSON_RULE, women_of_desil_1_to_3),
    ("family", FAMILY_RULE, families_of_desil_1_to_3_with_three),
])
def test_preview_counts_equal_an_independent_count(login, planner, target, text, count):
    expected = count()
    assert sum(expected.values()) > 0
    response = login(planner).get(PREVIEW, {"target": target, "text": text})
    assert response.status_code == 200
    data = json.loads(response.content)
    assert data["ok"] and data["target"] == target
    assert data["total"] == sum(expected.values())
    assert {row["code"]: row["count"] for row in data["per_kecamatan"]} == dict(expected)
    assert f'data-total="{data["total"]}"' in data["html"]
    assert ("persons" if target == "person" else "families") in data["html"]


def test_preview_follows_the_target(login, planner):
    client = login(planner)
    as_family = json.loads(client.get(PREVIEW, {"target": "family", "text": "size >= 3"}).content)
    assert as_family["ok"]
    response = client.get(PREVIEW, {"target": "person", "text": "size >= 3"})
    assert response.status_code == 400
    data = json.loads(response.content)
    assert (data["line"], data["column"], data["token"]) == (1, 1, "size")
    assert "family.size" in data["message"] and 'class="form-errors rule-error"' in data["html"]


def test_preview_refuses_an_unknown_target_and_answers_empty_text(login, planner):
    client = login(planner)
    assert client.get(PREVIEW, {"target": "household", "text": "desil <= 3"}).status_code == 400
    assert client.get(PREVIEW, {"text": "desil <= 3"}).status_code == 400
    data = json.loads(client.get(PREVIEW, {"target": "family", "text": "  "}).content)
    assert data == {"ok": False, "empty": True, "html": ""}


def test_preview_needs_a_login(client):
    response = client.get(PREVIEW, {"target": "family", "text": "desil <= 3"})
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_preview_counts_only_in_the_users_regions(login, make_user):
    elsewhere = make_user(Role.PLANNER, "3202", username="planner-sukabumi")
    data = json.loads(login(elsewhere).get(PREVIEW, {"target": "family", "text": "desil <= 3"}).content)
    assert data["ok"] and data["total"] == 0
