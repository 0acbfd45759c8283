"""A living career center for the demo: employers, vacancies, seekers, applications, placements.

``seed(regency_code, seed)`` draws job seekers from the registry's working-age residents (the
unemployed and school leavers first), and creates employers in the sectors that employ people in
a regency like Bogor (food and garment industry, retail, restaurants, logistics, workshops,
clinics, schools), with vacancies in realistic states. Proportions follow the Bogor Career
Center's published year (48,578 seekers facilitated, 2,676 placed: about 5.5 %). System rows:
bulk inserts, no services, no audit event per row. Reproducible for a given seed; a second call
does nothing. `sejahtera demo` runs it through ``demo.activity.career_activity``.
"""

import datetime
import random
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from sejahtera.careers import matching_log
from sejahtera.careers.models import (
    Ak1Sequence,
    Application,
    DesiredOccupation,
    Employer,
    JobSeeker,
    Placement,
    Skill,
    Vacancy,
    WorkArea,
)
from sejahtera.careers.models.seekers import normalize_skill
from sejahtera.careers.services.seekers import ak1_valid_until
from sejahtera.regions.models import Region
from sejahtera.registry.choices import EmploymentStatus
from sejahtera.registry.models import Person


@dataclass(frozen=True)
class Job:
    title: str
    kbji: str
    min_education: int  # registry Education level
    skills: tuple[str, ...]
    wage: tuple[int, int]  # Rp per month
    kind: str = Vacancy.EmploymentType.FULL_TIME


JOBS = {
    "food_operator": Job("Operator Produksi", "8160", 5, ("Operasi mesin", "Keamanan pangan", "Kerja shift"),
                         (4_800_000, 5_200_000), Vacancy.EmploymentType.CONTRACT),
    "sewing": Job("Operator Mesin Jahit", "8153", 4, ("Menjahit", "Mesin jahit industri"), (4_600_000, 5_000_000),
                  Vacancy.EmploymentType.CONTRACT),
    "cashier": Job("Kasir", "5230", 5, ("Pelayanan pelanggan", "Mesin kasir", "Berhitung"), (3_500_000, 4_800_000)),
    "shop_assistant": Job("Pramuniaga", "5223", 5, ("Pelayanan pelanggan", "Penataan barang"),
                          (3_200_000, 4_500_000)),
    "cook": Job("Juru Masak", "5120", 4, ("Memasak", "Keamanan pangan"), (3_500_000, 5_500_000)),
    "waiter": Job("Pramusaji", "5131", 5, ("Pelayanan pelanggan", "Komunikasi"), (3_000_000, 4_200_000),
                  Vacancy.EmploymentType.PART_TIME),
    "driver": Job("Sopir Pengiriman", "8322", 4, ("SIM B1", "Mengemudi", "Navigasi"), (4_500_000, 5_500_000)),
    "courier": Job("Kurir", "9621", 4, ("SIM C", "Mengemudi"), (3_000_000, 4_200_000)),
    "warehouse": Job("Staf Gudang", "4321", 5, ("Microsoft Excel", "Stock opname", "Forklift"),
                     (4_600_000, 5_300_000)),
    "admin": Job("Staf Administrasi", "4110", 5, ("Microsoft Office", "Pengarsipan", "Komunikasi"),
                 (4_500_000, 5_500_000)),
    "bookkeeper": Job("Staf Akuntansi", "4311", 7, ("Akuntansi", "Microsoft Excel", "Perpajakan"),
                      (5_000_000, 6_500_000)),
    "security": Job("Satpam", "5414", 5, ("Gada Pratama", "Bela diri"), (4_800_000, 5_200_000)),
    "cleaner": Job("Petugas Kebersihan", "9112", 3, ("Kebersihan",), (3_000_000, 4_000_000),
                   Vacancy.EmploymentType.CONTRACT),
    "welder": Job("Tukang Las", "7212", 4, ("Las listrik", "Las argon", "Membaca gambar teknik"),
                  (5_000_000, 6_500_000)),
    "mechanic": Job("Mekanik Mobil", "7231", 5, ("Servis mesin", "Kelistrikan otomotif"), (4_800_000, 6_500_000)),
    "electrician": Job("Teknisi Listrik", "7411", 5, ("Instalasi listrik", "K3"), (4_800_000, 6_000_000)),
    "mason": Job("Tukang Bangunan", "7112", 1, ("Pasang bata", "Plester"), (3_500_000, 4_800_000),
                 Vacancy.EmploymentType.CONTRACT),
    "nurse": Job("Perawat", "3221", 7, ("STR Perawat", "Pelayanan pasien"), (4_500_000, 6_000_000)),
    "teacher": Job("Guru SD", "2341", 8, ("Mengajar", "Microsoft Office"), (3_000_000, 4_500_000)),
    "sales": Job("Sales Lapangan", "3322", 5, ("Negosiasi", "SIM C", "Komunikasi"), (4_000_000, 6_000_000)),
    "it_support": Job("Teknisi IT", "3512", 7, ("Jaringan komputer", "Perbaikan komputer"), (5_000_000, 7_000_000)),
    "designer": Job("Desainer Grafis", "2166", 7, ("Desain grafis", "CorelDRAW", "Adobe Photoshop"),
                    (4_500_000, 6_500_000), Vacancy.EmploymentType.INTERNSHIP),
}

