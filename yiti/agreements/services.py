"""The agreement ladder: signed → project started → funds arrived → landed, or terminated.

The status of an agreement only changes here, one rung at a time, each rung with its own dated
evidence, so that every figure reported upward ("agreements landed this year") can be traced to its
evidence. A late entry of several rungs at once is allowed — each rung still with its own date and
evidence. The rules take plain values and raise `ValidationError`s with a code (`error_codes` lists
them); the progress form and the import both go through them.
"""

import datetime
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files import File
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.agreements.choices import FINAL_STEPS, LADDER, Step
from yiti.agreements.models import Agreement, Attachment, Evidence

# Accepted evidence files: extension → the signature their content starts with. docx and xlsx are zip
# packages; the part named here tells a Word document from a workbook (and from any other zip).
ATTACHMENT_TYPES: dict[str, tuple[bytes, str | None]] = {
    ".pdf": (b"%PDF-", None),
    ".jpg": (b"\xff\xd8\xff", None),
    ".jpeg": (b"\xff\xd8\xff", None),
    ".png": (b"\x89PNG\r\n\x1a\n", None),
    ".docx": (b"PK\x03\x04", "word/document.xml"),
    ".xlsx": (b"PK\x03\x04", "xl/workbook.xml"),
}
DEFAULT_MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024


def max_attachment_bytes() -> int:
    return int(getattr(settings, "YITI_EVIDENCE_MAX_BYTES", DEFAULT_MAX_ATTACHMENT_BYTES))


@dataclass
class StepEntry:
    """One rung to record: what the progress form's row (or a caller) gives, as plain values."""

    step: str
    date: datetime.date | None
    note: str
    reference: str = ""
    amount: Decimal | None = None  # yuan; 资金到位 only
    files: Sequence[Any] = field(default_factory=list)  # objects with .name, .size and a binary stream


def next_steps(agreement: Agreement) -> list[Step]:
    """The steps an agreement may move to next: the next rung of the ladder, or terminate."""
    return steps_after(agreement.status)


def steps_after(status: str) -> list[Step]:
    if status in FINAL_STEPS:
        return []
    position = LADDER.index(Step(status))
    return [*LADDER[position + 1 : position + 2], Step.TERMINATED]


def remaining_rungs(status: str) -> list[Step]:
    """The rungs still ahead of an agreement, in order (the rows of the progress form)."""
    if status in FINAL_STEPS:
        return []
    return LADDER[LADDER.index(Step(status)) + 1 :]


def _error(errors: dict[str, list[ValidationError]], key: str, message: str, code: str) -> None:
    errors.setdefault(key, []).append(ValidationError(message, code=code))


def check_steps(status: str, last_date: datetime.date, entries: Sequence[StepEntry],
                today: datetime.date | None = None) -> None:
    """Refuse entries that skip a rung, go back in time, lie in the future or lack their evidence.

    Errors are keyed "<step>_<field>" (the progress form's field names) or NON_FIELD_ERRORS.
    """
    today = today or timezone.localdate()
    errors: dict[str, list[ValidationError]] = {}
    if not entries:
        _error(errors, NON_FIELD_ERRORS, _("Fill in at least the next step with its date and evidence."), "no_step")
        raise ValidationError(errors)
    current, previous_date, previous_label = status, last_date, Step(status).label
    for entry in entries:
        step = Step(entry.step)
        allowed = steps_after(current)
        if not allowed:
            _error(errors, NON_FIELD_ERRORS, _("An agreement that is “%(current)s” takes no further steps.")
                   % {"current": Step(current).label}, "final")
            break
        if step not in allowed:
            missing = allowed[0]
            _error(errors, NON_FIELD_ERRORS,
                   _("“%(step)s” cannot follow “%(current)s”: record “%(missing)s” first, with its own date and "
                     "evidence.") % {"step": step.label, "current": Step(current).label, "missing": missing.label},
                   "skipped")
            break
        if entry.date is None:
            _error(errors, f"{step}_date", _("Give the date of “%(step)s”.") % {"step": step.label}, "required")
        elif entry.date > today:
            _error(errors, f"{step}_date", _("The date of “%(step)s” cannot lie in the future.")
                   % {"step": step.label}, "future")
        elif entry.date < previous_date:
            _error(errors, f"{step}_date",
                   _("The date of “%(step)s” lies before that of “%(previous)s” (%(date)s).")
                   % {"step": step.label, "previous": previous_label, "date": previous_date.isoformat()}, "backwards")
        if not (entry.note or "").strip():
            _error(errors, f"{step}_note", _("Describe the evidence for “%(step)s”.") % {"step": step.label},
                   "required")
        if step == Step.FUNDS_ARRIVED and (entry.amount is None or entry.amount <= 0):
            _error(errors, f"{step}_amount", _("Give the amount that arrived, in yuan (more than 0)."), "amount")
        for upload in entry.files:
            try:
                check_attachment(upload.name, upload.size, upload)
            except ValidationError as exc:
                errors.setdefault(f"{step}_files", []).extend(exc.error_list)
        current = step
        if entry.date is not None:
            previous_date = max(previous_date, entry.date)
        previous_label = step.label
    if errors:
        raise ValidationError(errors)


