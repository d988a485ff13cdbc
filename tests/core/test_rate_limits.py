"""Login, password reset and search answer 429 with Retry-After once a client is over its limit."""

import subprocess
import sys

import pytest
from django.core.cache import cache
from django.test import RequestFactory

from portal.core import ratelimit
from portal.core.ratelimit import Rate, client_ip, parse_rate

pytestmark = pytest.mark.django_db

START = 3_600_000.0  # a window boundary for every period used here (minute, 5 minutes, hour)


class FakeClock:
    def __init__(self, now: float = START):
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch):
    fake = FakeClock()
    monkeypatch.setattr(ratelimit, "_clock", fake)
    return fake


@pytest.fixture
def limits(settings, clock):
    # The test settings switch limits off; here they are on, and small.
    settings.RATE_LIMITS = {"login": "3/5m", "login_ip": "20/5m", "password_reset": "2/1h", "search": "5/1m"}
    cache.clear()
    yield settings.RATE_LIMITS
    cache.clear()


def search(client, ip="10.0.0.1"):
    return client.get("/soeg/", {"q": "feber"}, REMOTE_ADDR=ip)


def login(client, username="laege@samspil.test", ip="10.0.0.1"):
    return client.post("/admin/login/", {"username": username, "password": "forkert"}, REMOTE_ADDR=ip)


def test_search_answers_429_with_retry_after_over_the_limit(client, limits, clock):
    clock.now = START + 15
    for _ in range(5):
        assert search(client).status_code == 200
    response = search(client)
    assert response.status_code == 429
    assert response["Retry-After"] == "45"  # the rest of the one-minute window
    html = response.content.decode()
    assert '<html lang="da">' in html
    assert "For mange forespørgsler" in html


def test_another_ip_is_not_limited_by_the_first(client, limits):
    for _ in range(6):
        search(client, ip="10.0.0.1")
    assert search(client, ip="10.0.0.1").status_code == 429
    assert search(client, ip="10.0.0.2").status_code == 200


def test_the_limit_resets_with_the_next_window(client, limits, clock):
    for _ in range(6):
        search(client)
    assert search(client).status_code == 429
    clock.now += 60
    assert search(client).status_code == 200


def test_login_is_limited_per_ip_and_e_mail(client, limits):
    for _ in range(3):
        assert login(client).status_code == 200  # the form again, with an error
    response = login(client)
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 300
    # Another e-mail from the same address, and the same e-mail from another address, still get through.
    assert login(client, username="speciallaege@samspil.test").status_code == 200
    assert login(client, ip="10.0.0.9").status_code == 200


def test_the_e_mail_is_compared_without_case_or_spaces(client, limits):
    for username in ("laege@samspil.test", "LAEGE@samspil.test", " laege@samspil.test "):
        login(client, username=username)
    assert login(client).status_code == 429


def test_login_is_limited_per_ip_across_e_mails(client, settings, limits):
    settings.RATE_LIMITS = {**limits, "login_ip": "4/5m"}
    for n in range(4):
        assert login(client, username=f"bruger{n}@samspil.test").status_code == 200
    assert login(client, username="endnu.en@samspil.test").status_code == 429


def test_showing_the_login_form_is_not_limited(client, limits):
    for _ in range(10):
        assert client.get("/admin/login/", REMOTE_ADDR="10.0.0.1").status_code == 200


def test_password_reset_is_limited_per_ip(client, limits):
    for _ in range(2):
        response = client.post(
            "/admin/password_reset/", {"email": "laege@samspil.test"}, REMOTE_ADDR="10.0.0.1"
        )
        assert response.status_code == 302
    response = client.post("/admin/password_reset/", {"email": "x@samspil.test"}, REMOTE_ADDR="10.0.0.1")
    assert response.status_code == 429
    assert int(response["Retry-After"]) == 3600


def test_no_limits_configured_means_no_limits(client, settings, clock):
    settings.RATE_LIMITS = {}
    cache.clear()
    for _ in range(100):
        assert search(client).status_code == 200


