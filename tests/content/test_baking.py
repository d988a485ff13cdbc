"""Public pages baked to static HTML (issue 16): what is baked, when, and what never is."""

import gzip
import json
import re
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.urls import URLPattern, URLResolver, get_resolver
from wagtail.models import PageViewRestriction

from content import baking
from content.baking import store
from content.baking.targets import BakeRefused, Target, all_targets
from tests.accounts.factories import UserFactory
from tests.content.factories import GuidelinePageFactory, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def bake_root(settings, tmp_path):
    settings.BAKE_ROOT = str(tmp_path / "baked")
    return tmp_path / "baked"


def baked(bake_root, path, query=""):
    return (bake_root / Target(path, query).relative_file()).read_text()


def test_the_bake_command_writes_home_listings_with_their_filters_and_pages(bake_root):
    guideline = GuidelinePageFactory(title="Hjertesvigt i eget hjem", slug="hjertesvigt")
    call_command("bake", "--no-progress", stdout=StringIO(), stderr=StringIO())

    assert "Hjertesvigt i eget hjem" in baked(bake_root, "/")
    assert "Hjertesvigt i eget hjem" in baked(bake_root, "/retningslinjer/")
    page = baked(bake_root, guideline.url)
    assert "<h1" in page and "Hjertesvigt i eget hjem" in page
    # A guideline's variants, each one click away, are baked too.
    for variant in guideline.VARIANTS:
        assert (bake_root / Target(guideline.url, f"variant={variant}").relative_file()).exists()
    # Every file has its gzip twin with the same bytes.
    file = bake_root / "retningslinjer" / "hjertesvigt" / "index.html"
    assert gzip.decompress(file.with_name("index.html.gz").read_bytes()) == file.read_bytes()
    # Anonymous: the login link, no token of the bake's own, and the hook for the login state.
    assert "Log ind" in page and 'name="csrfmiddlewaretoken" value=""' in page
    assert 'data-login-status-url="/konto/status.json"' in page


def test_a_listing_is_baked_for_each_filter_value_it_offers(bake_root):
    from content.selectors import SectionFilter, section_listing
    from portal.accounts.models import Specialty

    geriatrics = Specialty.objects.get_or_create(slug="geriatri", defaults={"name": "Geriatri"})[0]
    GuidelinePageFactory(title="Delirium", specialties=[geriatrics])
    GuidelinePageFactory(title="Astma")
    baking.bake_all()
    listing = section_listing(section=section(), chosen=SectionFilter())
    offered = [f"speciale={value.slug}" for value in listing.facets["specialty"]]
    assert "speciale=geriatri" in offered
    filtered = baked(bake_root, "/retningslinjer/", "speciale=geriatri")
    assert "Delirium" in filtered and "Astma" not in filtered


def test_the_bake_command_says_so_when_no_directory_is_set(settings):
    settings.BAKE_ROOT = ""
    with pytest.raises(CommandError, match="BAKE_ROOT"):
        call_command("bake", "--no-progress")


def test_publishing_rebakes_the_page_its_listing_and_home_in_the_same_task(
    bake_root, django_capture_on_commit_callbacks
):
    guideline = GuidelinePageFactory(title="Gammel titel", slug="retning")
    baking.bake_all()
    guideline.title = "Ny titel efter udgivelse"
    with django_capture_on_commit_callbacks(execute=True):
        guideline.save_revision().publish()
    assert "Ny titel efter udgivelse" in baked(bake_root, "/retningslinjer/retning/")
    assert "Ny titel efter udgivelse" in baked(bake_root, "/retningslinjer/")
    assert "Ny titel efter udgivelse" in baked(bake_root, "/")


@pytest.fixture
def rendered(monkeypatch):
    """The addresses the bake renders (rather than finds unchanged on disk)."""
    urls = []
    render = baking.bake.Renderer.render

    def recording(self, target):
        urls.append(target.url)
        return render(self, target)

    monkeypatch.setattr(baking.bake.Renderer, "render", recording)
    return urls


