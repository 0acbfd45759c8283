"""The synthetic regency: families of the configured regency as plain records.

``generate`` is pure: the same geography, seed and reference date give the same records.
``generate_regency`` reads the geography from the Region table first. Writing to the
database is ``writer.write_regency``'s job.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Iterator
from dataclasses import dataclass

from sejahtera.demo.synthetic import names
from sejahtera.demo.synthetic.geography import DesaPlan, Geography, load_geography, plan_desas
from sejahtera.demo.synthetic.households import Member, draw_household
from sejahtera.demo.synthetic.population import (
    CIVIL_SERVICE,
    disability,
    family_jkn,
    marital_status_for,
    person_jkn,
    schooling,
    work,
)
from sejahtera.demo.synthetic.records import FamilyRecord, PersonRecord, SyntheticRegency
from sejahtera.demo.synthetic.welfare import consumption_per_capita, draw_survey
from sejahtera.registry.choices import Disability
from sejahtera.registry.choices import Relationship as R
from sejahtera.registry.identity import FEMALE, FEMALE_DAY_OFFSET, nik_for_birth, no_kk_for_issue

KK_EARLIEST = datetime.date(2004, 1, 1)  # oldest Kartu Keluarga still in use
SURVEY_WINDOW_DAYS = 730
NO_NIK_BABY_SHARE = 0.55  # babies whose birth is not yet registered
NO_NIK_OTHER_SHARE = 0.004
MOVED_WITHIN_REGENCY = 0.07  # adults whose NIK was first issued in another kecamatan of the regency
MOVED_FROM_PROVINCE = 0.07  # ... or in another regency of the province
_MOVER_RELATIONSHIPS = frozenset({R.HEAD, R.WIFE, R.HUSBAND, R.CHILD_IN_LAW, R.PARENT, R.PARENT_IN_LAW,
                                  R.OTHER_RELATIVE})


class SerialBook:
    """Serial numbers (0001-9999) unique per 12-digit NIK or No. KK prefix (kecamatan + date)."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def take(self, prefix: str) -> int:
        serial = self._last.get(prefix, 0) + 1
        if serial > 9999:
            raise OverflowError(f"no serial left for {prefix}")
        self._last[prefix] = serial
        return serial


@dataclass(slots=True)
class _DesaLayout:
    """RW and RT of a desa, with the kampung name of each RW in rural desa."""

    rt_per_rw: list[int]
    kampung: list[str]

    @classmethod
    def draw(cls, rng: random.Random, plan: DesaPlan) -> _DesaLayout:
        rw_count = rng.randint(4, 16) if plan.desa.is_kelurahan else rng.randint(3, 12)
        rt_per_rw = [rng.randint(3, 9) for _ in range(rw_count)]
        kampung = names.kampung_names(rng, rw_count)
        while len(kampung) < rw_count:
            kampung.append(rng.choice(names.KAMPUNG))
        return cls(rt_per_rw, kampung)


def generate_regency(regency_code: str | None = None, *, families: int, seed: int = 1,
                     reference_date: datetime.date | None = None) -> SyntheticRegency:
    """Generate ``families`` families in the regency (default: settings.SEJAHTERA_REGENCY)."""
    if regency_code is None:
        from django.conf import settings

        regency_code = settings.SEJAHTERA_REGENCY
    return generate(load_geography(regency_code), families=families, seed=seed, reference_date=reference_date)


def generate(geo: Geography, *, families: int, seed: int = 1,
             reference_date: datetime.date | None = None) -> SyntheticRegency:
    reference_date = reference_date or datetime.date.today()
    records = list(iter_families(geo, families=families, seed=seed, reference_date=reference_date))
    return SyntheticRegency(geo.regency_code, geo.regency_name, seed, reference_date, records)


def iter_families(geo: Geography, *, families: int, seed: int = 1,
                  reference_date: datetime.date | None = None) -> Iterator[FamilyRecord]:
    """The families one at a time, desa by desa, so millions never sit in memory together."""
    if families < 1:
        raise ValueError("families must be at least 1")
    rng = random.Random(seed)
    plans = plan_desas(geo, families, rng)
    state = _State(geo, rng, reference_date or datetime.date.today())
    for plan in plans:
        if not plan.families:
            continue
        layout = _DesaLayout.draw(rng, plan)
        for _ in range(plan.families):
            yield state.family(plan, layout)


