"""Form helpers shared by every registry: Bootstrap widget classes, HTML date inputs, scoped choices."""

from django import forms

from yiti.core.access import RestrictedQuerySet


def style_widgets(form: forms.BaseForm) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)
        if isinstance(widget, forms.DateInput):
            widget.input_type = "date"
            widget.format = "%Y-%m-%d"


def errors_text(form: forms.BaseForm) -> str:
    """A form's errors as one line for a message: "日期: 请输入日期；摘要: 这个字段是必填项。"."""
    return "；".join(
        f"{form.fields[name].label if name in form.fields else ''}: {' '.join(str(e) for e in errors)}"
        for name, errors in form.errors.items()
    )


class RegistryForm(forms.ModelForm):
    """Base of every registry's edit form.

    Related-record choices are limited to what `user` may view, through the access layer.
    """

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        for field in self.fields.values():
            qs = getattr(field, "queryset", None)
            if isinstance(qs, RestrictedQuerySet):
                field.queryset = qs.restrict(user, "view")
        style_widgets(self)

    def save_record(self):
        """Save the record; a registry whose creation has side effects overrides this with a service call."""
        record = self.save(commit=False)
        if record.pk is None:
            record.created_by = self.user
        record.save()
        self.save_m2m()
        return record
