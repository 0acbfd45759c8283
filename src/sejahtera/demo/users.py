"""Demo users, with fixed demo passwords printed on the console, and the field verifiers of the
demo's programme work (one per kecamatan, without a password: nobody logs in as them)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.db.models import Count, Q

from sejahtera.accounts.models import Agency, Membership, User
from sejahtera.accounts.roles import Role
from sejahtera.regions.models import Region
from sejahtera.registry.models import Family


@dataclass(frozen=True)
class DemoUser:
    username: str
    password: str
    role: str
    scope: str  # "desa", "kecamatan" or "regency"
    agency: str | None
    first_name: str
    last_name: str
    admin: bool = False


# These are demo credentials, printed for whoever starts the demo on their own machine.
DEMO_USERS = (
    DemoUser("operator", "demo-operator-2026", Role.DESA_OPERATOR, "desa", None, "Euis", "Komariah"),
    DemoUser("verifikator", "demo-verifikator-2026", Role.KECAMATAN_VERIFIER, "kecamatan", None,
             "Dadang", "Hidayat"),
    DemoUser("dinsos", "demo-dinsos-2026", Role.AGENCY_OFFICER, "regency", "dinsos", "Rina", "Rahmawati"),
    # Payment batches need two approvers besides their creator: the treasurer and the head.
    DemoUser("bendinsos", "demo-bendinsos-2026", Role.AGENCY_OFFICER, "regency", "dinsos",
             "Neneng", "Sulastri"),
    DemoUser("kadinsos", "demo-kadinsos-2026", Role.AGENCY_HEAD, "regency", "dinsos", "Agus", "Suparman"),
    DemoUser("kadinkes", "demo-kadinkes-2026", Role.AGENCY_HEAD, "regency", "dinkes", "Ratna", "Wulandari"),
    DemoUser("disdik", "demo-disdik-2026", Role.AGENCY_OFFICER, "regency", "disdik", "Asep", "Saepudin"),
    DemoUser("bendisdik", "demo-bendisdik-2026", Role.AGENCY_OFFICER, "regency", "disdik",
             "Lilis", "Suryani"),
    DemoUser("kadisdik", "demo-kadisdik-2026", Role.AGENCY_HEAD, "regency", "disdik", "Hendra", "Gunawan"),
    DemoUser("disnaker", "demo-disnaker-2026", Role.AGENCY_OFFICER, "regency", "disnaker", "Yudi", "Setiawan"),
    DemoUser("kadisnaker", "demo-kadisnaker-2026", Role.AGENCY_HEAD, "regency", "disnaker", "Budi", "Santoso"),
    DemoUser("kadiskop", "demo-kadiskop-2026", Role.AGENCY_HEAD, "regency", "diskopumkm", "Yanti", "Nurhayati"),
    DemoUser("perencana", "demo-perencana-2026", Role.PLANNER, "regency", "bappedalitbang", "Dewi", "Permatasari"),
    DemoUser("admin", "demo-admin-2026", Role.SYSTEM_ADMIN, "regency", None, "Iwan", "Kurniawan", admin=True),
)


# Usernames of the unprinted district verifiers: "verifikator-320101".
FIELD_VERIFIER_PREFIX = "verifikator-"


@dataclass(frozen=True)
class Credential:
    username: str
    password: str
    role_label: str
    scope_label: str
    agency_label: str


def busiest_desa(regency_code: str) -> str:
    """The desa of the regency with the most families (the demo operator's desa)."""
    row = (Family.objects.filter(desa__code__startswith=regency_code).values("desa_id")
           .annotate(n=Count("id")).order_by("-n", "desa_id").first())
    if row is None:
        return Region.objects.filter(level=Region.Level.DESA, code__startswith=regency_code).order_by("code")[0].code
    return row["desa_id"]


def _scope_code(spec: DemoUser, regency_code: str, desa_code: str) -> str:
    return {"desa": desa_code, "kecamatan": desa_code[:6], "regency": regency_code}[spec.scope]


@transaction.atomic
def ensure_demo_users(regency_code: str) -> list[str]:
    """Create the demo users that do not exist yet; return the usernames created."""
    existing = set(User.objects.filter(username__in=[u.username for u in DEMO_USERS])
                   .values_list("username", flat=True))
    missing = [spec for spec in DEMO_USERS if spec.username not in existing]
    if not missing:
        return []
    desa_code = busiest_desa(regency_code)
    agencies = {a.code: a for a in Agency.objects.all()}
    with ThreadPoolExecutor(max_workers=2) as pool:  # PBKDF2 releases the GIL: hash on both cores
        hashes = list(pool.map(lambda spec: make_password(spec.password), missing))
    users = User.objects.bulk_create([
        User(username=spec.username, password=hashed, first_name=spec.first_name, last_name=spec.last_name,
             is_staff=spec.admin, is_superuser=spec.admin)
        for spec, hashed in zip(missing, hashes, strict=True)
    ])
    Membership.objects.bulk_create([
        Membership(user=user, role=spec.role, region_id=_scope_code(spec, regency_code, desa_code),
                   agency=agencies.get(spec.agency) if spec.agency else None)
        for spec, user in zip(missing, users, strict=True)
    ])
    return [spec.username for spec in missing]


def field_verifier_username(kecamatan_code: str) -> str:
    return f"{FIELD_VERIFIER_PREFIX}{kecamatan_code}"


@transaction.atomic
def ensure_field_verifiers(regency_code: str) -> int:
    """One district verifier for every kecamatan of the regency that has none of the demo's yet
    (the printed ``verifikator`` covers its own), so field checks can cover the whole regency.
    They have no usable password and are not printed. Returns how many were created."""
    covered = set(Membership.objects.filter(role=Role.KECAMATAN_VERIFIER, region__code__startswith=regency_code)
                  .filter(Q(user__username="verifikator") | Q(user__username__startswith=FIELD_VERIFIER_PREFIX))
                  .values_list("region_id", flat=True))
    kecamatan = [region for region in Region.objects.filter(level=Region.Level.KECAMATAN, is_current=True,
                                                            code__startswith=regency_code).order_by("code")
                 if region.code not in covered]
    if not kecamatan:
        return 0
    users = []
    for region in kecamatan:
        user = User(username=field_verifier_username(region.code), first_name="Verifikator",
                    last_name=f"Kecamatan {region.name}"[:150])
        user.set_unusable_password()
        users.append(user)
    users = User.objects.bulk_create(users)
    Membership.objects.bulk_create([Membership(user=user, role=Role.KECAMATAN_VERIFIER, region=region)
                                    for user, region in zip(users, kecamatan, strict=True)])
    return len(users)


def field_verifiers(regency_code: str) -> dict[str, User]:
    """The demo's district verifier of each kecamatan: ``{kecamatan code: user}``."""
    memberships = (Membership.objects.filter(role=Role.KECAMATAN_VERIFIER, is_active=True,
                                             region__code__startswith=regency_code)
                   .filter(Q(user__username="verifikator") | Q(user__username__startswith=FIELD_VERIFIER_PREFIX))
                   .select_related("user").order_by("user__username"))
    verifiers: dict[str, User] = {}
    for membership in memberships:  # "verifikator" sorts first: it keeps its kecamatan
        verifiers.setdefault(membership.region_id, membership.user)
    return verifiers


def _scope_label(region: Region) -> str:
    if region.level == Region.Level.DESA:
        kind = "Kelurahan" if region.desa_type == Region.DesaType.KELURAHAN else "Desa"
        return f"{kind} {region.name}, Kec. {region.parent.name}"
    if region.level == Region.Level.KECAMATAN:
        return f"Kecamatan {region.name}"
    return region.name


def demo_credentials() -> list[Credential]:
    """The demo users as they are in the database, with their demo passwords."""
    specs = {spec.username: spec for spec in DEMO_USERS}
    memberships = {
        m.user.username: m for m in Membership.objects.filter(user__username__in=specs, is_active=True)
        .select_related("user", "agency", "region__parent").order_by("id")
    }
    rows = []
    for username, spec in specs.items():
        m = memberships.get(username)
        if m is None:
            continue
        rows.append(Credential(username, spec.password, str(m.get_role_display()), _scope_label(m.region),
                               m.agency.short_name if m.agency else "-"))
    return rows
