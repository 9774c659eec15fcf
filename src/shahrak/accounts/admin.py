from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from .models import User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Contact"), {"fields": ("mobile",)}),
    )
    list_display = ["username", "first_name", "last_name", "mobile", "is_active", "is_staff"]
    search_fields = ["username", "first_name", "last_name", "mobile", "email"]
