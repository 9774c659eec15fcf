"""Importing units (and their exports) from a spreadsheet: all or nothing per file.

`import_units(content, filename, actor, apply=False)` reads and checks every row first and
returns a report (row, column, value, what is wrong — in Persian). Only a file without a
single error is applied, in one transaction. Units are matched by national ID: a new ID
creates a unit, a known one updates what differs (each change in the audit history), and
the same file imported twice changes nothing.
"""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone

from shahrak.accounts.audit import acting_as
from shahrak.accounts.choices import Action
from shahrak.accounts.models import AuditEntry
from shahrak.accounts.policy import access_for
from shahrak.core.bulk import insert_rows
from shahrak.core.errors import DomainError
from shahrak.core.imports import (  # noqa: F401 (MAX_BYTES, MAX_PROBLEMS, Problem: read from here)
    MAX_BYTES,
    MAX_PROBLEMS,
    Problem,
    data_rows,
    header_map,
    kind_of,
    with_progress,
)
from shahrak.core.imports import ImportReport as BaseImportReport
from shahrak.core.jalali import format_jalali
from shahrak.core.text import natural_sort_key, search_key, to_fa_digits
from shahrak.core.validators import (
    is_valid_legal_id,
    is_valid_postal_code,
    mobile_or_none,
)
from shahrak.parks.models import Park, Plot
from shahrak.places.models import County, Province

from . import services, tally
from .choices import UnitStatus
from .countries import HOME, country_code
from .models import FOREVER, ExportRecord, Unit, UnitStatusEvent, UnitStatusInterval
from .signals import send_moved
from .spreadsheet import (
    EXPORT_COLUMNS,
    EXPORTS_SHEET_NAMES,
    UNIT_COLUMNS,
    Column,
    Sheet,
    cached_key,
    is_example_row,
    read_workbook,
    status_label,
)

UNIT_HEADERS = {column.key: column.header_fa for column in UNIT_COLUMNS}
# Fields compared to decide whether a known unit changed.
UNIT_FIELDS = [
    "name", "registration_number", "manager_name", "mobile", "postal_code", "county_id",
    "park_id", "plot_id", "latitude", "longitude", "isic_code", "products", "sector",
    "employees", "licence_number", "licence_date", "business_id",
]  # fmt: skip


