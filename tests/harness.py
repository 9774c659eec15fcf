"""The test harness every issue reuses: people of every role in two provinces, sample
records of every scoped model in each province, and an independent statement of who may
see what (written again from the issue's role table, not imported from the code)."""

from collections.abc import Callable

from shahrak.accounts.choices import Action, Role
from shahrak.accounts.models import AuditEntry, Membership, User
from shahrak.places.models import County, Province
from shahrak.places.registry import load_places

PASSWORD = "shahrak-demo"
PROVINCES = ("bushehr", "yazd")
ALL = "all"

# username → [(role, province code or None for national)]
PEOPLE: dict[str, list[tuple[str, str | None]]] = {
    "bushehr-manager": [(Role.MANAGER, "bushehr")],
    "bushehr-expert": [(Role.EXPERT, "bushehr")],
    "bushehr-unit": [(Role.UNIT_REP, "bushehr")],
    "yazd-manager": [(Role.MANAGER, "yazd")],
    "yazd-expert": [(Role.EXPERT, "yazd")],
    "yazd-agent": [(Role.CLUSTER_AGENT, "yazd")],
    "yazd-unit": [(Role.UNIT_REP, "yazd")],
    "hq": [(Role.HQ, None)],
    "auditor": [(Role.AUDITOR, "bushehr"), (Role.AUDITOR, "yazd")],
    "admin": [(Role.SYSADMIN, None)],
    "nobody": [],  # signed in, no role at all
}
SUPERUSERS = {"admin"}

# The role table of docs/access.md, written again here by hand (never read from the code's
# `policy.py` or a model's `scope`): what each province-wide role may do in its provinces.
V, C, A, U, H = (Action.VIEW, Action.CHANGE, Action.APPROVE, Action.MANAGE_USERS,
                 Action.VIEW_HISTORY)  # fmt: skip
SPEC_ACTIONS = {
    Role.HQ: {V, H},
    Role.MANAGER: {V, C, A, U, H},
    Role.EXPERT: {V, C, H},
    Role.AUDITOR: {V, H},
}
# Cluster agents and unit representatives reach records only through their own objects:
# each holds the sample record of their own province (see the samples below).
OBJECT_ROLES = {Role.CLUSTER_AGENT: "cluster", Role.UNIT_REP: "unit"}
PEOPLE_READERS = {Role.MANAGER, Role.AUDITOR, Role.HQ}
STAFF = {Role.MANAGER, Role.EXPERT}
PEOPLE_RULE = {V: PEOPLE_READERS, H: PEOPLE_READERS, C: {Role.MANAGER}, U: {Role.MANAGER}}

