"""The business actions of 政策兑现 (docs/policies.md): who may do what, evaluating a policy for one record or
screening every record in scope (免申即享), confirming hits into the benefit ledger, applications (快申快享),
approval, rejection and payment. Each refusal is a ValidationError with a code, keyed by the field it is about.
"""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.core.access import _division_ids
from yiti.orgs.models import Organisation
from yiti.policies import rules
from yiti.policies.choices import OPEN_BENEFIT, BenefitStatus, Channel, Outcome, PolicyKind, Subject
from yiti.policies.models import Benefit, BenefitItem, Hit, Policy, Screening
from yiti.talents.models import Talent


def _refuse(field: str | None, message: str, code: str) -> Any:
    from django.core.exceptions import ValidationError

    return ValidationError({field: ValidationError(message, code=code)} if field else ValidationError(message,
                                                                                                       code=code))


# ---- working days and the payment deadline ---------------------------------------------------------------

def payment_working_days() -> int:
    return int(getattr(settings, "YITI_BENEFIT_PAYMENT_WORKING_DAYS", 60))


def add_working_days(start: date, days: int) -> date:
    """`days` working days (Monday–Friday) after `start`."""
    day = start
    while days > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            days -= 1
    return day


def light(benefit: Benefit, today: date | None = None) -> str:
    """red: an open line past its payment deadline; yellow: due within 10 working days; green otherwise."""
    if benefit.status not in OPEN_BENEFIT:
        return "green"
    today = today or timezone.localdate()
    if benefit.due_on < today:
        return "red"
    if add_working_days(today, 10) >= benefit.due_on:
        return "yellow"
    return "green"


def overdue(today: date) -> QuerySet:
    """Ledger lines still open after their payment deadline (the supervision condition `benefit_overdue`)."""
    return Benefit.objects.filter(status__in=OPEN_BENEFIT, due_on__lt=today)


# ---- who may do what -------------------------------------------------------------------------------------

def _active(user: Any) -> bool:
    return user is not None and user.is_authenticated and user.is_active


def may_grant(user: Any, policy: Policy) -> bool:
    """Screen, confirm, approve, reject and pay: the staff of the policy's granting office (city or county)."""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return getattr(user, "role", "") == "staff" and user.department_id is not None \
        and user.department_id == policy.granting_department_id


def may_see_ledger(user: Any) -> bool:
    return _active(user) and (user.is_superuser or getattr(user, "role", "") in ("staff", "leader", "org_contact"))


def visible_benefits(user: Any) -> QuerySet:
    """The ledger lines `user` may read: leaders and city-wide staff all; other staff those of the policies their
    office grants and those of beneficiaries in their county (department scope: entered by their department);
    an organisation's contact its own organisation's lines; nobody else any."""
    found = Benefit.objects.all()
    if not _active(user):
        return found.none()
    role = getattr(user, "role", "")
    if user.is_superuser or role == "leader":
        return found
    if role == "org_contact":
        return found.filter(organisation_id=user.organisation_id) if user.organisation_id else found.none()
    if role != "staff":
        return found.none()
    if getattr(user, "scope", "") == "city":
        return found
    department = user.department
    if department is None:
        return found.none()
    mine = Q(policy__granting_department_id=department.pk)
    if user.scope == "county":
        mine |= Q(division_id__in=_division_ids(department.division_id))
    else:
        mine |= Q(created_by__department_id=department.pk)
    return found.filter(mine)


def may_apply(user: Any, policy: Policy, organisation: Organisation | None) -> bool:
    """快申快享: an organisation's contact for their own organisation, or the granting office's staff on behalf
    of a beneficiary."""
    if not _active(user) or policy.kind != PolicyKind.QUICK:
        return False
    if may_grant(user, policy):
        return True
    return (getattr(user, "role", "") == "org_contact" and organisation is not None
            and policy.subject == Subject.ORGANISATION and user.organisation_id == organisation.pk)


# ---- the records' columns --------------------------------------------------------------------------------

def subject_queryset(subject: str, user: Any) -> QuerySet:
    """The organisations or talents in `user`'s own scope (not the city-wide pool): what a screening covers."""
    model = Organisation if subject == Subject.ORGANISATION else Talent
    return model.objects.restrict(user, "view", pooled=False)  # type: ignore[attr-defined]


