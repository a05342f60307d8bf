"""Leadership pages, PDF reports and the LKE workbook in and out (mounted at /pimpinan/).

The public report verification lives at /verifikasi/<code>/ (zi_portal/urls.py)."""

from django.urls import path

from assessments import leadership_views as views

app_name = "leadership"
urlpatterns = [
    path("", views.board, name="board"),
    path("ringkasan/<int:instansi_pk>/<int:year>.pdf", views.summary_pdf, name="summary_pdf"),
    path("penilaian/<int:pk>/", views.assessment_detail, name="assessment"),
    path("penilaian/<int:pk>/laporan.pdf", views.report_pdf, name="report_pdf"),
    path("penilaian/<int:pk>/lke.xlsx", views.workbook_export, name="workbook_export"),
    path("penilaian/<int:pk>/impor-lke/", views.workbook_import, name="workbook_import"),
    path(
        "penilaian/<int:pk>/impor-lke/pratinjau/",
        views.workbook_preview,
        name="workbook_preview",
    ),
    path("penilaian/<int:pk>/impor-lke/terapkan/", views.workbook_apply, name="workbook_apply"),
    path("penilaian/<int:pk>/impor-lke/batal/", views.workbook_cancel, name="workbook_cancel"),
]
