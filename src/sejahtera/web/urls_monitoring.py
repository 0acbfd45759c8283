"""Monitoring of plan targets: indicators, scorecards, dashboards, reports (namespace ``web``)."""

urlpatterns = []