def load_columns(subject: str, queryset: QuerySet, day: date, *, history: bool = True) -> rules.Columns:
    """Every catalogue field of the records of `queryset`, column by column, in one query (plus the code tables'
    parents and, with `history`, one query of the change history)."""
    from yiti.core.models import Discipline, Industry

    catalogue = list(rules.FIELDS[subject].values())
    name_field = "name"
    paths = [f.path for f in catalogue]
    rows = list(queryset.order_by().values_list("pk", name_field, "created_at", *paths))
    columns = rules.Columns(subject=subject, ids=[r[0] for r in rows], names=[r[1] for r in rows],
                            values={}, entered=[timezone.localtime(r[2]).date() if r[2] else None for r in rows])
    for index, f in enumerate(catalogue, 3):
        values: list[Any] = []
        for row in rows:
            value = row[index]
            if value == "" or value is None:
                values.append(None)
            elif f.derive is not None:
                values.append(f.derive(value, day))
            else:
                values.append(value)
        columns.values[f.name] = values
    for model in (Industry, Discipline):
        columns.parents.update(model.objects.filter(parent__isnull=False).values_list("code", "parent__code"))
    if history:
        columns.changed = changed_dates(queryset.model, columns.ids, {f.history for f in catalogue})
    return columns


def changed_dates(model: Any, pks: list[int], fields: Iterable[str]) -> dict[tuple[int, str], date]:
    """(record, column) → the date the column last changed, from the change history (yiti.core.history). A
    record entered without history (a bulk import) has none: its explanation shows the date it was entered."""
    from auditlog.models import LogEntry
    from django.contrib.contenttypes.models import ContentType

    wanted = set(fields)
    found: dict[tuple[int, str], date] = {}
    if not pks:
        return found
    content_type = ContentType.objects.get_for_model(model)
    entries = LogEntry.objects.filter(content_type=content_type).order_by("timestamp", "pk")
    if len(pks) <= 500:
        entries = entries.filter(object_id__in=pks)
    pk_set = set(pks)
    for object_id, timestamp, changes in entries.values_list("object_id", "timestamp", "changes").iterator(2000):
        if object_id not in pk_set or not isinstance(changes, dict):
            continue
        day = timezone.localtime(timestamp).date()
        for name in changes.keys() & wanted:
            found[(object_id, name)] = day
    return found


# ---- evaluating one record ------------------------------------------------------------------------------

def explain_record(policy: Policy, record: Any, day: date | None = None) -> dict[str, Any]:
    """Whether `record` (an organisation or talent) meets the policy, condition by condition."""
    day = day or timezone.localdate()
    model = Organisation if policy.subject == Subject.ORGANISATION else Talent
    columns = load_columns(policy.subject, model.objects.filter(pk=record.pk), day)
    lines = rules.explain(policy.rules, columns, 0)
    states = {line["state"] for line in lines}
    outcome = "failed" if "failed" in states else Outcome.INCOMPLETE if "missing" in states else Outcome.ELIGIBLE
    return {"outcome": outcome, "lines": lines}


def outcome_label(outcome: str) -> str:
    if outcome == "failed":
        return _("Not eligible")
    return str(Outcome(outcome).label)


# ---- 免申即享: screening -----------------------------------------------------------------------------------

def start_screening(policy: Policy, user: Any) -> Screening:
    """Queue a screening of the policy over every record in the user's scope (refused to anyone but the
    granting office, and for a policy that is applied for)."""
    if not may_grant(user, policy):
        raise _refuse(None, _("Only the staff of the granting office (%(office)s) may screen for this policy.")
                      % {"office": policy.granting_department}, "not_granting_office")
    if policy.kind != PolicyKind.AUTOMATIC:
        raise _refuse(None, _("This policy is applied for (quick application); only policies granted without "
                              "application are screened."), "not_automatic")
    from yiti.policies.tasks import screening_job

    screening = Screening.objects.create(registry="policies", user=user, policy=policy, day=timezone.localdate())
    screening.queued(screening_job.enqueue(screening.pk))
    return screening


def run_screening(screening: Screening) -> None:
    """The screening's work: evaluate, explain the eligible and the incomplete, keep them as hits."""
    policy = screening.policy
    with screening.working():
        screening.set_progress("loading", 0, 2)
        queryset = subject_queryset(policy.subject, screening.user)
        columns = load_columns(policy.subject, queryset, screening.day)
        screening.check_cancel()
        screening.set_progress("screening", 1, 2)
        hits = screen_columns(policy, columns)
        key = "organisation_id" if policy.subject == Subject.ORGANISATION else "talent_id"
        with transaction.atomic():
            Hit.objects.filter(screening=screening).delete()
            Hit.objects.bulk_create([Hit(screening=screening, name=name[:200], outcome=outcome, explanation=lines,
                                         **{key: pk}) for pk, name, outcome, lines in hits], batch_size=1000)
        screening.scanned = len(columns)
        screening.eligible = sum(1 for h in hits if h[2] == Outcome.ELIGIBLE)
        screening.incomplete = len(hits) - screening.eligible
    screening.finish(Screening.Status.DONE)


