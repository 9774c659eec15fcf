from .services import unread_count


def unread(request):
    """The signed-in user's unread notifications, counted for the top bar (one query)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"unread_notifications": unread_count(user)}
