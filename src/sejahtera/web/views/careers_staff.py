"""Disnaker staff pages of the career center: overview, employer and vacancy verification, placements.

Only Disnaker staff (officers and heads of Disnaker, and system administrators) reach these pages;
everyone else gets 403, planners included (they read the career center's statistics, not its
records). What each page lists comes from ``careers.selectors``, scoped to the staff member's
Disnaker regions; every write goes through ``careers.services``, and what a service refuses comes
back as a message after the redirect. Job seekers are in ``careers_seekers``.
"""

import datetime
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sejahtera.careers import selectors, services
from sejahtera.careers.access import disnaker_q, is_disnaker_staff
from sejahtera.careers.models import Application, Employer, Vacancy
from sejahtera.careers.services.placements import add_months, confirmable_from
from sejahtera.web.pagination import CappedPaginator
from sejahtera.web.regions import kecamatan_in_scope

PAGE_SIZE = 50
QUEUE_PREVIEW = 10


# -- helpers ------------------------------------------------------------------------------------

def disnaker_page(view):
    """Signed in, Disnaker staff (or a system administrator), never cached; 403 for everyone else."""
    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not is_disnaker_staff(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return never_cache(login_required(wrapped))


def show_service_error(request, error: Exception) -> None:
    """What a service refused, as messages on the next page."""
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error) or _("Your role does not allow this action."))


def month_bounds(value: str) -> tuple[datetime.date, datetime.date] | None:
    """``"2026-03"`` -> (1 March 2026, 31 March 2026); None when not a month."""
    try:
        first = datetime.date.fromisoformat(f"{value}-01")
    except (TypeError, ValueError):
        return None
    return first, add_months(first, 1) - datetime.timedelta(days=1)


def confirmable_cutoff(today: datetime.date) -> datetime.date:
    """Placements starting on or before this day can be confirmed today (``confirmable_from`` <= today)."""
    cutoff = add_months(today, -3)
    if (today + datetime.timedelta(days=1)).month != today.month:  # month's last day: later days were clamped
        cutoff = add_months(cutoff.replace(day=1), 1) - datetime.timedelta(days=1)
    return cutoff


def employer_get(user, pk: int) -> Employer:
    """An employer of the staff member's Disnaker regions; 404 otherwise."""
    return get_object_or_404(Employer.objects.filter(disnaker_q(user)), pk=pk)


def vacancy_get(user, pk: int) -> Vacancy:
    """A vacancy in the staff member's regions (the vacancy's or its employer's); 404 otherwise."""
    rows = Vacancy.objects.filter(disnaker_q(user) | disnaker_q(user, "employer__desa_code"))
    return get_object_or_404(rows.select_related("employer").prefetch_related("skills"), pk=pk)


# -- overview -----------------------------------------------------------------------------------

def overview_counts(user) -> dict:
    today = timezone.localdate()
    year = selectors.PlacementFilters(start_from=datetime.date(today.year, 1, 1),
                                      start_to=datetime.date(today.year, 12, 31))
    return {
        "seekers": selectors.seeker_list(user).count(),
        "employers": Employer.objects.filter(disnaker_q(user), status=Employer.Status.VERIFIED).count(),
        "vacancies": Vacancy.objects.filter(disnaker_q(user), status=Vacancy.Status.OPEN).count(),
        "applications": Application.objects.filter(disnaker_q(user, "seeker__desa_code")).count(),
        "placements": selectors.placements(user, year).count(),
    }


def placements_to_confirm(user):
    filters = selectors.PlacementFilters(confirmed=False, start_to=confirmable_cutoff(timezone.localdate()))
    return selectors.placements(user, filters)


@disnaker_page
@require_GET
def overview(request):
    user = request.user
    employers, vacancies = selectors.employer_review_queue(user), selectors.vacancy_review_queue(user)
    to_confirm = placements_to_confirm(user)
    return render(request, "web/disnaker/overview.html", {
        "counts": overview_counts(user),
        "employers": employers[:QUEUE_PREVIEW], "employers_count": employers.count(),
        "vacancies": vacancies[:QUEUE_PREVIEW], "vacancies_count": vacancies.count(),
        "to_confirm": to_confirm[:QUEUE_PREVIEW], "to_confirm_count": to_confirm.count(),
    })


# -- employers ----------------------------------------------------------------------------------

@disnaker_page
@require_GET
def employer_list(request):
    """The verification queue; ``?status=verified`` (or rejected) lists the others."""
    user = request.user
    status = request.GET.get("status", "")
    if status in Employer.Status.values and status != Employer.Status.PENDING:
        employers = Employer.objects.filter(disnaker_q(user), status=status).order_by("name", "id")
    else:
        status, employers = Employer.Status.PENDING, selectors.employer_review_queue(user)
    page = CappedPaginator(employers, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/disnaker/employer_list.html", {
        "page": page, "paginator": page.paginator, "status": status, "statuses": Employer.Status.choices})


@disnaker_page
@require_GET
def employer_detail(request, pk: int):
    employer = employer_get(request.user, pk)
    return render(request, "web/disnaker/employer_detail.html", {
        "employer": employer,
        "vacancies": employer.vacancies.order_by("-created_at", "-id")[:PAGE_SIZE],
    })


