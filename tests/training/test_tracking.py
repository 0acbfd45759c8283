"""Who sees which trainees, placement within 6 months of a batch, and the statistics against
counts made here from the rows."""

import calendar
import datetime
from collections import Counter

import pytest

from sejahtera.accounts.roles import Role
from sejahtera.careers.models import Placement
from sejahtera.training import selectors, services
from sejahtera.training.models import Trainee
from tests.conftest import DESA_B, KECAMATAN_A
from tests.training.conftest import place, start

pytestmark = pytest.mark.django_db
KECAMATAN_B = DESA_B[:6]


@pytest.fixture
def verifiers(make_user):
    return (make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_A, username="verifier-a"),
            make_user(Role.KECAMATAN_VERIFIER, KECAMATAN_B, username="verifier-b"))


def completed_batch(disnaker, make_batch, persons, *, competent=None, **dates):
    """A batch whose ``persons`` all attended its one recorded day and completed it."""
    batch = make_batch(capacity=len(persons), **dates)
    rows = [services.trainee_apply(actor=disnaker, batch=batch, person=p) for p in persons]
    start(disnaker, batch)
    services.attendance_record(actor=disnaker, batch=batch, day=batch.starts_on, present_ids=[t.pk for t in rows])
    competent = competent or [True] * len(rows)
    return batch, [services.trainee_complete(actor=disnaker, trainee=t, competent=c)
                   for t, c in zip(rows, competent, strict=True)]


def test_trainee_lists_follow_the_personal_data_scopes(disnaker, make_batch, make_person, operator_b, verifiers,
                                                       planner):
    verifier_a, verifier_b = verifiers
    batch = make_batch()
    in_a = [services.trainee_apply(actor=disnaker, batch=batch, person=make_person()) for _ in range(3)]
    in_b = [services.trainee_apply(actor=disnaker, batch=batch, person=make_person(operator_b, DESA_B))
            for _ in range(2)]
    start(disnaker, batch)
    services.attendance_record(actor=disnaker, batch=batch, day=batch.starts_on, present_ids=[in_a[0].pk])

    def seen(user):
        return set(selectors.trainees(user, batch).values_list("pk", flat=True))

    assert seen(verifier_a) == {t.pk for t in in_a}
    assert seen(verifier_b) == {t.pk for t in in_b}
    assert seen(disnaker) == {t.pk for t in in_a + in_b}
    assert seen(planner) == set()
    assert {row.trainee.pk for row in selectors.attendance_sheet(verifier_b, batch).rows} == {t.pk for t in in_b}
    assert selectors.attendance_sheet(planner, batch).rows == []
    # The batch itself is no personal data: every user of the regency sees it.
    assert selectors.batch_get(planner, batch.pk) == batch
    assert list(selectors.batch_list(verifier_b)) == [batch]


def test_placed_within_six_months_of_the_batch(disnaker, make_batch, make_person, operator_b, verifiers):
    persons = [make_person() for _ in range(5)] + [make_person(operator_b, DESA_B)]
    five, seven, before, during, exactly_six, in_b = persons
    batch, _ = completed_batch(disnaker, make_batch, persons)  # 2 February - 30 April 2026
    place(five, datetime.date(2026, 9, 30))
    place(seven, datetime.date(2026, 11, 30))
    place(before, datetime.date(2026, 1, 10))
    place(during, datetime.date(2026, 4, 1))
    place(exactly_six, datetime.date(2026, 10, 30))
    place(exactly_six, datetime.date(2026, 10, 31), employer_name="PT Kedua")  # a second job: listed once
    place(in_b, datetime.date(2026, 6, 1), employer_name="CV Sukses")

    placed = {t.person_id: t for t in selectors.batch_placements(disnaker, batch)}
    assert set(placed) == {five.pk, during.pk, exactly_six.pk, in_b.pk}
    first = placed[exactly_six.pk]
    assert (first.placement_start, first.placement_employer, first.placement_position) == (
        datetime.date(2026, 10, 30), "PT Maju Jaya", "Welder")
    assert {t.person_id for t in selectors.batch_placements(verifiers[1], batch)} == {in_b.pk}
    assert {t.person_id for t in selectors.batch_placements(disnaker, batch, months=7)} == set(placed) | {seven.pk}
    assert selectors.training_statistics(disnaker, 2026)["total"]["placed"] == 4


def test_placement_window_ends_on_the_months_last_day(disnaker, make_batch, make_person):
    inside, outside = make_person(), make_person()
    batch, _ = completed_batch(disnaker, make_batch, [inside, outside], starts_on=datetime.date(2026, 7, 1),
                               ends_on=datetime.date(2026, 8, 31))
    place(inside, datetime.date(2027, 2, 28))
    place(outside, datetime.date(2027, 3, 1))
    assert selectors.add_months(batch.ends_on, 6) == datetime.date(2027, 2, 28)
    assert [t.person_id for t in selectors.batch_placements(disnaker, batch)] == [inside.pk]
    assert selectors.training_statistics(disnaker, 2026)["total"]["placed"] == 1  # the SQL window agrees


