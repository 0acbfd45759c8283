"""Reads of the duplicate review queue. Every function takes the user (scoping can't be forgotten)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from sejahtera.core.audit import access_log
from sejahtera.core.scoping import region_prefix_q
from sejahtera.registry.models import DuplicateCandidate, PersonMerge

_PERSON_RELATED = ("person_a__desa__parent", "person_a__family", "person_b__desa__parent", "person_b__family",
                   "decided_by")


def candidate_list(user, *, status: str = DuplicateCandidate.Status.OPEN, source: str = "",
                   region: str = "") -> QuerySet[DuplicateCandidate]:
    """Pairs in the user's scope (both persons readable), most probable first."""
    candidates = DuplicateCandidate.objects.for_user(user).select_related(*_PERSON_RELATED)
    if status == DuplicateCandidate.Status.OPEN:
        candidates = candidates.open()
    elif status:
        candidates = candidates.filter(status=status)
    if source:
        candidates = candidates.filter(source=source)
    if region:
        candidates = candidates.filter(desa_code__startswith=region)
    return candidates.order_by("-probability", "id")


def candidate_get(user, pk: int, *, channel: str = "web") -> DuplicateCandidate:
    """One pair in the user's scope, or 404. Viewing a pair is a read of both persons: logged."""
    candidate = get_object_or_404(DuplicateCandidate.objects.for_user(user).select_related(*_PERSON_RELATED), pk=pk)
    for person in (candidate.person_a, candidate.person_b):
        if person is not None:
            access_log(actor=user, instance=person, region_code=person.desa_id, channel=channel)
    return candidate


def merge_list(user) -> QuerySet[PersonMerge]:
    """Merges whose two persons the user may read, newest first."""
    if not getattr(user, "is_authenticated", False):
        return PersonMerge.objects.none()
    q_survivor = region_prefix_q("survivor__desa__pk", user.personal_data_scopes)
    q_merged = region_prefix_q("merged__desa__pk", user.personal_data_scopes)
    if q_survivor is None:
        return PersonMerge.objects.none()
    return (PersonMerge.objects.filter(q_survivor).filter(q_merged)
            .select_related("survivor__desa", "merged__desa", "actor", "undone_by", "candidate")
            .order_by("-at", "-id"))


def merge_get(user, pk: int) -> PersonMerge:
    return get_object_or_404(merge_list(user), pk=pk)
