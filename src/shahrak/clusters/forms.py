from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from shahrak.accounts.access import provinces_for
from shahrak.accounts.choices import Action, Role
from shahrak.core.forms import (
    NO_CHOICE,
    JalaliDateField,
    MillionTomanField,
    PersianCharField,
    SearchableModelChoiceField,
    ShahrakModelForm,
    VersionField,
    prompted,
)
from shahrak.core.jalali import jalali_year_of
from shahrak.places.models import Province
from shahrak.support.forms import YearInput

from .choices import ActionCategory, ActionStatus, AssociateRole, PlanStage
from .models import ActionPlan, Cluster, Membership
from .services import STAFF


def kept_provinces(user):
    """The provinces whose clusters `user` registers (their staff)."""
    return provinces_for(user, Action.CHANGE, STAFF)


def agents_of(provinces):
    """Users holding the cluster-agent role in these provinces."""
    return (
        get_user_model()
        .objects.filter(
            memberships__role=Role.CLUSTER_AGENT,
            memberships__province__in=provinces,
            memberships__archived_at__isnull=True,
            is_active=True,
        )
        .distinct()
        .order_by("last_name", "first_name", "username")
    )


class AgentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.get_full_name() or obj.username


def _no_constraint_check(exclude=None) -> None:
    return None


class ServiceCheckedForm(ShahrakModelForm):
    """A model form whose record's database constraints the services check, and refuse in
    words on the field they name (services.py): the form leaves them to the services, where
    Django's model form would show «Constraint "…" is violated.» before they are reached."""

    def _post_clean(self):
        self.instance.validate_constraints = _no_constraint_check
        try:
            super()._post_clean()
        finally:
            del self.instance.validate_constraints


class ClusterForm(ServiceCheckedForm):
    """A cluster: its product, where it is (centre and radius) and its development agent."""

    version = VersionField(required=False)
    agent = AgentChoiceField(
        label=_("development agent"), queryset=Province.objects.none(), required=False
    )

    class Meta:
        model = Cluster
        fields = ["name", "province", "isic_code", "product", "centre_latitude",
                  "centre_longitude", "radius_km", "agent", "note"]  # fmt: skip

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["agent"].empty_label = NO_CHOICE
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
            del self.fields["province"]  # where a cluster is registered is fixed
            staff = kept_provinces(actor).filter(pk=self.instance.province_id)
            if staff.exists():
                self.fields["agent"].queryset = agents_of(staff)
            else:  # the agent themself: the staff name the agent
                del self.fields["agent"]
        else:
            provinces = kept_provinces(actor)
            self.fields["province"].queryset = provinces
            self.fields["agent"].queryset = agents_of(provinces)
            choices = list(provinces[:2])
            if len(choices) == 1:
                self.fields["province"].initial = choices[0]
            self.fields["radius_km"].initial = 100

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}


def units_to_add(actor, cluster: Cluster):
    """Units the actor may see, of the cluster's class, not already current members."""
    from shahrak.units.models import Unit

    current = Membership.objects.filter(
        cluster=cluster, left_on__isnull=True, archived_at__isnull=True
    ).values("unit")
    return (
        Unit.objects.restrict(actor, Action.VIEW)
        .active()
        .filter(isic_code=cluster.isic_code)
        .exclude(pk__in=current)
        .order_by("sort_key", "pk")
    )


class MemberForm(forms.Form):
    unit = SearchableModelChoiceField(
        label=_("unit"),
        queryset=Province.objects.none(),
        help_text=_("A unit of the cluster's ISIC class, within its radius of the centre."),
    )
    joined_on = JalaliDateField(label=_("joined on"))

    def __init__(self, *args, actor, cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = units_to_add(actor, cluster)
        self.fields["joined_on"].initial = timezone.localdate()


class LeaveForm(forms.Form):
    left_on = JalaliDateField(label=_("left on"))


class AssociateForm(forms.Form):
    name = PersianCharField(label=_("name"), max_length=200)
    role = forms.ChoiceField(label=_("role"), choices=prompted(AssociateRole.choices))
    note = PersianCharField(label=_("note"), max_length=500, required=False)


class PlanStartForm(forms.Form):
    started_on = JalaliDateField(label=_("identified on"))
    note = PersianCharField(label=_("note"), max_length=1000, required=False)


class StepForm(forms.Form):
    """The plan's next stage: its date, and what that stage needs (the study's document, the
    receiving association)."""

    stage = forms.ChoiceField(widget=forms.HiddenInput, choices=PlanStage.choices)
    on = JalaliDateField(label=_("date"))
    note = PersianCharField(label=_("note"), max_length=1000, required=False)
    document = forms.FileField(
        label=_("diagnostic study"),
        required=False,
        help_text=_("A PDF, PNG or JPEG file of at most 5 MB."),
    )
    association_name = PersianCharField(
        label=_("receiving association"), max_length=200, required=False
    )
    association_registration_no = PersianCharField(
        label=_("association's registration number"), max_length=50, required=False
    )

    def __init__(self, *args, stage=None, **kwargs):
        super().__init__(*args, **kwargs)
        stage = stage or self.data.get("stage")
        if stage:
            self.fields["stage"].initial = stage
        if stage != PlanStage.DIAGNOSTIC:
            del self.fields["document"]
        if stage != PlanStage.HANDOVER:
            del self.fields["association_name"]
            del self.fields["association_registration_no"]
        else:
            self.fields["association_name"].required = True
            self.fields["association_registration_no"].required = True


class StudyForm(forms.Form):
    document = forms.FileField(
        label=_("diagnostic study"), help_text=_("A PDF, PNG or JPEG file of at most 5 MB.")
    )


def applications_for(actor, cluster: Cluster):
    """Support applications the actor may see, of the cluster's members."""
    from shahrak.support.models import Application

    members = Membership.objects.filter(cluster=cluster, archived_at__isnull=True).values("unit")
    return (
        Application.objects.restrict(actor, Action.VIEW)
        .filter(unit__in=members)
        .select_related("unit", "program")
        .order_by("-pk")
    )


class ApplicationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.pk} — {obj.unit.name} — {obj.program.title}"


class ActionPlanForm(ServiceCheckedForm):
    version = VersionField(required=False)
    year = forms.IntegerField(
        label=_("Jalali year"), min_value=1380, max_value=1500, widget=YearInput
    )
    cost_rial = MillionTomanField(label=_("cost"))
    subsidy_rial = MillionTomanField(label=_("subsidy"), required=False)
    application = ApplicationChoiceField(
        label=_("support application paying the subsidy"),
        queryset=Province.objects.none(),
        required=False,
    )

    class Meta:
        model = ActionPlan
        fields = ["year", "title", "category", "status", "starts_on", "ends_on", "cost_rial",
                  "subsidy_rial", "application"]  # fmt: skip

    def __init__(self, *args, actor, cluster, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["application"].queryset = applications_for(actor, cluster)
        self.fields["application"].empty_label = NO_CHOICE
        self.fields["category"].choices = prompted(ActionCategory.choices)
        self.fields["status"].choices = prompted(ActionStatus.choices)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            self.fields["version"].required = True
        else:
            self.fields["year"].initial = jalali_year_of(timezone.localdate())

    def clean_subsidy_rial(self):
        return self.cleaned_data.get("subsidy_rial") or 0

    def changed_values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.fields if name != "version"}
