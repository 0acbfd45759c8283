"""Scoping: an employer never sees a job seeker's NIK, No. KK, welfare or health data.

The seeker is the head of a registered family in desil 1, below both poverty lines, on PBI JKN
Daerah and with a disability. Every employer page that shows an applicant or a candidate (the
applicant list, the application with its messages, the page re-rendered after a refused step,
the suggested candidates, the home page's notifications), the htmx fragments and the JSON API
are rendered in English and Indonesian, and none may hold those values or their labels. The
poor-family priority of the matcher is switched on: the employer's ranking may not reveal it either.
"""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from sejahtera.careers import recommend, services
from sejahtera.careers.models import Application, Placement
from sejahtera.registry.choices import Disability, JknStatus
from sejahtera.registry.identity import mask_nik
from sejahtera.welfare.models import PmtModel, WelfareScore
from tests.careers.conftest import (  # noqa: F401  (fixtures)
    disnaker,
    employer,
    employer_user,
    english_messages,
    make_employer,
    make_seeker,
    make_vacancy,
    resident,
)
from tests.conftest import DESA_A, REGENCY

pytestmark = pytest.mark.django_db
PER_CAPITA = 287_654  # the family's predicted consumption: a figure no employer page may show

# Labels of welfare, poverty, identity and health data, in both languages; words, case-sensitive.
FORBIDDEN_LABELS = [
    r"\bNIK\b", r"No\.\s*KK", r"Kartu Keluarga", r"\b[Dd]esil\b", r"\b[Ww]elfare\b", r"[Kk]esejahteraan",
    r"\b[Pp]oor\b", r"[Pp]overty", r"[Mm]iskin", r"\bPMT\b", r"\bJKN\b", r"\bPBI\b", r"BPJS", r"[Hh]ealth",
    r"[Kk]esehatan", r"[Dd]isabilit", r"[Pp]enyandang", r"[Pp]riority for members",
]


@pytest.fixture(params=["en", "id"])
def language(request, client, settings):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = request.param
    return request.param


@pytest.fixture
def poor_seeker(make_family, operator_a, disnaker, resident):
    """A job seeker (with an account) who heads a desil-1 family on PBI JKN Daerah, with a disability."""
    person = make_family(operator_a, head_name="Ujang Sukarya", head_birth=datetime.date(1998, 4, 12)).members.get()
    person.jkn_status, person.disability = JknStatus.PBI_DAERAH, Disability.PHYSICAL
    person.save(update_fields=["jkn_status", "disability"])
    WelfareScore.objects.create(family=person.family, model=PmtModel.objects.first(), regency_code=REGENCY,
                                desa_code=DESA_A, scored_at=timezone.now(), log_predicted=12.57,
                                predicted_per_capita=PER_CAPITA, rank_in_regency=1, desil=1, is_poor=True,
                                is_extremely_poor=True)
    return services.seeker_register(actor=disnaker, nik=person.nik, birth_date=person.birth_date, consent=True,
                                    user=resident, education=5, phone="081200001111",
                                    skills=["las listrik"], desired_kbji=["7212"])


@pytest.fixture
def twin(make_seeker):
    """A seeker like ``poor_seeker`` in all the matcher reads, but of no scored family."""
    return make_seeker(DESA_A, sex="L", birth=datetime.date(1998, 4, 12), education=5, skills=["las listrik"],
                       desired_kbji=["7212"])


@pytest.fixture
def applied(settings, poor_seeker, twin, make_vacancy, employer, disnaker, resident, employer_user):
    settings.SEJAHTERA_CAREERS_POOR_PRIORITY = True
    vacancy = make_vacancy(employer, title="Tukang Las", kbji_code="7212.99", skills=["Las listrik"], age_max=45)
    application = services.application_create(actor=resident, seeker=poor_seeker, vacancy=vacancy,
                                               cover_letter="Saya sudah dua tahun mengelas pagar.")
    services.application_message_send(actor=employer_user, application=application, body="Bisa datang Senin?")
    services.application_message_send(actor=resident, application=application, body="Bisa, Pak.")
    return application


def forbidden_values(seeker) -> list[str]:
    person, family = seeker.person, seeker.person.family
    numbers = [f"{PER_CAPITA}", f"{PER_CAPITA:,}", f"{PER_CAPITA:,}".replace(",", "."), "12.57", "12,57"]
    return [person.nik, mask_nik(person.nik), family.no_kk, mask_nik(family.no_kk), JknStatus.PBI_DAERAH,
            str(JknStatus.PBI_DAERAH.label), Disability.PHYSICAL, *numbers]


def assert_private(body: str, seeker, where: str) -> None:
    for value in forbidden_values(seeker):
        assert value not in body, f"{where} shows {value!r}"
    for label in FORBIDDEN_LABELS:
        found = re.search(label, body)
        assert found is None, f"{where} shows {found.group(0)!r}: …{body[max(0, found.start() - 80):found.end() + 80]}…"


def employer_pages(application) -> dict[str, str]:
    vacancy = application.vacancy
    return {
        "applicants": reverse("web:employer_applicants", args=[vacancy.pk]),
        "applicants (applied)": reverse("web:employer_applicants", args=[vacancy.pk]) + "?status=applied",
        "application": reverse("web:employer_application", args=[application.pk]),
        "candidates": reverse("web:employer_candidates", args=[vacancy.pk]),
        "vacancy": reverse("web:employer_vacancy", args=[vacancy.pk]),
        "home": reverse("web:employer_home"),
    }


