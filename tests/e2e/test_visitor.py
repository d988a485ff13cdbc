"""A visitor finds a guideline, switches sector variant, filters, searches and gets lost.

Runs against the demo site (``load_demo_content``), in Danish, in Chromium.
"""

import re

from playwright.sync_api import expect

GUIDELINE_PATH = "/retningslinjer/demensudredning/"


def _variant_headings(page):
    main = page.get_by_role("main")
    return (
        main.get_by_role("heading", name="Almen praksis", exact=True, level=2),
        main.get_by_role("heading", name="Sygehus", exact=True, level=2),
    )


def test_visitor_finds_a_guideline_and_switches_sector_variant(browser_page, demo_site):
    page = browser_page
    page.goto(demo_site + "/")
    expect(page).to_have_title(re.compile("Samspil"))

    # Home: the section cards.
    page.locator(".samspil-cards").get_by_role("link", name="Retningslinjer", exact=True).click()
    expect(page).to_have_url(demo_site + "/retningslinjer/")
    expect(page.get_by_role("heading", name="Retningslinjer", level=1)).to_be_visible()

    # Section: the guideline in the result list.
    page.locator(".samspil-result-list").get_by_role("link", name="Demensudredning", exact=True).click()
    expect(page).to_have_url(demo_site + GUIDELINE_PATH)
    expect(page.get_by_role("heading", name="Demensudredning", level=1)).to_be_visible()

    # No choice: both variants, side by side (same row, left and right).
    gp_heading, hospital_heading = _variant_headings(page)
    expect(gp_heading).to_be_visible()
    expect(hospital_heading).to_be_visible()
    gp_box, hospital_box = gp_heading.bounding_box(), hospital_heading.bounding_box()
    assert gp_box["x"] + gp_box["width"] <= hospital_box["x"], "the variants should be side by side"
    assert abs(gp_box["y"] - hospital_box["y"]) < 5, "the variant headings should share a row"
    switch = page.get_by_role("navigation", name="Vælg sektorvariant")
    expect(switch.get_by_role("link", name="Side om side")).to_have_attribute("aria-current", "page")

    # Only the hospital variant.
    switch.get_by_role("link", name="Sygehus", exact=True).click()
    expect(page).to_have_url(demo_site + GUIDELINE_PATH + "?variant=sygehus")
    gp_heading, hospital_heading = _variant_headings(page)
    expect(hospital_heading).to_be_visible()
    expect(page.get_by_text("Hvad demensklinikken gør")).to_be_visible()  # a hospital-only heading
    expect(gp_heading).to_have_count(0)
    expect(page.locator("section#almen-praksis")).to_have_count(0)
    expect(page.get_by_text("Basisudredning", exact=True)).to_have_count(0)  # general-practice only
    expect(switch.get_by_role("link", name="Sygehus", exact=True)).to_have_attribute("aria-current", "page")
    expect(switch.get_by_role("link", name="Side om side")).not_to_have_attribute("aria-current", "page")

    # Only the general-practice variant.
    switch.get_by_role("link", name="Almen praksis", exact=True).click()
    expect(page).to_have_url(demo_site + GUIDELINE_PATH + "?variant=almen-praksis")
    gp_heading, hospital_heading = _variant_headings(page)
    expect(gp_heading).to_be_visible()
    expect(page.get_by_text("Basisudredning", exact=True)).to_be_visible()
    expect(hospital_heading).to_have_count(0)
    expect(page.locator("section#sygehus")).to_have_count(0)
    expect(page.get_by_text("Hvad demensklinikken gør")).to_have_count(0)
    expect(switch.get_by_role("link", name="Almen praksis", exact=True)).to_have_attribute(
        "aria-current", "page"
    )


def test_specialty_facet_filters_the_section_list(browser_page, demo_site):
    page = browser_page
    page.goto(demo_site + "/retningslinjer/")
    status = page.get_by_role("main").get_by_role("status")
    results = page.locator(".samspil-result-list > li")
    expect(status).to_have_text("12 retningslinjer")  # in clinicians' words
    expect(results).to_have_count(12)

    specialties = page.get_by_role("navigation", name="Speciale")
    neurology = specialties.get_by_role("link", name=re.compile(r"^Neurologi \(\d+\)"))
    expect(neurology).not_to_have_attribute("aria-current", "true")
    expected = int(re.search(r"\((\d+)\)", neurology.inner_text()).group(1))
    assert 0 < expected < 12, "the demo content should make the neurology facet a real filter"

    neurology.click()
    expect(page).to_have_url(demo_site + "/retningslinjer/?speciale=neurologi")
    expect(status).to_have_text(
        f"{expected} retningslinje" if expected == 1 else f"{expected} retningslinjer"
    )
    expect(results).to_have_count(expected)
    expect(page.locator(".samspil-result-list").get_by_role("link", name="Demensudredning")).to_be_visible()
    for item in results.all():
        expect(item.locator(".samspil-type")).to_contain_text("Neurologi")
    chosen = specialties.get_by_role("link", name=re.compile(r"^Neurologi"))
    expect(chosen).to_have_attribute("aria-current", "true")
    expect(page.get_by_role("link", name="Ryd alle filtre")).to_be_visible()

    # Clicking the chosen facet again removes it.
    chosen.click()
    expect(status).to_have_text("12 retningslinjer")  # in clinicians' words
    expect(specialties.get_by_role("link", name=re.compile(r"^Neurologi"))).not_to_have_attribute(
        "aria-current", "true"
    )


def test_header_search_finds_the_guideline(browser_page, demo_site):
    page = browser_page
    page.goto(demo_site + "/")
    box = page.get_by_role("banner").get_by_role("searchbox", name="Søg i retningslinjer")
    box.fill("demens")
    box.press("Enter")

    expect(page).to_have_url(demo_site + "/soeg/?q=demens")
    expect(page.get_by_role("heading", name="Søg", level=1)).to_be_visible()
    hit = page.locator(".samspil-result-list").get_by_role("link", name="Demensudredning", exact=True)
    expect(hit).to_have_attribute("href", GUIDELINE_PATH)
    expect(page.get_by_role("main").get_by_role("status")).to_have_text(re.compile(r"^[1-9]\d* resultat"))

    hit.click()
    expect(page).to_have_url(demo_site + GUIDELINE_PATH)


def test_unknown_url_shows_the_danish_404_page(browser_page, live_server):
    page = browser_page
    response = page.goto(live_server.url + "/findes-ikke/")

    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", name="Siden blev ikke fundet", level=1)).to_be_visible()
    expect(page).to_have_title("Siden blev ikke fundet · Samspil")
    expect(page.locator("html")).to_have_attribute("lang", "da")
    expect(
        page.get_by_role("main").get_by_role("link", name="Gå til forsiden", exact=True)
    ).to_have_attribute("href", "/")
