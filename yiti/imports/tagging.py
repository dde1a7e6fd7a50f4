"""Suggest discipline or industry codes for records that lack them, learned from the records that
have them (the engine's text classifier, ``yiti.engine.classify``).

Imported lists often leave the discipline blank (about 8 % of the NSSF list).  The classifier is
trained on every need, result and talent whose code is filled in — across the three registries,
so a talent office with few coded talents still learns from its coded results — and each record
without a code in the user's scope gets the best code, its probability and two runners-up.
Staff review the list (the 建议代码 pages, ``suggestions.py``, or the sheet of ``yiti suggest-codes``);
``apply`` writes the chosen codes through the model, so every change is in the audit trail with the
user as actor.
"""

from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from auditlog.context import set_actor
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from yiti.core.export import neutralise
from yiti.core.registry import Registry, registries

# The text a record is tagged from is its registry's `text_fields`, joined in that order.
CODE_FIELDS = ("discipline", "industry")
# Fewer coded records than this, or fewer than two distinct codes: nothing worth learning.
MIN_TRAINING = 20


class TaggingError(Exception):
    """A reason, in the user's language, why no suggestion can be made or written."""


@dataclass
class Suggestion:
    pk: int
    record: str
    code: str
    name: str
    probability: float
    alternatives: list[tuple[str, str, float]]  # (code, name, probability), best first
    applied: bool = False

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "Suggestion":
        """One suggestion as kept on a ``SuggestionJob`` (JSON turns the tuples into lists)."""
        return cls(**{**data, "alternatives": [tuple(a) for a in data["alternatives"]]})

    def candidates(self) -> list[tuple[str, str, float]]:
        """The suggested code and its runners-up, best first."""
        return [(self.code, self.name, self.probability), *self.alternatives]


def _text(values: Sequence[Any]) -> str:
    return "。".join(str(v).strip() for v in values if v and str(v).strip())


def _has_field(model: Any, field: str) -> bool:
    return any(f.name == field for f in model._meta.fields)


def training_set(field: str) -> tuple[list[str], list[str]]:
    """Texts and codes of every taggable record whose ``field`` is filled in and has text."""
    texts: list[str] = []
    labels: list[str] = []
    for registry in [r for r in registries().values() if field in taggable(r)]:
        model: Any = registry.model
        rows = model.objects.filter(**{f"{field}__isnull": False}).values_list(f"{field}__code", *registry.text_fields)
        for code, *values in rows.iterator(chunk_size=5000):
            text = _text(values)
            if text:
                texts.append(text)
                labels.append(code)
    return texts, labels


def field_label(model: Any, field: str) -> str:
    """The name staff know a code field by (学科, 行业)."""
    return str(model._meta.get_field(field).verbose_name)


def taggable(registry: Registry) -> list[str]:
    """The code fields of ``registry`` that can be suggested (none where it has no text to learn from)."""
    model = registry.model
    if not registry.text_fields:
        return []
    return [f for f in CODE_FIELDS if _has_field(model, f)]


def suggest(registry: Registry, field: str, user: Any) -> tuple[list[Suggestion], int]:
    """A suggestion for every record of ``registry`` in ``user``'s scope whose ``field`` is empty,
    most probable first, and the number of coded records learned from."""
    from yiti.engine import classify

    model: Any = registry.model
    label = str(model._meta.verbose_name)
    fields = taggable(registry)
    if not fields:
        raise TaggingError(_("“%(model)s” has no text fields to learn a code from; no codes can be suggested.")
                           % {"model": label})
    if field not in fields:
        raise TaggingError(_("“%(model)s” has no field “%(field)s”; choose from: %(choices)s")
                           % {"model": label, "field": field, "choices": "、".join(fields)})
    code_field: Any = model._meta.get_field(field)
    code_model: Any = code_field.related_model
    verbose = field_label(model, field)
    texts, labels = training_set(field)
    if len(texts) < MIN_TRAINING or len(set(labels)) < 2:
        raise TaggingError(_("Only %(records)d records with %(field)s filled in, with %(codes)d different codes; "
                             "learning needs at least %(least)d records and 2 codes.")
                           % {"field": verbose, "records": len(texts), "codes": len(set(labels)), "least": MIN_TRAINING})
    names = dict(code_model.objects.values_list("code", "name"))
    classifier = classify.train(texts, labels, label_names=names)
    text_fields = registry.text_fields
    todo = registry.queryset(user, "change").filter(**{f"{field}__isnull": True}).order_by("pk")
    out: list[Suggestion] = []
    for obj in todo.iterator(chunk_size=2000):
        text = _text([getattr(obj, f) for f in text_fields])
        if not text:
            continue
        top = [(code, names.get(code, code), p) for code, p in classifier.top_k(text, 3)]
        code, name, probability = top[0]
        out.append(Suggestion(obj.pk, str(obj), code, name, probability, top[1:]))
    out.sort(key=lambda s: -s.probability)
    return out, len(texts)