def screen_columns(policy: Policy, columns: rules.Columns) -> list[tuple[int, str, str, list[dict[str, Any]]]]:
    """(record, name, outcome, explanation) for each eligible or incomplete record."""
    found = rules.screen(policy.rules, columns)
    prepared = rules.prepare(policy.rules, columns)
    out = []
    for outcome, rows in ((Outcome.ELIGIBLE, found.eligible), (Outcome.INCOMPLETE, found.incomplete)):
        for row in rows:
            out.append((columns.ids[row], columns.names[row], str(outcome),
                        rules.explain(prepared, columns, row)))
    return out


def confirm(screening: Screening, user: Any, hit_ids: Iterable[int]) -> list[Benefit]:
    """Staff confirm eligible hits: each becomes a ledger line (awaiting approval, due in 60 working days). Hits
    already in the ledger, incomplete ones and hits of another screening are left out; all or nothing."""
    policy = screening.policy
    if not may_grant(user, policy):
        raise _refuse(None, _("Only the staff of the granting office (%(office)s) may confirm for this policy.")
                      % {"office": policy.granting_department}, "not_granting_office")
    if screening.status != Screening.Status.DONE:
        raise _refuse(None, _("The screening has not finished."), "not_done")
    ids = {int(pk) for pk in hit_ids}
    if not ids:
        raise _refuse("hits", _("Choose at least one eligible record to confirm."), "none_chosen")
    hits = list(screening.hits.filter(pk__in=ids))
    if len(hits) != len(ids) or any(h.outcome != Outcome.ELIGIBLE for h in hits):
        raise _refuse("hits", _("Only eligible records of this screening can be confirmed; complete the missing "
                                "data of the others first."), "not_eligible")
    in_ledger = already_in_ledger(policy)
    today = timezone.localdate()
    due = add_working_days(today, payment_working_days())
    item = policy.items.order_by("pk").first()
    divisions = _divisions_of(policy.subject, [pk for h in hits if (pk := h.organisation_id or h.talent_id)])
    lines = []
    for hit in hits:
        beneficiary = hit.organisation_id or hit.talent_id
        if beneficiary is None or beneficiary in in_ledger:
            continue
        lines.append(Benefit(policy=policy, item=item, organisation_id=hit.organisation_id, talent_id=hit.talent_id,
                             division_id=divisions.get(beneficiary), channel=Channel.SCREENING,
                             status=BenefitStatus.APPLIED, applied_on=today, due_on=due, explanation=hit.explanation,
                             created_by=user))
    with transaction.atomic():
        created = [_save(line) for line in lines]
    return created


def _save(benefit: Benefit) -> Benefit:
    benefit.save()  # one by one: the change history records each line's creation
    return benefit


def already_in_ledger(policy: Policy) -> set[int]:
    """Beneficiaries (organisation or talent ids) with a live ledger line for the policy."""
    key = "organisation_id" if policy.subject == Subject.ORGANISATION else "talent_id"
    return set(policy.benefits.exclude(status=BenefitStatus.REJECTED).values_list(key, flat=True))


def _divisions_of(subject: str, pks: list[int]) -> dict[int, int | None]:
    model = Organisation if subject == Subject.ORGANISATION else Talent
    return dict(model.objects.filter(pk__in=pks).values_list("pk", "division_id"))


# ---- 快申快享: applications -------------------------------------------------------------------------------

def _amount(value: Any, field: str) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise _refuse(field, _("The amount must be a number of yuan."), "bad_amount") from None
    if not amount.is_finite() or amount < 0:
        raise _refuse(field, _("The amount must be a number of yuan, not negative."), "bad_amount")
    return amount


def _within_item(item: BenefitItem | None, amount: Decimal | None, field: str) -> None:
    if item is None or amount is None:
        return
    if item.amount_max is not None and amount > item.amount_max:
        raise _refuse(field, _("The amount %(amount)s exceeds the maximum of %(item)s (%(max)s).")
                      % {"amount": amount, "item": item, "max": item.amount_max}, "above_maximum")
    if item.amount_min is not None and amount < item.amount_min:
        raise _refuse(field, _("The amount %(amount)s is below the minimum of %(item)s (%(min)s).")
                      % {"amount": amount, "item": item, "min": item.amount_min}, "below_minimum")


