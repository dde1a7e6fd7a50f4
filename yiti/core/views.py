"""Generic registry pages: list, detail, create/edit and delete; and the home page."""

from collections import Counter
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import EmptyPage, Paginator
from django.db import router, transaction
from django.db.models import Field, ProtectedError, RestrictedError
from django.db.models.deletion import Collector
from django.http import Http404, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_tables2 import RequestConfig

from yiti.core import export, extensions
from yiti.core.access import grants_q, restricted_among, role_allows, scoped_pks, user_may, widened
from yiti.core.concurrency import VERSION_FIELD, changes_since, version_of
from yiti.core.display import detail_rows, history_rows
from yiti.core.masking import may_reveal
from yiti.core.navigation import menu
from yiti.core.paging import CappedPaginator
from yiti.core.registry import Registry, registry_of
from yiti.core.signals import security_event

PER_PAGE_CHOICES = (10, 25, 50, 100)


def denied(request, what: str = "") -> None:
    """Log a refused attempt (a page outside the role, a record outside the scope) for the auditor."""
    security_event.send(denied, event="access_denied", request=request, user=request.user,
                        detail=f"{request.method} {request.get_full_path()} {what}")


def get_in_scope(request, queryset, pk):
    """The record `pk` if the user's scope holds it; a logged 404 if it exists outside the scope."""
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        if queryset.model._default_manager.filter(pk=pk).exists():
            denied(request, "outside scope")
        raise Http404 from None


def record_for(request, model, pk, action: str = "change"):
    """The record `pk` the user may take `action` on (e.g. the agreement of an evidence file); a logged
    403 or 404 otherwise. The detail actions (yiti.core.actions) check the same way."""
    if not user_may(request.user, model, action):
        denied(request, "role")
        raise PermissionDenied
    return get_in_scope(request, model.objects.restrict(request.user, action), pk)


def list_actions(request, registry: Registry) -> list[dict]:
    """The buttons features add to a registry's list page (导入, 疑似重复 …) that the user may use."""
    return [
        {"label": action.label, "url": reverse(registry.url_name(action.view))}
        for action in extensions.list_actions()
        if (action.when is None or action.when(registry))
        and all(user_may(request.user, registry.model, need) for need in action.needs)
    ]


def base_context(request, registry: Registry) -> dict:
    meta = registry.model._meta
    return {
        "registry": registry,
        "verbose_name": meta.verbose_name,
        "verbose_name_plural": meta.verbose_name_plural,
        "list_url": reverse(registry.url_name("list")),
        "may_add": user_may(request.user, registry.model, "add"),
        "may_change": user_may(request.user, registry.model, "change"),
        "may_delete": user_may(request.user, registry.model, "delete"),
        "may_reveal": may_reveal(request.user),  # offers 明文导出
    }


class RegistryView(View):
    registry: Registry = None  # type: ignore[assignment]
    action = "view"

    def dispatch(self, request, *args, **kwargs):
        if not user_may(request.user, self.registry.model, self.action_for(kwargs)):
            denied(request, "role")
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def action_for(self, kwargs) -> str:
        return self.action

    def base_context(self) -> dict:
        return base_context(self.request, self.registry)


def filtered(registry: Registry, request, pooled: bool = True) -> tuple[Any, Any]:
    """The records of the list page: the user's scope (and the city-wide pool unless `pooled` is False), then
    the filter form (none if it is invalid)."""
    qs = registry.queryset(request.user, pooled=pooled).pages_by_id()  # type: ignore[attr-defined]  # DeepPagingMixin
    filterset = registry.filterset(request.GET or None, queryset=qs, request=request)
    if filterset.is_bound and not filterset.is_valid():
        return filterset, qs.none()
    return filterset, filterset.qs


# The filter conditions on the first row of a list's filter form (the keyword and the next two);
# the others sit behind 展开.
FILTER_MAIN_COUNT = 3


def more_filters_set(filterset, request) -> bool:
    """Whether a condition behind 展开 is in use, so that the form opens with it shown."""
    names = list(filterset.form.fields)[FILTER_MAIN_COUNT:]
    return any(v for k, v in request.GET.items() for n in names if k == n or k.startswith(n + "_"))


def page_size(request, default: int) -> int:
    """The page size the user chose, if it is one of those offered; the registry's default otherwise."""
    value = request.GET.get("per_page", "")
    return int(value) if value in {str(n) for n in PER_PAGE_CHOICES} else default


def page_number(request) -> int:
    try:
        return max(1, int(request.GET.get("page", "1")))
    except ValueError:
        return 1


