"""The one way login modules fetch an object for a user: 404 unless the rules allow it.

404, not 403, so that ids outside a user's reach do not reveal that they exist.
"""

from django.http import Http404
from django.shortcuts import get_object_or_404


def object_for_user_or_404(*, user, perm: str, queryset, **lookup):
    obj = get_object_or_404(queryset, **lookup)
    if not user.has_perm(perm, obj):
        raise Http404
    return obj


class ObjectPermissionRequiredMixin:
    """For class-based detail views: ``permission_required`` checked on the object."""

    permission_required: str = ""

    def get_object(self, queryset=None):
        obj = super().get_object(queryset)
        if not self.permission_required or not self.request.user.has_perm(self.permission_required, obj):
            raise Http404
        return obj
