from django.utils import timezone

from .navigation import AREAS


def shell(request):
    """What the page shell needs: the areas of the menu and today's date."""
    return {"nav_areas": AREAS, "today": timezone.localdate()}
