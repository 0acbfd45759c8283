"""Employer pages of the career center: vacancies, applicants (namespace ``web``)."""

urlpatterns = []
