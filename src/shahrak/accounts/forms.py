from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from shahrak.core.forms import (
    CHOOSE,
    PersianCharField,
    SearchableModelChoiceField,
    VersionField,
    prompted,
)
from shahrak.core.validators import validate_mobile
from shahrak.places.models import Province

from .access import provinces_for
from .choices import Action, Role
from .policy import NATIONAL_ROLES, OBJECT_ROLES, ROLES_A_MANAGER_GRANTS, access_for
from .scoping import OBJECT_LINKS


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Username or mobile number"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "dir": "ltr"}),
    )
    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The username (or mobile number) or the password is wrong."),
    }


def managed_provinces(actor):
    """Provinces in which the actor may manage users (for choice lists)."""
    return provinces_for(actor, Action.MANAGE_USERS)


def grantable_roles(actor):
    roles = Role if access_for(actor).superuser else ROLES_A_MANAGER_GRANTS
    return [(role.value, role.label) for role in roles]


PROVINCE_NEEDED = _("Choose the province in which this role holds.")
NATIONAL_WITH_PROVINCE = _("A national role holds in every province: leave the province empty.")


class RoleForm(forms.Form):
    """A role and where it holds. Nothing is preselected but the one province a provincial
    manager manages; only a system administrator may leave the province empty, and only for
    a national role (which holds in every province)."""

    role = forms.ChoiceField(label=_("Role"))
    province = forms.ModelChoiceField(label=_("Province"), queryset=Province.objects.none())

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = prompted(grantable_roles(actor))
        provinces = managed_provinces(actor)
        field = self.fields["province"]
        field.queryset = provinces
        if access_for(actor).superuser:
            field.required = False
            field.empty_label = _("The whole country (national roles only)")
        elif len(provinces) == 1:  # a provincial manager: their own province, and only it
            field.initial = provinces[0].pk
            field.empty_label = None
        else:
            field.empty_label = CHOOSE

    def clean(self):
        data = super().clean()
        role, province = data.get("role"), data.get("province")
        if not role or "province" in self.errors:
            return data
        if role in NATIONAL_ROLES and province is not None:
            self.add_error("province", NATIONAL_WITH_PROVINCE)
        elif role not in NATIONAL_ROLES and province is None:
            self.add_error("province", PROVINCE_NEEDED)
        return data


class PersonForm(forms.Form):
    """What a manager enters about a person."""

    first_name = PersianCharField(label=_("First name"), max_length=150)
    last_name = PersianCharField(label=_("Last name"), max_length=150)
    mobile = forms.CharField(
        label=_("Mobile number"), required=False, validators=[validate_mobile], max_length=20
    )
    email = forms.EmailField(label=_("Email"), required=False)


class InviteForm(PersonForm, RoleForm):
    """A new person with a role; a role that reaches records through objects of its own (a
    unit representative: their unit) names the object, among those the inviter may link."""

    username = forms.SlugField(label=_("Username"), max_length=150)
    field_order = ["username", "first_name", "last_name", "mobile", "email", "role", "province"]

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, actor=actor, **kwargs)
        self.fields["email"].help_text = _(
            "The invitation with a link to set a password is sent here."
        )
        grantable = {value for value, _label in self.fields["role"].choices}
        # role → the field naming its object ("unit"), for the roles whose app registered one
        self.object_fields = {
            role: kind
            for role, kind in OBJECT_ROLES.items()
            if role in grantable and kind in OBJECT_LINKS
        }
        for role, kind in self.object_fields.items():
            link = OBJECT_LINKS[kind]
            # Among a province's many units: typed, with suggestions, in their natural order.
            self.fields[kind] = SearchableModelChoiceField(
                label=link.label,
                queryset=link.offered(actor),
                required=False,
                empty_label=None,
                help_text=_("Required for the role “%(role)s”: type part of its name and "
                            "choose it among the suggestions.") % {"role": Role(role).label},
                widget=SearchableModelChoiceField.widget(
                    attrs={"placeholder": _("Type part of the name…")}
                ),
            )  # fmt: skip

    def clean(self):
        data = super().clean()
        named = {kind: data.pop(kind, None) for kind in self.object_fields.values()}
        kind = self.object_fields.get(data.get("role"))
        data["linked"] = None
        if kind is None:
            return data
        linked, link = named[kind], OBJECT_LINKS[kind]
        if linked is None:
            self.add_error(kind, link.missing)
        elif data.get("province") is None:
            self.add_error("province", _("Choose the province."))
        elif link.province_id(linked) != data["province"].pk:
            self.add_error(kind, _("It is not in the chosen province."))
        else:
            data["linked"] = linked
        return data


class UserEditForm(PersonForm):
    # The version the user started editing from: a later save by someone else is detected.
    version = VersionField()


class UserFilterForm(forms.Form):
    q = PersianCharField(label=_("Search"), required=False)
    role = forms.ChoiceField(label=_("Role"), required=False)
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), ("active", _("Active")), ("inactive", _("Deactivated"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("All")), *Role.choices]
