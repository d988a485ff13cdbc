"""Login: lockout, two-factor for those who need it (the Wagtail admin included), sessions."""

import time
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.accounts.roles import Role
from portal.accounts.two_factor import two_factor_required

from .factories import DepartmentFactory, HospitalFactory, KapUnitFactory, MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "korrekt-hest-batteri-42"


def login(client, email, password=PASSWORD, ip="10.0.0.1"):
    return client.post("/admin/login/", {"username": email, "password": password}, REMOTE_ADDR=ip)


def totp_now(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    return f"{totp.token():06d}"


@pytest.fixture
def editor():
    user = UserFactory(email="redaktoer@samspil.test")
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


# -- lockout -----------------------------------------------------------------------------------


def test_five_wrong_passwords_lock_the_user_from_that_ip_with_a_danish_explanation(client, editor):
    for _ in range(5):
        login(client, editor.email, "forkert-kodeord")
    response = login(client, editor.email)  # even the right password is refused now
    assert response.status_code == 429
    html = response.content.decode()
    assert "midlertidigt låst" in html and "15 minutter" in html
    from axes.models import AccessAttempt

    assert AccessAttempt.objects.filter(username=editor.email).exists()  # the lockout is logged


def test_the_lockout_is_per_user_and_ip(client, editor):
    for _ in range(5):
        login(client, editor.email, "forkert-kodeord", ip="10.0.0.1")
    assert login(client, editor.email, ip="10.0.0.2").status_code == 302  # another IP still works


# -- two-factor --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "org_factory", "required"),
    [
        (Role.GP, None, True),
        (Role.HOSPITAL_SPECIALIST, DepartmentFactory, True),
        (Role.MEDICAL_SECRETARY, DepartmentFactory, True),
        (Role.TRAINEE, DepartmentFactory, True),
        # Every role: coordinators plan named trainees' stays, consultants see practices' data.
        (Role.TRAINING_COORDINATOR, HospitalFactory, True),
        (Role.PRACTICE_CONSULTANT, KapUnitFactory, True),
    ],
)
def test_who_must_use_two_factor(role, org_factory, required):
    kwargs = {"organisation": org_factory()} if org_factory else {}
    membership = MembershipFactory(role=role, **kwargs)
    assert two_factor_required(membership.user) is required


def test_editors_and_superusers_must_use_two_factor(editor):
    assert two_factor_required(editor)
    assert two_factor_required(UserFactory(is_superuser=True, is_staff=True))
    assert not two_factor_required(UserFactory())


def test_the_wagtail_admin_requires_enrolment_then_works(client, editor):
    assert login(client, editor.email).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/konto/2fa/opret/")

    page = client.get("/konto/2fa/opret/")
    assert page.status_code == 200
    assert "<svg" in page.content.decode()  # the QR code
    device = TOTPDevice.objects.get(user=editor, confirmed=False)

    wrong = client.post("/konto/2fa/opret/", {"token": "000000"})
    assert "Koden er ikke rigtig" in wrong.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1  # django-otp slows down guessing
    device.throttle_reset()  # as if the user waited out the throttle

    done = client.post("/konto/2fa/opret/", {"token": totp_now(device), "next": "/admin/"})
    assert done.status_code == 200
    codes = done.context["codes"]
    assert len(codes) == 10
    assert client.get("/admin/").status_code == 200