def age_group(birth: datetime.date, year: int) -> str:
    age = year - birth.year  # reached by 31 December
    for upper, label in ((25, "15-24"), (35, "25-34"), (45, "35-44"), (55, "45-54")):
        if age < upper:
            return label
    return "55+"


def window_end(day: datetime.date, months: int) -> datetime.date:
    year, month = divmod(day.month - 1 + months, 12)
    year, month = day.year + year, month + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def expected_statistics(year: int, kecamatan: str = "") -> dict:
    """Counted here, row by row, from the trainees and placements."""
    counts = {name: Counter() for name in ("total", *selectors.statistics.DIMENSIONS)}
    jobs = list(Placement.objects.values_list("person_id", "start_date"))
    for t in Trainee.objects.select_related("batch", "person"):
        if t.accepted_at is None or t.batch.starts_on.year != year or not t.desa_code.startswith(kecamatan):
            continue
        completed = t.status == "completed"
        figures = {"trainees": True, "completed": completed, "certified": completed and bool(t.certificate_number),
                   "placed": completed and any(pid == t.person_id and t.batch.starts_on <= start
                                               <= window_end(t.batch.ends_on, 6) for pid, start in jobs)}
        poor = t.desil is not None and t.desil <= 4
        keys = {"total": None, "month": t.batch.starts_on.month, "kecamatan": t.desa_code[:6], "sex": t.person.sex,
                "age_group": age_group(t.person.birth_date, year), "education": t.person.education}
        for name, key in keys.items():
            for figure, true in figures.items():
                counts[name][(key, figure)] += true
                counts[name][(key, f"poor_{figure}")] += true and poor
    return counts


def as_counter(rows: list[dict]) -> Counter:
    return Counter({(row["key"], k): v for row in rows for k, v in row.items() if k != "key"})


def test_statistics_equal_counts_made_here(disnaker, make_batch, make_person, operator_b, verifiers, planner):
    people = [make_person(sex="P" if i % 2 else "L", birth=datetime.date(1970 + 6 * i, 3, 1),
                          employment="unemployed" if i % 3 else "working") for i in range(6)]
    people += [make_person(operator_b, DESA_B, sex="P", birth=datetime.date(2001, 5, 5)) for _ in range(3)]
    march, march_rows = completed_batch(disnaker, make_batch, people[:5], competent=[True, False, True, True, True],
                                        starts_on=datetime.date(2026, 3, 2), ends_on=datetime.date(2026, 5, 29))
    july = make_batch(starts_on=datetime.date(2026, 7, 6), ends_on=datetime.date(2026, 9, 30), capacity=3)
    for p in people[4:]:
        services.trainee_apply(actor=disnaker, batch=july, person=p)  # five apply, three are accepted
    start(disnaker, july)
    earlier, _ = completed_batch(disnaker, make_batch, people[6:8], starts_on=datetime.date(2025, 3, 3),
                                 ends_on=datetime.date(2025, 5, 30))
    services.trainee_drop(actor=disnaker, trainee=Trainee.objects.filter(batch=july, status="attending").first(),
                          reason="Moved away")
    Trainee.objects.filter(person__in=people[::2]).update(desil=3)
    Trainee.objects.filter(person__in=people[1::2]).update(desil=8)
    place(people[0], datetime.date(2026, 8, 1))  # placed
    place(people[1], datetime.date(2026, 12, 1))  # more than 6 months after May 29
    place(people[2], datetime.date(2026, 11, 29))  # 6 months to the day: placed
    place(people[6], datetime.date(2025, 7, 1))  # placed, but after a 2025 batch

    stats = selectors.training_statistics(disnaker, 2026)
    expected = expected_statistics(2026)
    assert stats["total"]["trainees"] == 8 and stats["total"]["placed"] == 2  # the data exercise every figure
    assert Counter({(None, k): v for k, v in stats["total"].items()}) == expected["total"]
    for name in selectors.statistics.DIMENSIONS:
        assert as_counter(stats[name]) == expected[name], name

    # A kecamatan verifier counts only their kecamatan; planners count everything (aggregates only).
    in_b = selectors.training_statistics(verifiers[1], 2026)
    assert Counter({(None, k): v for k, v in in_b["total"].items()}) == expected_statistics(2026, KECAMATAN_B)["total"]
    assert selectors.training_statistics(planner, 2026)["total"] == stats["total"]
    assert in_b["total"]["trainees"] < stats["total"]["trainees"]
