"""Plain records of the synthetic regency, produced before anything touches the database.

The generator builds these; ``writer.write_regency`` loads them with ``bulk_create``, and a
file exporter can write them out. ``FamilyRecord.consumption_per_capita`` is the hidden
true welfare of the family: it is never stored, except as the noisy observed value on the
~15 % of surveys that measured consumption.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field


@dataclass(slots=True)
class PersonRecord:
    nik: str | None
    name: str
    sex: str
    birth_place: str
    birth_date: datetime.date
    relationship: int
    marital_status: int
    education: int
    occupation: str
    employment_status: str
    disability: str
    jkn_status: str
    started_on: datetime.date  # start of the membership of this family
    phone: str = ""


@dataclass(slots=True)
class SurveyRecord:
    surveyed_on: datetime.date
    enumerator: str
    floor_area_m2: int
    floor_material: str
    wall_material: str
    roof_material: str
    drinking_water: str
    toilet: str
    lighting: str
    installed_power_va: int
    cooking_fuel: str
    home_ownership: str
    owns_land: bool
    owns_other_house: bool
    has_refrigerator: bool
    has_air_conditioner: bool
    has_television: bool
    has_computer: bool
    has_gold: bool
    has_motorbike: bool
    has_car: bool
    large_livestock: int
    small_livestock: int
    consumption_per_capita: int | None  # observed (noisy), only on the measured sample


@dataclass(slots=True)
class FamilyRecord:
    no_kk: str
    desa_code: str
    address: str
    rt: str
    rw: str
    issued_on: datetime.date
    urbanity: float  # 0 = remote rural desa, 1 = urban kelurahan
    welfare: float  # latent welfare index of the family (standard-normal scale)
    consumption_per_capita: int  # hidden true monthly consumption per capita (Rp)
    members: list[PersonRecord] = field(default_factory=list)
    survey: SurveyRecord | None = None

    @property
    def kecamatan_code(self) -> str:
        return self.desa_code[:6]

    @property
    def size(self) -> int:
        return len(self.members)


@dataclass(slots=True)
class SyntheticRegency:
    regency_code: str
    regency_name: str
    seed: int
    reference_date: datetime.date
    families: list[FamilyRecord]

    @property
    def person_count(self) -> int:
        return sum(len(f.members) for f in self.families)
