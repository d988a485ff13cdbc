"""Clinical text as HTML that shows every character as written.

A message between clinicians is plain text, as MedCom's CareCommunication carries it: nothing in
it is markup. ``Dosis <i.v.> 5 mg`` must not lose ``<i.v.>`` to an HTML sanitiser, ``**`` and
``#`` must not turn into emphasis or headings, and a letter's lines must not merge. So every
character is escaped, a line break becomes ``<br>``, and the container keeps runs of spaces and
tabs (``white-space: pre-wrap`` in the stylesheet). The stored text is what the MedCom export
sends, so the portal and the receiving system show the same thing.
"""

from django.utils.html import escape

from .sanitise import clean_html

#: The class the stylesheet gives ``white-space: pre-wrap``.
CSS_CLASS = "samspil-plain-text"


def plain_text_html(text: str) -> str:
    """``text`` as sanitised HTML whose visible text is ``text`` itself (line endings as ``\\n``)."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    html = escape(text).replace("\n", "<br>")
    # Nothing here is markup; the allow-list still runs so the stored HTML has one shape everywhere.
    return clean_html(f'<div class="{CSS_CLASS}">{html}</div>')
