"""Edits and imports enqueue a rescoring; the background task rescores the changed families."""

import datetime

import pytest

from sejahtera.registry import services
from sejahtera.welfare.models import WelfareScore
from sejahtera.welfare.scoring import welfare_score

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}
SURVEY = dict(surveyed_on=datetime.date(2025, 3, 1), floor_area_m2=36, floor_material="cement",
              wall_material="masonry", roof_material="roof_tile", drinking_water="protected_well",
              toilet="own_septic", lighting="pln_metered", installed_power_va=900, cooking_fuel="lpg_3kg",
              home_ownership="own")


@pytest.fixture
def immediate_tasks(settings):
    settings.TASKS = IMMEDIATE


@pytest.fixture
def scored_families(operator_a, make_family):
    families = [make_family(operator_a, head_name=f"Kepala {i}") for i in range(12)]
    for family in families:
        services.survey_record(actor=operator_a, family=family, **SURVEY)
    welfare_score()
    return families


def scores(family):
    return list(WelfareScore.objects.filter(family=family).order_by("scored_at", "id"))


def test_a_new_survey_is_rescored_by_the_background_task(immediate_tasks, scored_families, operator_a,
                                                         django_capture_on_commit_callbacks):
    family = scored_families[0]
    before = scores(family)[-1]
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_record(actor=operator_a, family=family, **{
            **SURVEY, "surveyed_on": datetime.date(2025, 9, 1), "floor_material": "ceramic",
            "has_refrigerator": True, "has_car": True, "installed_power_va": 2200})
    after = scores(family)
    assert len(after) == 2 and after[0].pk == before.pk and not after[0].is_current and after[1].is_current
    assert after[1].predicted_per_capita > before.predicted_per_capita
    # The other families keep their one score.
    assert all(len(scores(other)) == 1 for other in scored_families[1:])


def test_moving_a_member_rescores_both_families(immediate_tasks, scored_families, operator_a,
                                                django_capture_on_commit_callbacks):
    source, target = scored_families[1], scored_families[2]
    child = services.person_add(actor=operator_a, family=source, nik=None, name="Anak Pindah", sex="P",
                                birth_place="Bogor", birth_date=datetime.date(2012, 4, 4), relationship=4,
                                marital_status=1, education=3, employment_status="school")
    welfare_score(changed_only=True)
    source_scores, target_scores = len(scores(source)), len(scores(target))
    with django_capture_on_commit_callbacks(execute=True):
        services.person_move(actor=operator_a, person=child, to_family=target, relationship=4)
    assert len(scores(source)) == source_scores + 1
    assert len(scores(target)) == target_scores + 1
    untouched = scored_families[3]
    assert len(scores(untouched)) == 1


def test_a_burst_of_edits_waits_for_one_queued_task(scored_families, operator_a,
                                                    django_capture_on_commit_callbacks):
    """With the database backend, edits while a rescoring waits in the queue add no second one."""
    from django_tasks_db.models import DBTaskResult

    from sejahtera.welfare.tasks import rescore_changed

    for family in scored_families[:3]:
        with django_capture_on_commit_callbacks(execute=True):
            services.family_update(actor=operator_a, family=family, address="Jl. Baru No. 1")
    queued = DBTaskResult.objects.filter(task_path=rescore_changed.module_path)
    assert queued.count() == 1


def test_activating_a_model_rescores_every_family_in_the_background(immediate_tasks, scored_families, make_user,
                                                                     django_capture_on_commit_callbacks):
    from sejahtera.accounts.roles import Role
    from sejahtera.welfare.models import PmtCoefficient, PmtModel
    from sejahtera.welfare.services import pmt_model_activate

    active = PmtModel.objects.get(regency_code="3201", is_active=True)
    new = PmtModel.objects.create(regency_code="3201", version=active.version + 1, name="next",
                                  intercept=active.intercept + 0.2)
    PmtCoefficient.objects.bulk_create(PmtCoefficient(model=new, variable=c.variable, value=c.value)
                                       for c in active.coefficients.all())
    admin = make_user(Role.SYSTEM_ADMIN, "3201")
    with django_capture_on_commit_callbacks(execute=True):
        pmt_model_activate(actor=admin, model=new)
    current = WelfareScore.objects.filter(is_current=True)
    assert current.count() == len(scored_families)
    assert set(current.values_list("model_id", flat=True)) == {new.pk}