def test_the_429_page_carries_the_security_headers(client, limits):
    for _ in range(6):
        response = search(client)
    assert response.status_code == 429
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize(
    ("text", "rate"),
    [("10/5m", Rate(10, 300)), ("60/m", Rate(60, 60)), ("5/1h", Rate(5, 3600)), ("100/d", Rate(100, 86400))],
)
def test_parse_rate(text, rate):
    assert parse_rate(text) == rate


@pytest.mark.parametrize("text", ["", "10", "10/5x", "ti/m", "-1/m"])
def test_parse_rate_refuses_nonsense(text):
    with pytest.raises(ValueError):
        parse_rate(text)


def test_client_ip_trusts_only_the_configured_number_of_proxies(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.1.1.1", HTTP_X_FORWARDED_FOR="6.6.6.6, 192.0.2.7")
    settings.TRUSTED_PROXY_COUNT = 0
    assert client_ip(request) == "10.1.1.1"
    settings.TRUSTED_PROXY_COUNT = 1
    # The client wrote 6.6.6.6 itself; our proxy appended the address it really saw.
    assert client_ip(request) == "192.0.2.7"
    settings.TRUSTED_PROXY_COUNT = 3
    assert client_ip(request) == "10.1.1.1"  # fewer entries than proxies: not trustworthy


def test_second_factor_codes_are_limited_per_session(client, settings, limits):
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from tests.accounts.factories import UserFactory

    settings.RATE_LIMITS = {**limits, "two_factor": "3/5m"}
    user = UserFactory(is_staff=True)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.force_login(user)
    statuses = [client.post("/konto/2fa/bekraeft/", {"token": "000000"}).status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


DANISH_429 = "Vi har modtaget for mange forespørgsler fra dig på kort tid. Prøv igen om 1 minut."


@pytest.mark.parametrize("url", ["/api/v1/search", "/api/v1/search/autocomplete"])
def test_search_api_answers_429_in_danish_json_with_retry_after(client, settings, limits, clock, url):
    settings.RATE_LIMITS = {**limits, "autocomplete": "5/1m"}
    clock.now += 15
    for _ in range(5):
        assert client.get(url, {"q": "feber"}, REMOTE_ADDR="10.0.0.9").status_code == 200
    response = client.get(url, {"q": "feber"}, REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429
    assert response["Retry-After"] == "45"
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"error": DANISH_429, "retry_after": 45}


def test_the_search_page_and_the_api_share_one_count(client, limits):
    for _ in range(3):
        assert search(client).status_code == 200
    for _ in range(2):
        assert client.get("/api/v1/search", {"q": "feber"}, REMOTE_ADDR="10.0.0.1").status_code == 200
    assert client.get("/api/v1/search", {"q": "feber"}, REMOTE_ADDR="10.0.0.1").status_code == 429
    assert search(client).status_code == 429


def _settings_value(module: str, expression: str, **environment) -> subprocess.CompletedProcess:
    # A subprocess: settings read the environment once, at import.
    from tests.core.test_deploy_check import ROOT, production_environment

    env = {**production_environment(), **environment}
    code = f"import {module} as s; print({expression})"
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )


def test_a_bench_run_raises_the_search_limits_and_keeps_the_others():
    normal = _settings_value("portal.settings.dev", "s.RATE_LIMITS")
    bench = _settings_value("portal.settings.dev", "s.RATE_LIMITS", SAMSPIL_BENCH_RUN="1")
    assert normal.returncode == 0 and bench.returncode == 0, normal.stderr + bench.stderr
    normal, bench = eval(normal.stdout), eval(bench.stdout)  # noqa: S307 - our own dict literal
    assert parse_rate(normal["search"]).limit == 60
    assert parse_rate(bench["search"]).limit >= 100_000
    assert parse_rate(bench["autocomplete"]).limit >= 100_000
    assert bench["login"] == normal["login"] and bench["two_factor"] == normal["two_factor"]


def test_production_refuses_to_start_with_the_bench_variable():
    result = _settings_value("portal.settings.production", "s.RATE_LIMITS", SAMSPIL_BENCH_RUN="1")
    assert result.returncode != 0
    assert "SAMSPIL_BENCH_RUN is for benchmarks only" in result.stderr
    plain = _settings_value("portal.settings.production", "s.RATE_LIMITS['search']")
    assert plain.returncode == 0, plain.stderr
    assert plain.stdout.strip() == "60/1m"
