"""Who sees registrations. A person sees her own; a meeting's organisers see its list and
record attendance. Nobody else, superusers included (portal/accounts/models.py)."""

import rules


@rules.predicate
def is_organiser(user, event) -> bool:
    if event is None or not user.is_authenticated:
        return False
    # The through table, not ``event.organisers``: on a page instance that is modelcluster's
    # in-memory relation, which knows the unsaved form's list, not the published one.
    through = type(event).organisers.through
    return through.objects.filter(eventpage_id=event.pk, user_id=user.pk).exists()


rules.add_perm("events.register", rules.is_authenticated & rules.is_active)
rules.add_perm("events.view_attendance", rules.is_authenticated & is_organiser)
