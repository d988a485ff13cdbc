"""The report's region-wide figures kept in the cache until anything about stays changes.

A coordinator's report reads the whole region's year: the practices it lists and six grouped
queries whose answer changes only when a stay, an evaluation, an offered period, a specialty or
a practice's name does, while the page is read far more often. So the region-wide part is kept
under a *revision* that every such write moves (``forget``): a write never waits for a
recomputation, and a read after it never sees the old figures.

- Any save or delete of a model of the stays app (learning objectives included), a specialty or
  an organisation (a practice's name) moves the revision (``connect``, from the app's ``ready``).
  Bulk writes and ``QuerySet.update`` send no signal, so the services that use them end with a
  save that does (publishing saves the run), or call ``forget`` themselves (an evaluation's
  learning-objective scores).
- The revision moves at once and again when the transaction commits: a report read in between
  may have been computed from the data before the commit, and is not reused after it.
- A revision is a fresh ``time.time_ns()``, never a counter: if the cache drops it, the next one
  differs from every revision stored before.
- With several worker processes the cache must be shared (the database cache, as the rate limits
  already require; see settings.production); then every process sees the same revision.
"""

import time
from collections.abc import Callable

from django.core.cache import cache
from django.db import transaction

REVISION_KEY = "stays:report-revision"
KEEP_SECONDS = 24 * 60 * 60


def revision() -> int:
    value = cache.get(REVISION_KEY)
    if value is None:
        cache.add(REVISION_KEY, time.time_ns(), timeout=None)
        value = cache.get(REVISION_KEY)
    return value


def forget() -> None:
    """Move the revision: every kept report is recomputed at its next read."""
    cache.set(REVISION_KEY, time.time_ns(), timeout=None)
    transaction.on_commit(lambda: cache.set(REVISION_KEY, time.time_ns(), timeout=None))


def kept(key: str, compute: Callable[[], object]):
    """``compute()``, or what it gave at this revision before."""
    full_key = f"stays:report:{revision()}:{key}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, timeout=KEEP_SECONDS)
    return value


def _on_write(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures
        return
    forget()


def connect() -> None:
    from django.apps import apps
    from django.db.models.signals import post_delete, post_save

    from portal.accounts.models import Organisation, Specialty

    for model in [*apps.get_app_config("stays").get_models(), Specialty, Organisation]:
        post_save.connect(_on_write, sender=model, dispatch_uid=f"stays_report_{model._meta.label}")
        post_delete.connect(_on_write, sender=model, dispatch_uid=f"stays_report_{model._meta.label}")