def confident(suggestions: Sequence[Suggestion], min_probability: float) -> dict[int, str]:
    """{record id: suggested code} for the suggestions at or above ``min_probability`` not yet written."""
    return {s.pk: s.code for s in suggestions if s.probability >= min_probability and not s.applied}


def apply(registry: Registry, field: str, user: Any, suggestions: Sequence[Suggestion],
          choices: Mapping[int, str]) -> int:
    """Write ``choices`` ({record id: code}, each code one of that record's candidates) in one
    transaction, as ``user``, and mark those suggestions applied. Records changed meanwhile (code
    filled in by someone else, or moved out of the user's scope) and codes since removed from the
    dictionary are left alone. A record or code that was never suggested is refused, naming it."""
    by_pk = {s.pk: s for s in suggestions}
    for pk, code in choices.items():
        found = by_pk.get(pk)
        if found is None:
            raise TaggingError(_("Record %(pk)s is not among these suggestions; it cannot be written.") % {"pk": pk})
        if code not in {c for c, _n, _p in found.candidates()}:
            raise TaggingError(_("“%(record)s” has no candidate code “%(code)s”; it cannot be written.")
                               % {"record": found.record, "code": code})
    code_model: Any = registry.model._meta.get_field(field).related_model
    ids = dict(code_model.objects.filter(code__in=set(choices.values())).values_list("code", "pk"))
    done = 0
    with transaction.atomic(), set_actor(user):
        scoped = registry.queryset(user, "change").filter(**{f"{field}__isnull": True})
        # Locked, so that two reviews writing the same record at once cannot both write it.
        objects = scoped.select_for_update(of=("self",)).in_bulk(list(choices))
        for pk, code in choices.items():
            obj = objects.get(pk)
            if obj is None or code not in ids:
                continue
            setattr(obj, f"{field}_id", ids[code])
            obj.save(update_fields=[field])
            by_pk[pk].applied = True
            done += 1
    return done


def run(job: Any) -> None:
    """Learn and suggest for a ``SuggestionJob`` (a background task), keeping the result on the job."""
    from yiti.imports.models import SuggestionJob
    from yiti.imports.services import registry_for

    try:
        with job.working():  # its heartbeat: a worker killed while learning leaves a job `reap` finds
            found, n_training = suggest(registry_for(job.registry), job.field, job.user)
    except TaggingError as exc:
        job.status, job.message = SuggestionJob.Status.FAILED, str(exc)
    except Exception:
        # Not left "learning" for ever: the page says so, the worker's log has the traceback.
        job.status, job.message = SuggestionJob.Status.FAILED, _(
            "Suggesting codes failed and nothing was written; ask the system administrator to look at the server log.")
        job.finished_at = timezone.now()
        job.save()
        raise
    else:
        job.status, job.n_training = SuggestionJob.Status.READY, n_training
        job.suggestions = [asdict(s) for s in found]
    job.finished_at = timezone.now()
    job.save()


def rows(suggestions: list[Suggestion]) -> list[list[str]]:
    """The review sheet: a header and one row per suggestion (text cells neutralised)."""
    out = [[_("ID"), _("Record"), _("Suggested code"), _("Suggested name"), _("Probability"), _("Other candidates"),
            _("Written")]]
    for s in suggestions:
        others = "；".join(f"{c} {n} ({p:.2f})" for c, n, p in s.alternatives)
        out.append([str(s.pk), neutralise(s.record), s.code, neutralise(s.name), f"{s.probability:.2f}",
                    neutralise(others), _("Yes") if s.applied else ""])
    return out
