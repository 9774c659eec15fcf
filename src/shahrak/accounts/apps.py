from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "shahrak.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self):
        from .audit import track
        from .models import Membership, User

        track(
            User,
            include_fields=["username", "first_name", "last_name", "email", "mobile", "is_active"],
        )
        track(Membership)
