"""axe-core finds no serious or critical violations on any kind of public page.

One test walks every page kind of the demo site, on a desktop and on a phone
screen (tables only scroll, and so only need keyboard access, on narrow
screens), and reports every page's violations together, each under its URL.
Loading the demo site once is what takes the time.
"""

import pytest
from playwright.sync_api import expect

from tests.content.factories import CasePageFactory

# (what, path, expected HTTP status): one of every template and state a visitor can reach.
PAGES = [
    ("home page", "/", 200),
    ("section index", "/retningslinjer/", 200),
    ("section index, facet chosen", "/retningslinjer/?speciale=neurologi", 200),
    ("section index, two facets chosen", "/gode-eksempler/?sektor=almen-praksis&emne=multisygdom", 200),
    ("section index, nothing matches", "/retningslinjer/?speciale=neurologi&emne=boern", 200),
    ("guideline, side by side", "/retningslinjer/demensudredning/", 200),
    ("guideline, general practice", "/retningslinjer/demensudredning/?variant=almen-praksis", 200),
    ("guideline, hospital", "/retningslinjer/demensudredning/?variant=sygehus", 200),
    ("guideline past its review date", "/retningslinjer/hovedpine-og-migraene/", 200),
    ("case", "/gode-eksempler/aandenoedspakken-afklarede-flere-aarsager-paa-72-timer/", 200),
    ("case with every block type", "/gode-eksempler/alle-blokke/", 200),
    ("FAQ", "/spoergsmaal-og-svar/spoergsmaal-og-svar-om-konferencer/", 200),
    ("audit", "/audit/audit-antibiotikaordination-ved-luftvejsinfektioner/", 200),
    ("tænk klogt review", "/taenk-klogt/taenk-klogt-psa-maaling-hos-maend-uden-symptomer/", 200),
    ("search with results", "/soeg/?q=demens", 200),
    ("search without results", "/soeg/?q=xyzzyqwerty", 200),
    ("404 page", "/findes-ikke/", 404),
    ("login page", "/log-ind/", 200),
    ("information page (privacy)", "/privatliv/", 200),
    ("information page with a table (cookies)", "/cookies/", 200),
]
VIEWPORTS = [("desktop", {"width": 1280, "height": 900}), ("phone", {"width": 375, "height": 800})]


TABLE_HEADER = ["Prøve", "Svar inden", "Materiale", "Laboratorium", "Referenceinterval", "Bemærkning"]


def _every_block_case():
    """A case whose body uses each block type the demo's Markdown files cannot produce."""
    rich_text = "<p>Ring til <a href='https://www.sst.dk/'>vagthavende</a> ved tvivl.</p>"
    return CasePageFactory(
        title="Alle blokke",
        slug="alle-blokke",
        body=[
            {"type": "text", "value": "<h2>Formateret tekst</h2><p>Med <b>fed</b> og <i>kursiv</i>.</p>"},
            {"type": "callout", "value": {"kind": "info", "heading": "Godt at vide", "text": rich_text}},
            {"type": "callout", "value": {"kind": "warning", "heading": "", "text": rich_text}},
            {
                "type": "callout",
                "value": {"kind": "red_flag", "heading": "Feber og nakkestivhed", "text": rich_text},
            },
            {
                "type": "table",
                "value": {
                    # Wide enough to scroll sideways on a phone.
                    "data": [TABLE_HEADER]
                    + [
                        [f"Prøve {n}", f"{n} dage", "Kapillærblod", "Klinisk biokemi", "Under 10", "Ingen"]
                        for n in range(3)
                    ],
                    "first_row_is_table_header": True,
                    "first_col_is_header": True,
                    "table_caption": "Svartider",
                },
            },
            {
                "type": "recommendation",
                "value": {"text": rich_text, "strength": "weak_for", "evidence": "low"},
            },
            {
                "type": "references",
                "value": {
                    "heading": "",
                    "items": [{"title": "Sundhedsstyrelsen", "url": "https://www.sst.dk/"}],
                },
            },
        ],
    )


@pytest.fixture
def every_block_page(demo_site):
    """The demo site plus the every-block case at /gode-eksempler/alle-blokke/."""
    _every_block_case()
    return demo_site


def test_no_serious_axe_violations_on_any_page_kind(browser_page, every_block_page, axe_check):
    page = browser_page
    problems = []
    for screen, viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        for what, path, status in PAGES:
            response = page.goto(every_block_page + path)
            if response is None or response.status != status:
                got = response.status if response else "no response"
                problems.append(f"{what} ({path}, {screen}): expected HTTP {status}, got {got}")
                continue
            try:
                axe_check(page)
            except AssertionError as exc:
                problems.append(f"{what} ({path}, {screen}):\n{exc}")
    checked = len(VIEWPORTS) * len(PAGES)
    assert not problems, f"{len(problems)} of {checked} page views failed:\n\n" + "\n\n".join(problems)


def test_axe_check_fails_on_a_serious_violation(browser_page, live_server, axe_check):
    """The check above is only worth something if axe really runs and really fails."""
    page = browser_page
    page.goto(live_server.url + "/healthz")
    page.set_content('<html lang="da"><body><main><img src="x.png"></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        axe_check(page)


def test_table_block_keeps_its_header_row_and_row_headers(browser_page, live_server):
    """Screen readers announce each cell with its headers, so the header cells must be the right ones."""
    case = _every_block_case()
    page = browser_page
    page.goto(live_server.url + case.url)

    scroller = page.get_by_role("region", name="Svartider")
    expect(scroller).to_have_attribute("tabindex", "0")
    table = scroller.get_by_role("table", name="Svartider")
    expect(table.get_by_role("columnheader")).to_have_text(TABLE_HEADER)
    expect(table.get_by_role("rowheader")).to_have_text(["Prøve 0", "Prøve 1", "Prøve 2"])
    expect(table.get_by_role("row")).to_have_count(4)
    expect(table.get_by_role("cell", name="Referenceinterval")).to_have_count(0)
