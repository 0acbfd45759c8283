"""The match cache's change log is written explicitly by the services (no signal receivers)."""

import datetime

import pytest
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete, pre_save
from django.utils import timezone

from sejahtera.careers import demo, matching_log, recommend, services
from sejahtera.careers.models import (
    Certificate,
    DesiredOccupation,
    Employer,
    JobSeeker,
    MatchingChange,
    Skill,
    Vacancy,
    WorkArea,
    WorkExperience,
)
from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from tests.conftest import DESA_A

pytestmark = pytest.mark.django_db
SEEKER, VACANCY = MatchingChange.Kind.SEEKER, MatchingChange.Kind.VACANCY


class Log:
    """The rows logged (and the local changes noted) since it was created or last read."""

    def __init__(self):
        self.since = MatchingChange.objects.order_by("-id").values_list("id", flat=True).first() or 0
        recommend.forget()  # this process's cache and its local changes

    def read(self) -> set[tuple[str, int]]:
        rows = set(MatchingChange.objects.filter(id__gt=self.since).values_list("kind", "object_id"))
        local = {(kind, i) for kind, ids in matching_log.LOCAL_CHANGES.items() for i in ids}
        assert local == rows  # this process learns the same as the others
        self.__init__()
        return rows


@pytest.fixture
def log():
    return Log()


@pytest.fixture
def seeker(make_seeker):
    return make_seeker()


def test_registering_and_updating_a_seeker_is_logged(make_seeker, disnaker, log):
    seeker = make_seeker(skills=["Las listrik"], desired_kbji=["7212"])
    assert log.read() == {(SEEKER, seeker.pk)}
    services.seeker_update(actor=disnaker, seeker=seeker, major="Teknik Mesin")
    assert log.read() == {(SEEKER, seeker.pk)}
    services.seeker_update(actor=disnaker, seeker=seeker, skills=["Bubut", "Las listrik"])
    assert log.read() == {(SEEKER, seeker.pk)}
    services.seeker_update(actor=disnaker, seeker=seeker, desired_kbji=["7212", "7223"])
    assert log.read() == {(SEEKER, seeker.pk)}
    services.seeker_update(actor=disnaker, seeker=seeker, work_areas=[DESA_A[:6]])
    assert log.read() == {(SEEKER, seeker.pk)}
    assert list(seeker.desired_occupations.values_list("kbji_code", flat=True).order_by("kbji_code")) == [
        "7212", "7223"]
    services.seeker_renew_ak1(actor=disnaker, seeker=seeker)
    assert log.read() == {(SEEKER, seeker.pk)}


def test_certificates_and_work_experience_are_logged(seeker, disnaker, log):
    certificate = services.seeker_certificate_add(actor=disnaker, seeker=seeker, name="K3 Umum", issuer="BNSP")
    assert log.read() == {(SEEKER, seeker.pk)}
    services.seeker_certificate_remove(actor=disnaker, certificate=certificate)
    assert log.read() == {(SEEKER, seeker.pk)}
    assert not Certificate.objects.filter(seeker=seeker).exists()
    experience = services.seeker_experience_add(actor=disnaker, seeker=seeker, employer_name="CV Baja",
                                                position="Tukang las", started_on=datetime.date(2020, 1, 1))
    assert log.read() == {(SEEKER, seeker.pk)}
    services.seeker_experience_remove(actor=disnaker, experience=experience)
    assert log.read() == {(SEEKER, seeker.pk)}


def test_a_refused_write_logs_nothing(seeker, disnaker, log):
    with pytest.raises(ValueError):
        services.seeker_update(actor=disnaker, seeker=seeker, nik="x")
    assert log.read() == set()


def test_every_step_of_a_vacancy_is_logged(employer, employer_user, disnaker, log):
    vacancy = services.vacancy_create(actor=employer_user, employer=employer, title="Tukang Las", kbji_code="7212",
                                      description="Mengelas rangka baja.", skills=["Las listrik"],
                                      deadline=timezone.localdate() + datetime.timedelta(days=30))
    assert log.read() == {(VACANCY, vacancy.pk)}
    services.vacancy_update(actor=employer_user, vacancy=vacancy, title="Tukang Las MIG")
    assert log.read() == {(VACANCY, vacancy.pk)}
    services.vacancy_update(actor=employer_user, vacancy=vacancy, skills=["Las MIG"])
    assert log.read() == {(VACANCY, vacancy.pk)}
    for step, actor in ((services.vacancy_submit, employer_user), (services.vacancy_verify, disnaker),
                        (services.vacancy_open, employer_user), (services.vacancy_close, employer_user),
                        (services.vacancy_open, employer_user), (services.vacancy_fill, employer_user)):
        vacancy = step(actor=actor, vacancy=vacancy)
        assert log.read() == {(VACANCY, vacancy.pk)}, step.__name__
    assert vacancy.status == Vacancy.Status.FILLED


