from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from assessments import leadership_views
from organizations import views as org_views
from zi_portal import views

admin.site.site_header = _("ZI Portal - Administrasi")
admin.site.site_title = _("ZI Portal")
admin.site.index_title = _("Pengelolaan portal")

urlpatterns = [
    path("", org_views.home, name="home"),
    path("unit/<int:pk>/", org_views.unit_detail, name="unit_detail"),
    path("unit/<int:pk>/ubah/", org_views.unit_edit, name="unit_edit"),
    path("penilaian/", include("assessments.urls")),
    path("bukti/", include("evidence.urls")),
    path("pekppp/", include("pekppp.urls")),
    path("pimpinan/", include("assessments.leadership_urls")),
    path("verifikasi/<str:code>/", leadership_views.verify_report, name="verify_report"),
    path("akun/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("healthz", views.healthz, name="healthz"),
]

handler403 = "zi_portal.views.permission_denied"
handler404 = "zi_portal.views.page_not_found"
handler500 = "zi_portal.views.server_error"
