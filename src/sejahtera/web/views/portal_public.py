"""Public career-center pages: vacancy search, vacancy page, privacy notice, registration, login.

No login and no staff membership needed: residents use these from their phones.
"""

from django.contrib.auth.views import LoginView
from django.shortcuts import render

from sejahtera.careers import selectors


def portal_search(request):
    vacancies = selectors.vacancy_search()[:20]
    return render(request, "web/portal/search.html", {"vacancies": vacancies})


def portal_vacancy(request, pk: int):
    vacancy = selectors.vacancy_get_public(pk)
    return render(request, "web/portal/vacancy.html", {"vacancy": vacancy})


def portal_privacy(request):
    return render(request, "web/portal/privacy.html")


def portal_register(request):
    return render(request, "web/portal/privacy.html")


class PortalLoginView(LoginView):
    template_name = "web/portal/login.html"
