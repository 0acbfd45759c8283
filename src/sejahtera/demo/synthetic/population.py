"""Person attributes consistent with age, sex, schooling and the family's welfare.

Education follows the 10 Dukcapil levels, work the Dukcapil occupation names
(``Pekerjaan`` on the Kartu Keluarga), JKN health insurance the family's welfare.
"""

from __future__ import annotations

import math
import random

from sejahtera.registry.choices import Disability, EmploymentStatus, JknStatus
from sejahtera.registry.choices import Education as E
from sejahtera.registry.choices import MaritalStatus as M
from sejahtera.registry.choices import Relationship as R

MALE, FEMALE = "L", "P"

NOT_WORKING = "Belum/Tidak Bekerja"
HOUSEKEEPING = "Mengurus Rumah Tangga"
STUDENT = "Pelajar/Mahasiswa"
RETIRED = "Pensiunan"

# Occupations by schooling band: (name, weight, sex restriction or None, rural preference 0..1)
_LOW = (
    ("Buruh Harian Lepas", 24, None, 0.5), ("Petani/Pekebun", 14, None, 1.0),
    ("Buruh Tani/Perkebunan", 12, None, 1.0), ("Pedagang", 12, None, 0.4), ("Wiraswasta", 7, None, 0.4),
    ("Tukang Bangunan", 8, MALE, 0.5), ("Tukang Batu", 3, MALE, 0.5), ("Tukang Kayu", 2, MALE, 0.5),
    ("Sopir", 4, MALE, 0.4), ("Karyawan Swasta", 8, None, 0.2), ("Pembantu Rumah Tangga", 5, FEMALE, 0.3),
    ("Tukang Jahit", 2, FEMALE, 0.4), ("Peternak", 2, None, 1.0),
)
_MIDDLE = (
    ("Karyawan Swasta", 34, None, 0.2), ("Wiraswasta", 14, None, 0.4), ("Pedagang", 11, None, 0.4),
    ("Buruh Harian Lepas", 10, None, 0.5), ("Sopir", 6, MALE, 0.4), ("Tukang Bangunan", 4, MALE, 0.5),
    ("Karyawan Honorer", 4, None, 0.5), ("Mekanik", 3, MALE, 0.3), ("Petani/Pekebun", 4, None, 1.0),
    ("Perangkat Desa", 1, None, 1.0), ("Ustadz/Mubaligh", 1, MALE, 0.6), ("Tukang Jahit", 1, FEMALE, 0.4),
)
_HIGH = (
    ("Karyawan Swasta", 33, None, 0.2), ("Guru", 15, None, 0.5), ("Pegawai Negeri Sipil (PNS)", 12, None, 0.4),
    ("Wiraswasta", 11, None, 0.3), ("Karyawan BUMN", 5, None, 0.2), ("Karyawan Honorer", 6, None, 0.5),
    ("Bidan", 3, FEMALE, 0.6), ("Perawat", 3, None, 0.4), ("Dosen", 1, None, 0.1), ("Dokter", 1, None, 0.2),
    ("Tentara Nasional Indonesia", 1, MALE, 0.4), ("Kepolisian RI", 1, MALE, 0.4), ("Pedagang", 4, None, 0.4),
)
FORMAL_OCCUPATIONS = frozenset({
    "Karyawan Swasta", "Guru", "Pegawai Negeri Sipil (PNS)", "Karyawan BUMN", "Bidan", "Perawat", "Dosen",
    "Dokter", "Tentara Nasional Indonesia", "Kepolisian RI", RETIRED,
})
CIVIL_SERVICE = frozenset({"Pegawai Negeri Sipil (PNS)", "Guru", "Tentara Nasional Indonesia", "Kepolisian RI"})

# Adult attainment: a latent score cut into the 10 levels (calibrated to West Java's
# adults: about a third with primary school, a quarter with senior secondary, ~9 % tertiary).
_CUTS = (-1.95, -1.2, 0.05, 0.55, 1.55, 1.63, 1.78, 2.85, 3.9)
_LEVELS = (E.NONE, E.PRIMARY_INCOMPLETE, E.PRIMARY, E.JUNIOR_SECONDARY, E.SENIOR_SECONDARY,
           E.DIPLOMA_I_II, E.DIPLOMA_III, E.BACHELOR, E.MASTER, E.DOCTORATE)
# The youngest age at which each level can be completed.
_MIN_AGE = {E.DIPLOMA_I_II: 20, E.DIPLOMA_III: 21, E.BACHELOR: 22, E.MASTER: 24, E.DOCTORATE: 28}


def sigmoid(x: float) -> float:
    return 1.0 / (1.0 + math.exp(-x))


def _attainment(rng: random.Random, welfare: float, birth_year: int, age: float) -> int:
    cohort = (birth_year - 1978) / 28
    score = 0.7 * welfare + cohort + rng.gauss(0.0, 0.75)
    level = _LEVELS[-1]
    for cut, candidate in zip(_CUTS, _LEVELS, strict=False):
        if score < cut:
            level = candidate
            break
    while level in _MIN_AGE and age < _MIN_AGE[level]:
        level = E(level - 1)
    return int(level)