def allowed_pks(model, user, action: str, pks: list, in_scope: set | None = None) -> set | None:
    """Which of `pks` (rows of the list, i.e. of the user's view) the user may take `action` on; None means all
    of them. Without object grants and a city-wide pool a role's scope is the same for every action, so only
    grants and pools cost a query (one for the whole page): a pooled row of another county is read, not edited.
    `in_scope`: the page's `scoped_pks`, when the caller has them (no second query for the same scope)."""
    if not user_may(user, model, action):
        return set()
    registry = registry_of(model)
    narrowed = action != "view" and registry is not None and registry.write_rule is not None \
        and not user.is_superuser
    if not narrowed and role_allows(user, model, action) and grants_q(user, model, "view") is None \
            and grants_q(user, model, action) is None:
        if action == "view" or not widened(user, model):
            return None
        # Without grants every action's scope is the role's one scope, and the list is that scope widened by the
        # pool: the rows in the scope alone (scoped_pks), asked once for the page.
        return set(in_scope) if in_scope is not None else scoped_pks(model, user, pks)
    if model._default_manager.restrict(user, action).query.is_empty():
        return set()
    return set(restricted_among(model, user, action, pks).values_list("pk", flat=True))


class ObjectListView(RegistryView):
    template_name = "core/object_list.html"
    results_template_name = "core/object_list_results.html"

    def get(self, request):
        filterset, qs = filtered(self.registry, request)
        table = self.registry.table(qs, batch=True)
        # Sorting from the request; paging by hand: django-tables2's RequestConfig would take
        # ?per_page= from the query string unchecked (1,000,000 rows, or a 500 for -1).
        RequestConfig(request, paginate=False).configure(table)
        per_page = page_size(request, self.registry.per_page)
        # A keyword search, or a list widened by the city-wide pool, counts at most 10,000 rows ("10,000+").
        capped = request.GET.get("q", "").strip() or widened(request.user, self.registry.model)
        paginator_class = CappedPaginator if capped else Paginator
        try:
            table.paginate(paginator_class=paginator_class, page=page_number(request), per_page=per_page)
        except EmptyPage:
            # Past the end: the last page, from the same paginator (a second one would count the list again).
            table.page = table.paginator.page(table.paginator.num_pages)
        pks = [row.record.pk for row in table.page.object_list]
        table.in_scope = scoped_pks(self.registry.model, request.user, pks) if self.registry.pool else None
        table.may_change = allowed_pks(self.registry.model, request.user, "change", pks, table.in_scope)
        table.may_delete = allowed_pks(self.registry.model, request.user, "delete", pks, table.in_scope)
        context = {
            **self.base_context(),
            "filterset": filterset,
            "table": table,
            "per_page": per_page,
            "per_page_choices": PER_PAGE_CHOICES,
            "keep_params": [(k, v) for k, values in request.GET.lists() if k not in ("page", "per_page")
                            for v in values],
            "batch_url": reverse(self.registry.url_name("batch")),
            "list_actions": list_actions(request, self.registry),
            "filter_main_count": FILTER_MAIN_COUNT,
            "filter_more_open": more_filters_set(filterset, request),
            "batch_statuses": batch_status_choices(self.registry),
            "is_filtered": filterset.is_bound
            and any(v for k, v in request.GET.items() if k not in ("page", "sort", "per_page")),
        }
        if request.htmx and request.htmx.target == "results":
            return render(request, self.results_template_name, context)
        return render(request, self.template_name, context)


class ObjectExportView(RegistryView):
    """The current filtered and sorted list as CSV or Excel (?format=csv|xlsx), masked for everyone
    (明文导出 is yiti.core.plain_export)."""

    def get(self, request):
        fmt = request.GET.get("format", "xlsx")
        if fmt not in export.FORMATS:
            return HttpResponseBadRequest(_("Unknown export format %(format)s: choose csv or xlsx.") % {"format": fmt})
        _filterset, qs = filtered(self.registry, request)
        table = self.registry.table(qs)  # RequestConfig below sets the request; passing it here paginates twice
        RequestConfig(request, paginate=False).configure(table)  # applies ?sort= like the page does
        return export.export(request, table.data.data, list(self.registry.detail_fields), fmt)


