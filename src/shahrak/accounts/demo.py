"""Demo users: one per role in Bushehr and Yazd, plus headquarters, auditor and admin.

Only `shahrak demo` creates them; a production database never gets a default account.
"""

from django.contrib.auth import get_user_model

DEMO_PASSWORD = "shahrak-demo"

# username, first name, last name, what the account is for (English, printed by `make demo`)
DEMO_USERS = [
    ("hq", "ستاد", "ملی", "national headquarters: every province, read-only"),
    ("bushehr-manager", "سیدحسین", "حسینی (نمایشی)", "Bushehr provincial manager"),
    ("bushehr-expert", "مریم", "دشتی (نمایشی)", "Bushehr provincial expert"),
    ("bushehr-unit", "علی", "خرمایی (نمایشی)", "Bushehr unit representative"),
    ("yazd-manager", "محمد", "دهقان (نمایشی)", "Yazd provincial manager"),
    ("yazd-expert", "زهرا", "میبدی (نمایشی)", "Yazd provincial expert"),
    ("yazd-agent", "رضا", "زیلوباف (نمایشی)", "Yazd cluster development agent"),
    ("yazd-unit", "فاطمه", "اردکانی (نمایشی)", "Yazd unit representative"),
    ("auditor", "حسابرس", "نمایشی", "auditor of Bushehr and Yazd, read-only"),
    ("admin", "مدیر", "سامانه", "system administrator"),
]


def load(ctx) -> None:
    User = get_user_model()
    for username, first_name, last_name, purpose in ctx.progress(DEMO_USERS, "users"):
        user, _created = User.objects.get_or_create(
            username=username, defaults={"first_name": first_name, "last_name": last_name}
        )
        if username == "admin" and not (user.is_superuser and user.is_staff):
            user.is_superuser = user.is_staff = True
            user.save(update_fields=["is_superuser", "is_staff"])
        if not user.check_password(DEMO_PASSWORD):
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        ctx.add_login(username, DEMO_PASSWORD, purpose)