# Each scoped model, by hand from docs/access.md (and docs/reports.md for press sentences):
#   "narrowed": action → the only province-wide roles that may take it (else SPEC_ACTIONS);
#   "unit" / "cluster": the actions object roles may take on the records of their own units
#   or clusters (absent: the model's records are not reached that way at all);
#   "registry": every signed-in person, whatever their role (or none), views all records.
MODEL_RULES: dict[str, dict] = {
    # People and the activity log: managers, auditors and headquarters only.
    "accounts.User": {"narrowed": PEOPLE_RULE},
    "accounts.Membership": {"narrowed": PEOPLE_RULE},
    "accounts.AuditEntry": {"narrowed": {V: PEOPLE_READERS, H: PEOPLE_READERS}},
    # Parks are province records: no unit or cluster reaches them.
    "parks.Park": {},
    "parks.Plot": {},
    "parks.InfrastructureProject": {},
    # A unit's registration, status timeline and exports: changed by the provincial staff,
    # read by its representatives.
    "units.Unit": {"narrowed": {C: STAFF}, "unit": {V}},
    "units.UnitStatusEvent": {"narrowed": {C: STAFF}, "unit": {V}},
    "units.ExportRecord": {"narrowed": {C: STAFF}, "unit": {V}},
    # An upload of units to import: checked and confirmed by the provincial staff who may
    # change units; no unit or cluster reaches it.
    "units.ImportRun": {"narrowed": {C: STAFF}},
    # Revival (docs/revival.md): a province's cases and everything on them are kept by its
    # staff and read by the representatives of the case's unit; the province's revival
    # settings are its manager's; monthly reports are filed by the unit's representatives.
    "revival.ProvinceRevivalSettings": {"narrowed": {C: {Role.MANAGER}}},
    "revival.RevivalCase": {"narrowed": {C: STAFF}, "unit": {V}},
    "revival.CaseReason": {"narrowed": {C: STAFF}, "unit": {V}},
    "revival.Diagnosis": {"narrowed": {C: STAFF}, "unit": {V}},
    "revival.DiagnosisAttachment": {"narrowed": {C: STAFF}, "unit": {V}},
    "revival.Finding": {"narrowed": {C: STAFF}, "unit": {V}},
    "revival.ImprovementPlan": {"narrowed": {C: STAFF}, "unit": {V}},
    "revival.PlanAction": {"narrowed": {C: STAFF}, "unit": {V}},
    "revival.FollowUpVisit": {"narrowed": {C: STAFF}, "unit": {V}},
    "revival.MonthlyReport": {"unit": {V, C}},
    "revival.UtilityReading": {"narrowed": {C: STAFF}, "unit": {V}},
    # An upload of monthly reports: the provincial staff's, as the units import's.
    "revival.MonthlyReportImportRun": {"narrowed": {C: STAFF}},
    # A province's manager words the press sentences of their province.
    "reports.PressSentence": {"narrowed": {V: {Role.MANAGER}, C: {Role.MANAGER}}},
    # Support (docs/support.md): the program catalogue is read by everyone signed in and a
    # province's programs and budgets are kept by its manager; an application and its
    # documents are its unit's representatives' (to read and file) and the provincial
    # staff's; its steps are written by the staff, its payments by the manager.
    "support.Program": {"registry": True, "narrowed": {C: {Role.MANAGER}}},
    "support.ProgramBudget": {"narrowed": {C: {Role.MANAGER}}},
    "support.Application": {"unit": {V, C}},
    "support.ApplicationStep": {"narrowed": {C: STAFF}, "unit": {V}},
    "support.ApplicationDocument": {"unit": {V, C}},
    "support.Payment": {"narrowed": {C: {Role.MANAGER}}, "unit": {V}},
    # Exhibitions are a registry everyone reads, kept by the staff of the province that
    # registered them; exhibition supports and service records are the provincial staff's,
    # read by the representatives of the units they are for.
    "support.Exhibition": {"registry": True, "narrowed": {C: STAFF}},
    "support.ExhibitionSupport": {"narrowed": {C: STAFF}, "unit": {V}},
    "support.ServiceRecord": {"narrowed": {C: STAFF}, "unit": {V}},
    # Clusters (docs/clusters.md): a province's clusters and everything on them are kept by
    # its staff and by each cluster's development agent.
    "clusters.Cluster": {"cluster": {V, C}},
    "clusters.Membership": {"cluster": {V, C}},
    "clusters.Associate": {"cluster": {V, C}},
    "clusters.DevelopmentPlan": {"cluster": {V, C}},
    "clusters.PlanStep": {"cluster": {V, C}},
    "clusters.ActionPlan": {"cluster": {V, C}},
}


def _rule(model) -> dict:
    label = model._meta.label
    assert label in MODEL_RULES, f"{label}: add its row to MODEL_RULES (tests/harness.py)"
    return MODEL_RULES[label]


def _province_roles(model, action: str) -> set[str]:
    """Province-wide roles that may take `action` on records of `model` in their provinces."""
    narrowed = _rule(model).get("narrowed", {}).get(action)
    roles = {role for role, actions in SPEC_ACTIONS.items() if action in actions}
    return roles if narrowed is None else roles & set(narrowed)


def make_people() -> dict[str, User]:
    # Browser tests run in transactions that end with a flush, which empties the places the
    # data migration loaded: load them again (idempotent).
    load_places(Province, County)
    provinces = {p.code: p for p in Province.objects.filter(code__in=PROVINCES)}
    people = {}
    for username, grants in PEOPLE.items():
        user = User.objects.create_user(
            username=username,
            password=PASSWORD,
            is_superuser=username in SUPERUSERS,
            is_staff=username in SUPERUSERS,
        )
        for role, code in grants:
            Membership.objects.create(user=user, role=role, province=provinces.get(code))
        people[username] = user
    return people


def expected_provinces(username: str, model, action: str):
    """Province codes where `username` may `action` records of `model` ("all" = every one)."""
    if username in SUPERUSERS:
        return ALL
    if action == Action.VIEW and _rule(model).get("registry"):
        return ALL  # reference data: every signed-in person reads all of it
    found: set[str] = set()
    for role, code in PEOPLE[username]:
        if role in OBJECT_ROLES:
            if action in _rule(model).get(OBJECT_ROLES[role], set()):
                found.add(code)  # their own sample record there
            continue
        if role not in _province_roles(model, action):
            continue
        if code is None:
            return ALL
        found.add(code)
    return found


