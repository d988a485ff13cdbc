"""The portal's own login page and logout: Danish, safe redirects, lockout and rate limit kept."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.roles import Role

from .factories import MembershipFactory, PracticeFactory, UserFactory
from .login import verified_login

pytestmark = pytest.mark.django_db
PASSWORD = "korrekt-hest-batteri-42"


@pytest.fixture
def gp():
    user = UserFactory(email="laege@praksis.test")
    user.set_password(PASSWORD)
    user.save()
    MembershipFactory(user=user, organisation=PracticeFactory(), role=Role.GP)
    return user


def post_login(client, email, password=PASSWORD, next_url=None, ip="10.0.0.1"):
    data = {"username": email, "password": password}
    if next_url is not None:
        data["next"] = next_url
    return client.post("/log-ind/", data, REMOTE_ADDR=ip)


def test_the_login_page_is_danish_and_has_labelled_fields(client):
    response = client.get("/log-ind/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Log ind i Samspil" in html
    assert '<label class="form-label" for="id_username">E-mailadresse</label>' in html
    assert '<label class="form-label" for="id_password">Adgangskode</label>' in html
    assert "MitID Erhverv" not in html  # OIDC is off here


@pytest.mark.urls("tests.accounts.oidc_urls")
def test_with_oidc_the_login_page_offers_mitid_erhverv_and_keeps_next(client, settings):
    settings.OIDC_ENABLED = True
    html = client.get("/log-ind/?next=/korrespondance/").content.decode()
    assert "Log ind med MitID Erhverv" in html
    assert 'href="/oidc/authenticate/?next=/korrespondance/"' in html


def test_a_wrong_password_is_a_danish_400_and_logs_nobody_in(client, gp):
    response = post_login(client, gp.email, "forkert-kodeord")
    assert response.status_code == 400
    assert "E-mailadressen eller adgangskoden er ikke rigtig" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_hostile_and_oversized_input_is_a_400(client, gp):
    assert post_login(client, "x" * 5000, "y" * 5000).status_code == 400
    assert post_login(client, "<script>alert(1)</script>", "").status_code == 400
    assert client.post("/log-ind/", {}).status_code == 400


def test_after_login_a_gp_goes_to_the_second_factor_then_to_her_overview(client, gp):
    response = post_login(client, gp.email)
    assert response.status_code == 302
    assert response["Location"] == reverse("overview")
    follow = client.get(response["Location"])
    assert follow["Location"].startswith("/konto/2fa/opret/?next=/overblik/")


def test_next_is_kept_but_never_to_another_site(client, gp):
    assert post_login(client, gp.email, next_url="/korrespondance/")["Location"] == "/korrespondance/"
    client.logout()
    assert post_login(client, gp.email, next_url="https://evil.example/")["Location"] == reverse("overview")


def test_a_logged_in_user_visiting_the_login_page_goes_to_the_overview(client, gp):
    verified_login(client, gp)
    response = client.get("/log-ind/")
    assert response.status_code == 302 and response["Location"] == reverse("overview")


def test_five_wrong_passwords_lock_the_portal_login_too(client, gp):
    for _ in range(5):
        post_login(client, gp.email, "forkert-kodeord")
    response = post_login(client, gp.email)
    assert response.status_code == 429
    assert "midlertidigt låst" in response.content.decode()


def test_the_login_rate_limit_counts_the_portal_and_the_admin_login_together(client, gp, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login": "3/5m"}
    for _ in range(2):
        post_login(client, "ukendt@samspil.test", "x")
    client.post("/admin/login/", {"username": "ukendt@samspil.test", "password": "x"}, REMOTE_ADDR="10.0.0.1")
    assert post_login(client, "ukendt@samspil.test", "x").status_code == 429


def test_an_expired_session_is_explained_on_the_login_page(client):
    assert (
        "Du blev logget ud, fordi du havde været inaktiv"
        in client.get("/log-ind/?udloebet=1").content.decode()
    )


def test_logout_is_post_only_and_says_so_in_danish(client, gp):
    verified_login(client, gp)
    assert client.get("/log-ud/").status_code == 405
    response = client.post("/log-ud/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["Du er logget ud."]


def test_logout_works_before_the_second_factor(client, gp):
    TOTPDevice.objects.create(user=gp, name="app", confirmed=True)
    client.force_login(gp)  # password given, code not yet
    response = client.post("/log-ud/")
    assert response.status_code == 302 and response["Location"] == "/"
    assert "_auth_user_id" not in client.session


def test_pages_behind_login_send_anonymous_visitors_to_the_portal_login(client):
    response = client.get("/overblik/")
    assert response.status_code == 302
    assert response["Location"] == "/log-ind/?next=/overblik/"


def test_the_wagtail_admin_sends_visitors_to_the_portal_login_and_editors_back(client):
    response = client.get("/admin/")
    assert response.status_code == 302 and response["Location"] == "/log-ind/?next=/admin/"


def test_a_clinician_sent_to_the_login_by_the_admin_lands_on_her_overview_not_in_a_loop(client, gp):
    verified_login(client, gp)
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == reverse("overview")
    assert "Kun redaktører og administratorer bruger redaktionen." in response.content.decode()


def test_an_oversized_e_mail_at_the_admin_login_is_counted_not_a_500(client, gp):
    # Wagtail's login form has no length check: the lockout must cope with what it is given.
    response = client.post("/admin/login/", {"username": "x" * 5000 + "@samspil.test", "password": "y"})
    assert response.status_code == 200  # Wagtail's "wrong e-mail or password", not a 500


def test_the_lockout_counts_a_name_cut_to_the_longest_e_mail():
    from django.test import RequestFactory

    from portal.accounts.lockout import lockout_username

    request = RequestFactory().post("/admin/login/", {"username": " X" * 3000})
    assert len(lockout_username(request)) == 254
    assert lockout_username(request, {"username": "Laege@Praksis.TEST "}) == "laege@praksis.test"
