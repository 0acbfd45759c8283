"""The printed reports of monitoring, in Indonesian: an agency's quarterly report (e-Monev) and the
regency report of all indicators, each as XLSX and as PDF. The renderers take the data the
selectors build (``monitoring.report_selectors``), which checks who may read it."""

from sejahtera.monitoring.reports.pdf import quarterly_pdf, regency_pdf
from sejahtera.monitoring.reports.xlsx import quarterly_xlsx, regency_xlsx

__all__ = ["quarterly_pdf", "quarterly_xlsx", "regency_pdf", "regency_xlsx"]