def _three_specialties():
    from portal.accounts.models import Specialty

    def named(slug, name):
        return Specialty.objects.get_or_create(slug=slug, defaults={"name": name})[0]

    delirium = GuidelinePageFactory(
        title="Delirium", slug="delirium", specialties=[named("geriatri", "Geriatri")]
    )
    asthma = GuidelinePageFactory(title="Astma", slug="astma", specialties=[named("lungesygdomme", "Lunger")])
    GuidelinePageFactory(
        title="Hjertesvigt", slug="hjertesvigt", specialties=[named("kardiologi", "Kardiologi")]
    )
    return delirium, asthma


def test_a_publish_renders_again_only_the_filter_variants_whose_listing_changed(
    bake_root, rendered, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # new specialties: a full bake
        delirium, _asthma = _three_specialties()
    untouched = bake_root / Target("/retningslinjer/", "speciale=lungesygdomme").relative_file()
    before = untouched.stat().st_mtime_ns
    rendered.clear()

    delirium.title = "Delirium hos ældre"
    with django_capture_on_commit_callbacks(execute=True):
        delirium.save_revision().publish()

    assert "Delirium hos ældre" in baked(bake_root, "/retningslinjer/", "speciale=geriatri")
    assert "/retningslinjer/?speciale=geriatri" in rendered
    # The variants that do not list the page show the same data: not rendered, not rewritten.
    assert "/retningslinjer/?speciale=lungesygdomme" not in rendered
    assert "/retningslinjer/?speciale=kardiologi" not in rendered
    assert untouched.stat().st_mtime_ns == before


def test_a_changed_classification_renders_every_variant_whose_counts_changed(
    bake_root, rendered, django_capture_on_commit_callbacks
):
    from portal.accounts.models import Specialty

    with django_capture_on_commit_callbacks(execute=True):
        _delirium, asthma = _three_specialties()
    assert "geriatri (1)" in baked(bake_root, "/retningslinjer/", "speciale=kardiologi")
    rendered.clear()

    asthma.specialties.set([Specialty.objects.get(slug="geriatri")])
    with django_capture_on_commit_callbacks(execute=True):
        asthma.save_revision().publish()

    # The cardiology variant does not list asthma, but its specialty counts changed.
    assert "/retningslinjer/?speciale=kardiologi" in rendered
    assert "geriatri (2)" in baked(bake_root, "/retningslinjer/", "speciale=kardiologi")
    # A value no page has any more is no longer offered: its file goes.
    assert not (bake_root / Target("/retningslinjer/", "speciale=lungesygdomme").relative_file()).exists()


def test_a_full_bake_renders_every_variant_even_when_its_data_is_unchanged(bake_root, rendered):
    """After a deploy the templates may have changed: ``bake`` never trusts a fingerprint."""
    _three_specialties()
    baking.bake_all()
    rendered.clear()
    baking.bake_all()
    assert "/retningslinjer/?speciale=lungesygdomme" in rendered


def test_unpublishing_removes_the_page_and_updates_the_listing(bake_root, django_capture_on_commit_callbacks):
    guideline = GuidelinePageFactory(title="Snart væk", slug="snart-vaek")
    baking.bake_all()
    assert (bake_root / "retningslinjer" / "snart-vaek" / "index.html").exists()
    with django_capture_on_commit_callbacks(execute=True):
        guideline.unpublish()
    assert not (bake_root / "retningslinjer" / "snart-vaek").exists()
    assert "Snart væk" not in baked(bake_root, "/retningslinjer/")


def test_moving_a_page_bakes_it_at_its_new_address_and_removes_the_old(
    bake_root, django_capture_on_commit_callbacks
):
    guideline = GuidelinePageFactory(title="Flyttes", slug="flyttes")
    cases = section("gode-eksempler", "Gode eksempler")
    baking.bake_all()
    with django_capture_on_commit_callbacks(execute=True):
        guideline.move(cases, pos="last-child")
    assert not (bake_root / "retningslinjer" / "flyttes").exists()
    assert "Flyttes" in baked(bake_root, "/gode-eksempler/flyttes/")
    assert "Flyttes" not in baked(bake_root, "/retningslinjer/")


def test_deleting_a_page_removes_it_and_updates_the_listing(bake_root, django_capture_on_commit_callbacks):
    guideline = GuidelinePageFactory(title="Slettes", slug="slettes")
    baking.bake_all()
    with django_capture_on_commit_callbacks(execute=True):
        guideline.delete()
    assert not (bake_root / "retningslinjer" / "slettes").exists()
    assert "Slettes" not in baked(bake_root, "/retningslinjer/")


def test_a_page_given_a_view_restriction_leaves_the_bake_at_once(
    bake_root, django_capture_on_commit_callbacks
):
    guideline = GuidelinePageFactory(title="Kun for indloggede", slug="lukket")
    baking.bake_all()
    with django_capture_on_commit_callbacks(execute=True):
        PageViewRestriction.objects.create(page=guideline, restriction_type=PageViewRestriction.LOGIN)
    assert not (bake_root / "retningslinjer" / "lukket").exists()
    assert "Kun for indloggede" not in baked(bake_root, "/retningslinjer/")


def test_nothing_is_queued_when_baking_is_off(settings, django_capture_on_commit_callbacks):
    settings.BAKE_ROOT = ""
    guideline = GuidelinePageFactory()
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        guideline.save_revision().publish()
    from content.baking.signals import _flush

    assert _flush not in callbacks


def test_an_unchanged_page_is_not_rewritten_so_its_etag_stays(bake_root):
    GuidelinePageFactory(slug="stabil")
    baking.bake_all()
    file = bake_root / "retningslinjer" / "stabil" / "index.html"
    before = file.stat().st_mtime_ns
    baking.bake_all()
    assert file.stat().st_mtime_ns == before


def test_a_write_is_atomic_and_leaves_no_temporary_file(bake_root, monkeypatch):
    target = Target("/retningslinjer/atomisk/")
    store.write(target, b"<p>gammel</p>")

    def fail(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("content.baking.store.os.replace", fail)
    with pytest.raises(OSError):
        store.write(target, b"<p>ny</p>")
    folder = bake_root / "retningslinjer" / "atomisk"
    assert (folder / "index.html").read_bytes() == b"<p>gammel</p>"
    assert sorted(p.name for p in folder.iterdir()) == ["index.html", "index.html.gz"]


@pytest.mark.parametrize(
    "path,query",
    [
        ("/konto/", ""),
        ("/korrespondance/", ""),
        ("/korrespondance/17/", ""),
        ("/konferencer/", ""),
        ("/henvisninger/", ""),
        ("/fokuserede-ophold/", ""),
        ("/overblik/", ""),
        ("/admin/adgangslog/", ""),
        ("/%6Bonto/", ""),  # /konto/ spelt with an escape
        ("/KONTO/", ""),
        ("/retningslinjer/../konto/", ""),
        ("/retningslinjer/", "speciale=a&sektor=b"),
        ("/retningslinjer/", "q=../../etc"),
    ],
)
def test_the_bake_refuses_private_and_odd_addresses(path, query):
    with pytest.raises(BakeRefused):
        Target(path, query)


def _first_segments(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern) == "" and getattr(pattern, "urlconf_name", None) is not None:
                if "wagtail.urls" in str(getattr(pattern.urlconf_module, "__name__", "")):
                    continue  # the page tree: what the bake is for
                yield from _first_segments(pattern, route)
            else:
                yield route
        elif isinstance(pattern, URLPattern):
            yield route


def test_every_url_outside_the_page_tree_is_never_baked():
    """A new module's URLs must be added to NEVER_BAKED_PREFIXES (and so to nginx's proxy list)."""
    for route in _first_segments(get_resolver()):
        path = "/" + re.sub(r"[\^$]", "", route).split("<")[0]
        assert path.startswith(tuple(settings.NEVER_BAKED_PREFIXES)), (
            f"{path} is not under NEVER_BAKED_PREFIXES"
        )


def test_the_login_state_endpoint_is_private_and_anonymous_by_default(client):
    response = client.get("/konto/status.json")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["authenticated"] is False and data["csrf_token"]
    assert "name" not in data


def test_the_login_state_endpoint_gives_a_logged_in_user_her_name_and_links(client):
    user = UserFactory(first_name="Karen", last_name="Blixen")
    client.force_login(user)
    response = client.get("/konto/status.json")
    assert response["Cache-Control"] == "private, no-store"
    data = json.loads(response.content)
    assert data["authenticated"] is True and data["name"] == "Karen Blixen"
    assert "Karen Blixen" in data["header_html"] and 'action="/log-ud/"' in data["header_html"]
    assert "Karen Blixen" in data["drawer_html"]
    # Her token, for the baked page's language form; the logout form comes with its own.
    assert data["csrf_token"] and 'name="csrfmiddlewaretoken" value=""' not in data["header_html"]


def test_a_baked_page_stays_the_anonymous_one_when_a_user_is_logged_in_elsewhere(bake_root, client):
    GuidelinePageFactory(slug="for-alle")
    client.force_login(UserFactory(first_name="Hemmelig", last_name="Bruger"))
    client.get("/retningslinjer/for-alle/")  # the user's own dynamic view
    baking.bake_all()
    assert "Hemmelig Bruger" not in baked(bake_root, "/retningslinjer/for-alle/")


def test_all_targets_skips_pages_under_a_never_baked_prefix(bake_root):
    from content.models import InformationPage
    from tests.content.factories import home

    # An information page whose slug would shadow Min konto stays Django's.
    home().add_child(instance=InformationPage(title="Konto", slug="konto"))
    assert all(not t.path.startswith("/konto/") for t in all_targets())


def test_no_patient_data_user_name_or_private_path_reaches_the_bake_directory(bake_root):
    """The whole demo site (patients in correspondence, conferences and referrals; one user per
    role) baked: no CPR number in any form, no user's name or e-mail, nothing under a private
    prefix. Run after logging a user in, so that a leak through a shared state would show."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from content.management.commands.load_demo_content import DEMO_FOLDER
    from portal.patients.crypto import decrypt_cpr
    from portal.patients.models import PatientReference

    call_command("load_demo_content", stdout=StringIO())
    cprs = [decrypt_cpr(p.cpr_encrypted) for p in PatientReference.objects.all()]
    users = list(get_user_model().objects.all())
    users.append(UserFactory(first_name="Zebulon", last_name="Privatsen"))
    assert cprs and len(users) >= 8, "the demo data should hold patients and users"
    logged_in = Client()
    logged_in.force_login(users[-1])
    logged_in.get("/")

    baked_count, _removed = baking.bake_all()
    assert baked_count >= 30
    files = store.baked_files()
    texts = {
        path: (gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes())
        for path in files
    }
    forbidden = []
    for cpr in cprs:
        digits = cpr.replace("-", "")
        forbidden += [digits, f"{digits[:6]}-{digits[6:]}", f"{digits[:6]} {digits[6:]}"]
    # A name the editors wrote into a published page (a guideline's named owner) is public
    # content, and so is the contact of a person an editor linked into a published collaboration
    # directory; every other user's name, and every e-mail, must not be there.
    published = "".join(p.read_text() for p in DEMO_FOLDER.rglob("*.md"))
    listed = _users_listed_in_a_live_directory()
    assert listed, "the demo directory should link the demo practice consultant"
    for user in users:
        if user.pk in listed:
            continue
        name = user.get_full_name().strip()
        forbidden += [user.email] + ([name] if name and name not in published else [])
    assert "Zebulon Privatsen" in forbidden
    for path, content in texts.items():
        text = content.decode()
        leaks = [word for word in forbidden if word in text]
        assert not leaks, f"{path} holds {leaks}"
        relative = "/" + str(path.relative_to(bake_root))
        assert not relative.startswith(tuple(settings.NEVER_BAKED_PREFIXES)), relative


def _users_listed_in_a_live_directory() -> set[int]:
    from content.models import CollaborationDirectoryPage

    ids = set()
    for page in CollaborationDirectoryPage.objects.live().public():
        for entries in (page.consultants, page.board_members, page.hospital_consultants):
            ids.update(entries.exclude(user=None).values_list("user_id", flat=True))
    return ids
