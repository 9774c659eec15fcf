from django.utils import timezone


def shell(request):
    """What the page shell needs from core: today's date."""
    return {"today": timezone.localdate()}