def detail_context(request, registry: Registry, obj, public: bool = False) -> dict:
    """Everything the detail page of `obj` shows (`public`: only what a viewer outside the scope may see,
    see public_detail_context)."""
    related_sections = []
    for rel in registry.related_sections():
        if not user_may(request.user, rel.model, "view"):
            continue
        qs = rel.queryset(obj, request.user)
        found = len(qs[: rel.limit + 1].values_list("pk", flat=True))
        if not found:
            continue  # a university has no needs section, an enterprise no results section
        more_url = None
        if rel.list_filter and found > rel.limit:
            more_url = reverse(rel.registry.url_name("list")) + f"?{rel.list_filter}=%23{obj.pk}"
        table = rel.registry.table(qs[: rel.limit], orderable=False)
        if rel.registry.pool is not None:  # the rows seen only through the city-wide pool show no personal data
            table.in_scope = scoped_pks(rel.model, request.user, list(qs[: rel.limit].values_list("pk", flat=True)))
        related_sections.append(
            {
                "title": rel.title,
                "table": table,
                "more_url": more_url,
            }
        )
    context = {
        **base_context(request, registry),
        "object": obj,
        "fields": detail_rows(obj, list(registry.pool.fields if public and registry.pool else registry.detail_fields),
                              request),
        "related_sections": related_sections,
        "extension_sections": extensions.detail_sections(request, registry, obj),
        "history": [] if public else history_rows(obj, order=list(registry.form.base_fields)),  # type: ignore[attr-defined]
    }
    if registry.detail_extra and not public:
        context.update(registry.detail_extra(request, obj))
    return context


def render_detail(request, registry: Registry, obj, **forms):
    """The detail page of `obj` again, with the small POST form that failed (`contact_form=form`) bound
    to what the user typed, its errors beside it — instead of a redirect that would lose the input."""
    context = {**detail_context(request, registry, obj), **forms}
    return render(request, registry.detail_template, context, status=400)


def pool_only(registry: Registry, user: Any, obj) -> bool:
    """Whether `user` sees `obj` only through the city-wide pool (outside their own scope)."""
    scoped = scoped_pks(registry.model, user, [obj.pk])
    return scoped is not None and obj.pk not in scoped


def public_detail_context(request, registry: Registry, obj) -> dict:
    """The detail page of a record seen only through the city-wide pool: its public fields and the related
    records the user may see; no personal data, notes, contact logs, assignments, history or edit buttons."""
    assert registry.pool is not None
    context = detail_context(request, registry, obj, public=True)
    if registry.pool.extra_rows is not None:
        context["fields"] += [(str(label), value) for label, value in registry.pool.extra_rows(obj)]
    context.update(may_change=False, may_delete=False, may_reveal=False, history=[], public_profile=True)
    return context


class ObjectDetailView(RegistryView):
    def get(self, request, pk):
        obj = get_in_scope(request, self.registry.queryset(request.user), pk)
        if self.registry.pool is not None and pool_only(self.registry, request.user, obj):
            return render(request, "core/object_detail.html", public_detail_context(request, self.registry, obj))
        return render(request, self.registry.detail_template, detail_context(request, self.registry, obj))


class ObjectEditView(RegistryView):
    template_name = "core/object_edit.html"

    def action_for(self, kwargs) -> str:
        return "change" if "pk" in kwargs else "add"

    def get_object(self, pk):
        if pk is None:
            return None
        return get_in_scope(self.request, self.registry.queryset(self.request.user, "change"), pk)

    def render_form(self, form, obj, conflict=None):
        return render(self.request, self.template_name,
                      {**self.base_context(), "form": form, "object": obj, "conflict": conflict})

    def get(self, request, pk=None):
        obj = self.get_object(pk)
        initial = {k: v for k, v in request.GET.items() if k in self.registry.form.base_fields}
        return self.render_form(self.registry.form(instance=obj, initial=initial, user=request.user), obj)

    def post(self, request, pk=None):
        obj = self.get_object(pk)
        form = self.registry.form(request.POST, instance=obj, user=request.user)
        if not form.is_valid():
            return self.render_form(form, obj)
        action = "change" if obj else "add"
        with transaction.atomic():
            conflict = self.stale(obj, form)
            if conflict is None:
                record = form.save_in_scope(action)
        if conflict is not None:
            return self.refuse_stale(obj, conflict)
        if record is None:
            form.add_error(None, _("This record would fall outside your data scope (your department, county "
                                   "or organisation); nothing was saved."))
            if obj is None:
                form.instance.pk = None
            return self.render_form(form, obj)
        if obj is None:
            messages.success(request, _("Created %(name)s.") % {"name": record})
        else:
            messages.success(request, _("Saved %(name)s.") % {"name": record})
        return HttpResponseRedirect(record.get_absolute_url())

    def stale(self, obj, form):
        """Someone else's changes saved since the form was loaded (None if there are none)."""
        if obj is None:
            return None
        return changes_since(obj, form.submitted_version(), list(self.registry.form.base_fields))

    def refuse_stale(self, obj, conflict):
        """The form again with the user's input, the other changes and the current version: a second
        save is then a deliberate choice to overwrite them."""
        obj = self.get_object(obj.pk)
        data = self.request.POST.copy()
        data[VERSION_FIELD] = version_of(obj)
        form = self.registry.form(data, instance=obj, user=self.request.user)
        form.is_valid()
        form.add_error(None, _("This record has been changed by someone else since you opened it; "
                               "nothing was saved. Their changes are listed below and your input is kept: check it "
                               "and save again to overwrite their changes."))
        return self.render_form(form, obj, conflict=conflict)


