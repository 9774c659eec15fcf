from django.contrib import admin

from .models import County, Province


class CountyInline(admin.TabularInline):
    model = County
    extra = 0


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "iso_code", "name_fa", "name_en"]
    search_fields = ["code", "name_fa", "name_en"]
    inlines = [CountyInline]


@admin.register(County)
class CountyAdmin(admin.ModelAdmin):
    list_display = ["code", "name_fa", "name_en", "province"]
    list_filter = ["province"]
    search_fields = ["code", "name_fa", "name_en"]
