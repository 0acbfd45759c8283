"""Reads of internships. Slots carry no personal data (users of the regency see them); interns
follow the user's personal-data scopes on the person's desa, like trainees."""

from django.db.models import Count, Q, QuerySet

from sejahtera.training.models import Internship, InternshipSlot
from sejahtera.training.selectors.lists import personal_q, regencies


def slot_list(user, *, status: str = "") -> QuerySet[InternshipSlot]:
    """Slots of the user's regencies with ``taken``: the openings held by interns."""
    q = Q()
    for code in regencies(user):
        q |= Q(desa_code__startswith=code)
    if not q:
        return InternshipSlot.objects.none()
    slots = InternshipSlot.objects.filter(q).select_related("employer").annotate(
        taken=Count("internships", filter=Q(internships__status__in=Internship.HOLDING)))
    return slots.filter(status=status) if status else slots


def interns(user, slot: InternshipSlot | None = None, *, status: str = "") -> QuerySet[Internship]:
    q = personal_q(user)
    if q is None:
        return Internship.objects.none()
    rows = Internship.objects.filter(q).select_related("person", "slot__employer", "placement")
    if slot is not None:
        rows = rows.filter(slot=slot)
    if status:
        rows = rows.filter(status=status)
    return rows.order_by("matched_at", "id")