def test_a_returning_user_must_verify_and_can_use_a_recovery_code_once(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    from portal.accounts.two_factor import recovery_codes_issue

    codes = recovery_codes_issue(user=editor)
    login(client, editor.email)
    assert client.get("/admin/")["Location"].startswith("/konto/2fa/bekraeft/")
    response = client.post("/konto/2fa/bekraeft/", {"token": codes[0], "next": "/admin/"})
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert StaticToken.objects.filter(device__user=editor).count() == 9

    client.logout()
    login(client, editor.email)
    reused = client.post("/konto/2fa/bekraeft/", {"token": codes[0]})
    assert reused.status_code == 200 and "Koden er ikke rigtig" in reused.content.decode()
    device.refresh_from_db()
    device.throttle_reset()
    assert client.post("/konto/2fa/bekraeft/", {"token": totp_now(device)}).status_code == 302


def test_verify_never_redirects_off_site(client, editor):
    device = TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    login(client, editor.email)
    response = client.post(
        "/konto/2fa/bekraeft/", {"token": totp_now(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == "/"


def test_hostile_token_input_is_a_form_error_not_a_500(client, editor):
    TOTPDevice.objects.create(user=editor, name="app", confirmed=True)
    login(client, editor.email)
    for token in ["", "x" * 10_000, "١٢٣٤٥٦", "\x00\x00", "' OR 1=1 --", "<script>"]:
        assert client.post("/konto/2fa/bekraeft/", {"token": token}).status_code == 200


def test_users_without_the_requirement_are_not_stopped(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get("/").status_code == 200


# -- sessions ------------------------------------------------------------------------------------


def test_login_rotates_the_session_key_and_logout_invalidates_it(client, editor):
    client.get("/")
    client.cookies["sessionid"] = "attacker-chosen-session-key"
    login(client, editor.email)
    key = client.cookies["sessionid"].value
    assert key != "attacker-chosen-session-key"
    client.post("/admin/logout/")
    from django.contrib.sessions.models import Session

    assert not Session.objects.filter(session_key=key).exists()


def test_idle_timeout_is_shorter_in_patient_areas(client, settings):
    settings.SESSION_IDLE_SECONDS = 3600
    settings.SESSION_IDLE_SECONDS_PATIENT_AREAS = 900
    user = UserFactory()
    client.force_login(user)
    start = time.time()
    client.get("/")
    with mock.patch("time.time", return_value=start + 1000):
        assert client.get("/").status_code == 200  # 16 minutes idle is fine outside patient areas
    with mock.patch("time.time", return_value=start + 2000):
        response = client.get("/korrespondance/")  # but not in a patient area
    assert response.status_code == 302 and "udloebet=1" in response["Location"]
    assert "_auth_user_id" not in client.session


def test_absolute_lifetime_ends_even_an_active_session(client, settings):
    settings.SESSION_COOKIE_AGE = 3600
    client.force_login(UserFactory())
    start = time.time()
    client.get("/")
    for minutes in range(10, 80, 10):  # active every 10 minutes, past the hour
        with mock.patch("time.time", return_value=start + minutes * 60):
            response = client.get("/")
    assert response.status_code == 302


def test_session_cookie_flags(client, editor):
    response = login(client, editor.email)
    cookie = response.cookies["sessionid"]
    assert cookie["httponly"] and cookie["samesite"] == "Lax"


def test_password_reset_mail_is_sent(client, editor):
    response = client.post("/admin/password_reset/", {"email": editor.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    assert "/admin/password_reset/confirm/" in mail.outbox[0].body


# -- a second factor or new recovery codes need the password again ------------------------------


@pytest.fixture
def verified_editor(client, editor):
    from tests.accounts.login import verified_login

    device = verified_login(client, editor)
    return editor, device


def test_adding_a_second_authenticator_asks_for_the_password(client, verified_editor):
    editor, _first = verified_editor
    page = client.get("/konto/2fa/opret/")
    assert page.status_code == 200 and 'type="password"' in page.content.decode()
    second = TOTPDevice.objects.get(user=editor, confirmed=False)

    without = client.post("/konto/2fa/opret/", {"token": totp_now(second)})
    assert without.status_code == 200 and "codes" not in without.context
    wrong = client.post("/konto/2fa/opret/", {"token": totp_now(second), "password": "gaet-igen"})
    assert "Adgangskoden er ikke rigtig" in wrong.content.decode()
    assert "gaet-igen" not in wrong.content.decode()  # never echoed back
    second.refresh_from_db()
    assert not second.confirmed

    second.throttle_reset()
    done = client.post("/konto/2fa/opret/", {"token": totp_now(second), "password": PASSWORD})
    assert done.status_code == 200 and len(done.context["codes"]) == 10
    assert TOTPDevice.objects.filter(user=editor, confirmed=True).count() == 2


def test_the_first_authenticator_needs_no_second_password(client, editor):
    assert login(client, editor.email).status_code == 302
    assert 'type="password"' not in client.get("/konto/2fa/opret/").content.decode()


def test_new_recovery_codes_ask_for_the_password(client, verified_editor):
    editor, _device = verified_editor
    from portal.accounts.two_factor import recovery_codes_issue

    old = recovery_codes_issue(user=editor)
    url = "/konto/2fa/gendannelseskoder/"
    assert client.get(url).status_code == 200
    wrong = client.post(url, {"password": "forkert"})
    assert wrong.status_code == 200 and "Adgangskoden er ikke rigtig" in wrong.content.decode()
    assert StaticToken.objects.filter(device__user=editor).count() == 10  # the old codes still stand
    done = client.post(url, {"password": PASSWORD})
    new = done.context["codes"]
    assert len(new) == 10 and not set(new) & set(old)


def test_wrong_passwords_here_count_towards_the_lockout(client, verified_editor, settings):
    from axes.models import AccessAttempt

    for _ in range(2):
        client.post("/konto/2fa/gendannelseskoder/", {"password": "forkert"})
    assert AccessAttempt.objects.filter(username=verified_editor[0].email).get().failures_since_start == 2


def test_the_idle_clock_is_saved_at_most_every_half_minute(client):
    """Writing the last-seen time on every request saved the session on every page view."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(UserFactory())
    start = time.time()
    with mock.patch("time.time", return_value=start):
        client.get("/")

    def session_writes(at: float) -> int:
        with mock.patch("time.time", return_value=at), CaptureQueriesContext(connection) as captured:
            assert client.get("/").status_code == 200
        return sum('UPDATE "django_session"' in q["sql"] for q in captured)

    assert session_writes(start + 10) == 0
    assert session_writes(start + 29) == 0
    assert session_writes(start + 31) == 1  # moved on: written
    assert client.session["samspil_last_seen"] == int(start + 31)


def test_activity_between_writes_still_keeps_the_session_alive(client, settings):
    settings.SESSION_IDLE_SECONDS = 600
    client.force_login(UserFactory())
    start = time.time()
    for seconds in range(0, 1800, 60):  # a page a minute for half an hour
        with mock.patch("time.time", return_value=start + seconds):
            assert client.get("/").status_code == 200