def may_create(username: str, model, action: str, province: str) -> bool:
    """Creating records needs a province-wide role (object roles hold existing records)."""
    if username in SUPERUSERS:
        return True
    return any(
        role in _province_roles(model, action) and (code is None or code == province)
        for role, code in PEOPLE[username]
    )


def holds_a_province(username: str, action: str) -> bool:
    """Pages about a whole province (reports) need a province-wide role (or a national one)
    allowing `action`; object roles reach only records of their own units or clusters."""
    return username in SUPERUSERS or any(
        action in SPEC_ACTIONS.get(role, set()) for role, _code in PEOPLE[username]
    )


def may(username: str, model, action: str, province: str) -> bool:
    allowed = expected_provinces(username, model, action)
    return allowed == ALL or province in allowed


# --- one sample record of each scoped model in a province, named with a marker -----------
SAMPLES: dict[type, Callable[[str], object]] = {}


def sample_for(model):
    def register(make):
        SAMPLES[model] = make
        return make

    return register


def marker(code: str) -> str:
    return f"sample-{code}"


def sample_user(code: str) -> User:
    user, created = User.objects.get_or_create(username=marker(code), defaults={"first_name": ""})
    if created:
        Membership.objects.create(
            user=user, role=Role.EXPERT, province=Province.objects.get(code=code)
        )
    return user


@sample_for(User)
def _user(code):
    return sample_user(code)


@sample_for(Membership)
def _membership(code):
    return sample_user(code).memberships.get()


@sample_for(AuditEntry)
def _audit_entry(code):
    return AuditEntry.objects.get_for_object(_membership(code)).get()


def sample_park(code: str):
    from decimal import Decimal

    from shahrak.parks.models import Park

    county = County.objects.filter(province__code=code).order_by("code").first()
    park, _ = Park.objects.get_or_create(
        county=county,
        name=marker(code),
        defaults={
            "kind": "industrial_park",
            "latitude": county.latitude,
            "longitude": county.longitude,
            "gross_area_ha": Decimal(100),
            "industrial_area_ha": Decimal(60),
        },
    )
    return park


def _register_parks():
    import datetime as dt
    from decimal import Decimal

    from shahrak.parks.models import InfrastructureProject, Park, Plot, PlotEvent

    @sample_for(Park)
    def _park(code):
        return sample_park(code)

    @sample_for(Plot)
    def _plot(code):
        plot, created = Plot.objects.get_or_create(
            park=sample_park(code),
            number=marker(code),
            defaults={"area_m2": Decimal(2000), "use": "industrial"},
        )
        if created:
            PlotEvent.objects.create(plot=plot, status="ready", on=dt.date(2022, 3, 21))
        return plot

    @sample_for(InfrastructureProject)
    def _project(code):
        project, _ = InfrastructureProject.objects.get_or_create(
            park=sample_park(code), title=marker(code), defaults={"kind": "water_network"}
        )
        return project


_register_parks()


def _register_units():
    from shahrak.units.models import ExportRecord, ImportRun, Unit

    @sample_for(Unit)
    def _unit(code):
        park = sample_park(code)
        unit, _ = Unit.objects.get_or_create(
            name=marker(code),
            defaults={"county": park.county, "park": park, "isic_code": "1030",
                      "products": "خرما", "sector": "food_dates", "employees": 12},
        )  # fmt: skip
        # The province's unit representative represents it (see OBJECT_ROLES).
        unit.representatives.add(*User.objects.filter(username=f"{code}-unit"))
        return unit

    @sample_for(ExportRecord)
    def _export(code):
        import datetime as dt

        record, _ = ExportRecord.objects.get_or_create(
            unit=_unit(code), product=marker(code),
            defaults={"on": dt.date(2022, 3, 1), "destination": "AE", "value_usd": 1000},
        )  # fmt: skip
        return record

    @sample_for(ImportRun)
    def _import_run(code):
        # A run the province's expert uploaded, already refused (nothing left to do on it):
        # others of the province see it and may not confirm it.
        run, _ = ImportRun.objects.get_or_create(
            filename=f"{marker(code)}.xlsx",
            defaults={"created_by": sample_user(code), "status": ImportRun.Status.REFUSED,
                      "province": Province.objects.get(code=code)},
        )  # fmt: skip
        return run


