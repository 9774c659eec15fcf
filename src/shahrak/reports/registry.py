"""All report metrics: collected from each installed app's `metrics.METRICS`."""

import importlib
from functools import cache

from django.apps import apps

from shahrak.core.metrics import Metric


@cache
def metrics() -> dict[str, Metric]:
    found: dict[str, Metric] = {}
    for config in apps.get_app_configs():
        try:
            module = importlib.import_module(f"{config.name}.metrics")
        except ModuleNotFoundError as error:
            if error.name != f"{config.name}.metrics":
                raise
            continue
        for metric in getattr(module, "METRICS", []):
            if metric.key in found:
                raise ValueError(f"metric {metric.key} is declared twice")
            found[metric.key] = metric
    return found
