"""Welfare scoring on generated families, on SQLite and PostgreSQL."""

import datetime
from functools import cache

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from sejahtera.demo.synthetic.generator import generate_regency
from sejahtera.demo.synthetic.writer import write_regency
from sejahtera.registry.models import Family, HouseholdSurvey
from sejahtera.welfare.models import PmtCoefficient, PmtModel, PovertyLine, WelfareScore
from sejahtera.welfare.scoring import welfare_score

REGENCY = "3201"
FAMILIES = 2500


@cache
def regency():
    return generate_regency(REGENCY, families=FAMILIES, seed=11, reference_date=datetime.date(2025, 6, 30))


@pytest.fixture
def registry(db):
    generated = regency()
    write_regency(generated)
    return generated


def current():
    return WelfareScore.objects.filter(is_current=True)


def desil_counts():
    counts = dict.fromkeys(range(1, 11), 0)
    for desil in current().values_list("desil", flat=True):
        counts[desil] += 1
    return counts


def ranks(values):
    order = sorted(range(len(values)), key=values.__getitem__)
    result = [0.0] * len(values)
    for position, index in enumerate(order):
        result[index] = float(position)
    return result


def spearman(a, b):
    ra, rb = ranks(a), ranks(b)
    n = len(ra)
    ma, mb = sum(ra) / n, sum(rb) / n
    cov = sum((x - ma) * (y - mb) for x, y in zip(ra, rb, strict=True))
    va = sum((x - ma) ** 2 for x in ra)
    vb = sum((y - mb) ** 2 for y in rb)
    return cov / (va * vb) ** 0.5


def next_version():
    return max(PmtModel.objects.filter(regency_code=REGENCY).values_list("version", flat=True)) + 1


def test_default_model_and_lines_are_seeded(db):
    model = PmtModel.objects.get(regency_code=REGENCY, is_active=True)
    assert model.coefficients.count() >= 30
    assert PovertyLine.objects.get(regency_code=REGENCY, kind="extreme").amount == 322_170
    assert "PLACEHOLDER" in PovertyLine.objects.get(regency_code=REGENCY, kind="poverty").source


def test_every_surveyed_family_gets_one_current_score(registry):
    call_command("score_welfare")
    surveyed = Family.objects.filter(surveys__isnull=False).distinct().count()
    assert surveyed >= 2000
    assert current().count() == surveyed
    assert current().values("family").distinct().count() == surveyed


def test_desil_split_the_regency_in_tenths(registry):
    welfare_score()
    total = current().count()
    assert total >= 2000
    for desil, count in desil_counts().items():
        assert abs(count / total - 0.10) <= 0.005, (desil, count, total)
    # Desil follow the predicted consumption: every family of a lower desil is predicted poorer.
    bounds = [(current().filter(desil=d).order_by("log_predicted").first().log_predicted,
               current().filter(desil=d).order_by("-log_predicted").first().log_predicted) for d in range(1, 11)]
    for (_, high), (low, _) in zip(bounds, bounds[1:], strict=False):
        assert high <= low
    poorest = current().order_by("rank_in_regency").first()
    assert poorest.rank_in_regency == 1 and poorest.desil == 1


def test_scores_follow_the_hidden_consumption(registry):
    welfare_score()
    hidden = {f.no_kk: f.consumption_per_capita for f in registry.families}
    pairs = [(predicted, hidden[no_kk])
             for predicted, no_kk in current().values_list("predicted_per_capita", "family__no_kk")]
    rho = spearman([p for p, _ in pairs], [h for _, h in pairs])
    assert rho > 0.5, rho
    print(f"Spearman rho = {rho:.3f} on {len(pairs)} families")


