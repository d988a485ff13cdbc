"""axe-core finds no serious or critical violations on any kind of public page.

One test walks all the page kinds of the demo site (loading it once is what takes
the time) and reports every page's violations together, each under its URL.
"""

import pytest

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

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
    ("FAQ", "/spoergsmaal-og-svar/spoergsmaal-og-svar-om-konferencer/", 200),
    ("audit", "/audit/audit-antibiotikaordination-ved-luftvejsinfektioner/", 200),
    ("tænk klogt review", "/taenk-klogt/taenk-klogt-psa-maaling-hos-maend-uden-symptomer/", 200),
    ("search with results", "/soeg/?q=demens", 200),
    ("search without results", "/soeg/?q=xyzzyqwerty", 200),
    ("404 page", "/findes-ikke/", 404),
]


def test_no_serious_axe_violations_on_any_page_kind(browser_page, demo_site, axe_check):
    page = browser_page
    problems = []
    for what, path, status in PAGES:
        response = page.goto(demo_site + path)
        if response is None or response.status != status:
            got = response.status if response else "no response"
            problems.append(f"{what} ({path}): expected HTTP {status}, got {got}")
            continue
        try:
            axe_check(page)
        except AssertionError as exc:
            problems.append(f"{what} ({path}):\n{exc}")
    assert not problems, f"{len(problems)} of {len(PAGES)} pages failed:\n\n" + "\n\n".join(problems)


def test_axe_check_fails_on_a_serious_violation(browser_page, live_server, axe_check):
    """The check above is only worth something if axe really runs and really fails."""
    page = browser_page
    page.goto(live_server.url + "/healthz")
    page.set_content('<html lang="da"><body><main><img src="x.png"></main></body></html>')
    with pytest.raises(AssertionError, match="image-alt"):
        axe_check(page)
