"""Public career-center pages: vacancy search, vacancy page, privacy notice, registration, login.

No login and no staff membership needed: residents use these from their phones.
"""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from sejahtera.careers import kbji, selectors, services
from sejahtera.careers.access import is_disnaker_staff
from sejahtera.careers.models import JobSeeker
from sejahtera.regions.models import Region
from sejahtera.web.pagination import CappedPaginator
from sejahtera.web.views.portal_forms import PortalLoginForm, SeekerRegistrationForm, VacancySearchForm

PAGE_SIZE = 20


def occupation_title(code: str) -> str:
    try:
        return kbji.title(code)
    except KeyError:
        return ""


def region_name(code: str) -> str:
    return Region.objects.filter(code=code).values_list("name", flat=True).first() or code


def portal_search(request):
    form = VacancySearchForm(request.GET)
    vacancies = selectors.vacancy_search(form.filters())
    paginator = CappedPaginator(vacancies, PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    names = dict(Region.objects.filter(code__in={v.kecamatan_code for v in page}).values_list("code", "name"))
    for vacancy in page:
        vacancy.kecamatan_name = names.get(vacancy.kecamatan_code, vacancy.kecamatan_code)
    return render(request, "web/portal/search.html", {"form": form, "page": page, "paginator": paginator})


def portal_vacancy(request, pk: int):
    vacancy = selectors.vacancy_get_public(pk)
    applied = None
    seeker = getattr(request.user, "job_seeker", None) if request.user.is_authenticated else None
    if seeker is not None:
        applied = selectors.applications_of_seeker(request.user).filter(vacancy=vacancy).first()
    return render(request, "web/portal/vacancy.html", {
        "vacancy": vacancy, "occupation": occupation_title(vacancy.kbji_code),
        "desa_name": region_name(vacancy.desa_code), "kecamatan_name": region_name(vacancy.kecamatan_code),
        "seeker": seeker, "application": applied,
    })


@require_GET
def portal_privacy(request):
    return render(request, "web/portal/privacy.html")


def apply_service_errors(form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: on its field when the form has one."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            for item in errors:
                form.add_error(field if field in form.fields else None, item.messages)
    else:
        form.add_error(None, error.messages)


@never_cache
def portal_register(request):
    if request.user.is_authenticated and JobSeeker.objects.filter(user=request.user).exists():
        return redirect("web:portal_dashboard")
    form = SeekerRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            seeker = services.seeker_account_register(
                nik=data["nik"], name=data["name"], birth_date=data["birth_date"], sex=data["sex"],
                desa_code=data["desa_code"], phone=data["phone"], email=data["email"], password=data["password"],
                consent=data["consent"], education=data["education"], major=data["major"])
        except ValidationError as error:
            apply_service_errors(form, error)
        else:
            login(request, seeker.user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, _("Welcome! Your AK/1 number is %(number)s.") % {"number": seeker.ak1_number})
            return redirect("web:portal_dashboard")
    return render(request, "web/portal/register.html", {"form": form})


def home_url_for(user) -> str:
    """Where a portal login lands: seekers on their page, employer accounts on theirs, staff on the registry."""
    if JobSeeker.objects.filter(user=user).exists():
        return reverse("web:portal_dashboard")
    if user.employer_memberships.exists():
        try:
            return reverse("web:employer_home")
        except NoReverseMatch:
            pass
    if user.active_memberships or is_disnaker_staff(user):
        return reverse("web:family_list")
    return reverse("web:portal_search")


class PortalLoginView(LoginView):
    template_name = "web/portal/login.html"
    authentication_form = PortalLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        return home_url_for(self.request.user)