# (KBLI 2020, name pattern, jobs it offers, share of employers)
SECTORS = [
    ("10710", "PT Roti {}", ("food_operator", "warehouse", "driver", "sales"), 12),
    ("14111", "PT Konveksi {}", ("sewing", "warehouse", "admin"), 14),
    ("47111", "Minimarket {}", ("cashier", "shop_assistant", "warehouse"), 16),
    ("56101", "Rumah Makan {}", ("cook", "waiter", "cashier", "cleaner"), 12),
    ("49431", "CV Ekspedisi {}", ("driver", "courier", "warehouse", "admin"), 8),
    ("29300", "PT Komponen {}", ("welder", "food_operator", "admin", "bookkeeper"), 7),
    ("45201", "Bengkel {}", ("mechanic", "electrician", "admin"), 7),
    ("41011", "CV Bangun {}", ("mason", "electrician", "welder"), 6),
    ("86105", "Klinik {}", ("nurse", "admin", "cleaner"), 6),
    ("85121", "SD Swasta {}", ("teacher", "admin", "security"), 5),
    ("80100", "PT Keamanan {}", ("security",), 4),
    ("62019", "PT Digital {}", ("it_support", "designer", "admin"), 3),
]
NAME_WORDS = ("Sejahtera", "Makmur", "Mandiri", "Jaya", "Abadi", "Sentosa", "Berkah", "Pakuan", "Tegar",
              "Halimun", "Cibinong", "Puncak", "Gemilang", "Lestari", "Utama", "Bersama", "Nusantara", "Pajajaran")
VACANCY_STATES = [(Vacancy.Status.OPEN, 70), (Vacancy.Status.CLOSED, 10), (Vacancy.Status.FILLED, 6),
                  (Vacancy.Status.SUBMITTED, 9), (Vacancy.Status.DRAFT, 5)]
APPLICATION_STATES = [(Application.Status.APPLIED, 50), (Application.Status.SHORTLISTED, 15),
                      (Application.Status.INVITED, 8), (Application.Status.REJECTED, 22),
                      (Application.Status.WITHDRAWN, 5)]
PLACED_SHARE = 0.055


@dataclass(frozen=True)
class SeedSummary:
    employers: int
    vacancies: int
    seekers: int
    applications: int
    placements: int


def _weighted(rng: random.Random, pairs):
    return rng.choices([v for v, _w in pairs], weights=[w for _v, w in pairs])[0]


def _skills(names) -> dict[str, Skill]:
    wanted = {normalize_skill(n): n for n in names}
    existing = {s.normalized: s for s in Skill.objects.filter(normalized__in=wanted)}
    Skill.objects.bulk_create([Skill(name=n, normalized=k) for k, n in wanted.items() if k not in existing])
    return {s.normalized: s for s in Skill.objects.filter(normalized__in=wanted)}


def _candidates(regency_code: str, today: datetime.date, count: int, rng: random.Random) -> list[dict]:
    """Working-age (18-55) residents with a NIK, the unemployed first, then others at random."""
    persons = (Person.objects.filter(desa__pk__startswith=regency_code, nik__isnull=False, merged_into__isnull=True,
                                     birth_date__gt=today.replace(year=today.year - 55),
                                     birth_date__lte=today.replace(year=today.year - 18))
               .filter(~Exists(JobSeeker.objects.filter(person=OuterRef("pk"))))
               .order_by("id").values("id", "desa_id", "education", "employment_status"))
    rows = list(persons)
    rng.shuffle(rows)
    rows.sort(key=lambda r: r["employment_status"] != EmploymentStatus.UNEMPLOYED)  # stable: still shuffled
    return rows[:count]


