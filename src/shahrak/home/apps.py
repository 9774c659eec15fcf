from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    """The home page and the menu: an interface over the domain apps (it may import them;
    none imports it), so that `core` stays free of any domain."""

    name = "shahrak.home"
    label = "home"
    verbose_name = _("Home")