def apply(policy: Policy, user: Any, *, organisation: Organisation | None = None, talent: Talent | None = None,
          item: BenefitItem | None = None, requested_amount: Any = None, reason: str = "") -> Benefit:
    """An application (快申快享): a ledger line awaiting approval, with the rules' explanation at the time."""
    if policy.subject == Subject.ORGANISATION and organisation is None:
        raise _refuse("organisation", _("Choose the organisation that applies."), "no_beneficiary")
    if policy.subject == Subject.TALENT and talent is None:
        raise _refuse("talent", _("Choose the talent who applies."), "no_beneficiary")
    if not may_apply(user, policy, organisation):
        raise _refuse(None, _("You may not apply for this policy on behalf of this beneficiary."), "may_not_apply")
    if item is not None and item.policy_id != policy.pk:
        raise _refuse("item", _("The benefit item belongs to another policy."), "other_policy_item")
    amount = _amount(requested_amount, "requested_amount")
    _within_item(item, amount, "requested_amount")
    record: Any = organisation if policy.subject == Subject.ORGANISATION else talent
    if record.pk in already_in_ledger(policy):
        raise _refuse(None, _("%(beneficiary)s already has a line for this policy in the ledger.")
                      % {"beneficiary": record}, "already_in_ledger")
    today = timezone.localdate()
    explanation = explain_record(policy, record, today)
    benefit = Benefit(policy=policy, item=item or policy.items.order_by("pk").first(),
                      organisation=organisation if policy.subject == Subject.ORGANISATION else None,
                      talent=talent if policy.subject == Subject.TALENT else None, division_id=record.division_id,
                      channel=Channel.APPLICATION, applied_on=today, requested_amount=amount, reason=reason,
                      due_on=add_working_days(today, payment_working_days()), explanation=explanation["lines"],
                      created_by=user)
    try:
        with transaction.atomic():
            benefit.save()
    except IntegrityError:
        raise _refuse(None, _("%(beneficiary)s already has a line for this policy in the ledger.")
                      % {"beneficiary": record}, "already_in_ledger") from None
    return benefit


# ---- the ledger's ladder ---------------------------------------------------------------------------------

def _granting(benefit: Benefit, user: Any) -> None:
    if not may_grant(user, benefit.policy):
        raise _refuse(None, _("Only the staff of the granting office (%(office)s) may do this.")
                      % {"office": benefit.policy.granting_department}, "not_granting_office")


def approve(benefit: Benefit, user: Any, *, amount: Any, approved_on: date | None = None) -> Benefit:
    _granting(benefit, user)
    if benefit.status != BenefitStatus.APPLIED:
        raise _refuse(None, _("Only a line awaiting approval can be approved."), "not_applied")
    value = _amount(amount, "amount")
    if value is None:
        raise _refuse("amount", _("Enter the amount approved."), "no_amount")
    _within_item(benefit.item, value, "amount")
    day = approved_on or timezone.localdate()
    if day > timezone.localdate():
        raise _refuse("approved_on", _("The approval date lies in the future."), "future_date")
    if day < benefit.applied_on:
        raise _refuse("approved_on", _("The approval date lies before the application."), "before_application")
    benefit.status, benefit.amount, benefit.approved_on = BenefitStatus.APPROVED, value, day
    benefit.save()
    return benefit


def reject(benefit: Benefit, user: Any, *, reason: str) -> Benefit:
    _granting(benefit, user)
    if benefit.status != BenefitStatus.APPLIED:
        raise _refuse(None, _("Only a line awaiting approval can be rejected."), "not_applied")
    if not (reason or "").strip():
        raise _refuse("reason", _("Say why the benefit is not granted."), "no_reason")
    benefit.status, benefit.reason = BenefitStatus.REJECTED, reason.strip()
    benefit.save()
    return benefit


def pay(benefit: Benefit, user: Any, *, paid_on: date) -> Benefit:
    _granting(benefit, user)
    if benefit.status != BenefitStatus.APPROVED:
        raise _refuse(None, _("Only an approved line can be paid."), "not_approved")
    if paid_on is None:
        raise _refuse("paid_on", _("Enter the payment date."), "no_date")
    if paid_on > timezone.localdate():
        raise _refuse("paid_on", _("The payment date lies in the future."), "future_date")
    if benefit.approved_on and paid_on < benefit.approved_on:
        raise _refuse("paid_on", _("The payment date lies before the approval."), "before_approval")
    benefit.status, benefit.paid_on = BenefitStatus.PAID, paid_on
    benefit.save()
    return benefit


def add_item(policy: Policy, user: Any = None, **values: Any) -> BenefitItem:
    item = BenefitItem(policy=policy, **values)
    if item.amount_min is not None and item.amount_max is not None and item.amount_min > item.amount_max:
        raise _refuse("amount_max", _("The maximum amount is below the minimum."), "max_below_min")
    item.save()
    return item