@transaction.atomic
def seed(regency_code: str, seed: int = 1, *, employers: int = 100, vacancies: int = 200,
         seekers: int = 2000) -> SeedSummary:
    if Employer.objects.filter(desa_code__startswith=regency_code).exists():
        return SeedSummary(0, 0, 0, 0, 0)
    rng = random.Random(seed)
    today, now = timezone.localdate(), timezone.now()
    desa_codes = list(Region.objects.filter(level=Region.Level.DESA, code__startswith=regency_code)
                      .order_by("code").values_list("code", flat=True))
    skills = _skills(name for job in JOBS.values() for name in job.skills)

    # Employers: most verified, a few waiting or rejected.
    sector_of = {}
    employer_rows = []
    for i in range(employers):
        kbli, pattern, jobs, _share = rng.choices(SECTORS, weights=[s[3] for s in SECTORS])[0]
        status = _weighted(rng, [(Employer.Status.VERIFIED, 90), (Employer.Status.PENDING, 7),
                                 (Employer.Status.REJECTED, 3)])
        employer = Employer(
            name=pattern.format(f"{rng.choice(NAME_WORDS)} {rng.choice(NAME_WORDS)}"),
            nib=f"91{regency_code}{i + 1:07d}",
            kbli_code=kbli, address=f"Jl. Raya No. {rng.randint(1, 250)}", desa_code=rng.choice(desa_codes),
            contact_name="Bagian HRD", contact_phone=f"08{rng.randint(1_000_000_000, 9_999_999_999)}", status=status,
            verified_at=now if status != Employer.Status.PENDING else None,
            rejection_reason="NIB tidak ditemukan di OSS" if status == Employer.Status.REJECTED else "")
        employer_rows.append(employer)
        sector_of[employer.nib] = jobs
    Employer.objects.bulk_create(employer_rows)
    verified = list(Employer.objects.filter(desa_code__startswith=regency_code, status=Employer.Status.VERIFIED))

    # Vacancies of verified employers.
    vacancy_rows, vacancy_skills = [], []
    for _i in range(vacancies):
        employer = rng.choice(verified)
        job = JOBS[rng.choice(sector_of[employer.nib])]
        status = _weighted(rng, VACANCY_STATES)
        deadline = today + datetime.timedelta(days=rng.randint(5, 60) if status != Vacancy.Status.CLOSED
                                              else -rng.randint(1, 60))
        opened = now - datetime.timedelta(days=rng.randint(1, 45))
        wage_min = job.wage[0] + 100_000 * rng.randint(0, 3)
        vacancy = Vacancy(
            employer=employer, title=job.title, kbji_code=job.kbji, description=(
                f"{employer.name} membutuhkan {job.title.lower()} yang jujur dan disiplin. Keahlian: "
                f"{', '.join(job.skills).lower()}."),
            min_education=job.min_education, age_min=18, age_max=rng.choice([30, 35, 40, 45]),
            min_experience_months=rng.choice([0, 0, 6, 12]), desa_code=employer.desa_code,
            kecamatan_code=employer.desa_code[:6], wage_min=wage_min, wage_max=max(wage_min, job.wage[1]),
            openings=rng.choice([1, 1, 2, 3, 5, 10]), deadline=deadline, employment_type=job.kind, status=status,
            submitted_at=None if status == Vacancy.Status.DRAFT else opened,
            verified_at=opened if status not in (Vacancy.Status.DRAFT, Vacancy.Status.SUBMITTED) else None,
            opened_at=opened if status in (Vacancy.Status.OPEN, Vacancy.Status.CLOSED, Vacancy.Status.FILLED)
            else None,
            closed_at=now if status == Vacancy.Status.CLOSED else None,
            filled_at=now if status == Vacancy.Status.FILLED else None)
        vacancy_rows.append(vacancy)
        vacancy_skills.append([skills[normalize_skill(n)] for n in job.skills])
    Vacancy.objects.bulk_create(vacancy_rows)
    through = Vacancy.skills.through
    through.objects.bulk_create([through(vacancy_id=v.pk, skill_id=s.pk)
                                 for v, ss in zip(vacancy_rows, vacancy_skills, strict=True) for s in ss])

    # Job seekers from the registry, with an AK/1 number each.
    people = _candidates(regency_code, today, seekers, rng)
    sequence, _created = Ak1Sequence.objects.select_for_update().get_or_create(regency_code=regency_code,
                                                                               year=today.year)
    first_serial = sequence.last_serial + 1
    sequence.last_serial += len(people)
    sequence.save(update_fields=["last_serial"])
    kecamatan_codes = sorted({code[:6] for code in desa_codes})
    seeker_rows, seeker_jobs = [], []
    for offset, person in enumerate(people):
        issued = today - datetime.timedelta(days=rng.randint(0, 540))
        job_keys = rng.sample(sorted(JOBS), 2)
        seeker_rows.append(JobSeeker(
            person_id=person["id"], ak1_number=f"{regency_code}-{today.year}-{first_serial + offset:06d}",
            ak1_issued_on=issued, ak1_valid_until=ak1_valid_until(issued), education=person["education"],
            expected_wage=rng.randrange(3_000_000, 6_000_001, 250_000), available_from=issued,
            phone=f"08{rng.randint(1_000_000_000, 9_999_999_999)}", consent_at=now, desa_code=person["desa_id"]))
        seeker_jobs.append(job_keys)
    JobSeeker.objects.bulk_create(seeker_rows)
    for row in seeker_rows:  # registered on the day the card was issued (insert stamps "now")
        row.created_at = timezone.make_aware(datetime.datetime.combine(row.ak1_issued_on, datetime.time(9)))
    JobSeeker.objects.bulk_update(seeker_rows, ["created_at"], batch_size=500)
    seeker_through = JobSeeker.skills.through
    seeker_through.objects.bulk_create([
        seeker_through(jobseeker_id=s.pk, skill_id=skills[normalize_skill(name)].pk)
        for s, keys in zip(seeker_rows, seeker_jobs, strict=True)
        for name in sorted({n for k in keys for n in JOBS[k].skills[:2]})])
    DesiredOccupation.objects.bulk_create([DesiredOccupation(seeker_id=s.pk, kbji_code=JOBS[k].kbji)
                                           for s, keys in zip(seeker_rows, seeker_jobs, strict=True)
                                           for k in keys])
    WorkArea.objects.bulk_create([
        WorkArea(seeker_id=s.pk, kecamatan_code=code) for s in seeker_rows
        for code in sorted({s.desa_code[:6], *rng.sample(kecamatan_codes, rng.randint(0, 2))})])

    applications, placements = _applications(rng, seeker_rows, seeker_jobs, vacancy_rows, today, now)
    matching_log.everything_changed()  # bulk writes: every match cache rebuilds
    return SeedSummary(len(employer_rows), len(vacancy_rows), len(seeker_rows), applications, placements)


