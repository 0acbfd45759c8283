"""The job seeker's own pages. Every read goes through a selector that takes the user, and
every page shows only the signed-in seeker's data (another seeker's application is a 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from sejahtera.careers import kbji, selectors, services
from sejahtera.careers.models import JobSeeker
from sejahtera.web.views.portal_forms import ApplyForm, MessageForm
from sejahtera.web.views.portal_public import apply_service_errors, occupation_title
from sejahtera.web.views.portal_recommend import recommended_vacancies

portal_login_required = login_required(login_url="web:portal_login")


def own_seeker(user) -> JobSeeker:
    """The signed-in user's own seeker record (through the scoped selector); 404 for other accounts."""
    pk = JobSeeker.objects.filter(user=user).values_list("pk", flat=True).first()
    if pk is None:
        raise Http404(_("This account is not registered as a job seeker."))
    return selectors.seeker_get(user, pk)


def _ak1_card_url(seeker) -> str:
    for args in ((), (seeker.pk,)):
        try:
            return reverse("web:ak1_card", args=args)
        except NoReverseMatch:
            continue
    return ""


@portal_login_required
def portal_dashboard(request):
    seeker = own_seeker(request.user)
    recommendations = recommended_vacancies(request.user, seeker, limit=20)
    for item in recommendations:
        item.occupation = occupation_title(item.vacancy.kbji_code)
    return render(request, "web/portal/dashboard.html", {
        "seeker": seeker, "person": seeker.person, "recommendations": recommendations,
        "ak1_card_url": _ak1_card_url(seeker),
        "skills": list(seeker.skills.all()),
        "desired": [kbji.label(d.kbji_code) for d in seeker.desired_occupations.all()],
        "applications": selectors.applications_of_seeker(request.user)[:5],
        "unread": selectors.notifications(request.user, unread_only=True).count(),
    })


@portal_login_required
def portal_applications(request):
    own_seeker(request.user)
    return render(request, "web/portal/applications.html",
                  {"applications": selectors.applications_of_seeker(request.user)})


@portal_login_required
@require_POST
def portal_apply(request, pk: int):
    seeker = own_seeker(request.user)
    vacancy = selectors.vacancy_get_public(pk)
    form = ApplyForm(request.POST)
    form.is_valid()
    try:
        application = services.application_create(actor=request.user, seeker=seeker, vacancy=vacancy,
                                                   cover_letter=form.cleaned_data.get("cover_letter", ""))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("web:portal_vacancy", pk=vacancy.pk)
    messages.success(request, _("Your application was sent to %(employer)s.") % {"employer": vacancy.employer.name})
    return redirect("web:portal_application", pk=application.pk)


def _own_application(user, pk: int):
    """The application, only when it is the signed-in seeker's own (employers use their own pages)."""
    application = selectors.application_get(user, pk)
    if application.seeker.user_id != user.pk:
        raise Http404
    return application


@portal_login_required
def portal_application(request, pk: int):
    own_seeker(request.user)
    application = _own_application(request.user, pk)
    form = MessageForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_message_send(actor=request.user, application=application,
                                              body=form.cleaned_data["body"])
        except ValidationError as error:
            apply_service_errors(form, error)
        except PermissionDenied:
            raise Http404 from None
        else:
            return redirect("web:portal_application", pk=application.pk)
    thread = list(selectors.application_messages(request.user, application))
    services.application_messages_mark_read(actor=request.user, application=application)
    return render(request, "web/portal/application.html", {
        "application": application, "vacancy": application.vacancy, "thread": thread, "form": form,
        "occupation": occupation_title(application.vacancy.kbji_code),
    })


@portal_login_required
def portal_notifications(request):
    if request.method == "POST":
        notification = None
        if request.POST.get("notification"):
            notification = get_object_or_404(selectors.notifications(request.user), pk=request.POST["notification"])
        with transaction.atomic():
            services.notification_mark_read(actor=request.user, notification=notification)
        return redirect("web:portal_notifications")
    return render(request, "web/portal/notifications.html",
                  {"notifications": selectors.notifications(request.user)[:100]})
