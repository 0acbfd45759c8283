"""Employer pages of the career center: registration, the employer's home, vacancies.

Thin views: forms parse, ``careers.services`` write, ``careers.selectors`` read. An account sees
only the vacancies of the employers it is a member of; any other vacancy answers 404. The
applicant pages are in :mod:`.employer_applicants`.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from sejahtera.careers import kbji, selectors, services
from sejahtera.careers.matching import prepare_in_background, suggest_kbji
from sejahtera.careers.models import Application, Employer, Vacancy
from sejahtera.web.views.employer_forms import EmployerRegistrationForm, VacancyForm, add_service_error, kbli_matches

NOTIFICATIONS_SHOWN = 10
ACTIVE_APPLICATIONS = (Application.Status.APPLIED, Application.Status.SHORTLISTED, Application.Status.INVITED)


def employer_required(view):
    """Signed in and acting for an employer; ``request.employer`` is its (first) employer."""

    @wraps(view)
    @never_cache
    @login_required
    def wrapped(request, *args, **kwargs):
        request.employer = selectors.employers_of(request.user).order_by("name", "id").first()
        if request.employer is None:
            messages.info(request, _("Register your company first."))
            return redirect("web:employer_register")
        return view(request, *args, **kwargs)

    return wrapped


def own_vacancy(request, pk: int) -> Vacancy:
    """A vacancy of one of the account's employers; 404 for anyone else's."""
    return get_object_or_404(selectors.employer_vacancies(request.user).prefetch_related("skills"), pk=pk)


# -- registration ----------------------------------------------------------------------------------

@never_cache
@require_http_methods(["GET", "POST"])
def employer_register(request):
    if selectors.employers_of(request.user).exists():
        return redirect("web:employer_home")
    form = EmployerRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, employer = services.employer_account_register(
                name=data["name"], nib=data["nib"], kbli_code=data["kbli_code"], address=data["address"],
                desa_code=data["desa_code"], contact_name=data["contact_name"], contact_phone=data["contact_phone"],
                contact_email=data["contact_email"], password=data["password"], consent=data["consent"])
        except ValidationError as error:
            add_service_error(form, error)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("%(name)s is registered. Disnaker verifies it before your vacancies go "
                                        "public.") % {"name": employer.name})
            return redirect("web:employer_home")
    return render(request, "web/employer/register.html", {"form": form})


@require_GET
def employer_kbli_options(request):
    """htmx: the <option>s of the KBLI 2020 industries matching the search text."""
    return render(request, "web/employer/_kbli_options.html",
                  {"industries": kbli_matches(request.GET.get("kbli_search", ""))})


# -- home ------------------------------------------------------------------------------------------

@employer_required
@require_GET
def employer_home(request):
    user = request.user
    vacancies = selectors.employer_vacancies(user).annotate(
        applicant_count=Count("applications"),
        active_count=Count("applications", filter=Q(applications__status__in=ACTIVE_APPLICATIONS)))
    by_status = {value: [] for value in Vacancy.Status.values}
    for vacancy in vacancies:
        by_status[vacancy.status].append(vacancy)
    groups = [(value, label, by_status[value]) for value, label in Vacancy.Status.choices]
    return render(request, "web/employer/home.html", {
        "employers": list(selectors.employers_of(user).order_by("name", "id")),
        "groups": groups,
        "vacancy_count": sum(len(rows) for _value, _label, rows in groups),
        "notifications": selectors.notifications(user)[:NOTIFICATIONS_SHOWN],
        "unread_count": selectors.notifications(user, unread_only=True).count(),
        "pending": Employer.Status.PENDING, "rejected": Employer.Status.REJECTED,
    })


@employer_required
@require_POST
def employer_notifications_read(request):
    services.notification_mark_read(actor=request.user)
    return redirect("web:employer_home")


# -- vacancies -------------------------------------------------------------------------------------

def _kbji_options(suggestions, selected: str) -> list[tuple[str, str]]:
    """The radio choices of the occupation: the suggestions, and the chosen code when it is not among them."""
    options = [(s.code, s.title) for s in suggestions]
    selected = kbji.normalize_code(selected or "")
    if selected and kbji.is_valid_code(selected) and all(code != selected for code, _title in options):
        options.insert(0, (selected, kbji.title(selected)))
    return options


def _vacancy_form_page(request, vacancy: Vacancy | None):
    initial = VacancyForm.initial_of(vacancy) if vacancy else {"desa_code": request.employer.desa_code}
    form = VacancyForm(request.POST or None, initial=initial)
    suggestions = []
    if request.method == "GET":
        prepare_in_background()  # the employer types the title while the suggestion index builds
    if request.method == "POST" and "suggest" in request.POST:  # the Suggest button without JavaScript
        suggestions = suggest_kbji(request.POST.get("title", ""), request.POST.get("description", ""))
        form = VacancyForm(initial=request.POST.dict())
    elif request.method == "POST" and form.is_valid():
        fields = form.service_fields()
        try:
            if vacancy is None:
                vacancy = services.vacancy_create(actor=request.user, employer=request.employer, **fields)
                messages.success(request, _("The vacancy is saved as a draft. Submit it for verification when it "
                                            "is ready."))
            else:
                vacancy = services.vacancy_update(actor=request.user, vacancy=vacancy, **fields)
                messages.success(request, _("The vacancy is saved."))
        except ValidationError as error:
            add_service_error(form, error)
        except PermissionDenied as error:
            form.add_error(None, str(error))
        else:
            return redirect("web:employer_vacancy", pk=vacancy.pk)
    selected = form["kbji_code"].value() or ""
    return render(request, "web/employer/vacancy_form.html", {
        "form": form, "vacancy": vacancy, "kbji_options": _kbji_options(suggestions, selected),
        "kbji_selected": kbji.normalize_code(selected),
    })


@employer_required
@require_http_methods(["GET", "POST"])
def employer_vacancy_create(request):
    return _vacancy_form_page(request, None)


@employer_required
@require_http_methods(["GET", "POST"])
def employer_vacancy_edit(request, pk: int):
    vacancy = own_vacancy(request, pk)
    if vacancy.status not in (Vacancy.Status.DRAFT, Vacancy.Status.SUBMITTED):
        messages.error(request, _("Only a draft or a vacancy waiting for verification can be edited."))
        return redirect("web:employer_vacancy", pk=vacancy.pk)
    return _vacancy_form_page(request, vacancy)


@employer_required
@require_GET
def employer_kbji_suggest(request):
    """htmx: the five KBJI occupations most like the title and description, as radio choices."""
    suggestions = suggest_kbji(request.GET.get("title", ""), request.GET.get("description", ""))
    selected = request.GET.get("kbji_code", "")
    return render(request, "web/employer/_kbji_choices.html", {
        "suggestions": suggestions, "kbji_options": _kbji_options(suggestions, selected),
        "kbji_selected": kbji.normalize_code(selected), "suggested": True,
    })


@employer_required
@require_GET
def employer_vacancy(request, pk: int):
    vacancy = own_vacancy(request, pk)
    counts = dict(vacancy.applications.values_list("status").annotate(n=Count("id")).order_by())
    return render(request, "web/employer/vacancy_detail.html", {
        "vacancy": vacancy, "employer": vacancy.employer,
        "kbji_label": kbji.label(vacancy.kbji_code),
        "status_counts": [(value, label, counts.get(value, 0)) for value, label in Application.Status.choices],
        "applicant_count": sum(counts.values()),
    })


def _vacancy_step(request, pk: int, service, done: str):
    vacancy = own_vacancy(request, pk)
    try:
        service(actor=request.user, vacancy=vacancy)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    except PermissionDenied as error:
        messages.error(request, str(error))
    else:
        messages.success(request, done)
    return redirect("web:employer_vacancy", pk=vacancy.pk)


@employer_required
@require_POST
def employer_vacancy_submit(request, pk: int):
    return _vacancy_step(request, pk, services.vacancy_submit, _("The vacancy was sent to Disnaker for verification."))


@employer_required
@require_POST
def employer_vacancy_open(request, pk: int):
    return _vacancy_step(request, pk, services.vacancy_open, _("The vacancy is open: job seekers can apply."))


@employer_required
@require_POST
def employer_vacancy_close(request, pk: int):
    return _vacancy_step(request, pk, services.vacancy_close, _("The vacancy is closed."))
