from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema
from rest_framework import viewsets
from rest_framework.response import Response
from rest_framework.views import APIView

from ..access import Declaration
from ..choices import Action
from ..models import AuditEntry, Membership, User
from ..policy import access_for
from .base import ScopedViewSetMixin
from .serializers import AuditEntrySerializer, UserSerializer


class MeView(APIView):
    """The signed-in user: who they are and where they may do what."""

    access = Declaration("signed_in")

    @extend_schema(responses={200: dict})
    def get(self, request):
        access = access_for(request.user)
        return Response(
            {
                "username": request.user.username,
                "full_name": request.user.get_full_name(),
                "superuser": access.superuser,
                "roles": [
                    {"role": role, "province": province}
                    for role, province in sorted(
                        request.user.memberships.filter(archived_at__isnull=True).values_list(
                            "role", "province__code"
                        ),
                        key=lambda pair: (pair[0], pair[1] or ""),
                    )
                ],
            }
        )


class UserViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = UserSerializer
    queryset = User.objects.prefetch_related(
        Prefetch("memberships", queryset=Membership.objects.select_related("province"))
    ).order_by("username")
    filterset_fields = ["is_active"]


class AuditEntryViewSet(ScopedViewSetMixin, viewsets.ReadOnlyModelViewSet):
    serializer_class = AuditEntrySerializer
    queryset = AuditEntry.objects.select_related("actor", "province", "content_type").order_by(
        "-timestamp"
    )
    filterset_fields = ["action", "object_pk"]
    view_action = Action.VIEW