def describe_protected(objects) -> str:
    counts = Counter(o._meta.verbose_name for o in objects)
    return "、".join(f"{n} {name}" for name, n in counts.items())


def delete_record(obj) -> list:
    """Delete `obj` in its own transaction; the records that refer to it when they keep it (nothing deleted)."""
    try:
        with transaction.atomic():
            obj.delete()
    except ProtectedError as exc:
        return list(exc.protected_objects)
    except RestrictedError as exc:
        return list(exc.restricted_objects)
    return []


class ObjectDeleteView(RegistryView):
    action = "delete"
    template_name = "core/object_delete.html"

    def get_object(self, pk):
        return get_in_scope(self.request, self.registry.queryset(self.request.user, "delete"), pk)

    def get(self, request, pk):
        obj = self.get_object(pk)
        return render(request, self.template_name, {**self.base_context(), "object": obj})

    def post(self, request, pk):
        obj = self.get_object(pk)
        name = str(obj)
        blockers = delete_record(obj)
        if blockers:
            messages.error(
                request,
                _("%(name)s cannot be deleted because other records refer to it: %(refs)s. "
                  "Change or delete those records first.")
                % {"name": name, "refs": describe_protected(blockers)},
            )
            return HttpResponseRedirect(obj.get_absolute_url())
        messages.success(request, _("Deleted %(name)s.") % {"name": name})
        return HttpResponseRedirect(reverse(self.registry.url_name("list")))


def batch_status_field(registry: Registry) -> Field:
    field = registry.model._meta.get_field(registry.batch_status)
    assert isinstance(field, Field) and field.choices, registry.batch_status
    return field


def batch_status_choices(registry: Registry) -> list:
    """The values 批量修改状态 offers, or none when the registry has no such field."""
    return list(batch_status_field(registry).choices or ()) if registry.batch_status else []


def deletion_blockers(obj) -> list:
    """The records that refer to `obj` and keep it from being deleted (found without deleting anything)."""
    collector = Collector(using=router.db_for_write(type(obj)), origin=obj)
    try:
        collector.collect([obj])
    except ProtectedError as exc:
        return list(exc.protected_objects)
    except RestrictedError as exc:
        return list(exc.restricted_objects)
    return []


