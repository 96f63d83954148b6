from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from grassroots.accounts.enums import Capability
from grassroots.core.admin import ScopedAdminMixin, scope_queryset
from grassroots.portal.models import Notice
from grassroots.portal.services import notice_publish
from grassroots.territory.enums import RegionKind
from grassroots.territory.models import Region


class NoticeAdminForm(forms.ModelForm):  # type: ignore[type-arg]
    # The scope column ``community`` is not editable on the model: a new notice names it here, once. The
    # admin replaces this field per request so that the choices are the user's own communities.
    # (a form field may not carry the name of a non-editable model field, hence ``target_community``).
    target_community = forms.ModelChoiceField(queryset=Region.objects.none(), label=_("community"))

    class Meta:
        model = Notice
        fields = ("title", "body", "is_published")


@admin.register(Notice)
class NoticeAdmin(ScopedAdminMixin):
    """Staff publish notices here for now; a new notice goes through ``notice_publish``."""

    form = NoticeAdminForm
    manage_capability = Capability.MANAGE_PEOPLE
    service_error_fields = {"community": "target_community"}
    list_display = ("title", "community", "is_published", "published_at")
    list_filter = ("is_published",)
    list_select_related = ("community",)
    search_fields = ("title",)
    ordering = ("-published_at",)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ("target_community", "title", "body")
        return ("community", "title", "body", "is_published", "published_at")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return ("community", "published_at") if obj is not None else ()

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form_class = super().get_form(request, obj, change=change, **kwargs)
        if obj is not None:
            return form_class
        communities = scope_queryset(
            request.user, Region.objects.filter(kind=RegionKind.COMMUNITY), Capability.MANAGE_PEOPLE
        )

        class ScopedNoticeForm(form_class):  # type: ignore[misc,valid-type]
            # a field made per request: the choices are this user's communities only
            target_community = forms.ModelChoiceField(queryset=communities, label=_("community"))

        ScopedNoticeForm.__name__ = form_class.__name__
        return ScopedNoticeForm

    def service_save(self, request: HttpRequest, form: Any, change: bool) -> Notice | None:
        if change:
            return None  # edits (text, unpublishing) save through the model form, audited by the mixin
        data = form.cleaned_data
        return notice_publish(
            actor=request.user,
            community=data["target_community"],
            title=data["title"],
            body=data["body"],
            request=request,
        )
