"""Clinical text never loses a character: the portal shows it, and MedCom sends it, as written.

One table of clinical strings goes through every way a message body travels: written in the
portal (opening a thread, replying), exported as a CareCommunication bundle (JSON and XML), and
imported from one. The visible text of the rendered HTML must equal the input exactly.
"""

import copy
import json
from html.parser import HTMLParser

import pytest

from portal.core.plaintext import plain_text_html
from portal.correspondence.medcom import parse_bundle
from portal.correspondence.medcom.exporting import message_bundle
from portal.correspondence.medcom.importing import IMPORTED, carecommunication_import
from portal.correspondence.medcom.parsing import load_bundle_dict
from portal.correspondence.services import message_send
from tests.correspondence.factories import open_thread, world

from .test_carecommunication import TEST_CPR, _example
from .test_import import served

pytestmark = pytest.mark.django_db

CLINICAL_TEXTS = [
    "Dosis <i.v.> 5 mg. Pt. <Bruno Elmer> og pårørende er informeret.",
    "<",
    ">",
    "<i.v.>",
    "a<b",
    "x > 5",
    "&",
    "&amp; er ikke &",
    "<<",
    ">>",
    "<>",
    "</script>",
    "<script>alert(1)</script>",
    "<b>fed?</b> <i>kursiv?</i>",
    "<!-- ikke en kommentar -->",
    "**",
    "**fed**",
    "_",
    "_x_ og __y__",
    "#",
    "# ikke en overskrift",
    "1. ikke en liste\n2. heller ikke",
    "- ikke et punkt\n* heller ikke",
    "    ikke kode",
    "`ikke kode`",
    "> ikke et citat",
    "[tekst](https://example.org)",
    "https://www.sundhed.dk/sundhedsfaglig/?a=1&b=<2>",
    "Se www.medcom.dk eller mail@example.org",
    "Linje 1\nLinje 2\nLinje 3",
    "Afsnit 1\n\nAfsnit 2\n\n\nAfsnit 3",
    "Mvh\nGrete Lægesen\nPraktiserende læge",
    "Kolonne 1\tKolonne 2\t\tKolonne 3",
    "to  mellemrum   og tre",
    "  indrykket første linje",
    "slutter med mellemrum  ",
    "Smerter 😖 → bedre 🙂 🩺",
    "Æble, øl og Åse; æøå ÆØÅ",
    "\"citat\" og 'apostrof' og `backtick`",
    "\u00a0hårdt mellemrum og \u2009smalt",
    "BT 120/80, puls < 60 og > 100 slag/min",
    "\\n er ikke et linjeskift \\",
]


class _VisibleText(HTMLParser):
    """What a browser shows: text nodes with entities decoded, ``<br>`` as a line break."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag, attrs):
        self.tags.add(tag)
        if tag == "br":
            self.parts.append("\n")

    def handle_data(self, data):
        self.parts.append(data)


def visible_text(html: str) -> tuple[str, set[str]]:
    parser = _VisibleText()
    parser.feed(html)
    parser.close()
    return "".join(parser.parts), parser.tags


def _assert_shown_as_written(html: str, text: str) -> None:
    shown, tags = visible_text(html)
    assert shown == text.replace("\r\n", "\n")
    # Nothing in a clinical text becomes markup.
    assert tags <= {"div", "br"}


@pytest.mark.parametrize("text", [*CLINICAL_TEXTS, "Blodtryk 120/80\r\nPuls 72"])
def test_plain_text_html_shows_every_character(text):
    _assert_shown_as_written(plain_text_html(text), text)


@pytest.fixture
def w():
    w = world()
    for org, sor in ((w.practice, "123451000016007"), (w.department, "265161000016000")):
        org.sor_code = sor
        org.save(update_fields=["sor_code"])
    return w


@pytest.mark.parametrize("text", CLINICAL_TEXTS)
def test_a_portal_message_shows_and_exports_the_text_as_written(w, text):
    thread = open_thread(w, patient_cpr=TEST_CPR, body=text)
    question = thread.messages.get()
    answer, _created = message_send(thread=thread, author=w.specialist, body=text)
    for message in (question, answer):
        assert message.body == text
        _assert_shown_as_written(message.body_html, text)
        for fmt in ("json", "xml"):
            exported = parse_bundle(message_bundle(message, actor=w.gp, format=fmt))
            texts = [p.text for p in exported.communication.payloads if p.text is not None]
            # Every segment of the conversation carries the text exactly (XML included).
            assert texts and set(texts) == {text}


def test_a_form_line_ending_is_stored_as_one_line_break(w):
    thread = open_thread(w, body="\r\nBlodtryk 120/80\r\nPuls 72\r\n\r\n")
    message = thread.messages.get()
    assert message.body == "Blodtryk 120/80\nPuls 72"
    _assert_shown_as_written(message.body_html, message.body)


def test_the_reported_dosage_text_keeps_every_character_in_the_thread_page(client, w):
    from tests.accounts.login import verified_login
    from tests.correspondence.test_views import thread_url

    text = "Dosis <i.v.> 5 mg. Pt. <Bruno Elmer> og pårørende.\nMvh\nGrete"
    thread = open_thread(w, body=text)
    verified_login(client, w.specialist)
    html = client.get(thread_url(thread)).content.decode()
    assert "Dosis &lt;i.v.&gt; 5 mg. Pt. &lt;Bruno Elmer&gt; og pårørende.<br>Mvh<br>Grete" in html


@pytest.mark.parametrize("text", CLINICAL_TEXTS)
def test_an_imported_message_shows_the_text_as_written(text):
    served("1017421000016003")  # S-C's receiving practice
    bundle = copy.deepcopy(load_bundle_dict(_example("S-C").read_bytes()))
    comm = next(e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == "Communication")
    comm["payload"][0]["contentString"] = text
    outcome = carecommunication_import(json.dumps(bundle).encode())
    assert outcome.status == IMPORTED, outcome.reason
    message = outcome.thread.messages.get()
    assert message.body == text
    _assert_shown_as_written(message.body_html, text)
