"""Cycle pages: create, open and close a cycle; its enrolment list with filters and bulk steps;
one enrolment with its workflow steps.

Reading enrolments needs a personal-data role in the programme's regions (agency staff only of
the programme's own agency, see ``programs.selectors.enrolment_scopes``): planners get the
aggregates-only page, officers of other agencies 403. Every write goes through a service of
``programs.services``; what a service refuses comes back as a message after the redirect.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from sejahtera.core.audit import access_log
from sejahtera.programs import selectors, services
from sejahtera.programs.models import Cycle, Enrolment, Programme
from sejahtera.programs.services.access import AGENCY_STAFF, covers, scopes
from sejahtera.programs.services.periods import cycle_periods
from sejahtera.programs.services.steps import STEPS
from sejahtera.regions.models import Region
from sejahtera.registry.choices import Relationship
from sejahtera.registry.models import Person
from sejahtera.web.forms import DateInput, FamilyFilterForm
from sejahtera.web.pagination import CappedPaginator

PAGE_SIZE = 50
STEP_LABELS = {
    "verify": gettext_lazy("Verify"),
    "approve": gettext_lazy("Approve (up to the quota, in priority order)"),
    "reject": gettext_lazy("Reject (give a reason)"),
    "activate": gettext_lazy("Activate"),
    "complete": gettext_lazy("Complete"),
    "graduate": gettext_lazy("Graduate"),
    "exit": gettext_lazy("Exit (give a reason)"),
}
ONE = {"verify": services.enrolment_verify, "approve": services.enrolment_approve,
       "reject": services.enrolment_reject, "activate": services.enrolment_activate,
       "complete": services.enrolment_complete, "graduate": services.enrolment_graduate,
       "exit": services.enrolment_exit}
MANY = {"verify": services.enrolments_verify, "approve": services.enrolments_approve,
        "reject": services.enrolments_reject, "activate": services.enrolments_activate,
        "complete": services.enrolments_complete, "graduate": services.enrolments_graduate,
        "exit": services.enrolments_exit}


# -- helpers ------------------------------------------------------------------------------------

def programme_url(programme: Programme) -> str:
    """The programme's page, when the catalogue pages provide one."""
    try:
        return reverse("web:programme_detail", args=[programme.code])
    except NoReverseMatch:
        return ""


def cycle_get(user, pk: int) -> Cycle:
    cycles = selectors.cycle_list(user).select_related("programme__agency", "pmt_model")
    return get_object_or_404(cycles, pk=pk)


def is_programme_staff(user, programme: Programme) -> bool:
    return covers(scopes(user, programme, AGENCY_STAFF), programme.regency_code)


def require_enrolment_reader(user, programme: Programme) -> None:
    if not selectors.enrolment_scopes(user, programme):
        raise PermissionDenied


def steps_for(user, cycle: Cycle, status: str | None = None) -> list[tuple[str, str]]:
    """(name, label) of the steps ``user`` may take in ``cycle`` (from ``status``, if given)."""
    return [(name, STEP_LABELS[name]) for name, step in STEPS.items()
            if cycle.status in step.cycle_statuses and (status is None or status in step.sources)
            and scopes(user, cycle.programme, step.roles)]


def attach_beneficiaries(enrolments) -> None:
    """Set ``beneficiary`` (the person, or the family's head) and ``desa_name`` on each enrolment
    of a page: one query for the heads, one for the village names."""
    enrolments = list(enrolments)
    families = [e.family_id for e in enrolments if e.person_id is None]
    heads = {}
    for head in Person.objects.filter(family_id__in=families, relationship=Relationship.HEAD,
                                      merged_into__isnull=True).order_by("-id"):
        heads[head.family_id] = head  # the lowest id wins
    names = dict(Region.objects.filter(code__in={e.desa_code for e in enrolments}).values_list("code", "name"))
    for enrolment in enrolments:
        enrolment.beneficiary = enrolment.person if enrolment.person_id else heads.get(enrolment.family_id)
        enrolment.desa_name = names.get(enrolment.desa_code, enrolment.desa_code)


def show_service_error(request, error: Exception) -> None:
    if isinstance(error, ValidationError):
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(error) or _("Your role does not allow this action."))


