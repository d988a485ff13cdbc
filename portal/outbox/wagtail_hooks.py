"""The outbox in the Wagtail admin: Settings → "Outgoing e-mails", read-only, superusers only.

What is waiting, how often it failed and why, so that an operator sees a mail server outage;
never the recipients' messages themselves (no inspect view, no body column). Nothing here
can add, change or delete a row: the outbox is written by ``services`` and ``delivery`` only.
https://docs.wagtail.org/en/stable/extending/generic_views.html#modelviewset
"""

from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies.base import BasePermissionPolicy
from wagtail.permissions import register_permission_policy

from .models import OutboxEmail


class SuperusersMayLook(BasePermissionPolicy):
    def user_has_permission(self, user, action):
        return action == "view" and user.is_active and user.is_superuser

    def users_with_any_permission(self, actions):
        from django.contrib.auth import get_user_model

        if "view" not in actions:
            return get_user_model().objects.none()
        return get_user_model().objects.filter(is_active=True, is_superuser=True)


class OutboxEmailViewSet(ModelViewSet):
    model = OutboxEmail
    icon = "mail"
    add_to_settings_menu = True
    copy_view_enabled = False
    inspect_view_enabled = False
    list_display = ["key", "status", "attempts", "next_attempt_at", "last_error", "created_at", "sent_at"]
    list_filter = ["status"]
    list_export = []
    ordering = ["-created_at"]
    # Required by ModelViewSet; the add and edit views it builds refuse everyone (SuperusersMayLook).
    form_fields = ["key"]


register_permission_policy(OutboxEmail, SuperusersMayLook(OutboxEmail))


@hooks.register("register_admin_viewset")
def register_outbox_viewset():
    return OutboxEmailViewSet("outbox")
