"""Crawl the demo site from the home page in Chromium, as a visitor: every internal link answers,
no page logs a console error; and a guideline prints cleanly (no header controls, with its date
and owner) to a PDF."""

from urllib.parse import urldefrag, urljoin, urlparse

from playwright.sync_api import expect

# Not pages to visit: the admin has its own tests, documents are downloads, and the language
# switch and logout are forms.
SKIP_PREFIXES = ("/admin/", "/dokumenter/", "/i18n/", "/log-ud/", "/static/", "/media/")
MAX_PAGES = 150


def test_every_internal_link_from_the_home_page_works_without_console_errors(browser_page, demo_site):
    page = browser_page
    page.set_default_timeout(20_000)
    origin = urlparse(demo_site).netloc
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))

    queue, seen, broken = ["/"], {"/"}, []
    while queue and len(seen) <= MAX_PAGES:
        path = queue.pop(0)
        response = page.goto(demo_site + path)
        if response is None or response.status >= 400:
            broken.append((path, response.status if response else None))
            continue
        for href in page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            url = urldefrag(urljoin(demo_site + path, href)).url
            parsed = urlparse(url)
            if parsed.scheme not in ("http", "https") or parsed.netloc != origin:
                continue
            target = parsed.path + (f"?{parsed.query}" if parsed.query else "")
            if target.startswith(SKIP_PREFIXES) or target in seen:
                continue
            seen.add(target)
            queue.append(target)

    assert len(seen) > 40, f"the crawl found only {len(seen)} pages"
    assert not broken, broken
    assert not errors, errors


def test_a_guideline_prints_without_header_controls_and_with_its_date_and_owner(browser_page, demo_site):
    page = browser_page
    page.goto(demo_site + "/retningslinjer/demensudredning/")
    page.emulate_media(media="print")
    for hidden in (
        ".samspil-header-search",
        ".portal-user",
        ".button-menu-open",
        ".navigation-menu",
        ".samspil-footer",
    ):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.locator(".samspil-owner").first).to_be_visible()
    expect(page.locator("main")).to_contain_text("2026")  # the guideline's dates are printed
    pdf = page.pdf(format="A4", print_background=False)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
