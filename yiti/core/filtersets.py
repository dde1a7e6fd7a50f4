"""Filter forms above every list: a keyword over the registry's text fields plus dictionary filters."""

from typing import Any

import django_filters
from django import forms
from django.db.models import QuerySet
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, pgettext
from django.utils.translation import gettext_lazy as _

from yiti.core.forms import FastSelect, style_widgets
from yiti.core.models import Discipline, Division, Industry
from yiti.core.search import keyword_filter

MAX_KEYWORD_TERMS = 5


ALL = _("All")


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


# Rendered code-table options, keyed by everything their text depends on: the rows' ids, codes and names
# and their parents' (a CodeTable names itself from its code and name), the empty label and the
# language. A changed, added or removed code changes the key, so nothing needs invalidating; the key
# is read with one small query per select, which replaces loading the 100–150 rows as model
# instances and escaping every option again (1.5–2 ms per select, three of them on most list pages).
_OPTIONS: dict[tuple, "_Options"] = {}
_OPTIONS_MAX = 64


class _Options:
    """A select's options as HTML, with and without `selected` for each value."""

    def __init__(self, pieces: list[tuple[str | None, str, str]]) -> None:
        self.pieces = pieces  # (value or None for group tags, plain html, html when selected)
        self.plain = mark_safe("".join(plain for _v, plain, _s in pieces))

    def html(self, selected: set[str]) -> SafeString:
        if not selected:
            return self.plain
        return mark_safe("".join(chosen if value in selected else plain for value, plain, chosen in self.pieces))


def _cached_options(key: tuple, build) -> _Options:
    found = _OPTIONS.get(key)
    if found is None:
        if len(_OPTIONS) >= _OPTIONS_MAX:
            _OPTIONS.clear()
        found = _OPTIONS[key] = _Options(build())
    return found


def _option(value: Any, label: Any, extra: str = "") -> tuple[str, str, str]:
    value = str(value)
    start = format_html('<option value="{}"{}', value, mark_safe(extra))
    end = format_html(">{}</option>", label)
    return value, start + end, start + " selected" + end


def _code_rows_key(queryset: QuerySet) -> tuple:
    return tuple(queryset.values_list("pk", "code", "name", "parent_id", "parent__code", "parent__name"))


class CodeSelect(FastSelect):
    """FastSelect for a code table's grouped options (GroupedCodeIterator), built once per content."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        choices = self.choices
        if not isinstance(choices, GroupedCodeIterator):
            return super().render(name, value, attrs, renderer)
        queryset = choices.queryset
        empty = choices.field.empty_label
        key = ("grouped", queryset.model._meta.label, get_language(), None if empty is None else str(empty),
               _code_rows_key(queryset))

        def build() -> list[tuple[str | None, str, str]]:
            pieces: list[tuple[str | None, str, str]] = []
            for group, label_or_choices in choices:  # as FastSelect renders them
                if isinstance(label_or_choices, list | tuple):
                    pieces.append((None, format_html('<optgroup label="{}">', group), ""))
                    pieces.extend(_option(v, label) for v, label in label_or_choices)
                    pieces.append((None, "</optgroup>", ""))
                else:
                    pieces.append(_option(group, label_or_choices))
            return pieces

        options = _cached_options(key, build)
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value]) if v not in (None, "")}
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options.html(selected))


class GroupedCodeChoiceField(forms.ModelChoiceField):
    iterator = GroupedCodeIterator
    widget: type[FastSelect] = CodeSelect


class DivisionSelect(FastSelect):
    """The region picker: without JavaScript, one select grouped 省 / 市 / 县 (each group named
    after its parent); yiti.js turns it into linked 省 → 市 → 县 selects that fill it in.
    Rendered in Python, like FastSelect, because every list page carries it."""

    wide = True  # three selects side by side: the filter form gives it a wider cell

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        final_attrs = self.build_attrs(self.attrs, {**(attrs or {}), "name": name})
        final_attrs["class"] = (final_attrs.get("class", "") + " yiti-cascade").strip()
        final_attrs["data-levels"] = ",".join(
            (pgettext("region level", "province"), pgettext("region level", "city"), pgettext("region level", "county")))
        final_attrs["data-all"] = str(ALL)
        selected = "" if value in (None, "") else str(value)
        divisions = Division.objects.order_by("code")
        key = ("division", get_language(), _code_rows_key(divisions))

        def build() -> list[tuple[str | None, str, str]]:
            pieces: list[tuple[str | None, str, str]] = [(None, format_html('<option value="">{}</option>', ALL), "")]
            groups: dict[str, list[Division]] = {}
            for row in divisions.select_related("parent"):
                group = str(row.parent) if row.parent else str(_("Provinces"))
                groups.setdefault(group, []).append(row)
            for group, rows in groups.items():
                pieces.append((None, format_html('<optgroup label="{}">', group), ""))
                pieces.extend(_option(r.pk, r.name, format_html(' data-parent="{}"', r.parent_id or "")) for r in rows)
                pieces.append((None, "</optgroup>", ""))
            return pieces

        options = _cached_options(key, build)
        return format_html("<select{}>{}</select>", flatatt(final_attrs), options.html({selected} - {""}))


class DivisionChoiceField(GroupedCodeChoiceField):
    widget = DivisionSelect


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


class DivisionFilter(CodeTreeFilter):
    field_class = DivisionChoiceField


def division_filter(field_name: str = "division", label=None) -> CodeTreeFilter:
    return DivisionFilter(field_name=field_name, label=label or _("Division"), queryset=Division.objects.all())


def industry_filter(field_name: str = "industry") -> CodeTreeFilter:
    return CodeTreeFilter(field_name=field_name, label=_("Industry"), queryset=Industry.objects.all())


def discipline_filter(field_name: str = "discipline") -> CodeTreeFilter:
    return CodeTreeFilter(field_name=field_name, label=_("Discipline"), queryset=Discipline.objects.all())


def _input_html(widget: dict[str, Any]) -> SafeString:
    """An <input> from a widget's context, as Django's input template writes it."""
    value = widget.get("value")
    return format_html('<input type="{}" name="{}"{}{}>', widget["type"], widget["name"],
                       format_html(' value="{}"', value) if value is not None else "", flatatt(widget["attrs"]))


class _InputInPython:
    """Renders a stock input in Python: every list page carries a dozen filter inputs, and the template engine
    cost a millisecond or more each (with FastSelect and DateRangeWidget, the filter form of a list page went
    from about a fifth of its time to a few per cent)."""

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        return _input_html(self.get_context(name, value, attrs)["widget"])  # type: ignore[attr-defined]


_IN_PYTHON: dict[type, type] = {}


def _render_in_python(widget: forms.Widget) -> None:
    """Give a stock text, number, date or e-mail input `_InputInPython`'s rendering (same HTML)."""
    cls = type(widget)
    stock = isinstance(widget, forms.widgets.Input) and getattr(cls, "template_name", "").startswith("django/forms/widgets/")
    if not stock or isinstance(widget, forms.FileInput | forms.CheckboxInput | _InputInPython):
        return
    if cls not in _IN_PYTHON:
        _IN_PYTHON[cls] = type(cls.__name__, (_InputInPython, cls), {})
    widget.__class__ = _IN_PYTHON[cls]


