"""The shared select markup: options written in Python (``portal.core.form_tags``), escaped, the
current value selected, for bound and unbound forms alike."""

from django import forms
from django.template import engines

TEMPLATE = engines["django"].from_string('{% include "includes/form_field.html" with field=form.choice %}')


class ChoiceForm(forms.Form):
    choice = forms.ChoiceField(
        label="Valg",
        choices=[("", "---------"), ("a", "Almen praksis"), ('"b"', "<script>alert(1)</script> & co")],
        required=False,
    )


def test_every_option_is_written_with_its_label_escaped():
    html = TEMPLATE.render({"form": ChoiceForm()})
    assert '<option value="a">Almen praksis</option>' in html
    assert '<option value="&quot;b&quot;">&lt;script&gt;alert(1)&lt;/script&gt; &amp; co</option>' in html
    assert "<script>" not in html
    # Nothing chosen yet: the empty choice, as a browser would show it anyway.
    assert '<option value="" selected>' in html and html.count(" selected") == 1


def test_the_submitted_value_is_selected_and_only_that_one():
    html = TEMPLATE.render({"form": ChoiceForm({"choice": '"b"'})})
    assert '<option value="&quot;b&quot;" selected>' in html
    assert html.count(" selected") == 1


def test_an_initial_value_is_selected_on_an_unbound_form():
    html = TEMPLATE.render({"form": ChoiceForm(initial={"choice": "a"})})
    assert '<option value="a" selected>Almen praksis</option>' in html


def test_quotes_and_lazy_labels_are_escaped_as_the_template_would():
    from django.utils.html import escape
    from django.utils.translation import gettext_lazy

    class LazyForm(forms.Form):
        choice = forms.ChoiceField(choices=[("o'b", gettext_lazy("Yes")), ("c", "Læge's <b>")])

    html = TEMPLATE.render({"form": LazyForm()})
    value, label = escape("o'b"), escape("Læge's <b>")
    assert value == "o&#x27;b" and f'<option value="{value}">' in html
    assert f'<option value="c">{label}</option>' in html
    assert f'<option value="{value}">{escape(str(gettext_lazy("Yes")))}</option>' in html
