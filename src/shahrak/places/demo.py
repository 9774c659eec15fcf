"""Places come with the migrations; loading them again here (idempotent) keeps the demo
whole even on a database whose places were emptied (e.g. by a test's flush)."""

from .models import County, Province
from .registry import load_places


def load(ctx) -> None:
    load_places(Province, County)