def schooling(rng: random.Random, age: float, welfare: float, birth_year: int) -> tuple[int, bool]:
    """(education level completed, still in school) for a person of ``age``."""
    if age < 5:
        return E.NONE, False
    if age < 7:
        return E.NONE, rng.random() < 0.5  # kindergarten (TK/PAUD)
    if age < 13:
        return E.PRIMARY_INCOMPLETE, rng.random() < 0.99
    if age < 16:
        if rng.random() < 0.83 + 0.06 * welfare:
            return E.PRIMARY, True  # in SMP
        return (E.PRIMARY if rng.random() < 0.8 else E.PRIMARY_INCOMPLETE), False
    if age < 19:
        if rng.random() < 0.68 + 0.14 * welfare:
            return E.JUNIOR_SECONDARY, True  # in SMA/SMK
        return min(_attainment(rng, welfare, birth_year, age), E.JUNIOR_SECONDARY), False
    level = _attainment(rng, welfare, birth_year, age)
    if age < 24 and level >= E.SENIOR_SECONDARY and rng.random() < sigmoid(-1.3 + 1.0 * welfare):
        return E.SENIOR_SECONDARY, True  # at university
    return level, False


def _pick_occupation(rng: random.Random, sex: str, education: int, urbanity: float, welfare: float) -> str:
    if education <= E.PRIMARY:
        table = _LOW
    elif education <= E.SENIOR_SECONDARY:
        table = _MIDDLE if rng.random() < 0.75 + 0.1 * welfare else _LOW
    else:
        table = _HIGH if rng.random() < 0.85 else _MIDDLE
    choices, weights = [], []
    for name, weight, only_sex, rural in table:
        if only_sex is not None and only_sex != sex:
            continue
        w = weight * (rural * (1.0 - urbanity) + (1.0 - rural) * urbanity + 0.25)
        if name.startswith("Buruh"):
            w *= math.exp(-0.45 * welfare)
        elif name in ("Wiraswasta", "Karyawan Swasta", "Pegawai Negeri Sipil (PNS)"):
            w *= math.exp(0.3 * welfare)
        choices.append(name)
        weights.append(w)
    return rng.choices(choices, weights)[0]


def work(rng: random.Random, *, age: float, sex: str, education: int, in_school: bool, welfare: float,
         urbanity: float, marital_status: int, disabled: bool) -> tuple[str, str]:
    """(occupation, employment status)."""
    if in_school:
        return STUDENT, EmploymentStatus.IN_SCHOOL
    if age < 15:
        return NOT_WORKING, EmploymentStatus.NOT_WORKING
    if disabled and rng.random() < 0.55:
        return NOT_WORKING, EmploymentStatus.NOT_WORKING
    if age >= 58:
        if education >= E.SENIOR_SECONDARY and rng.random() < 0.3 + 0.1 * welfare:
            return RETIRED, EmploymentStatus.NOT_WORKING
        keeps_working = 0.6 - 0.025 * (age - 58)
        if rng.random() > keeps_working:
            if sex == FEMALE:
                return HOUSEKEEPING, EmploymentStatus.HOUSEKEEPING
            return NOT_WORKING, EmploymentStatus.NOT_WORKING
        return _pick_occupation(rng, sex, min(education, E.PRIMARY), urbanity, welfare), EmploymentStatus.WORKING
    if sex == FEMALE:
        housekeeping = (0.5 if marital_status == M.MARRIED else 0.2) - 0.06 * (education - E.PRIMARY)
        if rng.random() < housekeeping:
            return HOUSEKEEPING, EmploymentStatus.HOUSEKEEPING
    elif age < 20 and rng.random() < 0.35:
        return NOT_WORKING, EmploymentStatus.NOT_WORKING
    # In the labour force: open unemployment is highest among the young and school leavers.
    unemployment = 0.055 + (0.12 if age < 25 else 0.0) + (0.03 if education == E.SENIOR_SECONDARY else 0.0)
    unemployment *= math.exp(-0.25 * welfare)
    if rng.random() < unemployment:
        return NOT_WORKING, EmploymentStatus.UNEMPLOYED
    return _pick_occupation(rng, sex, education, urbanity, welfare), EmploymentStatus.WORKING


_DISABILITY_KINDS = (Disability.PHYSICAL, Disability.SENSORY, Disability.MENTAL, Disability.INTELLECTUAL,
                     Disability.MULTIPLE)
_DISABILITY_WEIGHTS = (40, 25, 13, 12, 10)


def disability(rng: random.Random, age: float) -> str:
    """About 2 % overall, rising with age."""
    if rng.random() < 0.006 + 0.0005 * age:
        return rng.choices(_DISABILITY_KINDS, _DISABILITY_WEIGHTS)[0]
    return Disability.NONE


def family_jkn(rng: random.Random, welfare: float) -> str:
    """The family's usual JKN status: poor families mostly PBI, better-off ones paying."""
    poor = sigmoid(-1.7 * (welfare + 0.2))
    pbi_national = 0.05 + 0.6 * poor
    pbi_daerah = 0.03 + 0.12 * poor
    none = 0.08 + 0.06 * poor
    roll = rng.random()
    if roll < pbi_national:
        return JknStatus.PBI_NATIONAL
    if roll < pbi_national + pbi_daerah:
        return JknStatus.PBI_DAERAH
    if roll < pbi_national + pbi_daerah + none:
        return JknStatus.NONE
    return JknStatus.PAID


def person_jkn(rng: random.Random, family_status: str, *, age: float, occupation: str) -> str:
    if age < 1 and rng.random() < 0.35:
        return JknStatus.NONE  # not yet registered
    if occupation in FORMAL_OCCUPATIONS and family_status in (JknStatus.NONE, JknStatus.PAID):
        return JknStatus.PAID if rng.random() < 0.9 else family_status
    if rng.random() < 0.04:
        return rng.choice((JknStatus.NONE, JknStatus.PAID, JknStatus.PBI_NATIONAL))
    return family_status


def marital_status_for(relationship: int, drawn: int, age: float) -> int:
    """Keep marital status consistent with the relationship and age."""
    if relationship in (R.WIFE, R.HUSBAND, R.CHILD_IN_LAW):
        return M.MARRIED
    if age < 16:
        return M.SINGLE
    return drawn