def test_changed_only_rescores_the_changed_family_and_keeps_history(registry):
    welfare_score()
    first = {s.family_id: s for s in current()}
    family_id = next(iter(first))
    survey = HouseholdSurvey.objects.filter(family_id=family_id).order_by("-surveyed_on", "-id").first()
    for name in ("has_car", "has_refrigerator", "has_air_conditioner", "has_computer", "owns_other_house"):
        setattr(survey, name, True)
    survey.installed_power_va = 3500
    survey.floor_material = "marble"
    survey.save()  # updated_at moves past the score's scored_at

    call_command("score_welfare", "--changed-only")

    rows = WelfareScore.objects.filter(family_id=family_id).order_by("scored_at", "id")
    assert [r.is_current for r in rows] == [False, True]
    old, new = rows
    assert old.log_predicted == first[family_id].log_predicted
    assert new.predicted_per_capita > old.predicted_per_capita
    # Nobody else was rescored, and the desil are still regency-wide tenths.
    assert WelfareScore.objects.count() == len(first) + 1
    assert current().count() == len(first)
    total = len(first)
    for desil, count in desil_counts().items():
        assert abs(count / total - 0.10) <= 0.005, (desil, count)

    call_command("score_welfare", "--changed-only")
    assert WelfareScore.objects.count() == len(first) + 1  # nothing changed since


def test_member_change_triggers_rescoring(registry):
    welfare_score()
    family = Family.objects.filter(surveys__isnull=False).first()
    member = family.members.order_by("-relationship").first()
    member.education = 10
    member.save()
    runs = welfare_score(changed_only=True)
    assert runs[0].retired == 1 and runs[0].scored == 1
    assert WelfareScore.objects.filter(family=family).count() == 2


def test_poverty_flags_follow_the_lines(registry):
    welfare_score()
    extreme = PovertyLine.objects.get(regency_code=REGENCY, kind="extreme").amount
    for score in current():
        assert score.is_extremely_poor == (score.predicted_per_capita < extreme)
    # Raise the extreme-poverty line to the 15th percentile of predictions: the flag follows.
    predictions = sorted(current().values_list("predicted_per_capita", flat=True))
    line = predictions[len(predictions) * 15 // 100]
    PovertyLine.objects.create(regency_code=REGENCY, year=2099, kind="extreme", amount=line, source="test")
    welfare_score()
    assert current().filter(is_extremely_poor=True).count() == sum(1 for p in predictions if p < line)
    for score in current():
        assert score.is_extremely_poor == (score.predicted_per_capita < line)


def test_one_active_model_per_regency(db):
    active = PmtModel.objects.get(regency_code=REGENCY, is_active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        PmtModel.objects.create(regency_code=REGENCY, version=next_version(), name="second", is_active=True,
                                intercept=13.0)
    PmtModel.objects.create(regency_code=REGENCY, version=next_version(), name="draft", is_active=False,
                            intercept=13.0)
    PmtModel.objects.create(regency_code="3202", version=1, name="other regency", is_active=True, intercept=13.0)
    assert PmtModel.objects.filter(is_active=True, regency_code=REGENCY).get() == active


def test_new_active_model_rescores_everyone_on_changed_only(registry):
    welfare_score()
    old = PmtModel.objects.get(regency_code=REGENCY, is_active=True)
    old.is_active = False
    old.save()
    new = PmtModel.objects.create(regency_code=REGENCY, version=next_version(), name="next", is_active=True,
                                  intercept=old.intercept + 0.1)
    PmtCoefficient.objects.bulk_create(PmtCoefficient(model=new, variable=c.variable, value=c.value)
                                       for c in old.coefficients.all())
    runs = welfare_score(changed_only=True)
    assert runs[0].retired == runs[0].scored == current().count()
    assert set(current().values_list("model_id", flat=True)) == {new.pk}


def test_unknown_variable_is_refused(db):
    model = PmtModel.objects.get(regency_code=REGENCY, is_active=True)
    PmtCoefficient.objects.create(model=model, variable="ln(1); DROP TABLE x", value=1.0)
    with pytest.raises(ValueError):
        welfare_score()
