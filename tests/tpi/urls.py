"""The project's URLs with the pimpinan's proposal page mounted as the lead will mount it
(`assessments:propose`), so its tests run before and after that line is added."""

from django.urls import include, path

from assessments import admin_views
from assessments import urls as assessment_urls
from zi_portal import urls as root

_mounted = any(getattr(p, "name", None) == "propose" for p in assessment_urls.urlpatterns)
_assessments = [
    *assessment_urls.urlpatterns,
    *([] if _mounted else [path("<int:pk>/usulkan/", admin_views.propose, name="propose")]),
]

urlpatterns = [
    path("penilaian/", include((_assessments, "assessments"))),
    *[p for p in root.urlpatterns if str(p.pattern) != "penilaian/"],
]

handler403 = root.handler403
handler404 = root.handler404
handler500 = root.handler500
