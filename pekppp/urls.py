from django.urls import path

from pekppp.views import evaluation, periods, reports, survey, ule

app_name = "pekppp"
urlpatterns = [
    path("", periods.index, name="index"),
    path("ringkasan/", reports.overview, name="overview"),
    path("tindak-lanjut/", evaluation.follow_up_list, name="follow_ups"),
    path("periode/<int:pk>/", periods.period_detail, name="period"),
    path("periode/<int:pk>/usulkan-ule/", periods.nominate, name="nominate"),
    path(
        "periode/<int:pk>/tahap/<int:stage_pk>/buka-kembali/",
        periods.stage_reopen,
        name="stage_reopen",
    ),
    path("periode/<int:pk>/laporan.pdf", reports.period_pdf, name="period_pdf"),
    path("periode/<int:pk>/nilai.xlsx", reports.period_xlsx, name="period_xlsx"),
    path("periode/<int:pk>/pra-evaluasi.xlsx", reports.pra_xlsx, name="pra_xlsx"),
    path("ule/<int:pk>/", ule.ule_detail, name="ule"),
    path("ule/<int:pk>/penugasan/", periods.ule_manage, name="ule_manage"),
    path("ule/<int:pk>/pra-evaluasi/", ule.pra_evaluasi, name="pra_evaluasi"),
    path("ule/<int:pk>/f01/", ule.f01_start, name="f01_start"),
    path("ule/<int:pk>/f01/<str:aspect>/", ule.f01_aspect, name="f01"),
    path("ule/<int:pk>/f01/<str:aspect>/bukti/<str:code>/", ule.f01_upload, name="f01_upload"),
    path("ule/<int:pk>/bukti/<int:attachment_pk>/lepas/", ule.f01_detach, name="f01_detach"),
    path("ule/<int:pk>/skm/", ule.skm_view, name="skm"),
    path("ule/<int:pk>/skm/templat.xlsx", ule.skm_template, name="skm_template"),
    path("ule/<int:pk>/f02/", evaluation.f02_sheet, name="f02"),
    path("ule/<int:pk>/f02/final/", evaluation.f02_finalize, name="f02_finalize"),
    path("ule/<int:pk>/f02/buka-kembali/", evaluation.f02_reopen, name="f02_reopen"),
    path("ule/<int:pk>/f02/<str:code>/", evaluation.f02_score, name="f02_score"),
    path("ule/<int:pk>/rekomendasi/", evaluation.recommendations, name="recommendations"),
    path("ule/<int:pk>/survei/", survey.survey_manage, name="survey_manage"),
    path("ule/<int:pk>/laporan.pdf", reports.ule_pdf, name="ule_pdf"),
    path("rekomendasi/<int:pk>/hapus/", evaluation.recommendation_delete, name="rec_delete"),
    path("rekomendasi/<int:pk>/tindak-lanjut/", evaluation.follow_up, name="follow_up"),
    path(
        "rekomendasi/<int:pk>/tindak-lanjut/bukti/",
        evaluation.follow_up_upload,
        name="follow_up_upload",
    ),
    path("survei/<str:token>/", survey.survey, name="survey"),
]
