"""The one rule for showing figures about few people: below the minimum group size, show nothing.

Cluster and area figures are aggregates; a group smaller than this could point at a single
practice, doctor or patient, so views show "for få" instead of the number. Per-practice figures
are shown only to that practice's own members (``portal.quality.rules``).
"""

from django.conf import settings


def min_group_size() -> int:
    return settings.QUALITY_MIN_GROUP_SIZE


def is_reportable(count: int | None) -> bool:
    """Whether an aggregate over ``count`` units (practices, cases, answers) may be shown."""
    return count is not None and count >= min_group_size()
