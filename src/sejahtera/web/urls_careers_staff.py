"""Disnaker staff pages of the career center: verification, counter registration, placements (namespace ``web``)."""

from django.urls import path

from sejahtera.web.views import careers_staff as staff
from sejahtera.web.views import careers_staff_seekers as seekers
from sejahtera.web.views import careers_statistics

urlpatterns = [
    path("disnaker/", staff.overview, name="staff_overview"),
    path("disnaker/perusahaan/", staff.employer_list, name="staff_employer_list"),
    path("disnaker/perusahaan/<int:pk>/", staff.employer_detail, name="staff_employer_detail"),
    path("disnaker/perusahaan/<int:pk>/verifikasi/", staff.employer_verify, name="staff_employer_verify"),
    path("disnaker/lowongan/", staff.vacancy_list, name="staff_vacancy_list"),
    path("disnaker/lowongan/<int:pk>/", staff.vacancy_detail, name="staff_vacancy_detail"),
    path("disnaker/lowongan/<int:pk>/verifikasi/", staff.vacancy_verify, name="staff_vacancy_verify"),
    path("disnaker/lowongan/<int:pk>/buka/", staff.vacancy_open, name="staff_vacancy_open"),
    path("disnaker/pencari-kerja/", seekers.seeker_list, name="staff_seeker_list"),
    path("disnaker/pencari-kerja/baru/", seekers.seeker_register, name="staff_seeker_register"),
    path("disnaker/pencari-kerja/<int:pk>/", seekers.seeker_detail, name="staff_seeker_detail"),
    path("disnaker/penempatan/", staff.placement_list, name="staff_placement_list"),
    path("disnaker/penempatan/<int:pk>/konfirmasi/", staff.placement_confirm, name="staff_placement_confirm"),
    path("disnaker/statistik/", careers_statistics.statistics, name="staff_statistics"),
]
