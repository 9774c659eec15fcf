from django.utils import timezone

from .navigation import AREAS


def shell(request):
    """What the page shell needs: the areas of the menu and today's date."""
    user = getattr(request, "user", None)
    areas = [area for area in AREAS if user is not None and area.visible_to(user)]
    return {"nav_areas": areas, "today": timezone.localdate()}