_register_units()


def demo_for_module(django_db_blocker, apps: set[str]):
    """Load the demo data of `apps` for a test module (a generator for a module-scoped
    fixture; tests/demo_snapshot.py copies a set loaded before back in); afterwards empty
    the database and put the places back."""
    import io

    from django.core.management import call_command

    from shahrak.core.demo_loader import load_demo
    from tests import demo_snapshot

    key = frozenset({"places", *apps})
    with django_db_blocker.unblock():
        if not demo_snapshot.restore(key):  # loaded once per process, then copied back
            load_demo(out=io.StringIO(), only=set(key))
            demo_snapshot.take(key)
    yield
    with django_db_blocker.unblock():
        call_command("flush", verbosity=0, interactive=False)
        load_places(Province, County)


def _register_reports():
    from shahrak.reports.models import PressSentence

    @sample_for(PressSentence)
    def _press_sentence(code):
        sentence, _ = PressSentence.objects.get_or_create(
            key="units", province=Province.objects.get(code=code),
            defaults={"text": f"{{units}} {marker(code)}"},
        )  # fmt: skip
        return sentence


_register_reports()


def _register_revival():
    import datetime as dt

    from shahrak.revival.models import (
        CaseReason,
        Diagnosis,
        DiagnosisAttachment,
        Finding,
        FollowUpVisit,
        ImprovementPlan,
        MonthlyReport,
        PlanAction,
        ProvinceRevivalSettings,
        RevivalCase,
        UtilityReading,
    )
    from shahrak.units.models import Unit

    def unit(code):
        return SAMPLES[Unit](code)

    @sample_for(ProvinceRevivalSettings)
    def _settings(code):
        found, _ = ProvinceRevivalSettings.objects.get_or_create(
            province=Province.objects.get(code=code)
        )
        return found

    @sample_for(RevivalCase)
    def _case(code):
        case, _ = RevivalCase.objects.get_or_create(
            unit=unit(code), note=marker(code),
            defaults={"opened_on": dt.date(2021, 5, 1), "identified_by": "field_survey"},
        )  # fmt: skip
        return case

    @sample_for(CaseReason)
    def _reason(code):
        return CaseReason.objects.get_or_create(case=_case(code), reason="market")[0]

    @sample_for(Diagnosis)
    def _diagnosis(code):
        return Diagnosis.objects.get_or_create(
            case=_case(code), summary=marker(code),
            defaults={"on": dt.date(2021, 6, 1), "diagnosed_by": sample_user(code)},
        )[0]  # fmt: skip

    @sample_for(DiagnosisAttachment)
    def _attachment(code):
        # A small PDF, written once where the storage keeps files, so that it can be downloaded.
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        path = f"revival/samples/{marker(code)}.pdf"
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(b"%PDF-1.4\n%sample\n"))
        return DiagnosisAttachment.objects.get_or_create(
            diagnosis=_diagnosis(code), filename=f"{marker(code)}.pdf",
            defaults={"file": path, "size": 18, "uploaded_by": sample_user(code)},
        )[0]  # fmt: skip

    @sample_for(Finding)
    def _finding(code):
        return Finding.objects.get_or_create(
            diagnosis=_diagnosis(code), area="finance",
            defaults={"severity": "high", "text": marker(code)},
        )[0]  # fmt: skip

    @sample_for(ImprovementPlan)
    def _plan(code):
        return ImprovementPlan.objects.get_or_create(
            case=_case(code), defaults={"on": dt.date(2021, 7, 1), "summary": marker(code)}
        )[0]

    @sample_for(PlanAction)
    def _action(code):
        return PlanAction.objects.get_or_create(
            plan=_plan(code), title=marker(code),
            defaults={"owner_kind": "bank", "due_on": dt.date(2021, 9, 1), "cost_rial": 10**9},
        )[0]  # fmt: skip

    @sample_for(FollowUpVisit)
    def _visit(code):
        return FollowUpVisit.objects.get_or_create(
            case=_case(code), findings=marker(code), defaults={"on": dt.date(2021, 8, 1)}
        )[0]

    @sample_for(MonthlyReport)
    def _report(code):
        return MonthlyReport.objects.get_or_create(
            unit=unit(code), year=1400, month=1,
            defaults={"production_volume": 10, "employees": 12, "sales_rial": 10**9},
        )[0]  # fmt: skip

    @sample_for(UtilityReading)
    def _utility(code):
        return UtilityReading.objects.get_or_create(
            unit=unit(code), year=1400, month=1, defaults={"electricity_kwh": 12_000}
        )[0]


