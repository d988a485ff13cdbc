"""The one mapping from a service's refusal to a view's answer."""

import pytest
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from portal.core.view_errors import service_call


class NoteForm(forms.Form):
    text = forms.CharField()


def test_permission_denied_becomes_404():
    with pytest.raises(Http404), service_call():
        raise PermissionDenied


def test_validation_error_lands_on_the_named_field():
    form = NoteForm({"text": "x"})
    assert form.is_valid()
    with service_call(form) as call:
        raise ValidationError({"text": "For lang.", "other": "Andet."})
    assert not call.ok
    assert form.errors["text"] == ["For lang."]
    assert form.non_field_errors() == ["Andet."]


def test_validation_error_without_form_is_kept_for_a_message():
    with service_call() as call:
        raise ValidationError("Tråden er lukket.")
    assert call.messages == "Tråden er lukket."


def test_success_and_other_errors_pass_through():
    with service_call() as call:
        pass
    assert call.ok
    with pytest.raises(KeyError), service_call():
        raise KeyError("x")