class ObjectBatchView(RegistryView):
    """The batch actions of a list page on the rows ticked there: 批量导出 (through the same export
    as the list's 导出: masking, audit entry), 批量删除 (after a confirmation page) and
    批量修改状态. Every record is checked against the user's scope for that action."""

    template_name = "core/object_batch_delete.html"
    http_method_names = ["post"]

    def post(self, request):
        action = request.POST.get("action", "")
        pks = sorted({int(v) for v in request.POST.getlist("pk") if v.isascii() and v.isdigit() and len(v) < 19})
        if len(pks) > max(PER_PAGE_CHOICES):
            return HttpResponseBadRequest(_("Select at most %(n)d records at a time.") % {"n": max(PER_PAGE_CHOICES)})
        if not pks:
            messages.error(request, _("Tick the records first, then choose a batch action."))
            return self.back()
        if action in ("export_xlsx", "export_csv"):
            qs = self.registry.queryset(request.user).filter(pk__in=pks)
            return export.export(request, qs, list(self.registry.detail_fields), action.removeprefix("export_"))
        if action in ("delete", "delete_confirmed"):
            self.require("delete")
            return self.delete(pks) if action == "delete_confirmed" else self.confirm_delete(pks)
        if action == "status" and self.registry.batch_status:
            self.require("change")
            return self.set_status(pks)
        return HttpResponseBadRequest(_("Unknown batch action."))

    def require(self, action: str) -> None:
        if not user_may(self.request.user, self.registry.model, action):
            denied(self.request, "role")
            raise PermissionDenied

    def next_url(self) -> str:
        # Back to the list as it was (filters, page); only ever to this registry's own list.
        target = self.request.POST.get("next", "")
        list_url = reverse(self.registry.url_name("list"))
        return target if target.startswith(list_url) else list_url

    def back(self):
        return HttpResponseRedirect(self.next_url())

    def confirm_delete(self, pks: list[int]):
        records = list(self.registry.queryset(self.request.user, "delete").filter(pk__in=pks))
        rows = [{"object": obj, "blockers": describe_protected(deletion_blockers(obj))} for obj in records]
        context = {
            **self.base_context(),
            "rows": rows,
            "deletable": [r["object"].pk for r in rows if not r["blockers"]],
            "outside": len(pks) - len(records),
            "next": self.next_url(),
        }
        return render(self.request, self.template_name, context)

    def delete(self, pks: list[int]):
        deleted, refused = [], []
        for obj in self.registry.queryset(self.request.user, "delete").filter(pk__in=pks):
            name = str(obj)
            blockers = delete_record(obj)
            if blockers:
                refused.append(_("%(name)s (referred to by %(refs)s)") % {"name": name, "refs": describe_protected(blockers)})
            else:
                deleted.append(name)
        if deleted:
            messages.success(self.request, _("Deleted %(count)d records: %(names)s.")
                             % {"count": len(deleted), "names": "、".join(deleted)})
        if refused:
            messages.error(self.request, _("Not deleted because other records refer to them: %(names)s. "
                                           "Change or delete those records first.") % {"names": "；".join(refused)})
        return self.back()

    def set_status(self, pks: list[int]):
        name = self.registry.batch_status
        field = batch_status_field(self.registry)
        labels = dict(field.choices or ())
        value = self.request.POST.get("status", "")
        if value not in labels:
            messages.error(self.request, _("Choose the %(field)s to set.") % {"field": field.verbose_name})
            return self.back()
        others = [f.name for f in self.registry.model._meta.fields if f.name != name]
        changed, refused = 0, []
        for obj in self.registry.queryset(self.request.user, "change").filter(pk__in=pks):
            if getattr(obj, name) == value:
                continue
            setattr(obj, name, value)
            try:
                obj.clean_fields(exclude=others)
                obj.clean()
            except ValidationError as exc:
                refused.append(f"{obj}：{'；'.join(exc.messages)}")
                continue
            obj.save()  # one save per record, so that each change is in its history
            changed += 1
        messages.success(self.request, _("Set %(field)s to “%(value)s” on %(count)d records.")
                         % {"field": field.verbose_name, "value": labels[value], "count": changed})
        if refused:
            messages.error(self.request, _("Not changed: %(names)s.") % {"names": "；".join(refused)})
        return self.back()


def registry_cards(user) -> list[dict]:
    """A count card for each registry the user may see (the home page of roles without a dashboard; an
    organisation contact's dashboard shows them too)."""
    from django.apps import apps

    cards = []
    for title, items in menu():
        for item in items:
            model = apps.get_model(item.model)
            if registry_of(model) is not None and user_may(user, model, "view"):
                cards.append(
                    {
                        "group": title,
                        "label": item.label,
                        "url": reverse(item.url_name),
                        "count": model.objects.restrict(user, "view").count(),
                    }
                )
    return cards


def home(request):
    """Counts of each registry the user may see, and the latest changes."""
    return render(request, "core/home.html", {"cards": registry_cards(request.user)})


def database_busy(exc: BaseException | None) -> bool:
    """SQLite's "database is locked": another writer (a large import) held the database past the busy timeout."""
    from django.db import OperationalError

    return isinstance(exc, OperationalError) and "locked" in str(exc)


def _busy_page() -> HttpResponse:
    from django.template import loader

    response = HttpResponse(loader.get_template("503.html").render(), status=503)
    response["Retry-After"] = "10"
    return response


def _caused_by_busy_database(exc: BaseException | None) -> bool:
    while exc is not None:
        if database_busy(exc):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def bad_request(request, exception):
    """The 400 page; a session that could not be saved because the database was busy (Django reports it
    as an interrupted session) gets the 503 that says to retry instead."""
    from django.views import defaults

    if _caused_by_busy_database(exception):
        return _busy_page()
    return defaults.bad_request(request, exception)


def server_error(request):
    """The 500 page; a write that waited out the busy timeout gets a 503 that says to retry instead.
    Django calls this inside its exception handler, so the exception is the one being handled."""
    import sys

    from django.views import defaults

    if _caused_by_busy_database(sys.exc_info()[1]):
        return _busy_page()
    return defaults.server_error(request)


def csrf_failure(request, reason=""):
    """A forged or expired form: say so in the user's language instead of Django's English page."""
    security_event.send(csrf_failure, event="csrf_failed", request=request, user=request.user,
                        detail=f"{request.method} {request.path} {reason}")
    return render(request, "403_csrf.html", {"reason": reason}, status=403)
