"""Reads of programmes, cycles, enrolments and payments. Every function takes the user.

The catalogue, cycles and batch totals carry no personal data: a user sees those of the
regencies of their memberships. Enrolments and payments name persons, so they follow the
user's personal-data scopes on the enrolment's desa (planners see none), and agency staff read
only their own agency's programmes.
"""

from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import Substr
from django.http import Http404
from django.shortcuts import get_object_or_404

from sejahtera.accounts.roles import CAPABILITIES, Role
from sejahtera.core.scoping import region_prefix_q
from sejahtera.programs.models import Cycle, Enrolment, Payment, PaymentBatch, Programme
from sejahtera.programs.rules import matches
from sejahtera.programs.services.access import covers
from sejahtera.regions.models import Region
from sejahtera.registry.importing.sql import statement_memory
from sejahtera.welfare.selectors import aggregate_scopes


def _regencies(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return sorted({m.region_id[:4] for m in user.active_memberships})


def programme_list(user, *, active_only: bool = False) -> QuerySet[Programme]:
    programmes = Programme.objects.filter(regency_code__in=_regencies(user)).select_related("agency")
    return programmes.filter(is_active=True) if active_only else programmes


def cycle_list(user, programme: Programme | None = None) -> QuerySet[Cycle]:
    cycles = Cycle.objects.filter(programme__regency_code__in=_regencies(user)).select_related("programme", "rule")
    return cycles.filter(programme=programme) if programme is not None else cycles


def enrolment_scopes(user, programme: Programme) -> list[str]:
    """Region codes in which ``user`` may read ``programme``'s enrolments and payments: the field
    roles and administrators in their regions, agency staff only in the programme's own agency."""
    if not getattr(user, "is_authenticated", False):
        return []
    codes = set()
    for membership in user.active_memberships:
        if not CAPABILITIES[membership.role].personal_data:
            continue
        if membership.role in (Role.AGENCY_OFFICER, Role.AGENCY_HEAD) and membership.agency_id != programme.agency_id:
            continue
        codes.add(membership.region_id)
    return sorted(codes)


def _personal(user, programme: Programme, field: str) -> Q | None:
    return region_prefix_q(field, enrolment_scopes(user, programme))


def enrolment_list(user, cycle: Cycle, *, status: str = "", region_code: str = "",
                   desil: int | None = None) -> QuerySet[Enrolment]:
    """The cycle's enrolments in the user's scope (and in ``region_code``, of ``desil``), in priority order."""
    q = _personal(user, cycle.programme, "desa_code")
    if q is None:
        return Enrolment.objects.none()
    enrolments = Enrolment.objects.filter(cycle=cycle).filter(q)
    if status:
        enrolments = enrolments.filter(status=status)
    if region_code:
        enrolments = enrolments.filter(desa_code__startswith=region_code)
    if desil is not None:
        enrolments = enrolments.filter(desil=desil)
    return enrolments.select_related("person", "family").order_by("priority", "id")


def enrolment_get(user, pk: int) -> Enrolment:
    """One enrolment the user may read; 404 outside their scope (see ``enrolment_scopes``)."""
    enrolment = get_object_or_404(Enrolment.objects.select_related("cycle__programme__agency", "person", "family"),
                                  pk=pk)
    if not covers(enrolment_scopes(user, enrolment.cycle.programme), enrolment.desa_code):
        raise Http404
    return enrolment


def enrolment_status_counts(user, cycle: Cycle) -> dict[str, int]:
    """How many enrolments of the cycle in the user's scope are in each status."""
    counts = dict.fromkeys(Enrolment.Status.values, 0)
    for row in enrolment_list(user, cycle).order_by().values("status").annotate(n=Count("pk")):
        counts[row["status"]] = row["n"]
    return counts


def payment_batch_list(user, cycle: Cycle) -> QuerySet[PaymentBatch]:
    return PaymentBatch.objects.filter(cycle=cycle, cycle__programme__regency_code__in=_regencies(user))


def payment_list(user, batch: PaymentBatch, *, status: str = "") -> QuerySet[Payment]:
    q = _personal(user, batch.cycle.programme, "enrolment__desa_code")
    if q is None:
        return Payment.objects.none()
    payments = Payment.objects.filter(batch=batch).filter(q).select_related(
        "enrolment__person", "enrolment__family").order_by("id")
    return payments.filter(status=status) if status else payments


@dataclass
class RulePreview:
    """How many persons or families a rule matches, per kecamatan of the user's regions."""

    target: str
    total: int
    per_kecamatan: list[tuple[str, str, int]]  # (code, name, count), largest first


def rule_preview(user, *, text: str, target: str, reference_date=None) -> RulePreview:
    """Counts only, no personal data: any logged-in user, within the regions of their memberships.
    RuleError when the rule is not valid."""
    rows = matches(text, target, reference_date)
    desa = "desa_id"  # persons and families both carry their desa
    scopes = aggregate_scopes(user) if getattr(user, "is_authenticated", False) else []
    rows = rows.filter(region_prefix_q("desa__pk", scopes)) if scopes else rows.none()
    grouped = rows.order_by().annotate(kecamatan=Substr(desa, 1, 6)).values("kecamatan").annotate(n=Count("pk"))
    with transaction.atomic(), statement_memory():  # the hash of a person rule's families, in memory
        counts = {row["kecamatan"]: row["n"] for row in grouped}
    names = dict(Region.objects.filter(code__in=counts).values_list("code", "name"))
    per_kecamatan = sorted(((code, names.get(code, code), n) for code, n in counts.items()), key=lambda r: -r[2])
    return RulePreview(target, sum(counts.values()), per_kecamatan)