def test_an_employers_verification_logs_its_vacancies(make_employer, employer_user, disnaker, make_vacancy, log):
    employer = make_employer(employer_user)
    assert log.read() == set()  # no vacancies yet
    drafts = [services.vacancy_create(actor=employer_user, employer=employer, title=title, kbji_code="8160",
                                      description="Produksi.", deadline=timezone.localdate() + datetime.timedelta(30))
              for title in ("Operator", "Helper")]
    log.read()
    services.employer_verify(actor=disnaker, employer=employer)
    assert log.read() == {(VACANCY, v.pk) for v in drafts}
    services.employer_update(actor=employer_user, employer=employer, address="Jl. Industri 7")
    assert log.read() == {(VACANCY, v.pk) for v in drafts}
    services.employer_verify(actor=disnaker, employer=employer, approve=False, reason="NIB tidak aktif")
    assert log.read() == {(VACANCY, v.pk) for v in drafts}


def test_a_hire_logs_the_placed_seeker_and_the_filled_vacancy(make_seeker, resident, open_vacancy, employer_user,
                                                              log):
    seeker = make_seeker(user=resident)
    application = services.application_create(actor=resident, seeker=seeker, vacancy=open_vacancy)
    log.read()
    services.application_hire(actor=employer_user, application=application, contract_type="fixed_term",
                              start_date=timezone.localdate())
    assert log.read() == {(SEEKER, seeker.pk), (VACANCY, open_vacancy.pk)}
    assert JobSeeker.objects.get(pk=seeker.pk).status == JobSeeker.Status.PLACED


def test_a_skill_change_reaches_the_cached_candidates(make_seeker, disnaker, employer, make_vacancy):
    vacancy = make_vacancy(employer, title="Tukang Las", kbji_code="7212", skills=["Las listrik"])
    seeker = make_seeker()
    recommend.forget()
    before = recommend.candidates_for_vacancy(disnaker, vacancy)  # builds the cache
    services.seeker_update(actor=disnaker, seeker=seeker, skills=["Las listrik"])
    after = {c.seeker_id: c for c in recommend.candidates_for_vacancy(disnaker, vacancy)}
    assert after[seeker.pk].skills == ("Las listrik",)
    assert after[seeker.pk].match.score > {c.seeker_id: c.match.score for c in before}.get(seeker.pk, 0)
    recommend.forget()  # a fresh process agrees
    fresh = {c.seeker_id: c.match.score for c in recommend.candidates_for_vacancy(disnaker, vacancy)}
    assert fresh[seeker.pk] == after[seeker.pk].match.score


def test_the_demo_seed_tells_every_cache(log):
    write_regency(generate_regency("3201", families=80, seed=3, reference_date=datetime.date(2025, 6, 30)))
    log.read()
    demo.seed("3201", seed=5, employers=5, vacancies=10, seekers=30)
    assert log.read() == {(SEEKER, matching_log.EVERY), (VACANCY, matching_log.EVERY)}
    demo.seed("3201", seed=5)  # the second call does nothing
    assert log.read() == set()


def test_no_signal_receivers_write_the_log(seeker, log):
    for model in (JobSeeker, Certificate, DesiredOccupation, WorkArea, WorkExperience, Vacancy, Employer):
        for signal in (pre_save, post_save, pre_delete, post_delete):
            assert not signal.has_listeners(model), (signal, model)
    for through in (JobSeeker.skills.through, Vacancy.skills.through):
        assert not m2m_changed.has_listeners(through)
    # A write outside the services is not logged: it must call matching_log itself.
    WorkExperience.objects.create(seeker=seeker, employer_name="CV Baja", position="Tukang las",
                                  started_on=datetime.date(2020, 1, 1))
    seeker.skills.add(Skill.objects.create(name="Bubut"))
    assert log.read() == set()