def _register_revival_imports():
    from shahrak.revival.models import MonthlyReportImportRun

    @sample_for(MonthlyReportImportRun)
    def _report_import_run(code):
        # A run the province's expert uploaded, already refused, as the units import's sample.
        run, _ = MonthlyReportImportRun.objects.get_or_create(
            filename=f"{marker(code)}-reports.xlsx",
            defaults={"created_by": sample_user(code),
                      "status": MonthlyReportImportRun.Status.REFUSED,
                      "province": Province.objects.get(code=code)},
        )  # fmt: skip
        return run


_register_revival()
_register_revival_imports()


def _register_support():
    import datetime as dt
    from decimal import Decimal

    from shahrak.support.models import (
        Application,
        ApplicationDocument,
        ApplicationStep,
        Payment,
        Program,
        ProgramBudget,
    )
    from shahrak.units.models import Unit

    @sample_for(Program)
    def _program(code):
        return Program.objects.get_or_create(
            title=marker(code), province=Province.objects.get(code=code),
            defaults={"family": "market", "rate_min_pct": Decimal(30),
                      "rate_max_pct": Decimal(70), "cap_per_unit_rial": 10**10,
                      "opens_on": dt.date(2021, 3, 21)},
        )[0]  # fmt: skip

    @sample_for(ProgramBudget)
    def _budget(code):
        return ProgramBudget.objects.get_or_create(
            program=_program(code), province=Province.objects.get(code=code), year=1400,
            defaults={"amount_rial": 10**11, "reserved_rial": 4 * 10**9, "paid_rial": 10**9},
        )[0]  # fmt: skip

    @sample_for(Application)
    def _application(code):
        # Executed and partly paid: it holds 5,000 million rial of the sample budget.
        return Application.objects.get_or_create(
            unit=SAMPLES[Unit](code), program=_program(code), description=marker(code),
            defaults={"requested_cost_rial": 10**10, "created_by": sample_user(code),
                      "status": "paid", "approved_on": dt.date(2021, 5, 1),
                      "approved_cost_rial": 10**10, "approved_rate_pct": Decimal(50),
                      "approved_amount_rial": 5 * 10**9, "budget": _budget(code),
                      "executed_on": dt.date(2021, 8, 1), "actual_cost_rial": 10**10,
                      "eligible_cost_rial": 10**10, "subsidy_rial": 5 * 10**9,
                      "committed_rial": 5 * 10**9, "paid_rial": 10**9},
        )[0]  # fmt: skip

    @sample_for(ApplicationStep)
    def _step(code):
        return ApplicationStep.objects.get_or_create(
            application=_application(code), status="submitted", note=marker(code)
        )[0]

    @sample_for(ApplicationDocument)
    def _document(code):
        # A small PDF, written once where the storage keeps files, so that it can be downloaded.
        from django.core.files.base import ContentFile
        from django.core.files.storage import default_storage

        path = f"support/samples/{marker(code)}.pdf"
        if not default_storage.exists(path):
            default_storage.save(path, ContentFile(b"%PDF-1.4\n%sample\n"))
        return ApplicationDocument.objects.get_or_create(
            application=_application(code), filename=f"{marker(code)}.pdf",
            defaults={"kind": "invoice", "file": path, "size": 18,
                      "uploaded_by": sample_user(code)},
        )[0]  # fmt: skip

    @sample_for(Payment)
    def _payment(code):
        return Payment.objects.get_or_create(
            application=_application(code), reference=marker(code),
            defaults={"on": dt.date(2021, 9, 1), "amount_rial": 10**9,
                      "recorded_by": sample_user(code)},
        )[0]  # fmt: skip


_register_support()


