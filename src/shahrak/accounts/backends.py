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
