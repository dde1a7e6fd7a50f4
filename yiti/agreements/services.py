"""The agreement ladder: signed → project started → funds arrived → landed, or terminated.

The status of an agreement only changes here, each time with dated evidence, so that every
figure reported upward ("agreements landed this year") can be traced to its evidence.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from yiti.agreements.choices import FINAL_STEPS, LADDER, Step
from yiti.agreements.models import Agreement, Evidence


def next_steps(agreement: Agreement) -> list[Step]:
    """The steps an agreement may move to from where it is (forward on the ladder, or terminate)."""
    if agreement.status in FINAL_STEPS:
        return []
    position = LADDER.index(Step(agreement.status))
    return [*LADDER[position + 1 :], Step.TERMINATED]


@transaction.atomic
def record_step(agreement: Agreement, step: str, date: datetime.date, note: str, user=None,
                reference: str = "") -> Evidence:
    agreement = Agreement.objects.select_for_update().get(pk=agreement.pk)
    if step not in next_steps(agreement):
        raise ValidationError(
            _("An agreement that is “%(current)s” cannot move to “%(step)s”.")
            % {"current": agreement.get_status_display(), "step": Step(step).label}
        )
    last = agreement.evidence.order_by("-date").values_list("date", flat=True).first() or agreement.signed_date
    if date < last:
        raise ValidationError(
            {"date": _("The date lies before the previous step (%(last)s).") % {"last": last.isoformat()}}
        )
    if date > datetime.date.today():
        raise ValidationError({"date": _("Evidence cannot be dated in the future.")})
    if not note.strip():
        raise ValidationError({"note": _("Describe the evidence for this step.")})
    evidence = Evidence.objects.create(agreement=agreement, step=step, date=date, note=note, reference=reference,
                                       recorded_by=user)
    agreement.status = step
    agreement.save(update_fields=["status", "updated_at"])
    return evidence


@transaction.atomic
def create_agreement(form, user) -> Agreement:
    """Save a new agreement with its first evidence: the signing itself."""
    agreement = form.save(commit=False)
    agreement.created_by = user
    agreement.status = Step.SIGNED
    agreement.save()
    form.save_m2m()
    signing_evidence(agreement, user).save()
    return agreement


def signing_evidence(agreement: Agreement, user) -> Evidence:
    """The first rung of every agreement's ladder: the signing, dated on the signing date."""
    return Evidence(agreement=agreement, step=Step.SIGNED, date=agreement.signed_date, note=_("Agreement signed."),
                    recorded_by=user)


def import_check(values: dict) -> dict[str, str]:
    """The edit form's rules for a spreadsheet row (the model cannot see many-to-many values)."""
    errors = {}
    if len(values.get("parties") or []) < 2:
        errors["parties"] = _("An agreement has at least two parties.")
    signed = values.get("signed_date")
    if signed and signed > datetime.date.today():
        errors["signed_date"] = _("The signing date cannot lie in the future.")
    return errors


def signed_on_import(agreements: list[Agreement], user) -> None:
    """Imported agreements start on the ladder like those entered by hand: signed, with evidence."""
    Evidence.objects.bulk_create([signing_evidence(a, user) for a in agreements])