def _register_exhibitions_and_services():
    import datetime as dt

    from shahrak.support.models import (
        Exhibition,
        ExhibitionSupport,
        ServiceKind,
        ServiceRecord,
    )
    from shahrak.units.models import Unit

    @sample_for(Exhibition)
    def _exhibition(code):
        return Exhibition.objects.get_or_create(
            name=marker(code), province=Province.objects.get(code=code),
            defaults={"reach": "domestic", "city": "تهران", "country": "IR",
                      "starts_on": dt.date(2022, 5, 1), "ends_on": dt.date(2022, 5, 4)},
        )[0]  # fmt: skip

    @sample_for(ExhibitionSupport)
    def _exhibition_support(code):
        return ExhibitionSupport.objects.get_or_create(
            exhibition=_exhibition(code), unit=SAMPLES[Unit](code),
            defaults={"kind": "booth", "booth_area_m2": 12, "subsidy_rial": 10**9,
                      "on": dt.date(2022, 5, 1)},
        )[0]  # fmt: skip

    @sample_for(ServiceRecord)
    def _service(code):
        from shahrak.support.services import ensure_service_kinds

        ensure_service_kinds()  # after a flush the migration's kinds are gone
        record, created = ServiceRecord.objects.get_or_create(
            provider=marker(code), province=Province.objects.get(code=code),
            defaults={"kind": ServiceKind.objects.get(code="consulting"),
                      "on": dt.date(2022, 5, 1), "cost_rial": 10**8},
        )  # fmt: skip
        if created:
            record.units.add(SAMPLES[Unit](code))
        return record


_register_exhibitions_and_services()


def _register_clusters():
    import datetime as dt
    from decimal import Decimal

    from shahrak.clusters.models import (
        ActionPlan,
        Associate,
        Cluster,
        DevelopmentPlan,
        Membership,
        PlanStep,
    )
    from shahrak.units.models import Unit

    @sample_for(Cluster)
    def _cluster(code):
        cluster, _ = Cluster.objects.get_or_create(
            name=marker(code),
            defaults={"isic_code": "1030", "product": "خرما",
                      "province": Province.objects.get(code=code),
                      "centre_latitude": Decimal("30.0"), "centre_longitude": Decimal("52.0")},
        )  # fmt: skip
        # The province's development agent is its agent (see OBJECT_ROLES).
        agent = User.objects.filter(username=f"{code}-agent").first()
        if agent is not None and cluster.agent_id != agent.pk:
            cluster.agent = agent
            cluster.save(update_fields=["agent"])
        return cluster

    @sample_for(Membership)
    def _membership(code):
        return Membership.objects.get_or_create(
            cluster=_cluster(code), unit=SAMPLES[Unit](code),
            defaults={"joined_on": dt.date(2021, 5, 1), "distance_km": Decimal("10")},
        )[0]  # fmt: skip

    @sample_for(Associate)
    def _associate(code):
        return Associate.objects.get_or_create(
            cluster=_cluster(code), name=marker(code), defaults={"role": "supplier"}
        )[0]

    @sample_for(DevelopmentPlan)
    def _plan(code):
        return DevelopmentPlan.objects.get_or_create(
            cluster=_cluster(code), note=marker(code),
            defaults={"started_on": dt.date(2021, 4, 1)},
        )[0]  # fmt: skip

    @sample_for(PlanStep)
    def _step(code):
        from django.core.files.base import ContentFile

        step = PlanStep.objects.get_or_create(
            plan=_plan(code), stage="identification",
            defaults={"on": dt.date(2021, 4, 1), "note": marker(code)},
        )[0]  # fmt: skip
        if not step.document:  # a study's document, for its download page
            step.document.save(f"{marker(code)}.pdf", ContentFile(b"%PDF-1.4\n%%EOF\n"))
        return step

    @sample_for(ActionPlan)
    def _action(code):
        return ActionPlan.objects.get_or_create(
            cluster=_cluster(code), title=marker(code),
            defaults={"year": 1400, "category": "training", "cost_rial": 10**9,
                      "starts_on": dt.date(2021, 6, 1)},
        )[0]  # fmt: skip


_register_clusters()


def _register_support_steps():
    """The staff's steps of an application are routes on its `StaffApplication` proxy: changed
    by the province's staff only (docs/support.md); no unit or cluster reaches them."""
    from shahrak.support.models import Application, StaffApplication

    MODEL_RULES["support.StaffApplication"] = {"narrowed": {C: STAFF}}

    @sample_for(StaffApplication)
    def _staff_application(code):
        return StaffApplication.objects.get(pk=SAMPLES[Application](code).pk)


_register_support_steps()


def _register_cluster_staff_changes():
    """Adding member units is a route on the `StaffCluster` proxy: the province's staff's
    alone (docs/clusters.md); a cluster's agent does not reach it."""
    from shahrak.clusters.models import Cluster, StaffCluster

    MODEL_RULES["clusters.StaffCluster"] = {"narrowed": {C: STAFF}}

    @sample_for(StaffCluster)
    def _staff_cluster(code):
        return StaffCluster.objects.get(pk=SAMPLES[Cluster](code).pk)


_register_cluster_staff_changes()
