"""Data-migration helpers shared by the apps' migrations (encrypting columns in place).

Kept small and stable on purpose: migrations import them, so changing their behaviour changes what
old migrations do.
"""

from collections.abc import Callable, Iterator
from typing import Any

BATCH = 2000


def batches(model: Any, fields: list[str], size: int = BATCH) -> Iterator[list[Any]]:
    """The rows of `model` in primary-key order, `size` at a time, with only `fields` loaded."""
    last = 0
    while True:
        rows = list(model.objects.filter(pk__gt=last).order_by("pk").only("pk", *fields)[:size])
        if not rows:
            return
        yield rows
        last = rows[-1].pk


def encrypt_columns(app_label: str, model_name: str, fields: list[str]) -> tuple[Callable[..., None], Callable[..., None]]:
    """RunPython forward/backward functions that encrypt (and decrypt back) the values of `fields`."""

    def convert(apps: Any, encrypting: bool) -> None:
        from yiti.core import crypto

        model = apps.get_model(app_label, model_name)
        for rows in batches(model, fields):
            for row in rows:
                for name in fields:
                    value = getattr(row, name)
                    if value and crypto.is_ciphertext(value) != encrypting:
                        setattr(row, name, crypto.encrypt(value) if encrypting else crypto.decrypt(value))
            model.objects.bulk_update(rows, fields)

    def forward(apps: Any, schema_editor: Any) -> None:
        convert(apps, encrypting=True)

    def backward(apps: Any, schema_editor: Any) -> None:
        convert(apps, encrypting=False)

    return forward, backward