class _State:
    """What the families of one run share: the random stream and the serial books."""

    def __init__(self, geo: Geography, rng: random.Random, reference_date: datetime.date) -> None:
        self.geo = geo
        self.rng = rng
        self.today = reference_date
        self.nik_serials = SerialBook()
        self.kk_serials = SerialBook()
        self.regency_kecamatan = [k.code for k in geo.kecamatans]
        self.enumerators = {
            k.code: [names.full_name(rng, rng.choice("LP"), rng.randint(1975, 2000)) for _ in range(3)]
            for k in geo.kecamatans
        }

    # -- identity -------------------------------------------------------------------------

    def _origin(self, member: Member, home_kecamatan: str) -> tuple[str, str]:
        """(kecamatan of the NIK's first issue, birth place)."""
        rng, geo = self.rng, self.geo
        roll = rng.random()
        if member.relationship in _MOVER_RELATIONSHIPS and member.age >= 17:
            if roll < MOVED_WITHIN_REGENCY:
                return rng.choice(self.regency_kecamatan), geo.home_place
            if roll < MOVED_WITHIN_REGENCY + MOVED_FROM_PROVINCE and geo.other_regencies:
                place, kecamatans = rng.choice(geo.other_regencies)
                return rng.choice(kecamatans), place if rng.random() < 0.85 else geo.home_place
        if rng.random() < 0.12 and geo.other_regencies:
            return home_kecamatan, rng.choice(geo.other_regencies)[0]
        return home_kecamatan, geo.home_place

    def _nik(self, kecamatan: str, birth: datetime.date, sex: str) -> str:
        day = birth.day + (FEMALE_DAY_OFFSET if sex == FEMALE else 0)
        prefix = f"{kecamatan}{day:02d}{birth.month:02d}{birth.year % 100:02d}"
        return nik_for_birth(kecamatan, birth, sex, self.nik_serials.take(prefix))

    def _issue_date(self, births: list[datetime.date]) -> datetime.date:
        rng = self.rng
        latest = self.today - datetime.timedelta(days=14)
        head_adult = births[0].replace(year=births[0].year + 17, day=min(births[0].day, 28))
        earliest = max(KK_EARLIEST, head_adult)
        youngest = max(births)
        if rng.random() < 0.55 and youngest > earliest:
            earliest = youngest  # the card was re-issued after the last birth
        if earliest >= latest:
            return latest
        span = (latest - earliest).days
        back = int(rng.expovariate(1 / 1800))
        if back > span:
            back = rng.randint(0, span)
        return latest - datetime.timedelta(days=back)

    # -- one family ------------------------------------------------------------------------

    def family(self, plan: DesaPlan, layout: _DesaLayout) -> FamilyRecord:
        rng, today = self.rng, self.today
        kecamatan = plan.desa.kecamatan_code
        welfare = plan.area_effect + rng.gauss(0.0, 1.0)
        members = draw_household(rng, welfare)
        births = [m.birth_date(today) for m in members]

        head_name = names.full_name(rng, members[0].sex, births[0].year)
        father_second = names.last_part(head_name) if members[0].sex == "L" else None

        issued = self._issue_date(births)
        family_status = family_jkn(rng, welfare)
        persons: list[PersonRecord] = []
        given_names = {head_name.split(" ")[0]}
        for index, (member, birth) in enumerate(zip(members, births, strict=True)):
            name = head_name
            if index:
                name = self._unused_name(member, birth, given_names, father_second)
                given_names.add(name.split(" ")[0])
            persons.append(self._person(member, birth, welfare, plan, family_status, issued, name=name))

        head = persons[0]
        consumption = consumption_per_capita(rng, welfare=welfare, size=len(persons),
                                             head_education=head.education, urbanity=plan.urbanity)
        rw = rng.randrange(len(layout.rt_per_rw))
        rt = rng.randint(1, layout.rt_per_rw[rw])
        if plan.desa.is_kelurahan or rng.random() < plan.urbanity * 0.5:
            address = names.urban_address(rng, plan.desa.name)
        else:
            address = names.rural_address(rng, layout.kampung[rw])
        kk_prefix = f"{kecamatan}{issued:%d%m%y}"
        no_kk = no_kk_for_issue(kecamatan, issued, self.kk_serials.take(kk_prefix))
        survey = draw_survey(
            rng, consumption=consumption, urbanity=plan.urbanity, size=len(persons), head_age=members[0].age,
            civil_servant=head.occupation in CIVIL_SERVICE,
            surveyed_on=today - datetime.timedelta(days=rng.randrange(SURVEY_WINDOW_DAYS)),
            enumerator=rng.choice(self.enumerators[kecamatan]),
        )
        return FamilyRecord(
            no_kk=no_kk, desa_code=plan.desa.code, address=address, rt=f"{rt:03d}", rw=f"{rw + 1:03d}",
            issued_on=issued, urbanity=round(plan.urbanity, 3), welfare=round(welfare, 4),
            consumption_per_capita=consumption, members=persons, survey=survey,
        )

    def _unused_name(self, member: Member, birth: datetime.date, given_names: set[str],
                     father_second: str | None) -> str:
        """A name whose first word no one else in the family carries."""
        second = father_second if member.child_of_head else None
        for _ in range(8):
            name = names.full_name(self.rng, member.sex, birth.year, father_second=second)
            if name.split(" ")[0] not in given_names:
                break
        return name

    def _person(self, member: Member, birth: datetime.date, welfare: float, plan: DesaPlan, family_status: str,
                issued: datetime.date, *, name: str) -> PersonRecord:
        rng = self.rng
        age, sex = member.age, member.sex
        education, in_school = schooling(rng, age, welfare, birth.year)
        disabled = disability(rng, age)
        marital = marital_status_for(member.relationship, member.marital_status, age)
        occupation, status = work(rng, age=age, sex=sex, education=education, in_school=in_school,
                                  welfare=welfare, urbanity=plan.urbanity, marital_status=marital,
                                  disabled=disabled != Disability.NONE)
        nik_kecamatan, birth_place = self._origin(member, plan.desa.kecamatan_code)
        no_nik = rng.random() < (NO_NIK_BABY_SHARE if age < 1 else NO_NIK_OTHER_SHARE)
        return PersonRecord(
            nik=None if no_nik else self._nik(nik_kecamatan, birth, sex),
            name=name, sex=sex, birth_place=birth_place, birth_date=birth,
            relationship=int(member.relationship), marital_status=int(marital), education=int(education),
            occupation=occupation, employment_status=str(status), disability=str(disabled),
            jkn_status=str(person_jkn(rng, family_status, age=age, occupation=occupation)),
            started_on=max(issued, birth),
        )
