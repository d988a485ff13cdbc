"""Who sees and runs audit rounds. Deny by default; views answer 404 otherwise, superusers too.

A round belongs to its cluster: the members of the cluster's practices see it. A GP of one of
those practices starts one; the GP who started it closes it. Registering is per practice and
checked in the service (``selectors.registrable_practices``).
"""

import rules

from . import selectors


@rules.predicate
def sees_round(user, audit_round) -> bool:
    return audit_round is not None and selectors.rounds_of(user).filter(pk=audit_round.pk).exists()


@rules.predicate
def may_start_in(user, cluster) -> bool:
    return cluster is not None and selectors.startable_clusters(user).filter(pk=cluster.pk).exists()


@rules.predicate
def started_it(user, audit_round) -> bool:
    return audit_round is not None and audit_round.started_by_id == user.pk


@rules.predicate
def registers_in(user, audit_round) -> bool:
    return audit_round is not None and selectors.registrable_practices(user, audit_round).exists()


active = rules.is_authenticated & rules.is_active
rules.add_perm("auditrounds.view_auditround", active & sees_round)
rules.add_perm("auditrounds.start_auditround", active & may_start_in)
rules.add_perm("auditrounds.register_auditround", active & sees_round & registers_in)
rules.add_perm("auditrounds.close_auditround", active & sees_round & started_it)