def _applications(rng, seekers, seeker_jobs, vacancies, today, now) -> tuple[int, int]:
    """Applications to published vacancies (the seeker's occupations mostly), and the hires among them."""
    published = [v for v in vacancies if v.opened_at is not None]
    by_kbji = {}
    for vacancy in published:
        by_kbji.setdefault(vacancy.kbji_code, []).append(vacancy)
    rows, hired = [], []
    for seeker, keys in zip(seekers, seeker_jobs, strict=True):
        fitting = [v for k in keys for v in by_kbji.get(JOBS[k].kbji, [])]
        pool = fitting if fitting and rng.random() < 0.8 else published
        chosen = {v.pk: v for v in rng.sample(pool, min(len(pool), rng.choice([0, 1, 1, 2, 3, 4])))}
        place = rng.random() < PLACED_SHARE and chosen
        for index, vacancy in enumerate(chosen.values()):
            status = Application.Status.HIRED if place and index == 0 else _weighted(rng, APPLICATION_STATES)
            application = Application(vacancy=vacancy, seeker=seeker, status=status,
                                      rejection_reason="Kualifikasi belum sesuai"
                                      if status == Application.Status.REJECTED else "")
            stamp = {Application.Status.SHORTLISTED: "shortlisted_at", Application.Status.INVITED: "invited_at",
                     Application.Status.HIRED: "hired_at", Application.Status.REJECTED: "rejected_at",
                     Application.Status.WITHDRAWN: "withdrawn_at"}.get(status)
            if stamp:
                setattr(application, stamp, now)
            rows.append(application)
            if status == Application.Status.HIRED:
                hired.append(application)
    Application.objects.bulk_create(rows)
    for row in rows:  # applied within weeks of registering, never in the future
        row.applied_at = min(now, row.seeker.created_at + datetime.timedelta(days=rng.randint(0, 40)))
    Application.objects.bulk_update(rows, ["applied_at"], batch_size=500)
    Placement.objects.bulk_create([Placement(
        person_id=a.seeker.person_id, seeker=a.seeker, employer=a.vacancy.employer, vacancy=a.vacancy, application=a,
        position=a.vacancy.title, kbji_code=a.vacancy.kbji_code,
        contract_type=rng.choice([Placement.ContractType.FIXED_TERM, Placement.ContractType.FIXED_TERM,
                                  Placement.ContractType.PERMANENT, Placement.ContractType.DAILY]),
        wage=a.vacancy.wage_min, start_date=today - datetime.timedelta(days=rng.randint(0, 200)))
        for a in hired])
    hired_seekers = [a.seeker_id for a in hired]
    JobSeeker.objects.filter(pk__in=hired_seekers).update(status=JobSeeker.Status.PLACED)
    Person.objects.filter(job_seeker__pk__in=hired_seekers).update(employment_status=EmploymentStatus.WORKING,
                                                                    updated_at=now)
    return len(rows), len(hired)
