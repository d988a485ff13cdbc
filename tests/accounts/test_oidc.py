"""OpenID Connect login with ID tokens signed here: assurance level, identity type, claim mapping."""

import time
from unittest import mock

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY
from django.core.exceptions import SuspiciousOperation
from django.test import RequestFactory, override_settings
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from portal.accounts.models import Membership
from portal.accounts.oidc import SamspilOIDCBackend
from portal.accounts.roles import Role

from .factories import MembershipFactory, PracticeFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
OTHER_KEY = rsa.generate_private_key(public_exponent=65537, key_size=2048)
PUBLIC_PEM = (
    KEY.public_key()
    .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    .decode()
)
LOA = "https://data.gov.dk/concept/core/nsis/loa"
CVR = "https://data.gov.dk/model/core/eid/professional/cvr"

OIDC_SETTINGS = {
    "OIDC_RP_CLIENT_ID": "samspil",
    "OIDC_RP_CLIENT_SECRET": "hemmelig",
    "OIDC_OP_TOKEN_ENDPOINT": "https://broker.test/token",
    "OIDC_OP_USER_ENDPOINT": "https://broker.test/userinfo",
    "OIDC_OP_AUTHORIZATION_ENDPOINT": "https://broker.test/authorize",
    "OIDC_RP_SIGN_ALGO": "RS256",
    "OIDC_RP_IDP_SIGN_KEY": PUBLIC_PEM,
    "ROOT_URLCONF": "tests.accounts.oidc_urls",
}


def id_token(key=KEY, **claims):
    now = int(time.time())
    base = {"iss": "https://broker.test", "aud": "samspil", "iat": now, "exp": now + 300, "nonce": "n-1",
            "sub": "abc", "email": "eva.berg@praksis.test", "given_name": "Eva", "family_name": "Berg",
            LOA: "Substantial", CVR: "12345678"}  # fmt: skip
    base.update(claims)
    return jwt.encode({k: v for k, v in base.items() if v is not None}, key, algorithm="RS256")


def authenticate(token):
    request = RequestFactory().get("/oidc/callback/", {"code": "c", "state": "s"})
    request.session = {}
    with override_settings(**OIDC_SETTINGS):
        backend = SamspilOIDCBackend()
        with (
            mock.patch.object(backend, "get_token", return_value={"id_token": token, "access_token": "a"}),
            mock.patch.object(OIDCAuthenticationBackend, "get_userinfo", return_value={}),
        ):
            return backend.authenticate(request, nonce="n-1")


def test_a_substantial_professional_login_creates_the_user_and_membership():
    practice = PracticeFactory(yder_number="041230")
    user = authenticate(id_token(ydernummer="041230", samspil_role="gp"))
    assert user is not None
    assert (user.email, user.first_name, user.last_name) == ("eva.berg@praksis.test", "Eva", "Berg")
    assert not user.has_usable_password()
    assert Membership.objects.filter(user=user, organisation=practice, role=Role.GP).exists()


@pytest.mark.parametrize("loa", ["High", "https://data.gov.dk/concept/core/nsis/loa/High", "substantial"])
def test_substantial_or_high_assurance_is_accepted(loa):
    assert authenticate(id_token(**{LOA: loa})) is not None


@pytest.mark.parametrize("loa", ["Low", None, "", "Very high indeed"])
def test_assurance_below_substantial_is_refused(loa):
    assert authenticate(id_token(**{LOA: loa})) is None


@pytest.mark.parametrize("cvr", [None, "", "1234", "abcdefgh"])
def test_a_private_identity_is_refused(cvr):
    assert authenticate(id_token(**{CVR: cvr})) is None


def test_loa_in_userinfo_alone_does_not_count():
    token = id_token(**{LOA: "Low"})
    request = RequestFactory().get("/oidc/callback/", {"code": "c", "state": "s"})
    request.session = {}
    with override_settings(**OIDC_SETTINGS):
        backend = SamspilOIDCBackend()
        with (
            mock.patch.object(backend, "get_token", return_value={"id_token": token, "access_token": "a"}),
            mock.patch.object(OIDCAuthenticationBackend, "get_userinfo", return_value={LOA: "High"}),
        ):
            assert backend.authenticate(request, nonce="n-1") is None


def test_a_token_signed_with_another_key_is_refused():
    with pytest.raises(SuspiciousOperation, match="JWS token verification failed"):
        authenticate(id_token(key=OTHER_KEY))


def test_an_existing_user_is_matched_by_email_and_updated():
    existing = UserFactory(email="eva.berg@praksis.test", first_name="E", last_name="B")
    user = authenticate(id_token())
    assert user == existing
    existing.refresh_from_db()
    assert (existing.first_name, existing.last_name) == ("Eva", "Berg")


def test_a_role_that_does_not_fit_the_organisation_gives_no_membership():
    PracticeFactory(yder_number="041230")
    user = authenticate(id_token(ydernummer="041230", samspil_role="hospital_specialist"))
    assert user is not None
    assert not Membership.objects.filter(user=user).exists()


def test_an_oidc_login_counts_as_two_factor(client):
    membership = MembershipFactory(role=Role.GP)
    client.force_login(membership.user, backend="portal.accounts.oidc.SamspilOIDCBackend")
    session = client.session
    assert session[BACKEND_SESSION_KEY] == "portal.accounts.oidc.SamspilOIDCBackend"
    assert session[SESSION_KEY]
    assert client.get("/").status_code == 200
    client.force_login(membership.user, backend="django.contrib.auth.backends.ModelBackend")
    assert client.get("/")["Location"].startswith("/konto/2fa/")
