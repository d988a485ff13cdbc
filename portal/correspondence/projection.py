"""The inbox projection: ``InboxEntry`` rows rebuilt from a thread and its participants.

Called on every save of a thread or a participant (signals in ``apps.py``), so services,
the MedCom import, the admin and tests all keep it in step without knowing of it. Bulk
loads that bypass ``save()`` call ``inbox_entries_refresh`` themselves.
"""

from .models import InboxEntry, Participant, Side, Thread


def _entries(thread: Thread, participants) -> list[InboxEntry]:
    copied = {
        "thread_id": thread.pk,
        "status": thread.status,
        "awaiting": thread.awaiting,
        "assignee_id": thread.assignee_id,
        "recipient_organisation_id": thread.recipient_organisation_id,
        "due_at": thread.due_at,
        "last_message_at": thread.last_message_at,
        "closed_at": thread.closed_at,
    }
    entries = [
        InboxEntry(organisation_id=thread.sender_organisation_id, side=Side.SENDER, **copied),
        InboxEntry(organisation_id=thread.recipient_organisation_id, side=Side.RECIPIENT, **copied),
    ]
    entries += [InboxEntry(user_id=user_id, side=side, **copied) for user_id, side in participants]
    return entries


def inbox_entries_refresh(thread_ids) -> None:
    """Replace the entries of the threads ``thread_ids`` with fresh ones (a few rows each)."""
    thread_ids = list(thread_ids)
    if not thread_ids:
        return
    participants: dict[int, list] = {}
    for thread_id, user_id, side in Participant.objects.filter(thread_id__in=thread_ids).values_list(
        "thread_id", "user_id", "side"
    ):
        participants.setdefault(thread_id, []).append((user_id, side))
    InboxEntry.objects.filter(thread_id__in=thread_ids).delete()
    entries = []
    for thread in Thread.objects.filter(pk__in=thread_ids):
        entries += _entries(thread, participants.get(thread.pk, []))
    InboxEntry.objects.bulk_create(entries, batch_size=1000)


def _on_thread_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        inbox_entries_refresh([instance.pk])


def _on_participant_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        inbox_entries_refresh([instance.thread_id])
