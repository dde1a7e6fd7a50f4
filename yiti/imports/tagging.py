"""Suggest discipline or industry codes for records that lack them, learned from the records that
have them (the engine's text classifier, ``yiti.engine.classify``).

Imported lists often leave the discipline blank (about 8 % of the NSSF list).  The classifier is
trained on every need, result and talent whose code is filled in — across the three registries,
so a talent office with few coded talents still learns from its coded results — and each record
without a code in the user's scope gets the best code, its probability and two runners-up.
Staff review the list; ``apply`` writes the confident ones through the model, so every change is
in the audit trail with the user as actor.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from auditlog.context import set_actor
from django.db import transaction

from yiti.core.export import neutralise
from yiti.core.registry import Registry, registries

# The text a record is tagged from, per model: these fields joined, in this order.
TEXT_FIELDS: dict[str, tuple[str, ...]] = {
    "need": ("title", "keywords", "description"),
    "result": ("title", "keywords", "description"),
    "talent": ("expertise", "notes"),
}
CODE_FIELDS = ("discipline", "industry")
# Fewer coded records than this, or fewer than two distinct codes: nothing worth learning.
MIN_TRAINING = 20


class TaggingError(Exception):
    """A reason, in Chinese, why no suggestion can be made."""


@dataclass
class Suggestion:
    pk: int
    record: str
    code: str
    name: str
    probability: float
    alternatives: list[tuple[str, str, float]]  # (code, name, probability), best first
    applied: bool = False


def _text(values: Sequence[Any]) -> str:
    return "。".join(str(v).strip() for v in values if v and str(v).strip())


def _has_field(model: Any, field: str) -> bool:
    return any(f.name == field for f in model._meta.fields)


def _taggable(field: str) -> list[Any]:
    found: list[Any] = []
    for registry in registries().values():
        model = registry.model
        if model._meta.model_name in TEXT_FIELDS and _has_field(model, field):
            found.append(model)
    return found


def training_set(field: str) -> tuple[list[str], list[str]]:
    """Texts and codes of every taggable record whose ``field`` is filled in and has text."""
    texts: list[str] = []
    labels: list[str] = []
    for model in _taggable(field):
        fields = TEXT_FIELDS[str(model._meta.model_name)]
        rows = model.objects.filter(**{f"{field}__isnull": False}).values_list(f"{field}__code", *fields)
        for code, *values in rows.iterator(chunk_size=5000):
            text = _text(values)
            if text:
                texts.append(text)
                labels.append(code)
    return texts, labels


def suggest(registry: Registry, field: str, user: Any) -> list[Suggestion]:
    """A suggestion for every record of ``registry`` in ``user``'s scope whose ``field`` is empty."""
    from yiti.engine import classify

    model: Any = registry.model
    model_name = str(model._meta.model_name)
    label = str(model._meta.verbose_name)
    if model_name not in TEXT_FIELDS:
        raise TaggingError(f"“{label}”没有可用来判断代码的文字字段，不能建议代码")
    if field not in CODE_FIELDS or not _has_field(model, field):
        raise TaggingError(f"“{label}”没有“{field}”字段；可选: "
                           + "、".join(f for f in CODE_FIELDS if _has_field(model, f)))
    code_field: Any = model._meta.get_field(field)
    code_model: Any = code_field.related_model
    verbose = str(code_field.verbose_name)
    texts, labels = training_set(field)
    if len(texts) < MIN_TRAINING or len(set(labels)) < 2:
        raise TaggingError(f"已填写“{verbose}”的记录只有 {len(texts)} 条、{len(set(labels))} 种代码；"
                           f"至少需要 {MIN_TRAINING} 条、2 种代码才能学习")
    names = dict(code_model.objects.values_list("code", "name"))
    classifier = classify.train(texts, labels, label_names=names)
    fields = TEXT_FIELDS[model_name]
    todo = registry.queryset(user).filter(**{f"{field}__isnull": True}).order_by("pk")
    out: list[Suggestion] = []
    for obj in todo.iterator(chunk_size=2000):
        text = _text([getattr(obj, f) for f in fields])
        if not text:
            continue
        top = [(code, names.get(code, code), p) for code, p in classifier.top_k(text, 3)]
        code, name, probability = top[0]
        out.append(Suggestion(obj.pk, str(obj), code, name, probability, top[1:]))
    return out


def apply(registry: Registry, field: str, user: Any, suggestions: list[Suggestion], min_probability: float) -> int:
    """Write the suggestions at or above ``min_probability``, in one transaction, as ``user``.
    Records changed meanwhile (code filled in by someone else) are left alone."""
    code_model: Any = registry.model._meta.get_field(field).related_model
    chosen = [s for s in suggestions if s.probability >= min_probability]
    ids = dict(code_model.objects.filter(code__in={s.code for s in chosen}).values_list("code", "pk"))
    done = 0
    with transaction.atomic(), set_actor(user):
        scoped = registry.queryset(user).filter(**{f"{field}__isnull": True})
        objects = scoped.in_bulk([s.pk for s in chosen])
        for s in chosen:
            obj = objects.get(s.pk)
            if obj is None:
                continue
            setattr(obj, f"{field}_id", ids[s.code])
            obj.save(update_fields=[field])
            s.applied = True
            done += 1
    return done


def rows(suggestions: list[Suggestion]) -> list[list[str]]:
    """The review sheet: a header and one row per suggestion (text cells neutralised)."""
    out = [["编号", "记录", "建议代码", "建议名称", "概率", "其他候选", "已写入"]]
    for s in suggestions:
        others = "；".join(f"{c} {n} ({p:.2f})" for c, n, p in s.alternatives)
        out.append([str(s.pk), neutralise(s.record), s.code, neutralise(s.name), f"{s.probability:.2f}",
                    neutralise(others), "是" if s.applied else ""])
    return out
