"""Employer pages of the applicants: the list per vacancy with each match, one application with
its messages, and the steps shortlist, invite, hire (with the placement) and reject.

The applicant is shown through ``careers.selectors.applicant_profile``: no NIK, family, welfare or
health data, and every read is logged. Applications of other employers' vacancies answer 404.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from sejahtera.careers import kbji, recommend, selectors, services
from sejahtera.careers.access import is_employer_member
from sejahtera.careers.models import Application
from sejahtera.registry.choices import Education
from sejahtera.web.views.employer import employer_required, own_vacancy
from sejahtera.web.views.employer_forms import HireForm, InviteForm, MessageForm, RejectForm, add_service_error
from sejahtera.web.views.employer_match import applications_with_matches

A = Application.Status
CANDIDATES_SHOWN = 20


def own_application(request, pk: int) -> Application:
    """An application to one of the account's employers' vacancies; 404 otherwise."""
    application = selectors.application_get(request.user, pk)
    if not is_employer_member(request.user, application.vacancy.employer):
        raise Http404
    return application


@employer_required
@require_GET
def employer_applicants(request, pk: int):
    vacancy = own_vacancy(request, pk)
    status = request.GET.get("status", "")
    if status not in A.values:
        status = ""
    rows = applications_with_matches(vacancy, selectors.applications_for_vacancy(request.user, vacancy, status))
    rows.sort(key=lambda row: (not row[1].eligible, -row[1].score, row[0].applied_at))
    return render(request, "web/employer/applicants.html", {
        "vacancy": vacancy, "rows": rows, "status": status, "statuses": A.choices,
        "kbji_label": kbji.label(vacancy.kbji_code),
    })


@employer_required
@require_GET
def employer_candidates(request, pk: int):
    """Registered seekers who fit the vacancy best (eligible only), whether or not they applied."""
    vacancy = own_vacancy(request, pk)
    candidates = recommend.candidates_for_vacancy(request.user, vacancy, limit=CANDIDATES_SHOWN)
    applied = set(vacancy.applications.values_list("seeker_id", flat=True))
    return render(request, "web/employer/candidates.html", {
        "vacancy": vacancy, "kbji_label": kbji.label(vacancy.kbji_code),
        "candidates": [(c, Education(c.education).label if c.education else "", c.seeker_id in applied)
                       for c in candidates],
    })


def _application_page(request, application: Application, *, forms: dict | None = None, status: int = 200):
    profile = selectors.applicant_profile(request.user, application.seeker_id)
    rows = applications_with_matches(application.vacancy, Application.objects.filter(pk=application.pk))
    services.application_messages_mark_read(actor=request.user, application=application)
    forms = forms or {}
    return render(request, "web/employer/application.html", {
        "application": application, "vacancy": application.vacancy, "profile": profile,
        "education": Education(profile.education).label if profile.education else "",
        "match": rows[0][1], "thread": selectors.application_messages(request.user, application),
        "message_form": forms.get("message", MessageForm()),
        "reject_form": forms.get("reject", RejectForm()),
        "invite_form": forms.get("invite", InviteForm()),
        "hire_form": forms.get("hire", HireForm(initial={"position": application.vacancy.title})),
        "can_act": application.status in (A.APPLIED, A.SHORTLISTED, A.INVITED),
        "can_shortlist": application.status == A.APPLIED,
        "can_invite": application.status in (A.APPLIED, A.SHORTLISTED),
    }, status=status)


@employer_required
@require_GET
def employer_application(request, pk: int):
    return _application_page(request, own_application(request, pk))


def _step(request, application: Application, call, done: str, form_name: str = "", form=None):
    """Run a step's service; on a refusal show the page again with the error (400)."""
    try:
        call()
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
        else:
            add_service_error(form, error)
            return _application_page(request, application, forms={form_name: form}, status=400)
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("web:employer_application", pk=application.pk)


@employer_required
@require_POST
def employer_application_shortlist(request, pk: int):
    application = own_application(request, pk)
    return _step(request, application,
                 lambda: services.application_shortlist(actor=request.user, application=application),
                 _("The applicant is on the shortlist."))


@employer_required
@require_POST
def employer_application_invite(request, pk: int):
    application = own_application(request, pk)
    form = InviteForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, forms={"invite": form}, status=400)
    return _step(request, application, lambda: services.application_invite(
        actor=request.user, application=application, interview_at=form.cleaned_data["interview_at"]),
        _("The applicant is invited to an interview."), "invite", form)


@employer_required
@require_POST
def employer_application_hire(request, pk: int):
    application = own_application(request, pk)
    form = HireForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, forms={"hire": form}, status=400)
    data = form.cleaned_data
    return _step(request, application, lambda: services.application_hire(
        actor=request.user, application=application, contract_type=data["contract_type"],
        start_date=data["start_date"], wage=data["wage"], position=data["position"]),
        _("The applicant is hired; the placement is recorded."), "hire", form)


@employer_required
@require_POST
def employer_application_reject(request, pk: int):
    application = own_application(request, pk)
    form = RejectForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, forms={"reject": form}, status=400)
    return _step(request, application, lambda: services.application_reject(
        actor=request.user, application=application, reason=form.cleaned_data["reason"]),
        _("The applicant was told that the application was not selected."), "reject", form)


@employer_required
@require_POST
def employer_message_send(request, pk: int):
    application = own_application(request, pk)
    form = MessageForm(request.POST)
    if not form.is_valid():
        return _application_page(request, application, forms={"message": form}, status=400)
    return _step(request, application, lambda: services.application_message_send(
        actor=request.user, application=application, body=form.cleaned_data["body"]),
        _("Message sent."), "message", form)
