"""How a view answers a service that refuses: one mapping for every login module.

Services raise ``PermissionDenied`` when the rules say no, and ``ValidationError``
(in Danish) when the request breaks a domain rule. A view turns the first into 404,
so that objects outside a user's reach do not reveal that they exist, and the second
into errors on its form (or a message on the page) instead of a 500::

    with service_call(form) as call:
        thread = services.thread_open(...)
    if call.ok:
        return redirect(...)
    return render(..., {"form": form}, status=400)
"""

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404


def add_service_error(form: forms.Form, error: ValidationError) -> None:
    """A service's ValidationError on the form: on the named field where the form has it."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


class service_call:  # noqa: N801 - used like a function: ``with service_call(form) as call``
    """Context manager: PermissionDenied -> Http404; ValidationError -> ``error`` (and the form)."""

    def __init__(self, form: forms.Form | None = None):
        self.form = form
        self.error: ValidationError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    @property
    def messages(self) -> str:
        """The refusal as one line, for ``django.contrib.messages``."""
        return " ".join(self.error.messages) if self.error is not None else ""

    def __enter__(self) -> "service_call":
        return self

    def __exit__(self, exc_type, exc, traceback) -> bool:
        if exc_type is None:
            return False
        if issubclass(exc_type, PermissionDenied):
            raise Http404 from None
        if issubclass(exc_type, ValidationError):
            self.error = exc
            if self.form is not None:
                add_service_error(self.form, exc)
            return True
        return False
