"""Demo wording of the press paragraph: each demo province's manager has reworded one
sentence for their province, as managers do (the sentence page then offers to go back to
the default wording)."""

from django.contrib.auth import get_user_model

from shahrak.accounts.audit import acting_as
from shahrak.places.models import Province

from .models import PressSentence
from .services import press_sentence_save

# province, its manager (a demo login), sentence key, the province's wording
WORDINGS = [
    ("bushehr", "bushehr-manager", "power",
     "در این مدت {power} به ظرفیت برق شهرک‌های صنعتی استان بوشهر افزوده شده است."),
    ("yazd", "yazd-manager", "power",
     "در این مدت {power} به ظرفیت برق واحدهای صنعتی استان یزد افزوده شده است."),
]  # fmt: skip


def load(ctx) -> None:
    users = get_user_model().objects
    for code, username, key, text in ctx.progress(WORDINGS, "press wordings"):
        province = Province.objects.filter(code=code).first()
        manager = users.filter(username=username).first()
        if province is None or manager is None:
            continue  # loaded without the demo users (--only reports)
        if PressSentence.objects.active().filter(key=key, province=province).exists():
            continue  # loaded before: a second run changes nothing
        with acting_as(manager):
            press_sentence_save(actor=manager, key=key, province=province, text=text)
