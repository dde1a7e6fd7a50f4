"""Filter forms above every list: a keyword over the registry's text fields plus dictionary filters."""

import django_filters
from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from yiti.core.forms import FastSelect, style_widgets
from yiti.core.models import Discipline, Division, Industry
from yiti.core.search import keyword_filter

MAX_KEYWORD_TERMS = 5


class GroupedCodeIterator(forms.models.ModelChoiceIterator):
    """Options grouped under their parent (section, city, category); works without JavaScript."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list[tuple[int, str]]] = {}
        for row in self.queryset.select_related("parent"):
            group = str(row.parent) if row.parent_id else str(row)
            groups.setdefault(group, []).append((row.pk, str(row)))
        yield from groups.items()


class GroupedCodeChoiceField(forms.ModelChoiceField):
    iterator = GroupedCodeIterator
    widget = FastSelect


class CodeTreeFilter(django_filters.ModelChoiceFilter):
    """Filter by a code-table entry and everything below it (a city includes its counties)."""

    field_class = GroupedCodeChoiceField

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        model = type(value)
        ids = {value.pk}
        children = set(model.objects.filter(parent=value).values_list("pk", flat=True))
        if children:
            ids |= children
            ids |= set(model.objects.filter(parent__in=children).values_list("pk", flat=True))
        return qs.filter(**{f"{self.field_name}__in": ids})


def division_filter(field_name: str = "division", label=None) -> CodeTreeFilter:
    return CodeTreeFilter(
        field_name=field_name,
        label=label or _("Division"),
        queryset=Division.objects.filter(level__in=("city", "county")),
    )


def industry_filter(field_name: str = "industry") -> CodeTreeFilter:
    return CodeTreeFilter(field_name=field_name, label=_("Industry"), queryset=Industry.objects.all())


def discipline_filter(field_name: str = "discipline") -> CodeTreeFilter:
    return CodeTreeFilter(field_name=field_name, label=_("Discipline"), queryset=Discipline.objects.all())


class DateRangeFilter(django_filters.DateFromToRangeFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", django_filters.widgets.DateRangeWidget(attrs={"type": "date"}))
        super().__init__(*args, **kwargs)


class RegistryFilterSet(django_filters.FilterSet):
    """Base of every registry's filter.

    `q` finds records whose own text (the model's `search_fields`) or the text of the related
    records named in `search_related` contains every space-separated term.
    """

    q = django_filters.CharFilter(label=_("Keyword"), method="filter_keyword", max_length=200)
    search_related: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_widgets(self.form)
        self.form.fields["q"].widget.attrs["placeholder"] = _("Keyword")

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # The keyword last: its query shape depends on whether the other filters narrowed the list.
        data = self.form.cleaned_data
        for name in sorted(data, key=lambda name: name == "q"):
            queryset = self.filters[name].filter(queryset, data[name])
        return queryset

    def filter_keyword(self, qs: QuerySet, name: str, value: str) -> QuerySet:
        for term in value.split()[:MAX_KEYWORD_TERMS]:
            qs = keyword_filter(qs, term, self.search_related)
        return qs


class LookupFilter(django_filters.ModelChoiceFilter):
    """Filter by one related record typed by name (or `#id`, as "view all" links pass it)."""

    def __init__(self, *args, model=None, natural_keys=("name",), **kwargs):
        from yiti.core.lookups import LookupField

        self.field_class = LookupField
        kwargs.setdefault("queryset", lambda request: model.objects.restrict(request.user, "view"))
        kwargs["natural_keys"] = natural_keys
        super().__init__(*args, **kwargs)
