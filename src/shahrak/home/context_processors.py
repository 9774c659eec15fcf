from .navigation import areas_for


def navigation(request):
    """The areas of the menu the user may open."""
    return {"nav_areas": areas_for(request)}