def percent(part: int, whole: int | None) -> int | None:
    if not whole:
        return None
    return min(100, round(100 * part / whole))


# -- cycles -------------------------------------------------------------------------------------

class CycleForm(forms.Form):
    label = forms.CharField(label=gettext_lazy("Label"), max_length=20,
                            help_text=gettext_lazy("e.g. 2026, 2026-S1 or 2026-07"))
    starts_on = forms.DateField(label=gettext_lazy("Starts on"), widget=DateInput())
    ends_on = forms.DateField(label=gettext_lazy("Ends on"), widget=DateInput())


@never_cache
@login_required
@require_GET
def cycle_list(request):
    cycles = selectors.cycle_list(request.user).select_related("programme__agency").order_by(
        "programme__name", "-starts_on")
    return render(request, "web/cycles/list.html", {"cycles": cycles})


@never_cache
@login_required
def cycle_create(request, code: str):
    user = request.user
    programme = get_object_or_404(selectors.programme_list(user).select_related("agency"), code=code)
    if not is_programme_staff(user, programme):
        raise PermissionDenied
    form = CycleForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_create(actor=user, programme=programme, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Cycle %(label)s created. Open it to propose the candidates.")
                             % {"label": cycle.label})
            return redirect("web:cycle_detail", pk=cycle.pk)
    return render(request, "web/cycles/create.html", {
        "form": form, "programme": programme, "programme_url": programme_url(programme)})


def add_errors(form: forms.Form, error: ValidationError) -> None:
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, field_messages in error.message_dict.items():
        form.add_error(field if field in form.fields else None, field_messages)


@never_cache
@login_required
@require_GET
def cycle_detail(request, pk: int):
    user = request.user
    cycle = cycle_get(user, pk)
    programme = cycle.programme
    reads_enrolments = bool(selectors.enrolment_scopes(user, programme))
    counts = selectors.enrolment_status_counts(user, cycle) if reads_enrolments else None
    statuses = [(value, label, counts[value]) for value, label in Enrolment.Status.choices] if counts else []
    return render(request, "web/cycles/detail.html", {
        "cycle": cycle, "programme": programme, "programme_url": programme_url(programme),
        "can_manage": is_programme_staff(user, programme), "reads_enrolments": reads_enrolments,
        "statuses": statuses, "quota_percent": percent(cycle.approved_count, cycle.quota),
        "budget_percent": percent(cycle.approved_amount, cycle.budget),
        "batches": selectors.payment_batch_list(user, cycle) if programme.pays_cash else None,
        "periods": cycle_periods(cycle) if programme.pays_cash else [],
    })


def _cycle_step(request, pk: int, service, done: str):
    cycle = cycle_get(request.user, pk)
    try:
        service(actor=request.user, cycle=cycle)
    except (PermissionDenied, ValidationError) as error:
        show_service_error(request, error)
    else:
        messages.success(request, done % {"cycle": cycle})
    return redirect("web:cycle_detail", pk=cycle.pk)


@never_cache
@login_required
@require_POST
def cycle_open(request, pk: int):
    return _cycle_step(request, pk, services.cycle_open, _("%(cycle)s is open: its candidates are proposed."))


@never_cache
@login_required
@require_POST
def cycle_close(request, pk: int):
    return _cycle_step(request, pk, services.cycle_close, _("%(cycle)s is closed."))


# -- the enrolment list and bulk steps ----------------------------------------------------------

class EnrolmentFilterForm(FamilyFilterForm):
    """The family list's region and desil filters, with the enrolment's status."""

    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False,
                               choices=[("", gettext_lazy("All statuses")), *Enrolment.Status.choices])

    def __init__(self, user, *args, **kwargs):
        super().__init__(user, *args, **kwargs)
        for name in ("flag", "name", "welfare"):
            del self.fields[name]

    def filters(self) -> dict:
        self.is_valid()
        data = self.cleaned_data
        return {"status": data.get("status", ""), "desil": data.get("desil"),
                "region_code": data.get("desa") or data.get("kecamatan") or ""}


def list_url(cycle: Cycle, query: str) -> str:
    url = reverse("web:enrolment_list", args=[cycle.pk])
    return f"{url}?{query}" if query else url


