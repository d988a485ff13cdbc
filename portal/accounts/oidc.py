"""Single sign-on through OpenID Connect (e.g. MitID Erhverv via a broker).

Switched on by ``OIDC_RP_CLIENT_ID`` (see settings). On top of
mozilla-django-oidc's code flow this backend refuses:

- an assurance level below "Substantial" (NSIS), read from the *signed* ID token;
- a private identity: only professional (employee) identities, which carry the
  organisation's CVR number, may log in to a portal with patient data.

Then it maps claims to the user (name, e-mail) and, when the token names a
known organisation (SOR code or provider number) and a role valid there, to a
membership. https://mozilla-django-oidc.readthedocs.io/
"""

import logging

from django.conf import settings
from django.core.exceptions import SuspiciousOperation, ValidationError
from django.db import transaction
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from .models import Membership, Organisation
from .roles import Role

logger = logging.getLogger(__name__)

ASSURANCE_LEVELS = {"low": 1, "substantial": 2, "high": 3}


def assurance_level(claims: dict) -> int:
    """0 when absent; values may be bare ("Substantial") or URIs ending in the level."""
    for name in settings.OIDC_LOA_CLAIMS:
        value = claims.get(name)
        if isinstance(value, str) and value:
            return ASSURANCE_LEVELS.get(value.rstrip("/").rsplit("/", 1)[-1].lower(), 0)
    return 0


def is_professional_identity(claims: dict) -> bool:
    cvr = claims.get(settings.OIDC_PROFESSIONAL_CLAIM)
    return isinstance(cvr, str | int) and str(cvr).isdigit() and len(str(cvr)) == 8


class LoginRefused(SuspiciousOperation):
    """mozilla-django-oidc turns this into a failed login (and logs the reason)."""


class SamspilOIDCBackend(OIDCAuthenticationBackend):
    def get_or_create_user(self, access_token, id_token, payload):
        # The assurance level and identity type must come from the signed ID token,
        # not from the userinfo endpoint alone.
        if assurance_level(payload) < ASSURANCE_LEVELS["substantial"]:
            raise LoginRefused("assurance level below substantial")
        if not is_professional_identity(payload):
            raise LoginRefused("not a professional (employee) identity")
        return super().get_or_create_user(access_token, id_token, payload)

    def get_userinfo(self, access_token, id_token, payload):
        # Claims in the verified ID token win over the userinfo response.
        return {**super().get_userinfo(access_token, id_token, payload), **payload}

    def verify_claims(self, claims):
        email = claims.get("email")
        return isinstance(email, str) and "@" in email

    def filter_users_by_claims(self, claims):
        return self.UserModel.objects.filter(email__iexact=claims["email"].strip())

    @transaction.atomic
    def create_user(self, claims):
        user = self.UserModel.objects.create_user(
            claims["email"].strip(),
            None,  # no local password: this person logs in through the identity broker
            first_name=str(claims.get("given_name") or "")[:150] or "-",
            last_name=str(claims.get("family_name") or "")[:150] or "-",
        )
        self._membership_from_claims(user, claims)
        return user

    @transaction.atomic
    def update_user(self, user, claims):
        changed = []
        for field, claim in (("first_name", "given_name"), ("last_name", "family_name")):
            value = str(claims.get(claim) or "")[:150]
            if value and getattr(user, field) != value:
                setattr(user, field, value)
                changed.append(field)
        if changed:
            user.save(update_fields=changed)
        self._membership_from_claims(user, claims)
        return user

    def _membership_from_claims(self, user, claims) -> Membership | None:
        organisation = None
        sor = str(claims.get(settings.OIDC_SOR_CLAIM) or "")
        yder = str(claims.get(settings.OIDC_YDER_CLAIM) or "")
        if sor:
            organisation = Organisation.objects.filter(sor_code=sor).first()
        if organisation is None and yder:
            organisation = Organisation.objects.filter(yder_number=yder).first()
        role = claims.get(settings.OIDC_ROLE_CLAIM)
        if organisation is None or role not in Role.values:
            return None
        membership = Membership.objects.filter(user=user, organisation=organisation, role=role).first()
        if membership:
            return membership
        membership = Membership(user=user, organisation=organisation, role=role)
        try:
            membership.full_clean()
        except ValidationError:
            logger.warning("OIDC role %s does not fit organisation kind %s", role, organisation.kind)
            return None
        membership.save()
        return membership
