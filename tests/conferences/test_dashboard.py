"""The dashboard's lists: open work in full, tasks a page at a time, requests never crowded out."""

import pytest
from django.urls import reverse

from portal.conferences import selectors, services
from tests.accounts.login import verified_login

from .factories import on_duty, request_from_gp, request_from_hospital, world

pytestmark = pytest.mark.django_db


def _closed(w, topic):
    conference = services.conference_accept(conference=request_from_gp(w, topic=topic), user=w.specialist)
    return services.conference_close(conference=conference, actor=w.specialist)


def _topics(entries):
    return [entry.topic for entry in entries]


def test_tasks_come_a_page_at_a_time_oldest_first_until_the_note_is_written(client, monkeypatch):
    monkeypatch.setattr(selectors, "TASKS_PER_PAGE", 2)
    w = world()
    on_duty(w)
    first, _second, _third = (_closed(w, topic) for topic in ("Første", "Anden", "Tredje"))
    board = selectors.dashboard(w.specialist)
    assert _topics(board.tasks) == ["Første", "Anden"] and board.more_tasks
    later = selectors.dashboard(w.specialist, task_page=2)
    assert _topics(later.tasks) == ["Tredje"] and not later.more_tasks

    verified_login(client, w.specialist)
    url = reverse("conferences:dashboard")
    html = client.get(url).content.decode()
    assert "Første" in html and "Tredje" not in html
    assert 'href="?opgaver=2#opgaver"' in html and "Vis flere opgaver" in html
    html = client.get(url + "?opgaver=2").content.decode()
    assert "Tredje" in html and "Første" not in html
    assert 'href="?opgaver=1#opgaver"' in html and "Forrige opgaver" in html and "(side 2)" in html

    services.conference_note_write(conference=first, author=w.specialist, text="Notat.")
    services.conference_resume_write(conference=first, author=w.gp, text="Résumé.")
    board = selectors.dashboard(w.specialist)
    assert _topics(board.tasks) == ["Anden", "Tredje"] and not board.more_tasks
    assert _topics(selectors.dashboard(w.gp, task_page=1).tasks) == ["Anden", "Tredje"]


def test_a_task_stays_on_both_dashboards_until_both_notes_exist_and_says_whose_is_missing(client):
    w = world()
    on_duty(w)
    conference = _closed(w, "Delir")
    services.conference_note_write(conference=conference, author=w.specialist, text="Notat.")
    verified_login(client, w.specialist)
    html = client.get(reverse("conferences:dashboard")).content.decode()
    assert "Delir" in html and "lægens resumé mangler" in html
    verified_login(client, w.gp)
    html = client.get(reverse("conferences:dashboard")).content.decode()
    assert "Delir" in html and "dit resumé mangler" in html
    assert client.get("/overblik/antal/").json()["count"] == 1  # the GP's own résumé waits
    verified_login(client, w.specialist)
    assert client.get("/overblik/antal/").json()["count"] == 0  # not his to write


@pytest.mark.parametrize("page", ["abc", "0", "-1", "²", "1.5", "9" * 5000, ""])
def test_a_task_page_that_is_not_a_page_number_is_the_first_page(client, page):
    w = world()
    on_duty(w)
    _closed(w, "Mangler notat")
    verified_login(client, w.specialist)
    response = client.get(reverse("conferences:dashboard"), {"opgaver": page})
    assert response.status_code == 200
    assert "Mangler notat" in response.content.decode()


def test_a_page_past_the_last_shows_no_tasks_and_the_way_back(client):
    w = world()
    on_duty(w)
    _closed(w, "Mangler notat")
    verified_login(client, w.specialist)
    html = client.get(reverse("conferences:dashboard"), {"opgaver": "7"}).content.decode()
    assert "Mangler notat" not in html and 'href="?opgaver=6#opgaver"' in html


def test_a_request_is_never_crowded_out_by_open_conferences(monkeypatch):
    monkeypatch.setattr(selectors, "ACTIVE_LIMIT", 2)
    w = world()
    on_duty(w)
    request_from_gp(w, topic="Venter på svar")  # the oldest: by time alone the limit would cut it
    for i in range(3):
        services.conference_accept(conference=request_from_gp(w, topic=f"Åben {i}"), user=w.specialist)
    board = selectors.dashboard(w.specialist)
    assert _topics(board.waiting_for_me) == ["Venter på svar"]


def test_each_list_holds_what_its_rules_say():
    w = world()
    on_duty(w)
    asked = request_from_gp(w, topic="GP spørger")
    accepted = services.conference_accept(
        conference=request_from_gp(w, topic="Accepteret"), user=w.specialist
    )
    from_hospital = request_from_hospital(w, topic="Sygehuset spørger", requester=w.next_specialist)
    gp, colleague = selectors.dashboard(w.gp), selectors.dashboard(w.gp_colleague)
    specialist, asker = selectors.dashboard(w.specialist), selectors.dashboard(w.next_specialist)
    assert _topics(gp.sent) == ["GP spørger"] and _topics(gp.open) == ["Accepteret"]
    # A hospital's request waits for every GP of the practice until one takes it.
    assert _topics(gp.waiting_for_me) == _topics(colleague.waiting_for_me) == ["Sygehuset spørger"]
    assert colleague.sent == [] and colleague.open == []
    assert _topics(specialist.waiting_for_me) == ["GP spørger"] and _topics(specialist.open) == ["Accepteret"]
    assert _topics(asker.sent) == ["Sygehuset spørger"] and asker.waiting_for_me == []
    services.conference_accept(conference=from_hospital, user=w.gp_colleague)
    assert selectors.dashboard(w.gp).waiting_for_me == []
    assert _topics(selectors.dashboard(w.gp_colleague).open) == ["Sygehuset spørger"]
    assert _topics(selectors.dashboard(w.next_specialist).open) == ["Sygehuset spørger"]
    assert {asked.pk, accepted.pk} == {e.pk for e in gp.sent + gp.open}


def test_the_rows_show_the_people_the_department_and_the_link(client):
    w = world()
    on_duty(w)
    conference = services.conference_accept(conference=request_from_gp(w), user=w.specialist)
    verified_login(client, w.gp)
    html = client.get(reverse("conferences:dashboard")).content.decode()
    assert reverse("conferences:conference", kwargs={"public_id": conference.public_id}) in html
    assert str(conference.department) in html and ", " in str(conference.department)
    assert "Grete Lægesen" in html and "Gerda Geriater" in html
    assert "Video" in html and "I dag" in html  # the form and the urgency, in Danish
