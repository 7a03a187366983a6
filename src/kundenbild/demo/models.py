"""The shape each demo customer was generated with: a label for tests, never for analysis."""

from __future__ import annotations

from django.db import models


class DemoLabel(models.Model):
    customer = models.OneToOneField(
        "customers.Customer", on_delete=models.CASCADE, related_name="demo_label"
    )
    shape = models.CharField(max_length=20)

    def __str__(self) -> str:
        return f"{self.customer_id}: {self.shape}"
