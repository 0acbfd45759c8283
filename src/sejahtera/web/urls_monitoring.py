"""Monitoring of plan targets: indicators, scorecards, dashboards, reports (namespace ``web``)."""

from django.urls import path

from sejahtera.web.views import monitoring, monitoring_entry

urlpatterns = [
    # Dashboards and entry pages.
    path("monitoring/", monitoring.monitoring_overview, name="monitoring_overview"),
    path("monitoring/kecamatan/<str:code>/", monitoring.monitoring_kecamatan, name="monitoring_kecamatan"),
    path("monitoring/desa/<str:code>/", monitoring.monitoring_desa, name="monitoring_desa"),
    path("monitoring/realisasi/baru/", monitoring_entry.realisation_new, name="monitoring_realisation_new"),
    path("monitoring/realisasi/<int:pk>/bukti/", monitoring_entry.evidence_download, name="monitoring_evidence"),
    path("monitoring/target/", monitoring_entry.target_edit, name="monitoring_targets"),
    path("monitoring/ambang/", monitoring_entry.thresholds_edit, name="monitoring_thresholds"),
]

# Reports (quarterly per agency, regency report): web.views.monitoring_reports.
from sejahtera.web.views import monitoring_reports  # noqa: E402

urlpatterns += [
    path("monitoring/laporan/", monitoring_reports.report_list, name="report_list"),
    path("monitoring/laporan/triwulan/<slug:agency>/<int:year>/<int:quarter>/", monitoring_reports.quarterly_report,
         name="quarterly_report"),
    path("monitoring/laporan/triwulan/<slug:agency>/<int:year>/<int:quarter>.<slug:fmt>",
         monitoring_reports.quarterly_report_download, name="quarterly_report_download"),
    path("monitoring/laporan/kabupaten/<int:year>.<slug:fmt>", monitoring_reports.regency_report_download,
         name="regency_report_download"),
]