def filter_query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@never_cache
@login_required
@require_GET
def enrolment_list(request, pk: int):
    user = request.user
    if not user.personal_data_scopes:
        return render(request, "web/aggregates_only.html")
    cycle = cycle_get(user, pk)
    require_enrolment_reader(user, cycle.programme)
    form = EnrolmentFilterForm(user, request.GET)
    paginator = CappedPaginator(selectors.enrolment_list(user, cycle, **form.filters()), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    attach_beneficiaries(page.object_list)
    return render(request, "web/cycles/enrolment_list.html", {
        "cycle": cycle, "programme": cycle.programme, "form": form, "page": page, "paginator": paginator,
        "steps": steps_for(user, cycle), "query": filter_query(request),
    })


def selected_ids(request) -> list[int]:
    return [int(value) for value in request.POST.getlist("ids") if value.isdigit()]


def bulk_message(label: str, result: services.BulkResult) -> str:
    text = _("%(action)s: %(changed)d of %(selected)d changed, %(skipped)d skipped (in a status this step does "
             "not apply to, or outside your region).") % {
        "action": label, "changed": result.changed, "selected": result.selected, "skipped": result.skipped}
    if result.left_out:
        text += " " + _("%(n)d left out: the quota or the budget is reached.") % {"n": result.left_out}
    if result.conflicts:
        text += " " + _("%(n)d already approved in another programme of the same group.") % {"n": result.conflicts}
    return text


@never_cache
@login_required
@require_POST
def enrolment_bulk(request, pk: int):
    """A workflow step for the selected rows, or for every row the list's filters (in the query) show."""
    user = request.user
    cycle = cycle_get(user, pk)
    require_enrolment_reader(user, cycle.programme)
    back = redirect(list_url(cycle, filter_query(request)))
    action = request.POST.get("action", "")
    if action not in MANY:
        messages.error(request, _("Choose a step."))
        return back
    rows = selectors.enrolment_list(user, cycle, **EnrolmentFilterForm(user, request.GET).filters())
    if request.POST.get("scope") != "filtered":
        ids = selected_ids(request)
        if not ids:
            messages.error(request, _("Select at least one enrolment."))
            return back
        rows = rows.filter(pk__in=ids)
    extra = {"reason": request.POST.get("reason", "")} if STEPS[action].needs_reason else {}
    try:
        result = MANY[action](actor=user, cycle=cycle, ids_or_filter=rows, **extra)
    except (PermissionDenied, ValidationError) as error:
        show_service_error(request, error)
        return back
    level = messages.SUCCESS if result.changed and not (result.left_out or result.conflicts) else messages.WARNING
    messages.add_message(request, level, bulk_message(str(STEP_LABELS[action]), result))
    return back


# -- one enrolment ------------------------------------------------------------------------------

@never_cache
@login_required
@require_GET
def enrolment_detail(request, pk: int):
    user = request.user
    enrolment = selectors.enrolment_get(user, pk)
    cycle = enrolment.cycle
    attach_beneficiaries([enrolment])
    record = enrolment.person or enrolment.family
    access_log(actor=user, instance=record, region_code=enrolment.desa_code)
    return render(request, "web/cycles/enrolment_detail.html", {
        "enrolment": enrolment, "cycle": cycle, "programme": cycle.programme,
        "steps": [(name, label, STEPS[name].needs_reason) for name, label in steps_for(user, cycle, enrolment.status)
                  if covers(scopes(user, cycle.programme, STEPS[name].roles), enrolment.desa_code)],
    })


@never_cache
@login_required
@require_POST
def enrolment_step(request, pk: int, step: str):
    user = request.user
    enrolment = selectors.enrolment_get(user, pk)
    if step not in ONE:
        raise Http404
    extra = {"reason": request.POST.get("reason", "")} if STEPS[step].needs_reason else {}
    try:
        enrolment = ONE[step](actor=user, enrolment=enrolment, **extra)
    except (PermissionDenied, ValidationError) as error:
        show_service_error(request, error)
    else:
        messages.success(request, _("The enrolment is now %(status)s.") % {"status": enrolment.get_status_display()})
    return redirect("web:enrolment_detail", pk=enrolment.pk)
