import re
import pytest
from django.contrib.auth.models import Group
from tests.accounts.factories import UserFactory
from tests.content.factories import section

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

def test_explore(browser_page, live_server):
    sec = section()
    user = UserFactory(email="redaktoer@samspil.test")
    user.groups.add(Group.objects.get(name="Moderators"))
    p = browser_page
    p.goto(live_server.url + "/admin/login/")
    p.locator("input[name=username]").fill(user.email)
    p.locator("input[name=password]").fill("korrekt-hest-batteri-42")
    p.locator("input[name=password]").press("Enter")
    p.wait_for_load_state()
    p.goto(live_server.url + f"/admin/pages/{sec.pk}/")
    p.get_by_role("link", name="Tilføj en underside").click()
    p.get_by_role("link", name="Retningslinje", exact=True).click()
    p.get_by_role("textbox", name=re.compile("title", re.I)).first.fill("Testretningslinje")
    gp = p.get_by_role("region", name="Almen praksis", exact=True)
    gp.get_by_role("button", name="Insert a block").click()
    p.wait_for_timeout(500)
    p.screenshot(path="/tmp/explore/b_chooser.png")
    open("/tmp/explore/b_chooser.html","w").write(p.content())
