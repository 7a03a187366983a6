"""The upload form, and the forms to correct the column mapping and the dialect (of a
sales file, and of a master-data file)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.conf import settings
from django.core.validators import FileExtensionValidator
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from kundenbild.analytics.io.columns import FIELDS, REQUIRED
from kundenbild.analytics.io.reading import DATE_FORMATS, Dialect
from kundenbild.core.forms import StyledForm
from kundenbild.imports.master.kinds import KINDS
from kundenbild.imports.master.services import HANDLERS
from kundenbild.imports.master_labels import field_label
from kundenbild.imports.middleware import too_large_message
from kundenbild.imports.models import ImportContent, ImportMapping
from kundenbild.imports.services import FIELD_LABELS

FILE_TYPES = FileExtensionValidator(
    allowed_extensions=["csv", "txt", "tsv", "xlsx", "xlsm", "parquet", "pq"],
    message=_("Use a CSV, Excel (.xlsx) or Parquet file."),
)
ENCODINGS = [("utf-8", "UTF-8"), ("utf-8-sig", "UTF-8 (BOM)"), ("cp1252", "Windows-1252")]
DELIMITERS = [(";", _("semicolon ;")), (",", _("comma ,")), ("\t", _("tab")), ("|", "|")]


def importable() -> list[ImportContent]:
    """What a file can hold today: sales lines, and each kind of master data that has
    its import."""
    return [c for c in ImportContent if c == ImportContent.SALES or c in HANDLERS]


class _UploadForm(StyledForm):
    """A form with a `file` of at most `settings.MAX_UPLOAD_BYTES`."""

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise forms.ValidationError(too_large_message())
        return upload

    def refuse_as_too_large(self) -> None:
        """The files were discarded unread for their size (`UploadLimitMiddleware`)."""
        self.is_valid()
        self.errors["file"] = self.error_class([too_large_message()])


class UploadForm(_UploadForm):
    # not required: a form without it (an older page, a script) uploads sales lines
    content = forms.ChoiceField(
        label=_("The file holds"), initial=ImportContent.SALES, required=False
    )
    file = forms.FileField(
        label=_("ERP export"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.tsv,.xlsx,.parquet"}),
        validators=[FILE_TYPES],
    )
    mapping = forms.ModelChoiceField(
        label=_("Saved column mapping"),
        queryset=ImportMapping.objects.none(),
        required=False,
        empty_label=_("recognise the columns"),
        to_field_name="name",
    )
    create_missing = forms.BooleanField(
        label=_("Create unknown customers and offerings"),
        help_text=_("Sales lines only: a customer created so is marked “no master data yet”."),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mapping"].queryset = ImportMapping.objects.order_by("content", "name")  # type: ignore[attr-defined]
        self.fields["mapping"].label_from_instance = (  # type: ignore[attr-defined]
            lambda mapping: f"{mapping.name} ({mapping.get_content_display()})"
        )
        self.fields["content"].choices = [(c.value, capfirst(c.label)) for c in importable()]  # type: ignore[attr-defined]
        self.fields["file"].help_text = _(
            "CSV (semicolon or comma), Excel (.xlsx) or Parquet, up to %(mb)s MB."
        ) % {"mb": settings.MAX_UPLOAD_BYTES >> 20}

    def clean_content(self) -> str:
        return str(self.cleaned_data.get("content") or ImportContent.SALES)

    def clean(self) -> dict[str, Any]:
        """A saved mapping serves the kind of file it was saved for only."""
        cleaned = super().clean() or {}
        mapping, content = cleaned.get("mapping"), cleaned.get("content")
        if mapping is not None and content and mapping.content != content:
            self.add_error(
                "mapping",
                _("This mapping is for %(its)s, not for %(chosen)s; choose another or none.")
                % {
                    "its": mapping.get_content_display(),
                    "chosen": ImportContent(content).label,
                },
            )
        return cleaned


class MappingForm(StyledForm):
    """Which column holds which field, and how the file is written."""

    encoding = forms.ChoiceField(label=_("Encoding"), choices=ENCODINGS)
    delimiter = forms.ChoiceField(label=_("Delimiter"), choices=DELIMITERS)
    decimal = forms.ChoiceField(
        label=_("Decimal mark"), choices=[(",", _("comma: 1.234,56")), (".", _("point: 1,234.56"))]
    )
    date_format = forms.ChoiceField(
        label=_("Date format"),
        choices=[(f, date(2025, 12, 31).strftime(f)) for f in DATE_FORMATS],
    )
    create_missing = forms.BooleanField(
        label=_("Create unknown customers and offerings"), required=False
    )
    mapping_name = forms.CharField(
        label=_("Save this mapping as"),
        max_length=100,
        required=False,
        help_text=_("Optional; the next export can then use it by name."),
    )

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "—"), *((h, h) for h in headers)]
        for name in reversed(FIELDS):
            self.fields = {
                f"col_{name}": forms.ChoiceField(
                    label=capfirst(str(FIELD_LABELS[name])),  # capitalize() lowers the rest
                    choices=choices,
                    # revenue may instead come from quantity times unit price
                    required=name in REQUIRED and name != "net_revenue",
                    widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
                ),
                **self.fields,
            }

    @staticmethod
    def initial_for(
        mapping: dict[str, str], dialect: dict[str, str], create_missing: bool
    ) -> dict[str, Any]:
        return {
            **{f"col_{k}": v for k, v in mapping.items()},
            **dialect,
            "create_missing": create_missing,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            hasattr(self, "cleaned_data")
            and not cleaned.get("col_net_revenue")
            and not (cleaned.get("col_quantity") and cleaned.get("col_unit_price"))
        ):
            self.add_error(
                "col_net_revenue",
                _("Choose the net revenue column, or both quantity and unit price."),
            )
        return cleaned

    def columns(self) -> dict[str, str]:
        return {
            name: self.cleaned_data[f"col_{name}"]
            for name in FIELDS
            if self.cleaned_data.get(f"col_{name}")
        }

    def dialect(self) -> Dialect:
        d = self.cleaned_data
        return Dialect(
            encoding=d["encoding"],
            delimiter=d["delimiter"],
            decimal=d["decimal"],
            date_format=d["date_format"],
        )


class CostUploadForm(_UploadForm):
    file = forms.FileField(
        label=_("Costs per customer and period"),
        help_text=_(
            "Columns: customer number, period (2025-03, 03/2025 or 2025), kind of cost "
            "(bonus, rebate, freight, special service, key account, support), amount."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.txt,.xlsx,.parquet"}),
        validators=[FILE_TYPES],
    )
    dry_run = forms.BooleanField(label=_("Only check, import nothing"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("prefix", "costs")
        super().__init__(*args, **kwargs)


class MasterMappingForm(StyledForm):
    """Which column of a master-data file holds which field of its kind, and how the
    file is written (blank: as recognised)."""

    encoding = forms.ChoiceField(
        label=_("Encoding"), choices=[("", _("recognise")), *ENCODINGS], required=False
    )
    delimiter = forms.ChoiceField(
        label=_("Delimiter"), choices=[("", _("recognise")), *DELIMITERS], required=False
    )
    mapping_name = forms.CharField(
        label=_("Save this mapping as"),
        max_length=100,
        required=False,
        help_text=_("Optional; the next export can then use it by name."),
    )

    def __init__(self, *args: Any, content: str, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind = KINDS[content]
        choices = [("", _("— not in the file —")), *((h, h) for h in headers)]
        columns = {
            f"col_{name}": forms.ChoiceField(
                label=field_label(content, name),
                choices=choices,
                required=name in kind.required,
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            for name in kind.fields
        }
        self.fields = {**columns, **self.fields}
        self.kind = kind

    @staticmethod
    def initial_for(mapping: dict[str, str], dialect: dict[str, str]) -> dict[str, Any]:
        return {
            **{f"col_{k}": v for k, v in mapping.items()},
            "encoding": dialect.get("encoding", ""),
            "delimiter": dialect.get("delimiter", ""),
        }

    def column_fields(self) -> list[forms.BoundField]:
        return [self[f"col_{name}"] for name in self.kind.fields]

    def format_fields(self) -> list[forms.BoundField]:
        return [self["encoding"], self["delimiter"]]

    def columns(self) -> dict[str, str]:
        """Field → header; "" for a field the user left out ("not in the file"), which
        the guess then leaves alone."""
        return {name: self.cleaned_data.get(f"col_{name}") or "" for name in self.kind.fields}

    def overrides(self) -> dict[str, str]:
        """How the user says the file is written; what is blank is recognised."""
        return {
            key: self.cleaned_data[key]
            for key in ("encoding", "delimiter")
            if self.cleaned_data.get(key)
        }
