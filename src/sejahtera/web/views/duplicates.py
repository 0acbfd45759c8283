"""The duplicate review queue: probable duplicate persons side by side, merge or mark distinct, undo.

Everyone who reads personal data sees the pairs whose two persons are both in their scope;
kecamatan verifiers and system administrators decide (``dedup.services.can_decide``).
Decisions are POSTs; pages are never cached.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sejahtera.registry.dedup import selectors, services
from sejahtera.registry.dedup.reasons import reasons_for
from sejahtera.registry.models import DuplicateCandidate
from sejahtera.web.pagination import CappedPaginator

PAGE_SIZE = 25
STATUS_FILTERS = ("open", "merged", "distinct", "corrected", "kept")


def _error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def _people_only(view):
    """Users without personal data (planners) get the aggregates-only page."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not request.user.personal_data_scopes:
            return render(request, "web/aggregates_only.html", status=403)
        return view(request, *args, **kwargs)

    return wrapped


@never_cache
@login_required
@require_GET
@_people_only
def duplicate_list(request):
    user = request.user
    status = request.GET.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    source = request.GET.get("source", "")
    if source not in DuplicateCandidate.Source.values:
        source = ""
    paginator = CappedPaginator(selectors.candidate_list(user, status=status, source=source), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [{"candidate": c, "persons": [c.person_a, c.person_b], "reasons": reasons_for(c),
             "can_decide": services.can_decide(user, c.person_a, c.person_b)} for c in page.object_list]
    return render(request, "web/duplicates/list.html", {
        "page": page, "paginator": paginator, "rows": rows, "status": status, "source": source,
        "statuses": [(value, label) for value, label in DuplicateCandidate.Status.choices],
        "sources": DuplicateCandidate.Source.choices,
    })


@never_cache
@login_required
@require_GET
@_people_only
def duplicate_detail(request, pk: int):
    user = request.user
    candidate = selectors.candidate_get(user, pk)
    merges = candidate.merges.select_related("actor", "undone_by").order_by("-at")
    return render(request, "web/duplicates/detail.html", {
        "candidate": candidate,
        "persons": [p for p in (candidate.person_a, candidate.person_b) if p is not None],
        "labelled_persons": [(label, p) for label, p in ((_("Record A"), candidate.person_a),
                                                         (_("Record B"), candidate.person_b)) if p is not None],
        "incoming": candidate.reasons.get("incoming") if candidate.person_b_id is None else None,
        "reasons": reasons_for(candidate),
        "can_decide": (candidate.status == DuplicateCandidate.Status.OPEN
                       and services.can_decide(user, candidate.person_a, candidate.person_b)),
        "merges": merges,
        "can_undo": services.can_decide(user, candidate.person_a, candidate.person_b),
    })


def _decide(request, pk: int, action):
    candidate = selectors.candidate_get(request.user, pk)
    try:
        message = action(candidate)
    except ValidationError as error:
        messages.error(request, _error_text(error))
        return redirect("web:duplicate_detail", pk=candidate.pk)
    except PermissionDenied:
        messages.error(request, _("Only a verifier whose area covers both records may decide on this pair."))
        return redirect("web:duplicate_detail", pk=candidate.pk)
    messages.success(request, message)
    return redirect("web:duplicate_list")


@never_cache
@login_required
@require_POST
@_people_only
def duplicate_merge(request, pk: int):
    def merge(candidate):
        try:
            survivor_id = int(request.POST.get("survivor", ""))
        except ValueError:
            raise ValidationError(_("Choose the record to keep.")) from None
        survivor = {p.pk: p for p in (candidate.person_a, candidate.person_b) if p is not None}.get(survivor_id)
        if survivor is None:
            raise ValidationError(_("Choose the record to keep."))
        services.duplicate_merge(actor=request.user, candidate=candidate, survivor=survivor)
        return _("The two records have been merged; %(name)s is kept.") % {"name": survivor.name}

    return _decide(request, pk, merge)


@never_cache
@login_required
@require_POST
@_people_only
def duplicate_distinct(request, pk: int):
    def distinct(candidate):
        services.duplicate_mark_distinct(actor=request.user, candidate=candidate,
                                         reason=request.POST.get("reason", ""))
        return _("Marked as two different persons.")

    return _decide(request, pk, distinct)


@never_cache
@login_required
@require_POST
@_people_only
def nik_conflict_resolve(request, pk: int):
    def resolve(candidate):
        apply_incoming = request.POST.get("decision") == "apply"
        services.nik_conflict_resolve(actor=request.user, candidate=candidate, apply_incoming=apply_incoming)
        if apply_incoming:
            return _("The record has been corrected with the imported values.")
        return _("The record is kept as registered.")

    return _decide(request, pk, resolve)


@never_cache
@login_required
@require_GET
@_people_only
def merge_list(request):
    user = request.user
    paginator = CappedPaginator(selectors.merge_list(user), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    rows = [{"merge": m, "can_undo": m.undone_at is None and services.can_decide(user, m.survivor, m.merged)}
            for m in page.object_list]
    return render(request, "web/duplicates/merges.html", {"page": page, "paginator": paginator, "rows": rows})


@never_cache
@login_required
@require_POST
@_people_only
def merge_undo(request, pk: int):
    merge = selectors.merge_get(request.user, pk)
    try:
        services.merge_undo(actor=request.user, merge=merge)
    except ValidationError as error:
        messages.error(request, _error_text(error))
    except PermissionDenied:
        messages.error(request, _("Only a verifier whose area covers both records may undo this merge."))
    else:
        messages.success(request, _("The merge has been undone; both records are back in the registry."))
    return redirect("web:merge_list")