@dataclass
class ImportReport(BaseImportReport):
    """The units import's report: the shared one (`core.imports`) and what it wrote."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    status_changes: int = 0
    exports_added: int = 0


class _Places:
    """Provinces, counties, parks and plots looked up by what people write in cells."""

    def __init__(self):
        self.provinces = {}
        for province in Province.objects.all():
            for name in (province.code, province.name_fa, province.name_en):
                self.provinces[search_key(name)] = province
        self.counties = {}
        for county in County.objects.all():
            for name in (county.code, county.name_fa, county.name_en):
                self.counties[(county.province_id, search_key(name))] = county
        self.parks = {(p.county.province_id, search_key(p.name)): p
                      for p in Park.objects.select_related("county")}  # fmt: skip
        self.plots = {(p.park_id, search_key(p.number)): p for p in Plot.objects.all()}


def _header_map(sheet: Sheet, columns: list[Column], report, required=True):
    return header_map(sheet, columns, report, required)


def _rows(sheet: Sheet, header_index: int, mapping: dict, report, example=False):
    return data_rows(
        sheet, header_index, mapping, report, is_example=is_example_row if example else None
    )


def import_units(content: bytes, filename: str, *, actor, apply: bool = False, progress=None):
    report = ImportReport(filename=filename)
    kind = _kind_of(content, filename, report)
    if kind is None:
        return report
    try:
        sheets = read_workbook(content, kind)
    except Exception as error:
        report.problem(filename, None, "", "", f"پرونده خوانده نشد: {error}")
        return report
    unit_sheet = next((s for s in sheets if search_key(s.name) not in EXPORTS_SHEET_NAMES), None)
    export_sheet = next((s for s in sheets if search_key(s.name) in EXPORTS_SHEET_NAMES), None)
    if unit_sheet is None:
        report.problem(filename, None, "", "", "برگهٔ واحدها پیدا نشد.")
        return report
    planner = _Planner(actor, report)
    header, mapping = _header_map(unit_sheet, UNIT_COLUMNS, report)
    if mapping is not None and report.ok:
        rows = _rows(unit_sheet, header, mapping, report, example=True)
        total = sum(
            1 for cells in unit_sheet.rows[header + 1 :] if any(c not in (None, "") for c in cells)
        )
        for number, values, bad, raw in _with_progress(rows, progress, total):
            report.rows += 1
            # Rows with a bad cell are still checked, to report all their problems at once.
            planner.unit_row(unit_sheet.name, number, values, raw, cells_ok=not bad)
    if export_sheet is not None:
        header, mapping = _header_map(export_sheet, EXPORT_COLUMNS, report)
        if mapping is not None:
            for number, values, bad, raw in _rows(export_sheet, header, mapping, report):
                if not bad:
                    planner.export_row(export_sheet.name, number, values, raw)
    if report.unchecked_rows:
        report.problem(
            filename, None, "", "",
            f"بررسی پس از {to_fa_digits(len(report.problems))} مشکل متوقف شد و "
            f"{to_fa_digits(report.unchecked_rows)} سطر دیگر بررسی نشد؛ این مشکل‌ها را درست "
            "کنید و پرونده را دوباره بفرستید.",
        )  # fmt: skip
    report.created = len(planner.creates)
    report.updated = len(planner.updates)
    report.unchanged = planner.unchanged
    report.status_changes = len(planner.statuses)
    report.exports_added = len(planner.exports)
    if apply and report.ok:
        started = timezone.now()
        try:
            planner.apply()
        except DomainError as error:  # a rule only the write could check: nothing is kept
            report.problem(filename, None, "", "", error.message)
        else:
            report.applied = True
            report.applied_between = (started, timezone.now())
    report.sort_problems()
    return report


_with_progress = with_progress
_kind_of = kind_of


class _Planner:
    """Checks rows against the records and plans the writes; writes only in apply()."""

    def __init__(self, actor, report):
        self.actor, self.report = actor, report
        self.access = access_for(actor)
        self.places = _Places()
        self.existing = {u.national_id: u for u in Unit.objects.select_related("county")
                         .exclude(national_id=None)}  # fmt: skip
        self.seen: dict[str, int] = {}
        self.creates: dict[str, dict] = {}  # national ID → fields of the new unit
        self.updates: list[tuple[Unit, dict]] = []
        self.statuses: list[tuple[Unit, str, dt.date, str]] = []
        self.exports: list[tuple] = []  # (national ID, date, country, product, USD)
        self.unchanged = 0
        self.known_exports = None

    def _bad(self, sheet, row, column, value, message):
        self.report.problem(sheet, row, column, value, message)

    def unit_row(self, sheet, row, v, raw, cells_ok=True):
        """Check a row (its cells that could be read); plan its writes if all is well.
        `raw` holds the cells as written, which the messages quote."""
        headers = UNIT_HEADERS
        bad = lambda key, message: self._bad(sheet, row, headers[key], raw.get(key), message)  # noqa: E731
        national_id = v.get("national_id")
        ok = cells_ok
        if national_id is None:
            ok = False
        elif not is_valid_legal_id(national_id):
            bad("national_id", "شناسهٔ ملی معتبر نیست (۱۱ رقم با رقم کنترل درست).")
            ok = False
        elif national_id in self.seen:
            first = to_fa_digits(self.seen[national_id])
            bad("national_id", f"این شناسه در سطر {first} همین پرونده هم آمده است.")
            ok = False
        else:
            self.seen[national_id] = row
        if v.get("mobile") and not mobile_or_none(v["mobile"]):
            bad("mobile", "شمارهٔ همراه معتبر نیست (۱۱ رقم که با ۰۹ آغاز می‌شود).")
            ok = False
        if v.get("postal_code") and not is_valid_postal_code(v["postal_code"]):
            bad("postal_code", "کد پستی معتبر نیست.")
            ok = False
        if "province" not in v or "county" not in v:
            return
        province = self.places.provinces.get(cached_key(v["province"]))
        if province is None:
            bad("province", "استان شناخته نشد.")
            return
        if not self.access.can(Action.CHANGE, province.pk):
            bad("province", "ثبت واحد در این استان در اختیار شما نیست.")
            return
        county = self.places.counties.get((province.pk, cached_key(v["county"])))
        if county is None:
            bad("county", "این شهرستان در این استان شناخته نشد.")
            return
        park = plot = None
        if v.get("park"):
            park = self.places.parks.get((province.pk, cached_key(v["park"])))
            if park is None:
                bad("park", "این شهرک یا ناحیه در این استان ثبت نشده است.")
                return
            if park.county_id != county.pk:
                bad("park", f"این شهرک در شهرستان {county.name_fa} نیست.")
                return
        if v.get("plot"):
            plot = self.places.plots.get((park.pk if park else None, cached_key(v["plot"])))
            if plot is None:
                bad("plot", "این قطعه در این شهرک ثبت نشده است.")
                return
        if not cells_ok:
            return  # the remaining checks need every cell of the row
        status, status_date = v.get("status"), v.get("status_date")
        existing = self.existing.get(national_id)
        known_id = self.seen.get(national_id) == row  # a valid ID, first seen in this row
        if known_id and existing is None and status and status not in services.next_statuses(None):
            bad("status", f"واحد تازه {_may_start_as()} ثبت می‌شود.")
            return
        newly_idle = existing is None or existing.status != UnitStatus.IDLE
        if status == UnitStatus.IDLE and not v.get("idle_reason") and newly_idle:
            bad("idle_reason", "برای واحدی که راکد می‌شود، علت رکود را بنویسید.")
            return
        if status and not status_date:
            bad("status_date", "برای وضعیت، تاریخ آن را هم وارد کنید.")
            return
        if status_date and status_date > timezone.localdate():
            bad("status_date", "تاریخ وضعیت نمی‌تواند در آینده باشد.")
            return
        if not ok:
            return
        fields = {
            "name": v["name"], "registration_number": v.get("registration_number") or "",
            "manager_name": v.get("manager_name") or "",
            "mobile": mobile_or_none(v["mobile"]) if v.get("mobile") else "",
            "postal_code": v.get("postal_code") or "", "county_id": county.pk,
            "park_id": park.pk if park else None, "plot_id": plot.pk if plot else None,
            "latitude": v.get("latitude"), "longitude": v.get("longitude"),
            "isic_code": v["isic_code"], "products": v["products"], "sector": v["sector"],
            "employees": v["employees"], "licence_number": v.get("licence_number") or "",
            "licence_date": v.get("licence_date"), "business_id": v.get("business_id") or "",
        }  # fmt: skip
        unit = existing
        if unit is None:
            self.creates[national_id] = {
                **fields, "national_id": national_id, "province_id": province.pk,
                "status": status or "", "status_since": status_date if status else None,
            }  # fmt: skip
            return
        if not self.access.can(Action.CHANGE, unit.county.province_id):
            bad("national_id", "واحدی با این شناسه در استانی خارج از دسترسی شما ثبت است.")
            return
        changes = {k: val for k, val in fields.items() if _differs(getattr(unit, k), val)}
        status_change = status and (status != unit.status or status_date != unit.status_since)
        if status_change:
            # The rule of the services (docs/unit-status.md): a status is dated on or after the
            # unit's latest one (its status and status date, kept equal to its latest-dated
            # event), and follows it as the transitions allow — the same status again too.
            if status_date < (unit.status_since or dt.date.min):
                latest = to_fa_digits(format_jalali(unit.status_since, persian=False))
                bad("status_date", "تاریخ وضعیت پیش از آخرین تغییر وضعیت این واحد "
                                   f"(«{status_label(unit.status)}» از {latest}) است؛ "
                                   "وضعیتی با تاریخ گذشته پذیرفته نمی‌شود.")  # fmt: skip
                return
            if status not in services.next_statuses(unit.status):
                bad("status", _illegal_change(unit.status, status))
                return
            self.statuses.append((unit, status, status_date, v.get("idle_reason") or ""))
        if changes:
            self.updates.append((unit, changes))
        elif not status_change:
            self.unchanged += 1

    def export_row(self, sheet, row, v, raw):
        headers = {c.key: c.header_fa for c in EXPORT_COLUMNS}
        national_id = v["national_id"]
        unit = self.existing.get(national_id)
        if unit is None and national_id not in self.creates:
            self._bad(sheet, row, headers["national_id"], raw["national_id"],
                      "واحدی با این شناسه نه در سامانه هست و نه در برگهٔ واحدها.")  # fmt: skip
            return
        destination = country_code(v["destination"])
        if destination is None:
            self._bad(sheet, row, headers["destination"], raw["destination"],
                      "کشور شناخته نشد؛ نام فارسی کشور یا کد دوحرفی آن را بنویسید، مانند "
                      "عمان یا OM.")  # fmt: skip
            return
        v["destination"] = destination
        if destination == HOME:
            self._bad(sheet, row, headers["destination"], raw["destination"],
                      "ایران مقصد صادرات نیست؛ کشوری را بنویسید که کالا به آن رفت.")  # fmt: skip
            return
        if self.known_exports is None:
            self.known_exports = set(
                ExportRecord.objects.values_list("unit__national_id", "on", "destination",
                                                 "product", "value_usd")
            )  # fmt: skip
        key = (national_id, v["on"], v["destination"].upper(), v["product"],
               Decimal(v["value_usd"]).quantize(Decimal("0.01")))  # fmt: skip
        if key in self.known_exports:
            return  # already recorded: importing the same file again adds nothing
        self.known_exports.add(key)
        self.exports.append(key)

    @transaction.atomic
    def apply(self):
        with acting_as(self.actor):
            pks = self._insert_new_units()
            for unit, changes in self.updates:  # one by one: each change lands in the history
                place = (unit.county_id, unit.park_id)
                for name, value in changes.items():
                    setattr(unit, name, value)
                unit.save()
                if {"county_id", "park_id", "sector"} & set(changes):
                    services.rebuild_intervals(unit)
                tally.move_unit(unit.pk, place[0], unit.county_id)
                send_moved(unit, place)
            for unit, status, on, reason in self.statuses:
                services.unit_change_status(
                    actor=self.actor, unit=unit, status=status, on=on, reason=reason
                )
            known = {nid: unit.pk for nid, unit in self.existing.items()}
            now = timezone.now()
            insert_rows(
                ExportRecord,
                ["created_at", "updated_at", "version", "unit_id", "on", "destination",
                 "product", "value_usd"],
                ([now, now, 1, pks.get(nid) or known[nid], on, country, product, value]
                 for nid, on, country, product, value in self.exports),
            )  # fmt: skip
            # The exports' sums, by the county of their unit as it is now (locked).
            counties = tally.counties_of({pks.get(nid) or known[nid] for nid, *_ in self.exports})
            tally.add_records(
                (counties[pks.get(nid) or known[nid]], on, country, value)
                for nid, on, country, _product, value in self.exports
            )

    def _insert_new_units(self) -> dict[str, int]:
        """New units, their first status (event and interval) and their creation in the
        audit trail, each table in one executemany. Returns national ID → new pk."""
        if not self.creates:
            return {}
        now = timezone.now()
        unit_fields = ["created_at", "updated_at", "version", "is_demo", "search_text", "sort_key",
                       "status", "status_since", "national_id", *UNIT_FIELDS]  # fmt: skip
        insert_rows(
            Unit,
            unit_fields,
            ([now, now, 1, False, _search_text(f), natural_sort_key(f["name"]), f["status"],
              f["status_since"], f["national_id"], *(f[name] for name in UNIT_FIELDS)]
             for f in self.creates.values()),
        )  # fmt: skip
        # Every unit of this import carries the same creation time: one query finds them.
        pks = dict(
            Unit.objects.filter(created_at=now, national_id__isnull=False).values_list(
                "national_id", "pk"
            )
        )
        started = [(pks[nid], f) for nid, f in self.creates.items() if f["status"]]
        insert_rows(
            UnitStatusEvent,
            ["created_at", "updated_at", "version", "unit_id", "status", "on", "reason", "note"],
            ([now, now, 1, pk, f["status"], f["status_since"], "", ""] for pk, f in started),
        )
        insert_rows(
            UnitStatusInterval,
            ["unit_id", "province_id", "county_id", "park_id", "sector", "status", "valid_from",
             "valid_to"],
            ([pk, f["province_id"], f["county_id"], f["park_id"], f["sector"], f["status"],
              f["status_since"], FOREVER] for pk, f in started),
        )  # fmt: skip
        # Written without model signals: each new unit's creation is recorded here.
        content_type = ContentType.objects.get_for_model(Unit).pk
        insert_rows(
            AuditEntry,
            ["content_type", "object_pk", "object_id", "object_repr", "action", "changes_text",
             "changes", "actor", "timestamp", "province"],
            ([content_type, str(pks[nid]), pks[nid], f["name"][:200], AuditEntry.Action.CREATE,
              "", {"name": [None, f["name"]], "national_id": [None, nid]}, self.actor.pk, now,
              f["province_id"]] for nid, f in self.creates.items()),
        )  # fmt: skip
        return pks


def _either(statuses) -> str:
    """«الف»، «ب» یا «ج»: statuses by their Persian labels."""
    quoted = [f"«{status_label(status)}»" for status in statuses]
    return " یا ".join(filter(None, ["، ".join(quoted[:-1]), quoted[-1]]))


def _may_start_as() -> str:
    """«با وضعیت «در حال ساخت» یا «در حال بهره‌برداری»»: from the services' own table."""
    return "با وضعیت " + _either(services.next_statuses(None))


def _illegal_change(current: str, status: str) -> str:
    """Why a unit cannot go to `status`, and where it may go instead (in Persian labels)."""
    old = f"«{status_label(current)}»" if current else "بی‌وضعیت"
    said = f"واحد {old} نمی‌تواند به «{status_label(status)}» برود"
    allowed = services.next_statuses(current)
    if not allowed:
        return said + "؛ وضعیت آن دیگر تغییر نمی‌کند."
    return f"{said}؛ وضعیت بعدی آن می‌تواند {_either(allowed)} باشد."


def _search_text(fields: dict) -> str:
    parts = [fields["name"], fields["national_id"], fields["products"], fields["manager_name"]]
    return search_key(" ".join(filter(None, parts)))


def _differs(current, new) -> bool:
    if current in (None, "") and new in (None, ""):
        return False
    if isinstance(current, Decimal) or isinstance(new, Decimal):
        try:
            return Decimal(str(current)) != Decimal(str(new))
        except Exception:
            return True
    return current != new
