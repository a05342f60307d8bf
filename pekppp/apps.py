from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PekpppConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "pekppp"
    verbose_name = _("PEKPPP (Indeks Pelayanan Publik)")
