from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from shahrak.core.text import normalize_fa
from shahrak.core.validators import mobile_or_none


class UsernameOrMobileBackend(ModelBackend):
    """Signs users in with their username or their mobile number (any digits, any prefix)."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        login = normalize_fa(username or kwargs.get(get_user_model().USERNAME_FIELD) or "")
        if not login or password is None:
            return None
        User = get_user_model()
        mobile = mobile_or_none(login)
        lookup = {"mobile": mobile} if mobile else {"username__iexact": login}
        try:
            user = User._default_manager.get(**lookup)
        except (User.DoesNotExist, User.MultipleObjectsReturned):
            User().set_password(password)  # same work as a real check: no timing oracle
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None


def canonical_username(request, credentials: dict) -> str:
    """The account a sign-in attempt is for, whichever alias was typed (for lock-outs):
    '۰۹۱۲…', '+98912…' and the username all count against the same account."""
    login = normalize_fa((credentials or {}).get("username") or "")
    mobile = mobile_or_none(login)
    User = get_user_model()
    if mobile:
        username = User._default_manager.filter(mobile=mobile).values_list("username", flat=True)
        return username.first() or mobile
    found = User._default_manager.filter(username__iexact=login).values_list("username", flat=True)
    return found.first() or login.lower()
