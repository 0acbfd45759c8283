"""Public career-center portal: vacancies, job-seeker and employer accounts (namespace ``web``)."""

from django.urls import path

from sejahtera.web.views import portal_profile, portal_public, portal_seeker

urlpatterns = [
    path("kerja/", portal_public.portal_search, name="portal_search"),
    path("kerja/lowongan/<int:pk>/", portal_public.portal_vacancy, name="portal_vacancy"),
    path("kerja/privasi/", portal_public.portal_privacy, name="portal_privacy"),
    path("kerja/daftar/", portal_public.portal_register, name="portal_register"),
    path("kerja/masuk/", portal_public.PortalLoginView.as_view(), name="portal_login"),
    path("kerja/lowongan/<int:pk>/lamar/", portal_seeker.portal_apply, name="portal_apply"),
    path("kerja/saya/", portal_seeker.portal_dashboard, name="portal_dashboard"),
    path("kerja/saya/profil/", portal_profile.portal_profile, name="portal_profile"),
    path("kerja/kbji/", portal_profile.portal_kbji_options, name="portal_kbji_options"),
    path("kerja/saya/lamaran/", portal_seeker.portal_applications, name="portal_applications"),
    path("kerja/saya/lamaran/<int:pk>/", portal_seeker.portal_application, name="portal_application"),
    path("kerja/saya/notifikasi/", portal_seeker.portal_notifications, name="portal_notifications"),
]