def test_employer_pages_show_the_applicant_without_identity_welfare_or_health_data(login, employer_user, applied,
                                                                                   language):
    client, seeker = login(employer_user), applied.seeker
    for name, url in employer_pages(applied).items():
        response = client.get(url)
        assert response.status_code == 200, name
        body = response.content.decode()
        assert_private(body, seeker, name)
        if name in ("applicants", "application", "candidates"):
            assert seeker.person.name in body and seeker.ak1_number in body, name  # the page does show them
    application_page = client.get(employer_pages(applied)["application"]).content.decode()
    assert "Bisa datang Senin?" in application_page and "Bisa, Pak." in application_page  # the messages
    assert "081200001111" in application_page  # contact details are shared once the seeker applies


def test_pages_rendered_again_after_a_refused_step_are_as_private(login, employer_user, applied, language):
    client, seeker = login(employer_user), applied.seeker
    refused = {
        "empty message": (reverse("web:employer_message_send", args=[applied.pk]), {"body": ""}),
        "hire without a date": (reverse("web:employer_application_hire", args=[applied.pk]),
                                {"contract_type": "permanent"}),
        "reject without a reason": (reverse("web:employer_application_reject", args=[applied.pk]), {"reason": " "}),
        "invite at no real time": (reverse("web:employer_application_invite", args=[applied.pk]),
                                   {"interview_at": "besok pagi"}),
    }
    for name, (url, data) in refused.items():
        response = client.post(url, data)
        assert response.status_code == 400, name
        assert seeker.person.name in response.content.decode(), name
        assert_private(response.content.decode(), seeker, name)
    applied.refresh_from_db()
    assert applied.status == Application.Status.APPLIED


def test_after_the_hire_the_application_and_its_placement_stay_private(login, employer_user, applied, language):
    client = login(employer_user)
    start = timezone.localdate() + datetime.timedelta(days=3)
    client.post(reverse("web:employer_application_shortlist", args=[applied.pk]))
    response = client.post(reverse("web:employer_application_hire", args=[applied.pk]), {
        "contract_type": "fixed_term", "wage": "4500000", "start_date": start.isoformat(), "position": "Juru Las"})
    assert response.status_code == 302
    assert Placement.objects.get(application=applied).start_date == start
    for name, url in employer_pages(applied).items():
        assert_private(client.get(url).content.decode(), applied.seeker, f"{name} after the hire")


def test_the_employers_context_objects_carry_no_identity_or_welfare_fields(login, employer_user, applied):
    client = login(employer_user)
    profile = client.get(employer_pages(applied)["application"]).context["profile"]
    for field in ("nik", "no_kk", "family", "desil", "jkn_status", "disability", "person"):
        assert not hasattr(profile, field), field
    candidates = client.get(employer_pages(applied)["candidates"]).context["candidates"]
    assert {candidate.seeker_id for candidate, _education, _applied in candidates} >= {applied.seeker_id}
    for candidate, _education, _applied in candidates:
        for field in ("nik", "no_kk", "desil", "jkn_status", "disability", "person"):
            assert not hasattr(candidate, field), field


def test_the_poor_family_priority_does_not_show_in_the_employers_ranking(login, employer_user, applied, twin,
                                                                           disnaker):
    """With the priority on, Disnaker's ranking lifts the desil-1 seeker; the employer's ranking may not,
    or the score would tell the employer which applicant is poor."""
    services.application_create(actor=disnaker, seeker=twin, vacancy=applied.vacancy)
    staff = {c.seeker_id: c.match.score for c in recommend.candidates_for_vacancy(disnaker, applied.vacancy)}
    assert staff[applied.seeker_id] > staff[twin.pk]  # the priority is on, and the twins differ only by it
    client = login(employer_user)
    rows = client.get(employer_pages(applied)["applicants"]).context["rows"]
    scores = {application.seeker_id: match.score for application, match in rows}
    assert scores[applied.seeker_id] == scores[twin.pk]
    assert all(match.poor_desil is None for _application, match in rows if hasattr(match, "poor_desil"))
    candidates = client.get(employer_pages(applied)["candidates"]).context["candidates"]
    by_seeker = {candidate.seeker_id: candidate.match.score for candidate, _e, _a in candidates}
    assert by_seeker[applied.seeker_id] == by_seeker[twin.pk]


def test_htmx_fragments_and_the_json_api_give_the_employer_nothing_personal(login, employer_user, applied, language):
    client, seeker = login(employer_user), applied.seeker
    fragments = {
        "kbji suggestion": client.get(reverse("web:employer_kbji_suggest"), {"title": "Tukang Las"},
                                      headers={"HX-Request": "true"}),
        "kbli options": client.get(reverse("web:employer_kbli_options"), {"kbli_search": "roti"},
                                   headers={"HX-Request": "true"}),
        "applicants (htmx)": client.get(employer_pages(applied)["applicants"], headers={"HX-Request": "true"}),
        "application (htmx)": client.get(employer_pages(applied)["application"], headers={"HX-Request": "true"}),
    }
    for name, response in fragments.items():
        assert response.status_code == 200, name
        assert_private(response.content.decode(), seeker, name)
    person = seeker.person
    api = {
        "person": client.get(f"/api/v1/persons/{person.pk}"),
        "family": client.get(f"/api/v1/families/{person.family_id}"),
        "families": client.get("/api/v1/families"),
        "lookup": client.post("/api/v1/persons/lookup", {"nik": person.nik}, content_type="application/json"),
    }
    for name, response in api.items():
        body = response.content.decode()
        assert response.status_code in (401, 403, 404) or response.json() in ([], {"items": [], "count": 0}), name
        assert person.nik not in body and person.family.no_kk not in body and person.name not in body, name
