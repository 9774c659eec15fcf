from django.db.models import Count
from django.shortcuts import get_object_or_404, render

from shahrak.accounts.access import signed_in
from shahrak.core.text import fa_sort_key

from .models import Province


# Provinces and counties are reference data: every signed-in user reads all of them.
@signed_in
def province_list(request):
    provinces = sorted(
        Province.objects.annotate(county_count=Count("counties")), key=lambda p: fa_sort_key(p.name)
    )
    return render(request, "places/province_list.html", {"provinces": provinces})


@signed_in(model=Province, lookup="code")
def province_detail(request, code):
    province = get_object_or_404(Province, code=code)
    counties = sorted(province.counties.all(), key=lambda c: fa_sort_key(c.name))
    return render(
        request, "places/province_detail.html", {"province": province, "counties": counties}
    )