class DateRangeWidget(django_filters.widgets.DateRangeWidget):
    """From and to dates read as one control: [开始] — [结束]."""

    wide = True

    def __init__(self, attrs=None):
        super().__init__(attrs)
        for widget, label in zip(self.widgets, (_("Range start"), _("Range end")), strict=True):
            widget.input_type = "date"
            widget.attrs["aria-label"] = label

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        inputs = [_input_html(sub) for sub in self.get_context(name, value, attrs)["widget"]["subwidgets"]]
        return format_html('<div class="input-group yiti-date-range">{}<span class="input-group-text">—</span>{}</div>',
                           *inputs)


class DateRangeFilter(django_filters.DateFromToRangeFilter):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", DateRangeWidget())
        super().__init__(*args, **kwargs)


class YesNoAllSelect(FastSelect):
    """是/否 filters start at 全部 (no condition), not at Django's 未知."""

    def __init__(self, attrs=None):
        super().__init__(attrs)
        self.choices = [("", ALL), ("true", _("Yes")), ("false", _("No"))]

    def format_value(self, value):
        return {True: "true", False: "false", "true": "true", "false": "false"}.get(value, "")

    def render(self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None) -> SafeString:
        return super().render(name, self.format_value(value), attrs, renderer)

    def value_from_datadict(self, data, files, name):
        return forms.NullBooleanSelect.value_from_datadict(self, data, files, name)


class RegistryFilterSet(django_filters.FilterSet):
    """Base of every registry's filter.

    `q` finds records whose own text (the model's `search_fields`) or the text of the related
    records named in `search_related` contains every space-separated term.
    """

    q = django_filters.CharFilter(label=_("Keyword"), method="filter_keyword", max_length=200)
    search_related: tuple[str, ...] = ()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            if isinstance(field, forms.NullBooleanField):
                field.widget = YesNoAllSelect()
            elif isinstance(field, forms.ChoiceField | forms.ModelChoiceField) and hasattr(field, "empty_label"):
                field.empty_label = ALL  # an empty select reads 全部, not "---------"
                field.widget.choices = field.choices  # the widget's copy still points at the class's field
            if type(field.widget) is forms.Select:  # a status or type select: rendered in Python, as the others
                field.widget = FastSelect(attrs=field.widget.attrs, choices=field.widget.choices)
            _render_in_python(field.widget)
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
