from django.urls import path

from assessments import admin_views, views

app_name = "assessments"
urlpatterns = [
    path("", views.assessment_list, name="list"),
    path("<int:pk>/", views.overview, name="detail"),
    path("<int:pk>/lke/", views.lke, name="lke"),
    path("<int:pk>/lke/<slug:section>/", views.lke, name="lke_section"),
    path("<int:pk>/butir/<str:code>/simpan/", views.save_item, name="save_item"),
    path("<int:pk>/butir/<str:code>/riwayat/", views.item_history, name="item_history"),
    path("<int:pk>/skor/", views.score_panel, name="score_panel"),
    path("<int:pk>/kirim/", views.submit, name="submit"),
    path("<int:pk>/kriteria/", views.eligibility, name="eligibility"),
    path("<int:pk>/kriteria/unit/", views.save_unit_facts, name="save_unit_facts"),
    path("<int:pk>/kriteria/instansi/", views.save_instansi_facts, name="save_instansi_facts"),
    path("<int:pk>/salin-tahun-lalu/", views.copy_previous, name="copy_previous"),
    path("<int:pk>/usulkan/", admin_views.propose, name="propose"),
]
