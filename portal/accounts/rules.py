"""Object-level permissions with django-rules: deny by default, one predicate per idea.

Each login module adds its own ``rules.py`` with predicates such as "is a
participant of this thread"; these are the shared ones. Loaded by
``rules.apps.AutodiscoverRulesConfig``. https://github.com/dfunckt/django-rules
"""

import rules

from .roles import Role


@rules.predicate
def is_administrator(user) -> bool:
    if not user.is_authenticated:
        return False
    return user.is_superuser or user.memberships.filter(role=Role.ADMINISTRATOR).exists()


@rules.predicate
def is_member_of_organisation(user, organisation) -> bool:
    if not user.is_authenticated or organisation is None:
        return False
    return user.memberships.filter(organisation=organisation).exists()


@rules.predicate
def is_membership_colleague(user, membership) -> bool:
    """Colleagues in the same organisation may see who works there."""
    if membership is None:
        return False
    return is_member_of_organisation(user, membership.organisation)


@rules.predicate
def is_own_membership(user, membership) -> bool:
    return membership is not None and user.is_authenticated and membership.user_id == user.pk


rules.add_perm("accounts.view_organisation", rules.is_authenticated)
rules.add_perm("accounts.change_organisation", is_administrator)
rules.add_perm("accounts.view_membership", is_administrator | is_own_membership | is_membership_colleague)
rules.add_perm("accounts.change_membership", is_administrator)