def check_attachment(name: str, size: int, stream: BinaryIO) -> None:
    """A file is accepted when its extension is one of ATTACHMENT_TYPES, its content carries the
    matching signature, and it is within the size limit. The error names the file and the reason."""
    suffix = Path(name).suffix.lower()
    accepted = "、".join(sorted({s.lstrip(".") for s in ATTACHMENT_TYPES} - {"jpeg"}))
    if suffix not in ATTACHMENT_TYPES:
        raise ValidationError(_("“%(name)s” was not accepted: only %(types)s files can be attached.")
                              % {"name": name, "types": accepted}, code="file_type")
    limit = max_attachment_bytes()
    if size > limit:
        raise ValidationError(_("“%(name)s” was not accepted: it is %(size)s, larger than the limit of %(limit)s.")
                              % {"name": name, "size": filesizeformat(size), "limit": filesizeformat(limit)},
                              code="file_size")
    if size == 0:
        raise ValidationError(_("“%(name)s” was not accepted: the file is empty.") % {"name": name},
                              code="file_empty")
    signature, part = ATTACHMENT_TYPES[suffix]
    stream.seek(0)
    head = stream.read(len(signature))
    genuine = head == signature
    if genuine and part:
        stream.seek(0)
        try:
            with zipfile.ZipFile(stream) as package:  # reads the directory only, not the members
                genuine = part in package.namelist()
        except (zipfile.BadZipFile, OSError, ValueError):
            genuine = False
    stream.seek(0)
    if not genuine:
        raise ValidationError(_("“%(name)s” was not accepted: its content is not a %(type)s file (the name says "
                                "%(type)s, the content does not).") % {"name": name, "type": suffix.lstrip(".")},
                              code="file_content")


@transaction.atomic
def record_steps(agreement: Agreement, entries: Sequence[StepEntry], user: Any = None) -> list[Evidence]:
    """Record one or more consecutive rungs, each with its evidence and attachments."""
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    last = agreement.evidence.order_by("-date").values_list("date", flat=True).first() or agreement.signed_date
    check_steps(agreement.status, last, entries)
    recorded = []
    for entry in entries:
        assert entry.date is not None  # check_steps refused a missing date
        evidence = Evidence.objects.create(
            agreement=agreement, step=entry.step, date=entry.date, note=entry.note.strip(),
            reference=entry.reference, amount=entry.amount if entry.step == Step.FUNDS_ARRIVED else None,
            recorded_by=user)
        for upload in entry.files:
            upload.seek(0)
            attachment = Attachment(evidence=evidence, name=Path(upload.name).name[:200], size=upload.size,
                                    uploaded_by=user)
            attachment.file.save(upload.name, File(upload), save=False)
            attachment.save()
        recorded.append(evidence)
    agreement.status = entries[-1].step
    agreement.save(update_fields=["status", "updated_at"])
    return recorded


def record_step(agreement: Agreement, step: str, date: datetime.date, note: str, user: Any = None,
                reference: str = "", amount: Decimal | None = None, files: Sequence[Any] = ()) -> Evidence:
    """Record the next rung (a single-row `record_steps`)."""
    return record_steps(agreement, [StepEntry(step, date, note, reference, amount, files)], user)[0]


