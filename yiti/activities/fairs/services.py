"""The job fair's business actions: register a talent, cancel, check in at the door, record and advance a hiring
intention, and the fair's funnel. Each refusal is a ValidationError with a code and a Chinese message."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.activities.choices import EventStatus
from yiti.activities.fairs.choices import NEXT_STAGES, RegistrationStatus, Stage
from yiti.activities.fairs.models import CODE_LENGTH, Intention, Position, Registration
from yiti.activities.models import Event
from yiti.core.validators import to_half_width


def _check_fair(fair: Event) -> None:
    if not fair.is_job_fair:
        raise ValidationError(_("Talents register for job fairs only."), code="not_a_fair")
    if fair.status == EventStatus.CANCELLED:
        raise ValidationError(_("This job fair has been cancelled."), code="fair_cancelled")


def register(fair: Event, *, user: Any, talent: Any) -> Registration:
    """Register `talent` for `fair`; a cancelled registration of theirs is renewed with a new code."""
    _check_fair(fair)
    existing = Registration.objects.filter(fair=fair, talent=talent).first()
    if existing is not None:
        if existing.status != RegistrationStatus.CANCELLED:
            raise ValidationError({"talent": ValidationError(
                _("%(talent)s is already registered for this job fair."), code="already_registered",
                params={"talent": talent})})
        existing.status = RegistrationStatus.REGISTERED
        existing.code = _unused_code()
        existing.checked_in_at = existing.checked_in_by = None
        existing.save()
        return existing
    try:
        with transaction.atomic():
            return Registration.objects.create(fair=fair, talent=talent, code=_unused_code(), created_by=user)
    except IntegrityError:  # a second click at the same moment
        raise ValidationError({"talent": ValidationError(
            _("%(talent)s is already registered for this job fair."), code="already_registered",
            params={"talent": talent})}) from None


def _unused_code() -> str:
    from yiti.activities.fairs.models import new_code

    while True:
        code = new_code()
        if not Registration.objects.filter(code=code).exists():
            return code


def cancel(registration: Registration, *, user: Any) -> Registration:
    if registration.status == RegistrationStatus.CHECKED_IN:
        raise ValidationError(_("This talent has already checked in; the registration cannot be cancelled."),
                              code="already_checked_in")
    registration.status = RegistrationStatus.CANCELLED
    registration.save(update_fields=["status"])
    return registration


def normalise_code(text: str) -> str:
    """What staff typed or the scanner read: a bare code, or the check-in address the QR carries."""
    text = to_half_width(text or "").strip()
    if "code=" in text:
        text = text.split("code=", 1)[1].split("&", 1)[0]
    return "".join(text.split()).upper()


def check_in(fair: Event, *, user: Any, code: str) -> Registration:
    """Check in the registration whose code was scanned or typed at `fair`'s door. Refused: an empty or unknown
    code, a code of another fair (which is not named), a cancelled registration, a second check-in."""
    code = normalise_code(code)
    if not code:
        raise ValidationError({"code": ValidationError(_("Enter or scan the check-in code."), code="required")})
    found = Registration.objects.select_related("talent").filter(code=code).first()
    if found is None:
        raise ValidationError({"code": ValidationError(
            _("No registration has the check-in code %(code)s; check the code (it has %(length)d characters)."),
            code="unknown", params={"code": code, "length": CODE_LENGTH})})
    if found.fair_id != fair.pk:
        raise ValidationError({"code": ValidationError(
            _("The check-in code %(code)s is a registration for another job fair, not this one."),
            code="other_fair", params={"code": code})})
    if found.status == RegistrationStatus.CANCELLED:
        raise ValidationError({"code": ValidationError(
            _("The registration %(code)s has been cancelled and cannot check in."), code="cancelled",
            params={"code": code})})
    if found.status == RegistrationStatus.CHECKED_IN:
        local = timezone.localtime(found.checked_in_at) if found.checked_in_at else None
        raise ValidationError({"code": ValidationError(
            _("%(talent)s already checked in at %(time)s."), code="already_checked_in",
            params={"talent": found.talent, "time": f"{local:%H:%M}" if local else "—"})})
    _check_fair(fair)
    found.status = RegistrationStatus.CHECKED_IN
    found.checked_in_at = timezone.now()
    found.checked_in_by = user
    found.save(update_fields=["status", "checked_in_at", "checked_in_by"])
    return found


def record_intention(position: Position, *, user: Any, talent: Any, date: datetime.date,
                     note: str = "") -> Intention:
    """A talent's hiring intention for a position (意向), on the date it was reached."""
    if date > timezone.localdate():
        raise ValidationError({"date": ValidationError(
            _("The date %(value)s lies after today; it records something that has happened."), code="future",
            params={"value": date.isoformat()})})
    if date < position.fair.start_date:
        raise ValidationError({"date": ValidationError(
            _("An intention cannot be reached before the job fair began (%(start)s)."), code="before_fair",
            params={"start": position.fair.start_date.isoformat()})})
    if Intention.objects.filter(position=position, talent=talent).exists():
        raise ValidationError({"talent": ValidationError(
            _("%(talent)s already has an intention for this position."), code="duplicate",
            params={"talent": talent})})
    return Intention.objects.create(position=position, talent=talent, intent_date=date, note=note, created_by=user)


def advance(intention: Intention, *, user: Any, stage: str, date: datetime.date, note: str = "") -> Intention:
    """Move an intention one step up its ladder, on `date` (not in the future, not before the previous step)."""
    allowed = NEXT_STAGES[intention.stage]
    if stage not in allowed:
        raise ValidationError({"stage": ValidationError(
            _("An intention at “%(current)s” cannot move to “%(next)s”."), code="ladder",
            params={"current": Stage(intention.stage).label, "next": Stage(stage).label if stage in Stage.values
                    else stage})})
    if date > timezone.localdate():
        raise ValidationError({"date": ValidationError(
            _("The date %(value)s lies after today; it records something that has happened."), code="future",
            params={"value": date.isoformat()})})
    previous = intention.interview_date or intention.intent_date
    if date < previous:
        raise ValidationError({"date": ValidationError(
            _("This date lies before the previous step (%(previous)s)."), code="date_order",
            params={"previous": previous.isoformat()})})
    intention.stage = stage
    if stage == Stage.INTERVIEW:
        intention.interview_date = date
    else:
        intention.decided_date = date
    if note:
        intention.note = note
    intention.save()
    return intention


FUNNEL_STEPS = ("registered", "checked_in", "intentions", "interviews", "hired")


def funnel(fair: Event) -> dict[str, int]:
    """The fair's funnel: talents registered (not cancelled), checked in, intentions reached, interviews held (an
    intention that reached 面试, whatever came after), hires."""
    regs = Registration.objects.filter(fair=fair).aggregate(
        registered=Count("pk", filter=~Q(status=RegistrationStatus.CANCELLED)),
        checked_in=Count("pk", filter=Q(status=RegistrationStatus.CHECKED_IN)))
    intents = Intention.objects.filter(position__fair=fair).aggregate(
        intentions=Count("pk"),
        interviews=Count("pk", filter=Q(interview_date__isnull=False)),
        hired=Count("pk", filter=Q(stage=Stage.HIRED)))
    return {**regs, **intents}
