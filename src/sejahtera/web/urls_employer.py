"""Employer pages of the career center: vacancies, applicants (namespace ``web``)."""

from django.urls import path

from sejahtera.web.views import employer as e
from sejahtera.web.views import employer_applicants as a

P = "kerja/perusahaan/"

urlpatterns = [
    path(P, e.employer_home, name="employer_home"),
    path(f"{P}daftar/", e.employer_register, name="employer_register"),
    path(f"{P}kbli/", e.employer_kbli_options, name="employer_kbli_options"),
    path(f"{P}notifikasi/baca/", e.employer_notifications_read, name="employer_notifications_read"),
    path(f"{P}lowongan/baru/", e.employer_vacancy_create, name="employer_vacancy_create"),
    path(f"{P}lowongan/kbji/", e.employer_kbji_suggest, name="employer_kbji_suggest"),
    path(f"{P}lowongan/<int:pk>/", e.employer_vacancy, name="employer_vacancy"),
    path(f"{P}lowongan/<int:pk>/ubah/", e.employer_vacancy_edit, name="employer_vacancy_edit"),
    path(f"{P}lowongan/<int:pk>/ajukan/", e.employer_vacancy_submit, name="employer_vacancy_submit"),
    path(f"{P}lowongan/<int:pk>/buka/", e.employer_vacancy_open, name="employer_vacancy_open"),
    path(f"{P}lowongan/<int:pk>/tutup/", e.employer_vacancy_close, name="employer_vacancy_close"),
    path(f"{P}lowongan/<int:pk>/pelamar/", a.employer_applicants, name="employer_applicants"),
    path(f"{P}lowongan/<int:pk>/kandidat/", a.employer_candidates, name="employer_candidates"),
    path(f"{P}lamaran/<int:pk>/", a.employer_application, name="employer_application"),
    path(f"{P}lamaran/<int:pk>/seleksi/", a.employer_application_shortlist, name="employer_application_shortlist"),
    path(f"{P}lamaran/<int:pk>/undang/", a.employer_application_invite, name="employer_application_invite"),
    path(f"{P}lamaran/<int:pk>/terima/", a.employer_application_hire, name="employer_application_hire"),
    path(f"{P}lamaran/<int:pk>/tolak/", a.employer_application_reject, name="employer_application_reject"),
    path(f"{P}lamaran/<int:pk>/pesan/", a.employer_message_send, name="employer_message_send"),
]
