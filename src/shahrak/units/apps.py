from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class UnitsConfig(AppConfig):
    name = "shahrak.units"
    label = "units"
    verbose_name = _("Industrial units")

    def ready(self):
        from shahrak.accounts.audit import UNTRACKED_FIELDS, track
        from shahrak.accounts.choices import Action
        from shahrak.accounts.scoping import (
            ObjectLink,
            register_object_link,
            register_object_scope,
        )
        from shahrak.parks.filtersets import register_hosting

        from . import services
        from .metrics import in_operation_at
        from .models import ExportRecord, ImportRun, Unit, UnitStatusEvent, UnitStatusInterval

        # Linking and unlinking a representative is recorded in the unit's history.
        track(Unit, m2m_fields={"representatives"})
        for model in (UnitStatusEvent, ExportRecord):
            track(model)
        # An import's upload, confirmation and outcome are in the log; the worker's
        # counters and its stored report are not.
        track(ImportRun, exclude_fields=[*UNTRACKED_FIELDS, *ImportRun.WORKER_FIELDS])
        # Unit representatives reach the records of the units they represent…
        register_object_scope(
            "unit", lambda user: Unit.objects.filter(representatives=user).values("pk")
        )
        # …and are invited naming their unit, among those of the inviting manager's province.
        register_object_link(
            "unit",
            ObjectLink(
                label=_("Unit represented"),
                missing=_("Name the unit this representative represents."),
                offered=lambda actor: (
                    Unit.objects.restrict(actor, Action.MANAGE_USERS)
                    .active()
                    .order_by("sort_key", "pk")
                ),
                province_id=lambda unit: unit.county.province_id,
                link=lambda *, actor, obj, user: services.unit_representative_add(
                    actor=actor, unit=obj, user=user
                ),
                held=lambda user: Unit.objects.filter(representatives=user).order_by("name"),
                held_label=_("Units represented"),
            ),
        )
        # The park list's "with units in operation on a date" (a report's records link).
        register_hosting(
            "with_units_on",
            lambda date: in_operation_at(UnitStatusInterval.objects, date).values("park"),
        )