def check_agreement(values: dict[str, Any], agreement: Agreement | None = None) -> None:
    """The rules of an agreement's own values, for the edit form, the import and the services below.

    Only the values given are checked (a form whose date could not be read still has its parties
    checked). Codes: "parties" (fewer than two), "future_signing" (signed after today), "after_evidence"
    (signed after the evidence of a later rung of `agreement`).
    """
    errors: dict[str, list[ValidationError]] = {}
    if "parties" in values and len(values["parties"] or []) < 2:
        _error(errors, "parties", _("An agreement has at least two parties."), "parties")
    signed = values.get("signed_date")
    if signed and signed > timezone.localdate():
        _error(errors, "signed_date", _("The signing date cannot lie in the future."), "future_signing")
    elif signed and agreement is not None and agreement.pk is not None:
        first = agreement.evidence.exclude(step=Step.SIGNED).order_by("date").values_list("date", flat=True).first()
        if first and signed > first:
            _error(errors, "signed_date", _("The signing date cannot lie after the evidence of later steps "
                                            "(%(date)s).") % {"date": first.isoformat()}, "after_evidence")
    if errors:
        raise ValidationError(errors)


def _write(agreement: Agreement, values: dict[str, Any], parties: Any, needs: Any) -> None:
    """Check and save `values`; `parties` or `needs` None leaves those links as they are."""
    check_agreement(values if parties is None else {**values, "parties": parties}, agreement)
    for name, value in values.items():
        setattr(agreement, name, value)
    agreement.full_clean()
    agreement.save()
    if parties is not None:
        agreement.parties.set(parties)
    if needs is not None:
        agreement.needs.set(needs)


@transaction.atomic
def create_agreement(*, user: Any, parties: Any, needs: Any = (), **values: Any) -> Agreement:
    """A new agreement from its values (title, kind, signed_date …), on the first rung of the ladder
    with the signing as its evidence. `parties` and `needs` are organisations and needs (or their ids)."""
    agreement = Agreement(created_by=user, status=Step.SIGNED)
    _write(agreement, values, parties, needs)
    signing_evidence(agreement, user).save()
    return agreement


@transaction.atomic
def update_agreement(agreement: Agreement, *, parties: Any = None, needs: Any = None, **values: Any) -> Agreement:
    """Change the values given (never the status: that moves only up the ladder, `record_steps`).
    The signing evidence follows the signing date, saved record by record so that the audit trail
    shows the change."""
    _write(agreement, values, parties, needs)
    for evidence in agreement.evidence.filter(step=Step.SIGNED).exclude(date=agreement.signed_date):
        evidence.date = agreement.signed_date
        evidence.save(update_fields=["date"])
    return agreement


def signing_evidence(agreement: Agreement, user) -> Evidence:
    """The first rung of every agreement's ladder: the signing, dated on the signing date."""
    return Evidence(agreement=agreement, step=Step.SIGNED, date=agreement.signed_date, note=_("Agreement signed."),
                    recorded_by=user)


def import_check(values: dict) -> dict[str, str]:
    """`check_agreement` for a spreadsheet row (the import checks the model's own rules itself, but the
    model cannot see many-to-many values), as the import reports errors: field → message."""
    try:
        check_agreement(values)
    except ValidationError as exc:
        return {name: " ".join(m for e in errors for m in e.messages) for name, errors in exc.error_dict.items()}
    return {}


def signed_on_import(agreements: list[Agreement], user) -> None:
    """Imported agreements start on the ladder like those entered by hand: at its first rung, with the
    signing as evidence. Later rungs are recorded on the agreement's page, one by one with evidence —
    a spreadsheet cannot put an agreement further up."""
    if not agreements:
        return
    Agreement.objects.filter(pk__in=[a.pk for a in agreements]).exclude(status=Step.SIGNED).update(status=Step.SIGNED)
    for agreement in agreements:
        agreement.status = Step.SIGNED
    Evidence.objects.bulk_create([signing_evidence(a, user) for a in agreements])
