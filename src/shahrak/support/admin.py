from django.contrib import admin

from .models import ServiceKind


@admin.register(ServiceKind)
class ServiceKindAdmin(admin.ModelAdmin):
    """The managed list of service kinds: the system administrators add kinds (and archive
    none from here: a kind in use is protected by its records)."""

    list_display = ["code", "name", "mobile_clinic", "position"]
    search_fields = ["code", "name"]
    ordering = ["position", "name"]
