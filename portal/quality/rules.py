"""Who sees a quality cluster. Deny by default; views answer 404 otherwise.

Only the members of the cluster's practices, superusers included: a cluster's figures are
colleagues' own data, shared among themselves.
"""

import rules

from .models import QualityCluster
from .selectors import is_member


@rules.predicate
def is_cluster_member(user, cluster: QualityCluster) -> bool:
    return cluster is not None and is_member(user, cluster)


rules.add_perm("quality.view_qualitycluster", rules.is_authenticated & rules.is_active & is_cluster_member)
