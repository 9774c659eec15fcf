"""The demo loader: each domain app contributes its own `demo.py` with `load(ctx)`.

Apps load in INSTALLED_APPS order (dependency order), each in its own transaction. Every
`load` must be idempotent (a second run changes nothing) and draw its randomness only from
`ctx.random`, which is seeded per app, so the demo data are the same for the same seed.
"""

import importlib
import random
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from tqdm import tqdm

DEFAULT_SEED = 1401


@dataclass
class DemoContext:
    app_label: str
    seed: int
    random: random.Random
    out: object = sys.stderr
    logins: list[tuple[str, str, str]] = field(default_factory=list)

    def progress(self, items: Iterable, what: str, total: int | None = None):
        return tqdm(
            items,
            total=total,
            desc=f"{self.app_label}: {what}",
            file=self.out,
            leave=True,
            dynamic_ncols=True,
            disable=None,  # no bar when the output is not a terminal (CI logs)
        )

    def add_login(self, username: str, password: str, purpose: str) -> None:
        self.logins.append((username, password, purpose))


def demo_modules() -> list[tuple[str, object]]:
    """(app label, module) of every installed app that has a `demo` module, in order."""
    found = []
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.demo")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.demo":
                raise
            continue
        found.append((config.label, module))
    return found


def load_demo(seed: int = DEFAULT_SEED, out=sys.stderr, only: set[str] | None = None):
    """Load every app's demo data; return the demo logins."""
    logins: list[tuple[str, str, str]] = []
    modules = [(label, module) for label, module in demo_modules() if not only or label in only]
    for number, (label, module) in enumerate(modules, start=1):
        started = time.monotonic()
        out.write(f"[{number}/{len(modules)}] {label}: loading demo data\n")
        ctx = DemoContext(label, seed, random.Random(f"{seed}:{label}"), out, logins)
        with transaction.atomic():
            module.load(ctx)
        elapsed = time.monotonic() - started
        out.write(f"[{number}/{len(modules)}] {label}: done in {elapsed:.1f} s\n")
    return logins
