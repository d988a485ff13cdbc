"""The run page's week-by-week calendar: each week a cell, the weeks of a stay marked with the
trainee's first name (escaped), written by ``stays_calendar.calendar_cells``."""

import re

import pytest
from django.urls import reverse

from tests.accounts.login import verified_login

from .factories import member, need, offer, proposal, world

pytestmark = pytest.mark.django_db


def test_the_weeks_of_a_stay_carry_the_trainee_and_the_others_are_empty(client):
    w = world()
    trainee = member(w.department, "trainee", first_name="<b>Ali</b>")
    draft = proposal(w, need(w, trainee=trainee, length=2), offer(w))
    verified_login(client, w.coordinator)
    html = client.get(
        reverse("stays:run", kwargs={"region": w.region.slug, "public_id": draft.run.public_id})
    ).content.decode()
    calendar = html[html.index("samspil-stays-calendar") :]
    taken = re.findall(r'<td class="samspil-stays-cell samspil-stays-cell--taken">(.*?)</td>', calendar)
    assert taken == ['<span class="samspil-stays-who">&lt;b&gt;Ali&lt;/b&gt;</span>'] * 2
    weeks = calendar.count('<th scope="col" class="samspil-stays-week">')
    assert calendar.count('<td class="samspil-stays-cell') == weeks
