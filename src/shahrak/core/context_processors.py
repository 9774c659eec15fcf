from django.utils import timezone

from .tables import EXPORT_MAX_ROWS


def shell(request):
    """What the page shell needs from core: today's date, and the most rows an Excel download
    holds (a list longer than that says so instead of offering the download)."""
    return {"today": timezone.localdate(), "export_max_rows": EXPORT_MAX_ROWS}
