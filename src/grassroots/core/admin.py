"""Admin machinery shared by every app: data scope, capability-based permissions, audited writes.

Every ``ModelAdmin`` of the project derives from ``ScopedAdminMixin``:

* its queryset goes through ``visible_to(request.user)`` (or a scope function registered for models that have no
  scope columns, such as users), so changelists, change pages, deletes, history and autocomplete only reach rows
  in the user's scope — an object outside it is "not found";
* the choices of every foreign key and many-to-many field are scoped the same way, so no drop-down lists
  another community's records;
* staff may view a model when a role grants them its ``SCOPE_CAPABILITY`` and change it when a role grants the
  admin's ``manage_capability`` (Django model permissions still work as well);
* every save and delete writes an ``AuditEvent``; an admin whose model has a write service overrides
  ``service_save`` instead, so the admin takes the same path as the pages and the API. The service is first
  run in a rolled-back savepoint while the form is validated, so its ``ApplicationError`` becomes form errors.

``ScopedHistoryAdmin`` adds django-simple-history with the same scope, without the "revert" action (it would
bypass the services) and without secret fields in the change diffs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from functools import update_wrapper
from typing import Any, ClassVar

from django import forms
from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import Http404, HttpRequest, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import redirect
from django.urls import path
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from grassroots.accounts.roles import has_capability
from grassroots.core.audit import SECRET_FIELDS, audit_record, model_changes, snapshot
from grassroots.core.errors import ApplicationError
from grassroots.core.models import AuditAction, AuditEvent
from grassroots.core.scope import scope_q

admin.site.site_header = _("Grassroots administration")
admin.site.site_title = _("Grassroots")
admin.site.index_title = _("Base data")

ScopeFunction = Callable[[Any, QuerySet[Any]], QuerySet[Any]]

# Scope functions for models without ``SCOPE_FIELDS`` (registered by the app that owns the model).
RELATED_SCOPES: dict[type[models.Model], ScopeFunction] = {}


def register_scope(model: type[models.Model], function: ScopeFunction) -> None:
    RELATED_SCOPES[model] = function


def scope_queryset(user: Any, queryset: QuerySet[Any], capability: str | None = None) -> QuerySet[Any]:
    """``queryset`` limited to what ``user`` may see (superusers see everything).

    Models with scope columns go through ``visible_to``/``scope_q``; others through a registered scope
    function; a model with neither is reference data (ethnic groups) and is not limited.
    """
    model = queryset.model
    if getattr(model, "SCOPE_FIELDS", None) is not None:
        if hasattr(queryset, "visible_to"):
            return queryset.visible_to(user, capability)  # type: ignore[no-any-return]
        return queryset.filter(scope_q(model, user, capability))
    function = RELATED_SCOPES.get(model)
    if function is not None:
        return function(user, queryset)
    return queryset


class _DryRun(Exception):
    """Raised inside a savepoint to undo a service call made only to validate a form."""


class WriteOnlyInput(forms.TextInput):
    """A text input that never renders a value: for secrets that may be replaced but not read back."""

    def format_value(self, value: Any) -> str | None:
        return None


class WriteOnlyDateInput(forms.DateInput):
    def format_value(self, value: Any) -> str | None:
        return None


class ScopedAdminMixin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Scope, capability permissions and audited writes for a ``ModelAdmin`` (see the module docstring)."""

    #: The capability that lets staff view the model (default: the model's ``SCOPE_CAPABILITY``).
    view_capability: ClassVar[str | None] = None
    #: The capability that lets staff add, change and delete (None: only Django permissions / superusers).
    manage_capability: ClassVar[str | None] = None
    #: Write an ``AuditEvent`` for each save and delete.
    audit_writes: ClassVar[bool] = True
    #: Where a service's field errors go on the form (service field name → form field name).
    service_error_fields: ClassVar[dict[str, str]] = {}

    # Scope

    def get_view_capability(self) -> str | None:
        return self.view_capability or getattr(self.model, "SCOPE_CAPABILITY", None)

    def scope(self, request: HttpRequest, queryset: QuerySet[Any], capability: str | None = None) -> QuerySet[Any]:
        return scope_queryset(request.user, queryset, capability or self.get_view_capability())

    def get_queryset(self, request: HttpRequest) -> QuerySet[Any]:
        return self.scope(request, super().get_queryset(request))

    def scope_related(
        self, request: HttpRequest, db_field: models.Field[Any, Any], queryset: QuerySet[Any] | None
    ) -> QuerySet[Any]:
        related: Any = db_field.related_model
        base = queryset if queryset is not None else related._default_manager.all()
        return scope_queryset(request.user, base)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["queryset"] = self.scope_related(request, db_field, kwargs.get("queryset"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        kwargs["queryset"] = self.scope_related(request, db_field, kwargs.get("queryset"))
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def wrap_view(self, view: Callable[..., Any]) -> Callable[..., Any]:
        """Wrap an extra admin view as ModelAdmin wraps its own: login required, and naming this admin."""

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            return self.admin_site.admin_view(view)(*args, **kwargs)

        wrapper.model_admin = self  # type: ignore[attr-defined]
        return update_wrapper(wrapper, view)

    def get_urls(self) -> list[Any]:
        """Django's URLs, but the bare ``<object_id>/`` redirect answers 404 for an object outside the scope."""
        urls = [p for p in super().get_urls() if str(getattr(p, "pattern", "")) != "<path:object_id>/"]
        info = self.opts.app_label, self.opts.model_name

        def redirect_to_change(request: HttpRequest, object_id: str) -> HttpResponseRedirect:
            try:
                found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
            except (ValueError, TypeError, ValidationError):
                found = False
            if not found:
                raise Http404
            return redirect(f"{self.admin_site.name}:{info[0]}_{info[1]}_change", object_id)

        return [*urls, path("<path:object_id>/", self.wrap_view(redirect_to_change))]

    # Permissions: Django's, or a role's capability; objects must lie in the scope of that capability.

    def _capable(self, request: HttpRequest, capability: str | None) -> bool:
        return capability is not None and has_capability(request.user, capability)

    def _may_view(self, request: HttpRequest) -> bool:
        return self._capable(request, self.get_view_capability())

    def _may_manage(self, request: HttpRequest) -> bool:
        return self._capable(request, self.manage_capability)

    def _object_manageable(self, request: HttpRequest, obj: Any) -> bool:
        if obj is None or obj.pk is None or getattr(request.user, "is_superuser", False):
            return True
        capability = self.manage_capability if self._may_manage(request) else None
        cache: dict[tuple[Any, ...], bool] = request.__dict__.setdefault("_scoped_admin_cache", {})
        key = (type(self), obj.pk, capability)
        if key not in cache:
            base = self.model._default_manager.filter(pk=obj.pk)
            cache[key] = self.scope(request, base, capability).exists()
        return cache[key]

    def has_module_permission(self, request: HttpRequest) -> bool:
        return super().has_module_permission(request) or self._may_view(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return super().has_view_permission(request, obj) or self._may_view(request) or self._may_manage(request)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) or self._may_manage(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_change_permission(request, obj) or self._may_manage(request)
        return allowed and self._object_manageable(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        allowed = super().has_delete_permission(request, obj) or self._may_manage(request)
        return allowed and self._object_manageable(request, obj)

    # Writes through a service

    def service_save(self, request: HttpRequest, form: Any, change: bool) -> models.Model | None:
        """Save ``form`` through the app's service and return the saved object; None: save the model form here."""
        return None

    def _has_service(self) -> bool:
        return type(self).service_save is not ScopedAdminMixin.service_save

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if not self._has_service():
            return form_class
        model_admin = self

        class ServiceCheckedForm(form_class):  # type: ignore[misc,valid-type]
            scope_user = request.user

            def _post_clean(self) -> None:
                super()._post_clean()
                if not self.errors:
                    model_admin.service_check(request, self, obj is not None)

        ServiceCheckedForm.__name__ = form_class.__name__
        return ServiceCheckedForm

    def service_check(self, request: HttpRequest, form: Any, change: bool) -> None:
        """Run ``service_save`` in a savepoint that is rolled back; its errors become form errors."""
        try:
            with transaction.atomic():
                self.service_save(request, form, change)
                raise _DryRun
        except _DryRun:
            pass
        except ApplicationError as exc:
            form_errors_from(form, exc.fields or {"__all__": [exc.message]}, self.service_error_fields)
        except IntegrityError:
            form.add_error(None, _("This record conflicts with an existing one."))

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        if self._has_service():
            obj: Any = self.service_save(request, form, change)
            if obj is not None:
                obj._saved_by_service = True
                return obj
        return super().save_form(request, form, change)

    def save_related(self, request: HttpRequest, form: Any, formsets: Any, change: bool) -> None:
        if not hasattr(form, "save_m2m"):  # saved by a service (form.save was never called)
            for formset in formsets:
                self.save_formset(request, form, formset, change=change)
            return
        super().save_related(request, form, formsets, change)

    # Audited writes

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if getattr(obj, "_saved_by_service", False):
            return  # the service saved and audited it
        before = None
        if change and self.audit_writes:
            current = type(obj)._default_manager.filter(pk=obj.pk).first()
            before = snapshot(current) if current is not None else None
        super().save_model(request, obj, form, change)
        if self.audit_writes:
            audit_record(
                actor=request.user,
                action=AuditAction.UPDATE if change else AuditAction.CREATE,
                target=obj,
                changes=model_changes(obj, before),
                request=request,
                scope_region=self.audit_scope_region(obj),
            )

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        if self.audit_writes:
            self._audit_delete(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        if self.audit_writes:
            for obj in queryset:
                self._audit_delete(request, obj)
        super().delete_queryset(request, queryset)

    def _audit_delete(self, request: HttpRequest, obj: Any) -> None:
        audit_record(
            actor=request.user,
            action=AuditAction.DELETE,
            target=obj,
            changes=model_changes(obj, None),
            request=request,
            scope_region=self.audit_scope_region(obj),
        )

    def audit_scope_region(self, obj: Any) -> Any:
        """The region an audit row about ``obj`` is filed under when ``obj`` has no scope columns of its own."""
        return None


def secret_field_names(model: type[models.Model]) -> list[str]:
    return [f.name for f in model._meta.concrete_fields if f.name in SECRET_FIELDS or f.name.endswith("_hash")]


class ScopedHistoryAdmin(ScopedAdminMixin, SimpleHistoryAdmin):
    """``SimpleHistoryAdmin`` within the user's scope: history of out-of-scope objects is a 404, no revert."""

    #: Fields left out of history diffs besides the secret ones (encrypted columns and their hashes).
    history_hidden_fields: ClassVar[tuple[str, ...]] = ()

    def get_urls(self) -> list[Any]:
        """simple-history's version page, with named parameters and wrapped to name this admin."""
        info = self.opts.app_label, self.opts.model_name
        name = "{}_{}_simple_history".format(*info)
        urls = [p for p in super().get_urls() if getattr(p, "name", None) != name]
        version = path("<str:object_id>/history/<str:version_id>/", self.wrap_view(self.history_form_view), name=name)
        return [version, *urls]

    def _check_in_scope(self, request: HttpRequest, object_id: str) -> None:
        try:
            found = self.get_queryset(request).filter(pk=unquote(object_id)).exists()
        except (ValueError, TypeError) as exc:
            raise Http404 from exc
        if not found:
            raise Http404

    def history_view(self, request: HttpRequest, object_id: str, extra_context: dict[str, Any] | None = None) -> Any:
        self._check_in_scope(request, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(
        self, request: HttpRequest, object_id: str, version_id: str, extra_context: dict[str, Any] | None = None
    ) -> Any:
        self._check_in_scope(request, object_id)
        if request.method != "GET":
            # Reverting writes past the services (no validation, no audit row): not offered.
            return HttpResponseNotAllowed(["GET"])
        return super().history_form_view(request, object_id, version_id, extra_context)

    def revert_disabled(self, request: HttpRequest, obj: Any = None) -> bool:
        return True

    def set_history_delta_changes(
        self, request: HttpRequest, historical_records: Sequence[Any], foreign_keys_are_objs: bool = True
    ) -> None:
        """As simple-history does, but secret fields (encrypted numbers, their hashes) are left out of diffs."""
        excluded = [*secret_field_names(self.model), *self.history_hidden_fields]
        previous = None
        for current in historical_records:
            if previous is None:
                previous = current
                continue
            delta = previous.diff_against(
                current, excluded_fields=excluded, foreign_keys_are_objs=foreign_keys_are_objs
            )
            helper = self.get_historical_record_context_helper(request, previous)
            previous.history_delta_changes = helper.context_for_delta_changes(delta)
            previous = current


class CommunityListFilter(admin.SimpleListFilter):
    """Filter by community, listing only the communities the user may see (not every community in the table)."""

    title = _("community")
    parameter_name = "community"
    field_path = "community"

    def lookups(self, request: HttpRequest, model_admin: Any) -> Iterable[tuple[Any, str]]:
        from grassroots.territory.enums import RegionKind
        from grassroots.territory.models import Region

        communities = Region.objects.visible_to(request.user).filter(kind=RegionKind.COMMUNITY).order_by("path")
        return [(str(r.pk), r.name) for r in communities.only("pk", "name")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        value = self.value()
        if not value:
            return queryset
        try:
            return queryset.filter(**{f"{self.field_path}_id": int(value)})
        except ValueError:
            return queryset.none()


def community_filter(path: str) -> type[CommunityListFilter]:
    """A ``CommunityListFilter`` on a related path (``person__community``)."""
    return type(f"CommunityListFilter_{path}", (CommunityListFilter,), {"field_path": path})


@admin.register(AuditEvent)
class AuditEventAdmin(ScopedAdminMixin):
    """The audit log: read-only for everyone, superusers included."""

    audit_writes = False
    list_display = ("at", "actor", "action", "target_repr", "detail", "ip_address")
    list_filter = ("action", CommunityListFilter)
    list_select_related = ("actor",)
    search_fields = ("actor__username", "target_repr", "detail")
    date_hierarchy = "at"
    ordering = ("-at", "-id")
    fields = (
        "at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "target_repr",
        "changes_display",
        "detail",
        "ip_address",
        "path",
        "district",
        "street",
        "community",
        "compound",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def get_actions(self, request: HttpRequest) -> dict[str, Any]:
        return {}

    @admin.display(description=_("changes"))
    def changes_display(self, obj: AuditEvent) -> str:
        """The changes as the audit page shows them: secrets (and birth dates) as ``***``."""
        from grassroots.web.templatetags.grassroots_ui import audit_changes

        return format_html_join(mark_safe("<br>"), "{}: {}", audit_changes(obj.changes, obj.action)) or "—"


def form_errors_from(form: ModelForm[Any], fields: dict[str, list[str]], mapping: dict[str, str] | None = None) -> None:
    """Put a service's field errors (``ApplicationError.fields``) on a form; unknown fields become form errors."""
    mapping = mapping or {}
    for name, messages in fields.items():
        target = mapping.get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)


__all__ = [
    "RELATED_SCOPES",
    "AuditEventAdmin",
    "CommunityListFilter",
    "ScopedAdminMixin",
    "ScopedHistoryAdmin",
    "WriteOnlyDateInput",
    "WriteOnlyInput",
    "community_filter",
    "form_errors_from",
    "register_scope",
    "scope_queryset",
]
