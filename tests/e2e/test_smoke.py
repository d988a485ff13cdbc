"""Proves the browser harness: Chromium reaches the live server."""


def test_healthz_in_browser(browser_page, live_server):
    response = browser_page.goto(f"{live_server.url}/healthz")

    assert response is not None and response.status == 200
    assert response.json()["status"] == "ok"
