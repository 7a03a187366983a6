"""Form plumbing: Bootstrap classes on every widget, so templates stay simple."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import ValidationError

from kundenbild.core.errors import ApplicationError

T = TypeVar("T")


def style_fields(form: forms.BaseForm) -> None:
    """Give each widget the Bootstrap class its kind needs.

    Checkbox and radio groups get the class on each of their inputs (Django copies the
    widget's attributes to every option), so core/_field.html lays them out as form-checks.
    """
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        existing = widget.attrs.get("class", "")
        widget.attrs["class"] = f"{existing} {css}".strip()


class StyledForm(forms.Form):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        style_fields(self)

    def add_error(self, field: str | None, error: Any) -> None:
        """Mark the widgets of fields with errors, including errors added after cleaning."""
        super().add_error(field, error)
        for name in self.errors:
            widget = self.fields[name].widget if name in self.fields else None
            if widget is not None and "is-invalid" not in widget.attrs.get("class", ""):
                widget.attrs["class"] = widget.attrs.get("class", "") + " is-invalid"
                widget.attrs["aria-invalid"] = "true"


def submit(
    form: forms.BaseForm,
    call: Callable[[], T],
    *,
    field_for: Callable[[str], str] = lambda name: name,
) -> T | None:
    """Validate the form, then run the service; put any refusal next to its field.

    Returns the service's result, or None when the form or the service refused (the form
    then carries why), so a view only redirects on success and re-renders otherwise.
    """
    if not form.is_valid():
        return None
    try:
        return call()
    except ValidationError as error:
        for name, errors in error.message_dict.items():
            field = field_for(name)
            form.add_error(field if field in form.fields else None, errors)
    except ApplicationError as error:
        target = field_for(error.field) if error.field else None
        form.add_error(
            target if target in form.fields else None,
            ValidationError(str(error.message), code=error.code),
        )
    return None
