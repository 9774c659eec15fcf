"""Demo users: one per role in Bushehr and Yazd, plus headquarters, auditor and admin.

Only `shahrak demo` creates them; a production database never gets a default account.
"""

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from shahrak.places.models import Province

from .audit import acting_as
from .choices import Role
from .models import Membership
from .services import file_history_under, user_deactivate

DEMO_PASSWORD = "shahrak-demo"

# username, first name, last name, role, provinces, what the account is for (printed)
DEMO_USERS = [
    ("hq", "ستاد", "ملی", Role.HQ, [None], "national headquarters: every province, read-only"),
    ("bushehr-manager", "سیدحسین", "حسینی (نمایشی)", Role.MANAGER, ["bushehr"],
     "Bushehr provincial manager"),
    ("bushehr-expert", "مریم", "دشتی (نمایشی)", Role.EXPERT, ["bushehr"],
     "Bushehr provincial expert"),
    ("bushehr-unit", "علی", "خرمایی (نمایشی)", Role.UNIT_REP, ["bushehr"],
     "Bushehr unit representative"),
    ("yazd-manager", "محمد", "دهقان (نمایشی)", Role.MANAGER, ["yazd"], "Yazd provincial manager"),
    ("yazd-expert", "زهرا", "میبدی (نمایشی)", Role.EXPERT, ["yazd"], "Yazd provincial expert"),
    ("yazd-agent", "رضا", "زیلوباف (نمایشی)", Role.CLUSTER_AGENT, ["yazd"],
     "Yazd cluster development agent"),
    ("yazd-unit", "فاطمه", "اردکانی (نمایشی)", Role.UNIT_REP, ["yazd"],
     "Yazd unit representative"),
    ("auditor", "حسابرس", "نمایشی", Role.AUDITOR, ["bushehr", "yazd"],
     "auditor of Bushehr and Yazd, read-only"),
    ("admin", "مدیر", "سامانه", Role.SYSADMIN, [None], "system administrator"),
]  # fmt: skip


def load(ctx) -> None:
    User = get_user_model()
    provinces = {p.code: p for p in Province.objects.filter(code__in=["bushehr", "yazd"])}
    for username, first_name, last_name, role, where, purpose in ctx.progress(DEMO_USERS, "users"):
        user, _created = User.objects.get_or_create(
            username=username, defaults={"first_name": first_name, "last_name": last_name}
        )
        if role == Role.SYSADMIN and not (user.is_superuser and user.is_staff):
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        for code in where:
            Membership.objects.get_or_create(
                user=user, role=role, province=provinces.get(code), archived_at=None
            )
        file_history_under(user, provinces.get(where[0]))
        ctx.add_login(username, DEMO_PASSWORD, purpose)
    _people_in_other_states(provinces)


# Staff in the states a manager acts on (not logins): in each province an expert who has
# left (deactivated: "reactivate" is offered on their page) and one whose account is locked
# after too many wrong passwords ("unlock"; the lock runs out like any other, 30 minutes
# after the demo is loaded).
OTHER_STATES = [
    ("bushehr-former", "ناصر", "بندری (نمایشی)", "bushehr", "deactivated"),
    ("bushehr-locked", "لیلا", "گناوه‌ای (نمایشی)", "bushehr", "locked"),
    ("yazd-former", "حسن", "بافقی (نمایشی)", "yazd", "deactivated"),
    ("yazd-locked", "مریم", "تفتی (نمایشی)", "yazd", "locked"),
]  # fmt: skip


def _people_in_other_states(provinces) -> None:
    from axes.models import AccessAttempt

    User = get_user_model()
    admin = User.objects.filter(is_superuser=True).order_by("pk").first()
    for username, first_name, last_name, code, state in OTHER_STATES:
        province = provinces.get(code)
        if province is None or admin is None:
            continue
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first_name, "last_name": last_name}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            Membership.objects.create(user=user, role=Role.EXPERT, province=province)
            file_history_under(user, province)
            if state == "deactivated":
                with acting_as(admin):
                    user_deactivate(actor=admin, user=user)
        if state == "locked":
            AccessAttempt.objects.update_or_create(
                username=username,
                defaults={
                    "attempt_time": timezone.now(),
                    "failures_since_start": settings.AXES_FAILURE_LIMIT,
                    "ip_address": "127.0.0.1",
                    "user_agent": "demo",
                    "http_accept": "",
                    "path_info": "/accounts/login/",
                    "get_data": "",
                    "post_data": "",
                },
            )
