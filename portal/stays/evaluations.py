"""Writes of the evaluations after a stay: the trainee's of the practice, the supervising GP's of
the stay against its learning objectives.

Each side gives one evaluation; giving it again changes it, until ``EVALUATION_WINDOW_DAYS``
after the stay ended (the rules say when and by whom). The supervisor scores every learning
objective the trainee chose for the stay, no more and no fewer, so that the averages per
objective compare like with like.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.models import User

from . import report_cache
from .models import SCORE_MAX, SCORE_MIN, Assignment, ObjectiveScore, StayEvaluation

PERMISSION = {
    StayEvaluation.Direction.OF_PRACTICE: "stays.evaluate_practice",
    StayEvaluation.Direction.OF_STAY: "stays.evaluate_stay",
}


def _check_score(value, field: str) -> int:
    if not isinstance(value, int) or not SCORE_MIN <= value <= SCORE_MAX:
        raise ValidationError({field: _("Choose a score from 1 to 5.")})
    return value


@transaction.atomic
def evaluation_give(
    *,
    actor: User,
    assignment: Assignment,
    direction: str,
    score: int,
    comment: str = "",
    objective_scores: dict[int, int] | None = None,
) -> StayEvaluation:
    """Give or change one side's evaluation. ``objective_scores`` maps the pk of each of the
    stay's learning objectives to its score (the supervisor's evaluation only)."""
    assignment = Assignment.objects.select_for_update().select_related("need", "offer").get(pk=assignment.pk)
    perm = PERMISSION.get(direction)
    if perm is None or not actor.has_perm(perm, assignment):
        raise PermissionDenied
    _check_score(score, "score")
    objective_scores = objective_scores or {}
    if direction == StayEvaluation.Direction.OF_STAY:
        wanted = set(assignment.need.objectives.values_list("pk", flat=True))
        if set(objective_scores) != wanted:
            raise ValidationError(_("Score every learning objective of the stay."))
        for value in objective_scores.values():
            _check_score(value, "objectives")
    elif objective_scores:
        raise ValidationError(_("Only the supervising GP scores the learning objectives."))
    evaluation = StayEvaluation.objects.filter(assignment=assignment, direction=direction).first()
    if evaluation is None:
        evaluation = StayEvaluation(assignment=assignment, direction=direction, author=actor)
    elif evaluation.author_id != actor.pk:
        raise PermissionDenied  # the supervisor changed since: the evaluation stays its author's
    evaluation.score, evaluation.comment = score, comment.strip()
    evaluation.full_clean(exclude=["assignment", "author"])
    evaluation.save()
    evaluation.objective_scores.all().delete()
    ObjectiveScore.objects.bulk_create(
        ObjectiveScore(evaluation=evaluation, objective_id=pk, score=value)
        for pk, value in objective_scores.items()
    )
    report_cache.forget()  # bulk_create sends no signal
    return evaluation
