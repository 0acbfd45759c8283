"""Fixtures shared by every test: regions come from the migration, users and families are made here."""

import datetime

import pytest

from sejahtera.accounts.models import Agency, Membership, User
from sejahtera.accounts.roles import Role
from sejahtera.regions.models import Region
from sejahtera.registry import services
from sejahtera.registry.identity import nik_for_birth, no_kk_for_issue

# Two villages in two kecamatan of Kabupaten Bogor (32.01).
DESA_A = "3201011001"  # Pondok Rajeg, Cibinong
DESA_B = "3201022001"  # Wanaherang, Gunungputri
KECAMATAN_A = DESA_A[:6]
REGENCY = "3201"


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The real password hasher takes most of a second per user.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def plain_http(settings):
    """The test client speaks plain HTTP; production redirects it to HTTPS."""
    settings.SECURE_SSL_REDIRECT = False


@pytest.fixture
def login(client, plain_http):
    """Log the client in as ``user`` and return it."""

    def as_user(user):
        client.force_login(user)
        return client

    return as_user


@pytest.fixture
def make_user(db):
    def make(role: str, region_code: str, *, agency: str | None = None, username: str | None = None,
             password: str = "rahasia-uji-123") -> User:
        user = User.objects.create_user(username=username or f"{role}-{region_code}", password=password)
        Membership.objects.create(
            user=user, role=role, region_id=region_code,
            agency=Agency.objects.get(code=agency) if agency else None,
        )
        return user

    return make


@pytest.fixture
def operator_a(make_user):
    """Desa operator of DESA_A."""
    return make_user(Role.DESA_OPERATOR, DESA_A)


@pytest.fixture
def operator_b(make_user):
    return make_user(Role.DESA_OPERATOR, DESA_B)


@pytest.fixture
def planner(make_user):
    return make_user(Role.PLANNER, REGENCY, agency="bappedalitbang")


@pytest.fixture
def agency_officer(make_user):
    return make_user(Role.AGENCY_OFFICER, REGENCY, agency="dinsos")


@pytest.fixture
def make_family(db):
    """Register a family with a head through the services, as an operator would."""
    serials = iter(range(1, 10000))

    def make(actor, desa_code: str = DESA_A, *, head_name: str = "Asep Sunandar",
             head_sex: str = "L", head_birth: datetime.date = datetime.date(1980, 5, 17)):
        serial = next(serials)
        desa = Region.objects.get(code=desa_code)
        family = services.family_create(
            actor=actor, no_kk=no_kk_for_issue(desa_code[:6], datetime.date(2015, 3, 2), serial),
            desa=desa, address="Jl. Raya Bogor No. 12", rt="003", rw="005",
        )
        services.person_add(
            actor=actor, family=family, nik=nik_for_birth(desa_code[:6], head_birth, head_sex, serial),
            name=head_name, sex=head_sex, birth_place="Bogor", birth_date=head_birth, relationship=1,
            marital_status=2, education=5, occupation="Buruh Harian Lepas", employment_status="working",
        )
        return family

    return make


def restore_reference_data() -> None:
    """Put back the rows the data migrations write (regions, agencies, PMT models and poverty
    lines, the programme catalogue, the plan indicators) when a transactional test's flush has
    removed them."""
    from importlib import import_module

    from django.apps import apps

    from sejahtera.monitoring.models import Indicator
    from sejahtera.programs.models import Programme
    from sejahtera.regions.loading import load_regions
    from sejahtera.regions.selectors import known_kecamatan_codes
    from sejahtera.welfare.models import PmtModel

    def run(module: str, function: str) -> None:
        getattr(import_module(f"sejahtera.{module}"), function)(apps, None)

    if not Region.objects.exists():
        load_regions(Region)
        known_kecamatan_codes.cache_clear()
    if not Agency.objects.exists():
        run("accounts.migrations.0002_seed_agencies", "seed")
    if not PmtModel.objects.exists():
        run("welfare.migrations.0002_default_model", "seed")
        run("welfare.migrations.0003_calibrated_model", "add_version_2")
    if not Programme.objects.exists():
        run("programs.migrations.0002_seed_programmes", "seed")
    if not Indicator.objects.exists():
        run("monitoring.seed", "seed")

