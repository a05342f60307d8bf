from django.urls import path

from evidence import views

app_name = "evidence"
urlpatterns = [
    path("unit/<int:unit_pk>/", views.library, name="library"),
    path("unit/<int:unit_pk>/unggah/", views.library_upload, name="library_upload"),
    path("unit/<int:unit_pk>/tautan/", views.library_link, name="library_link"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/ganti/", views.replace, name="replace"),
    path("<int:pk>/hapus/", views.delete, name="delete"),
    path("<int:pk>/revisi/<int:number>/unduh/", views.download, name="download"),
    path("<int:pk>/revisi/<int:number>/pratinjau/", views.preview, name="preview"),
    path("penilaian/<int:assessment_pk>/", views.assessment_summary, name="assessment"),
    path("penilaian/<int:assessment_pk>/butir/<int:item_pk>/", views.item_evidence, name="item"),
    path(
        "penilaian/<int:assessment_pk>/butir/<int:item_pk>/unggah/",
        views.item_upload,
        name="item_upload",
    ),
    path(
        "penilaian/<int:assessment_pk>/butir/<int:item_pk>/tautan/",
        views.item_link,
        name="item_link",
    ),
    path(
        "penilaian/<int:assessment_pk>/butir/<int:item_pk>/lampirkan/",
        views.attach,
        name="attach",
    ),
    path("penilaian/<int:assessment_pk>/butir/<int:item_pk>/cari/", views.picker, name="picker"),
    path("lampiran/<int:pk>/lepas/", views.detach, name="detach"),
]