@disnaker_page
@require_POST
def employer_verify(request, pk: int):
    employer = employer_get(request.user, pk)
    approve = request.POST.get("decision") == "verify"
    try:
        services.employer_verify(actor=request.user, employer=employer, approve=approve,
                                 reason=request.POST.get("reason", ""))
    except (ValidationError, PermissionDenied) as error:
        show_service_error(request, error)
    else:
        messages.success(request, _("%(name)s is verified.") % {"name": employer.name} if approve
                         else _("%(name)s is rejected.") % {"name": employer.name})
    return redirect("web:staff_employer_detail", pk=employer.pk)


# -- vacancies ----------------------------------------------------------------------------------

@disnaker_page
@require_GET
def vacancy_list(request):
    """The verification queue; ``?status=open`` (or another state) lists the others."""
    user = request.user
    status = request.GET.get("status", "")
    if status in Vacancy.Status.values and status != Vacancy.Status.SUBMITTED:
        vacancies = (Vacancy.objects.filter(disnaker_q(user), status=status).select_related("employer")
                     .order_by("-created_at", "-id"))
    else:
        status, vacancies = Vacancy.Status.SUBMITTED, selectors.vacancy_review_queue(user)
    page = CappedPaginator(vacancies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "web/disnaker/vacancy_list.html", {
        "page": page, "paginator": page.paginator, "status": status, "statuses": Vacancy.Status.choices})


@disnaker_page
@require_GET
def vacancy_detail(request, pk: int):
    vacancy = vacancy_get(request.user, pk)
    return render(request, "web/disnaker/vacancy_detail.html", {
        "vacancy": vacancy, "applications": selectors.applications_for_vacancy(request.user, vacancy).count(),
    })


@disnaker_page
@require_POST
def vacancy_verify(request, pk: int):
    vacancy = vacancy_get(request.user, pk)
    approve = request.POST.get("decision") == "verify"
    try:
        services.vacancy_verify(actor=request.user, vacancy=vacancy, approve=approve,
                                note=request.POST.get("note", ""))
    except (ValidationError, PermissionDenied) as error:
        show_service_error(request, error)
    else:
        messages.success(request, _("The vacancy is verified.") if approve
                         else _("The vacancy went back to the employer with your note."))
    return redirect("web:staff_vacancy_detail", pk=vacancy.pk)


@disnaker_page
@require_POST
def vacancy_open(request, pk: int):
    vacancy = vacancy_get(request.user, pk)
    try:
        services.vacancy_open(actor=request.user, vacancy=vacancy)
    except (ValidationError, PermissionDenied) as error:
        show_service_error(request, error)
    else:
        messages.success(request, _("The vacancy is open to job seekers."))
    return redirect("web:staff_vacancy_detail", pk=vacancy.pk)


# -- placements ---------------------------------------------------------------------------------

class PlacementFilterForm(forms.Form):
    month = forms.CharField(label=gettext_lazy("Start month"), required=False,
                            widget=forms.TextInput(attrs={"type": "month"}))
    kecamatan = forms.ChoiceField(label=gettext_lazy("District (kecamatan)"), required=False)
    confirmed = forms.ChoiceField(label=gettext_lazy("Confirmation"), required=False, choices=[
        ("", gettext_lazy("All placements")), ("no", gettext_lazy("Not confirmed")),
        ("yes", gettext_lazy("Confirmed"))])

    def __init__(self, user, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kecamatan"].choices = [("", gettext_lazy("All districts"))] + [
            (k.code, k.name) for k in kecamatan_in_scope(user)]

    def filters(self) -> selectors.PlacementFilters:
        self.is_valid()
        data = self.cleaned_data
        bounds = month_bounds(data.get("month", ""))
        return selectors.PlacementFilters(
            kecamatan=data.get("kecamatan", ""), start_from=bounds[0] if bounds else None,
            start_to=bounds[1] if bounds else None,
            confirmed={"yes": True, "no": False}.get(data.get("confirmed", "")))


@disnaker_page
@require_GET
def placement_list(request):
    form = PlacementFilterForm(request.user, request.GET)
    page = CappedPaginator(selectors.placements(request.user, form.filters()), PAGE_SIZE).get_page(
        request.GET.get("page"))
    today = timezone.localdate()
    for placement in page.object_list:
        placement.confirmable_from = confirmable_from(placement)
        placement.can_confirm = placement.confirmed_at is None and placement.confirmable_from <= today
    return render(request, "web/disnaker/placement_list.html", {
        "form": form, "page": page, "paginator": page.paginator})


@disnaker_page
@require_POST
def placement_confirm(request, pk: int):
    placement = get_object_or_404(selectors.placements(request.user), pk=pk)
    try:
        services.placement_confirm(actor=request.user, placement=placement)
    except (ValidationError, PermissionDenied) as error:
        show_service_error(request, error)
    else:
        messages.success(request, _("The placement of %(name)s is confirmed.") % {"name": placement.seeker.person.name})
    return redirect("web:staff_placement_list")
