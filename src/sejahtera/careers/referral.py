"""Referral (issue item 10): seekers still unplaced after a while, with training and internships that fit.

``referral_candidates(user, unplaced_days=90)`` lists, for Disnaker staff within their regions,
the active seekers registered more than ``unplaced_days`` days ago who have no placement, are not
in a training batch now (accepted or attending) nor in an internship now (matched or active), and
have no offer waiting for an answer. Each comes with suggestions:

- training batches open for registration in the seeker's regency whose course's KBJI code shares
  the sub-major group (first two digits) with one of the seeker's desired or past occupations; any
  open batch when the seeker named no occupation;
- open internship slots with openings left in the seeker's regency, by the same rule on the
  slot's KBJI code.

Batches and slots the person already applied to, or was offered, are left out. Everything is read
in a fixed number of queries for the page of seekers asked for; the small sets of open batches and
slots are then matched in memory. Offers are written by ``careers.services.referrals``.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from sejahtera.careers.access import disnaker_q
from sejahtera.careers.models import DesiredOccupation, JobSeeker, Placement, Referral, WorkExperience
from sejahtera.training.models import Internship, InternshipSlot, Trainee, TrainingBatch

GROUP_DIGITS = 2  # KBJI sub-major group


@dataclass
class ReferralCandidate:
    seeker: JobSeeker
    kbji_codes: frozenset[str]
    batches: list[TrainingBatch] = field(default_factory=list)
    slots: list[InternshipSlot] = field(default_factory=list)


def _groups(codes) -> set[str]:
    return {code.replace(".", "")[:GROUP_DIGITS] for code in codes if code}


def _fits(target_code: str, groups: set[str]) -> bool:
    if not groups:
        return True
    return bool(target_code) and target_code.replace(".", "")[:GROUP_DIGITS] in groups


def unplaced_seekers(user, *, unplaced_days: int = 90, now: datetime.datetime | None = None) -> QuerySet[JobSeeker]:
    """The seekers to refer, oldest registration first (see the module's docstring)."""
    cutoff = (now or timezone.now()) - datetime.timedelta(days=unplaced_days)
    training_now = Trainee.objects.filter(person_id=OuterRef("person_id"), status__in=Trainee.BUSY)
    interning_now = Internship.objects.filter(person_id=OuterRef("person_id"),
                                              status__in=(Internship.Status.MATCHED, Internship.Status.ACTIVE))
    waiting = Referral.objects.filter(seeker_id=OuterRef("pk"), outcome=Referral.Outcome.OFFERED)
    return (JobSeeker.objects.filter(disnaker_q(user), status=JobSeeker.Status.ACTIVE, created_at__lt=cutoff)
            .filter(~Exists(Placement.objects.filter(seeker_id=OuterRef("pk"))), ~Exists(training_now),
                    ~Exists(interning_now), ~Exists(waiting))
            .select_related("person").order_by("created_at", "id"))


def open_batches(regencies) -> list[TrainingBatch]:
    return list(TrainingBatch.objects.filter(status=TrainingBatch.Status.OPEN, course__regency_code__in=regencies)
                .select_related("course").order_by("starts_on", "id"))


def open_slots(regencies) -> list[InternshipSlot]:
    """Open slots with an opening left, in the regencies."""
    regency_q = Q()
    for regency in regencies:
        regency_q |= Q(desa_code__startswith=regency)
    taken = Count("internships", filter=Q(internships__status__in=Internship.HOLDING))
    slots = (InternshipSlot.objects.filter(regency_q, status=InternshipSlot.Status.OPEN).annotate(taken=taken)
             .select_related("employer").order_by("starts_on", "id"))
    return [slot for slot in slots if slot.taken < slot.openings]


def referral_candidates(user, *, unplaced_days: int = 90, limit: int | None = None, offset: int = 0,
                        now: datetime.datetime | None = None) -> list[ReferralCandidate]:
    """A page of the seekers to refer (all of them without ``limit``), each with suggested batches and slots."""
    seekers = unplaced_seekers(user, unplaced_days=unplaced_days, now=now)
    seekers = list(seekers[offset:offset + limit] if limit is not None else seekers[offset:])
    if not seekers:
        return []
    ids = [s.pk for s in seekers]
    person_ids = [s.person_id for s in seekers]
    codes = defaultdict(set)
    for seeker_id, code in DesiredOccupation.objects.filter(seeker_id__in=ids).values_list("seeker_id", "kbji_code"):
        codes[seeker_id].add(code)
    for seeker_id, code in WorkExperience.objects.filter(seeker_id__in=ids).exclude(kbji_code="").values_list(
            "seeker_id", "kbji_code"):
        codes[seeker_id].add(code)
    applied = set(Trainee.objects.filter(person_id__in=person_ids).values_list("person_id", "batch_id"))
    matched = set(Internship.objects.filter(person_id__in=person_ids).values_list("person_id", "slot_id"))
    offered_batches, offered_slots = set(), set()
    for seeker_id, batch_id, slot_id in Referral.objects.filter(seeker_id__in=ids).values_list(
            "seeker_id", "batch_id", "slot_id"):
        if batch_id:
            offered_batches.add((seeker_id, batch_id))
        if slot_id:
            offered_slots.add((seeker_id, slot_id))
    regencies = sorted({s.desa_code[:4] for s in seekers})
    batches, slots = open_batches(regencies), open_slots(regencies)
    result = []
    for seeker in seekers:
        groups, regency = _groups(codes[seeker.pk]), seeker.desa_code[:4]
        result.append(ReferralCandidate(
            seeker=seeker, kbji_codes=frozenset(codes[seeker.pk]),
            batches=[b for b in batches if b.course.regency_code == regency and _fits(b.course.kbji_code, groups)
                     and (seeker.person_id, b.pk) not in applied and (seeker.pk, b.pk) not in offered_batches],
            slots=[s for s in slots if s.desa_code.startswith(regency) and _fits(s.kbji_code, groups)
                   and (seeker.person_id, s.pk) not in matched and (seeker.pk, s.pk) not in offered_slots]))
    return result


def referrals(user, *, outcome: str = "") -> QuerySet[Referral]:
    """Offers made to seekers in the Disnaker staff member's regions, newest first."""
    rows = Referral.objects.filter(disnaker_q(user, "seeker__desa_code"))
    if outcome:
        rows = rows.filter(outcome=outcome)
    return rows.select_related("seeker__person", "batch__course", "slot__employer").order_by("-offered_at", "-id")
