"""Mit overblik: what waits for me across correspondence and conferences, in a fixed number of queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.correspondence.services import message_send
from tests.accounts.login import verified_login
from tests.correspondence.factories import open_thread, world

pytestmark = pytest.mark.django_db


def _queries(client) -> int:
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/overblik/")
    assert response.status_code == 200
    return len(captured)


def test_the_specialist_sees_the_thread_awaiting_his_reply_with_its_deadline(client):
    w = world()
    thread = open_thread(w, subject="Atrieflimren og DOAK")
    verified_login(client, w.specialist)
    response = client.get("/overblik/")
    html = response.content.decode()
    assert "Mit overblik" in html
    section = html[html.index('id="traade-afventer-mig"') :]
    section = section[: section.index("</section>")]
    assert "Atrieflimren og DOAK" in section and "Svarfrist" in section
    assert response.context["board"].awaiting_me.rows[0].pk == thread.pk


def test_the_gp_sees_her_question_awaiting_them_and_then_the_answer_awaiting_her(client):
    w = world()
    thread = open_thread(w, subject="Atrieflimren og DOAK")
    verified_login(client, w.gp)
    board = client.get("/overblik/").context["board"]
    assert [t.pk for t in board.awaiting_them.rows] == [thread.pk]
    assert board.awaiting_me.count == 0
    message_send(thread=thread, author=w.specialist, body="Start DOAK.")
    board = client.get("/overblik/").context["board"]
    assert [t.pk for t in board.awaiting_me.rows] == [thread.pk]
    assert board.awaiting_me.rows[0].unread


def test_others_threads_are_not_on_my_overview(client):
    w = world()
    open_thread(w, subject="Hemmeligt spørgsmål")
    verified_login(client, w.other_gp)
    html = client.get("/overblik/").content.decode()
    assert "Hemmeligt spørgsmål" not in html


def test_the_same_queries_for_one_or_many_threads(client):
    w = world()
    open_thread(w)
    verified_login(client, w.specialist)
    _queries(client)  # warm the session
    with_one = _queries(client)
    for i in range(12):
        open_thread(w, subject=f"Spørgsmål {i}")
    assert _queries(client) == with_one
    html = client.get("/overblik/").content.decode()
    assert "Se alle 13 tråde" in html  # five shown, the way to the rest


def test_the_badge_counts_what_waits_for_me(client):
    w = world()
    open_thread(w)
    open_thread(w, subject="Endnu et spørgsmål")
    verified_login(client, w.specialist)
    response = client.get("/overblik/antal/")
    assert response.json() == {"count": 2, "label": "2 ting venter på dig"}
    verified_login(client, w.other_gp)
    assert client.get("/overblik/antal/").json()["count"] == 0


def test_the_overview_needs_a_login_and_only_get(client):
    assert client.get("/overblik/antal/").status_code == 302
    w = world()
    verified_login(client, w.gp)
    assert client.post("/overblik/").status_code == 405


def test_referrals_awaiting_the_departments_decision_are_on_its_overview_and_in_the_badge(client):
    from tests.referrals.factories import refer
    from tests.referrals.factories import world as referral_world

    w = referral_world()
    refer(w, diagnosis_text="KOL med akut forværring")
    verified_login(client, w.specialist)
    html = client.get("/overblik/").content.decode()
    section = html[html.index('id="henvisninger-beslutning"') :]
    section = section[: section.index("</section>")]
    assert "KOL med akut forværring" in section
    assert 'Venter på din afdelings beslutning <span class="samspil-count">(1)</span>' in section
    assert client.get("/overblik/antal/").json()["count"] == 1
    verified_login(client, w.other_gp)  # another practice: nothing of it
    assert "KOL med akut forværring" not in client.get("/overblik/").content.decode()


def test_the_same_queries_for_one_or_many_referrals(client):
    from tests.referrals.factories import refer
    from tests.referrals.factories import world as referral_world

    w = referral_world()
    refer(w)
    verified_login(client, w.specialist)
    _queries(client)
    with_one = _queries(client)
    for _ in range(8):
        refer(w)
    assert _queries(client) == with_one


def test_the_badge_counts_every_dialogue_awaiting_the_practice_not_only_the_five_shown(client):
    from portal.referrals.models import Referral
    from tests.referrals.factories import refer
    from tests.referrals.factories import world as referral_world

    w = referral_world()
    for _ in range(7):
        refer(w)
    Referral.objects.update(state=Referral.State.DIALOGUE)  # only the state is read here
    verified_login(client, w.gp)
    assert client.get("/overblik/antal/").json()["count"] == 7
    assert len(client.get("/overblik/").context["board"].referrals.awaiting_practice) == 5


def _editor():
    from django.contrib.auth.models import Group

    from tests.accounts.factories import UserFactory

    user = UserFactory()
    user.groups.add(Group.objects.get(name="Moderators"))
    return user


def test_an_editor_sees_colleagues_pages_to_approve_her_own_submissions_and_overdue_reviews(client):
    import datetime

    from django.utils import timezone
    from wagtail.models import Workflow

    from tests.content.factories import GuidelinePageFactory

    anne, bo = _editor(), _editor()
    workflow = Workflow.objects.get(active=True)
    by_bo = GuidelinePageFactory(title="Hjertesvigt", live=False)
    by_bo.save_revision(user=bo)
    workflow.start(by_bo, user=bo)
    by_anne = GuidelinePageFactory(title="KOL", live=False)
    by_anne.save_revision(user=anne)
    workflow.start(by_anne, user=anne)
    GuidelinePageFactory(title="Gammel vejledning", owner=anne,
                         next_review=timezone.localdate() - datetime.timedelta(days=3))  # fmt: skip
    GuidelinePageFactory(title="Bos gamle vejledning", owner=bo,
                         next_review=timezone.localdate() - datetime.timedelta(days=3))  # fmt: skip
    verified_login(client, anne)
    response = client.get("/overblik/")
    editing = response.context["board"].editing
    assert [i.title for i in editing.to_approve] == ["Hjertesvigt"]  # never her own (two-person rule)
    assert [i.title for i in editing.submitted] == ["KOL"]
    assert [i.title for i in editing.past_review] == ["Gammel vejledning"] and editing.past_review_count == 1
    html = response.content.decode()
    assert "Redaktion af vidensbasen" in html and "3 dage over" in html
    assert f'href="/admin/pages/{by_bo.pk}/edit/"' in html


def test_clinicians_get_no_editing_section(client):
    w = world()
    verified_login(client, w.gp)
    response = client.get("/overblik/")
    assert response.context["board"].editing is None
    assert "overblik-redaktion" not in response.content.decode()


def test_the_editing_section_costs_the_same_for_one_or_many_pages(client):
    from wagtail.models import Workflow

    from tests.content.factories import GuidelinePageFactory

    anne, bo = _editor(), _editor()
    workflow = Workflow.objects.get(active=True)

    def submit(n, start=0):
        for i in range(start, start + n):
            page = GuidelinePageFactory(title=f"Side {i}", live=False)
            page.save_revision(user=bo)
            workflow.start(page, user=bo)

    submit(1)
    verified_login(client, anne)
    _queries(client)
    with_one = _queries(client)
    submit(6, start=1)
    assert _queries(client) == with_one
