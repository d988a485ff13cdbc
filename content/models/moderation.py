"""The moderation task of the knowledge base: the two-person rule.

A guideline is clinical advice; the person who wrote a change must not be the one who approves
it. Wagtail's group approval lets any member of the chosen groups approve, the requester
included; this task type is the same, except that the one who submitted sees no approve action
and is refused if she posts one anyway. See
https://docs.wagtail.org/en/stable/extending/custom_tasks.html
"""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail.models import AbstractGroupApprovalTask


def _requested_by_id(obj) -> int | None:
    state = getattr(obj, "current_workflow_state", None)
    return state.requested_by_id if state is not None else None


class TwoPersonApprovalTask(AbstractGroupApprovalTask):
    """Group approval where the requester cannot approve her own submission."""

    def get_actions(self, obj, user):
        actions = super().get_actions(obj, user)
        if user.pk is not None and _requested_by_id(obj) == user.pk:
            # She may still withdraw it ("cancel workflow" in the editor), not judge it.
            return [action for action in actions if action[0] != "approve"]
        return actions

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve" and task_state.workflow_state.requested_by_id == user.pk:
            raise PermissionDenied(gettext("You cannot approve your own submission: another editor must."))
        return super().on_action(task_state, user, action_name, **kwargs)

    def get_task_states_user_can_moderate(self, user, **kwargs):
        # "Awaiting your review" does not list what she submitted herself.
        states = super().get_task_states_user_can_moderate(user, **kwargs)
        return states.exclude(workflow_state__requested_by=user) if user.pk else states

    @classmethod
    def get_description(cls):
        return _("Members of the chosen groups approve, but never their own submission")

    class Meta:
        verbose_name = _("two-person approval task")
        verbose_name_plural = _("two-person approval tasks")


def needs_second_person(page) -> bool:
    """Whether publishing this page waits for another editor's approval: its workflow (its own or
    its nearest ancestor's) has an active two-person step. Then nobody publishes it directly, not
    even an editor with publish permission or a superuser; Wagtail offers them "Publish" next to
    "Submit", which would skip the rule."""
    workflow = page.get_workflow() if page is not None else None
    if workflow is None:
        return False
    return TwoPersonApprovalTask.objects.filter(workflow_tasks__workflow=workflow, active=True).exists()
