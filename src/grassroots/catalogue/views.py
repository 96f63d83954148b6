"""The catalogue editor: categories, items and their questions, and SLA policies, edited by district admins
(MANAGE_CATALOGUE); brands and Red Rope stations are in ``views_community``.

Everyone who may view cases reads the catalogue. Views parse, authorise and call one service each; the shared
bases (tabs, form page) live here.
"""

from __future__ import annotations

from typing import Any, ClassVar

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from django.views import View
from django.views.generic import TemplateView

from grassroots.accounts.enums import Capability
from grassroots.accounts.roles import has_capability
from grassroots.catalogue import selectors, services
from grassroots.catalogue.forms import AttributeForm, CategoryForm, ItemForm, SlaPolicyForm
from grassroots.catalogue.models import ServiceAttribute, ServiceCategory, ServiceItem, SlaPolicy
from grassroots.catalogue.tables import ItemFilter, ItemTable
from grassroots.core.errors import ApplicationError
from grassroots.web.exports import ExportColumn, display
from grassroots.web.forms import apply_error
from grassroots.web.lists import ScopedListView, ServiceFormView
from grassroots.web.views.base import CapabilityRequiredMixin, Crumb

VIEW = Capability.VIEW_CASES
MANAGE = Capability.MANAGE_CATALOGUE
HANDLE = Capability.HANDLE_CASES
CATALOGUE: Crumb = (_("Service catalogue"), None)


def crumbs(*extra: Crumb) -> list[Crumb]:
    return [(_("Service catalogue"), reverse("catalogue:category_list")), *extra]


class CatalogueMixin:
    """The tabs above every catalogue page, shown by capability."""

    tab: ClassVar[str] = ""
    request: HttpRequest

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        user = self.request.user
        context["tab"] = self.tab
        context["can_manage"] = has_capability(user, MANAGE)
        context["can_handle"] = has_capability(user, HANDLE)
        return context


# Categories and SLA policies (short lists: plain pages)


class CategoryListView(CatalogueMixin, CapabilityRequiredMixin, TemplateView):
    capability = VIEW
    model = ServiceCategory
    template_name = "catalogue/category_list.html"
    tab = "categories"

    def get_breadcrumbs(self) -> list[Crumb]:
        return [CATALOGUE]

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        q = self.request.GET.get("q", "").strip()[:50]
        context.update(q=q, categories=selectors.category_list(user=self.request.user, q=q))
        return context


class SlaPolicyListView(CatalogueMixin, CapabilityRequiredMixin, TemplateView):
    capability = VIEW
    model = SlaPolicy
    template_name = "catalogue/sla_list.html"
    tab = "sla"

    def get_breadcrumbs(self) -> list[Crumb]:
        return crumbs((_("SLA policies"), None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["policies"] = selectors.sla_policy_list(user=self.request.user)
        return context


# Items


class ItemListView(CatalogueMixin, ScopedListView):
    capability = VIEW
    model = ServiceItem
    table_class = ItemTable
    filterset_class = ItemFilter
    template_name = "catalogue/item_list.html"
    title = _("Service items")
    export_title = _("Service items")
    create_url_name = "catalogue:item_create"
    create_capability = MANAGE
    tab = "items"
    export_columns = (
        ExportColumn(_("Code"), display("code")),
        ExportColumn(_("Name"), display("name")),
        ExportColumn(_("Category"), display("category.name")),
        ExportColumn(_("Service mode"), display("get_mode_display")),
        ExportColumn(_("SLA policy"), display("effective_sla.name")),
        ExportColumn(_("Keywords"), display("keywords")),
        ExportColumn(_("Offered"), lambda item: _t("Yes") if item.is_active else _t("No")),
    )

    def get_scoped_queryset(self) -> QuerySet[ServiceItem]:
        return selectors.item_list(user=self.request.user)

    def get_breadcrumbs(self) -> list[Crumb]:
        return crumbs((self.title, None))


class ItemDetailView(CatalogueMixin, CapabilityRequiredMixin, TemplateView):
    capability = VIEW
    model = ServiceItem
    template_name = "catalogue/item_detail.html"
    tab = "items"

    def get_item(self) -> ServiceItem:
        try:
            return selectors.item_get(user=self.request.user, pk=self.kwargs["pk"])
        except ServiceItem.DoesNotExist as exc:
            raise Http404 from exc

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        self.item = self.get_item()
        context = super().get_context_data(**kwargs)
        context.update(item=self.item, attributes=selectors.item_attributes(item=self.item))
        return context

    def get_breadcrumbs(self) -> list[Crumb]:
        return crumbs((_("Service items"), reverse("catalogue:item_list")), (self.item.name, None))


class ItemActiveView(CapabilityRequiredMixin, View):
    """POST ``active=1`` to offer an item again, ``active=0`` to stop offering it (items are never deleted)."""

    capability = MANAGE
    model = ServiceItem
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        item = get_object_or_404(ServiceItem, pk=pk)
        active = request.POST.get("active") == "1"
        services.item_set_active(actor=request.user, item=item, active=active)
        messages.success(request, _t("The item is offered again.") if active else _t("The item is no longer offered."))
        return HttpResponseRedirect(reverse("catalogue:item_detail", args=[item.pk]))


class AttributeDeleteView(CapabilityRequiredMixin, View):
    capability = MANAGE
    model = ServiceAttribute
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        attribute = get_object_or_404(ServiceAttribute, pk=pk)
        item_pk = attribute.item_id
        services.attribute_delete(actor=request.user, attribute=attribute)
        messages.success(request, _t("The question was removed."))
        return HttpResponseRedirect(reverse("catalogue:item_detail", args=[item_pk]))


# Create and edit pages


class CatalogueFormView(CatalogueMixin, ServiceFormView):
    """A catalogue form page: ``save`` calls one service; success goes to ``success_url_for``."""

    template_name = "catalogue/form.html"
    cancel_name: ClassVar[str] = "catalogue:category_list"
    object_capability: ClassVar[str | None] = None

    def success_url_for(self, saved: Any) -> str:
        return reverse(self.cancel_name)

    def get_cancel_url(self) -> str:
        return reverse(self.cancel_name)

    def get_form_kwargs(self) -> dict[str, Any]:
        kwargs = super().get_form_kwargs()
        kwargs["instance"] = self.object
        return kwargs

    def form_valid(self, form: Any) -> HttpResponse:
        try:
            saved = self.save(form)
        except ApplicationError as exc:
            if exc.status == 403:
                raise PermissionDenied(exc.message) from exc
            apply_error(form, exc)
            return self.form_invalid(form)
        messages.success(self.request, _t("Saved."))
        return HttpResponseRedirect(self.success_url_for(saved))

    def get_breadcrumbs(self) -> list[Crumb]:
        return crumbs((self.title, None))

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["cancel_url"] = self.get_cancel_url()
        return context


class SlaPolicyCreateView(CatalogueFormView):
    capability = MANAGE
    model = SlaPolicy
    form_class = SlaPolicyForm
    title: ClassVar[str | Promise] = _("Add an SLA policy")
    cancel_name = "catalogue:sla_list"
    tab = "sla"

    def save(self, form: SlaPolicyForm) -> SlaPolicy:
        d = form.cleaned_data
        return services.sla_policy_create(
            actor=self.request.user,
            code=d["code"],
            name=d["name"],
            response_hours=d["response_hours"],
            resolution_hours=d["resolution_hours"],
            hours_kind=d["hours_kind"],
        )


class SlaPolicyUpdateView(SlaPolicyCreateView):
    title = _("Edit SLA policy")

    def get_object(self) -> SlaPolicy:
        return get_object_or_404(SlaPolicy, pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        p = self.object
        return {
            "name": p.name,
            "response_hours": p.response_hours,
            "resolution_hours": p.resolution_hours,
            "hours_kind": p.hours_kind,
        }

    def save(self, form: SlaPolicyForm) -> SlaPolicy:
        d = form.cleaned_data
        return services.sla_policy_update(
            actor=self.request.user,
            policy=self.object,
            name=d["name"],
            response_hours=d["response_hours"],
            resolution_hours=d["resolution_hours"],
            hours_kind=d["hours_kind"],
        )


class CategoryCreateView(CatalogueFormView):
    capability = MANAGE
    model = ServiceCategory
    form_class = CategoryForm
    title: ClassVar[str | Promise] = _("Add a category")
    tab = "categories"

    def save(self, form: CategoryForm) -> ServiceCategory:
        d = form.cleaned_data
        return services.category_create(
            actor=self.request.user,
            code=d["code"],
            name=d["name"],
            description=d.get("description") or "",
            sla_policy=d["sla_policy"],
            first_handler=d["first_handler"],
            order=d.get("order") or 0,
        )


class CategoryUpdateView(CategoryCreateView):
    title = _("Edit category")

    def get_object(self) -> ServiceCategory:
        return get_object_or_404(ServiceCategory, pk=self.kwargs["pk"])

    def get_initial(self) -> dict[str, Any]:
        c = self.object
        return {
            "name": c.name,
            "description": c.description,
            "sla_policy": c.sla_policy_id,
            "first_handler": c.first_handler,
            "order": c.order,
            "is_active": c.is_active,
        }

    def save(self, form: CategoryForm) -> ServiceCategory:
        d = form.cleaned_data
        return services.category_update(
            actor=self.request.user,
            category=self.object,
            name=d["name"],
            description=d.get("description") or "",
            sla_policy=d["sla_policy"],
            first_handler=d["first_handler"],
            order=d.get("order") or 0,
            is_active=d.get("is_active", False),
        )


class ItemCreateView(CatalogueFormView):
    capability = MANAGE
    model = ServiceItem
    form_class = ItemForm
    title: ClassVar[str | Promise] = _("Add a service item")
    cancel_name = "catalogue:item_list"
    tab = "items"

    def get_initial(self) -> dict[str, Any]:
        return {"category": self.request.GET.get("category")}

    def success_url_for(self, saved: ServiceItem) -> str:
        return reverse("catalogue:item_detail", args=[saved.pk])

    def fields(self, form: ItemForm) -> dict[str, Any]:
        d = form.cleaned_data
        return {
            "category": d["category"],
            "name": d["name"],
            "description": d.get("description") or "",
            "keywords": d.get("keywords") or "",
            "mode": d["mode"],
            "provider_kinds": d.get("provider_kinds") or [],
            "sla_policy": d.get("sla_policy"),
            "slot_minutes": d.get("slot_minutes"),
            "slot_capacity": d.get("slot_capacity"),
            "order": d.get("order") or 0,
        }

    def save(self, form: ItemForm) -> ServiceItem:
        return services.item_create(actor=self.request.user, code=form.cleaned_data["code"], **self.fields(form))


class ItemUpdateView(ItemCreateView):
    title = _("Edit service item")

    def get_object(self) -> ServiceItem:
        return get_object_or_404(ServiceItem, pk=self.kwargs["pk"])

    def get_cancel_url(self) -> str:
        return reverse("catalogue:item_detail", args=[self.object.pk])

    def get_initial(self) -> dict[str, Any]:
        i = self.object
        return {
            "category": i.category_id,
            "name": i.name,
            "description": i.description,
            "keywords": i.keywords,
            "mode": i.mode,
            "provider_kinds": i.provider_kinds,
            "sla_policy": i.sla_policy_id,
            "slot_minutes": i.slot_minutes,
            "slot_capacity": i.slot_capacity,
            "order": i.order,
        }

    def save(self, form: ItemForm) -> ServiceItem:
        return services.item_update(actor=self.request.user, item=self.object, **self.fields(form))


class AttributeCreateView(CatalogueFormView):
    capability = MANAGE
    model = ServiceAttribute
    form_class = AttributeForm
    title: ClassVar[str | Promise] = _("Add a question")
    tab = "items"

    def item(self) -> ServiceItem:
        return get_object_or_404(ServiceItem, pk=self.kwargs["pk"])

    def get_cancel_url(self) -> str:
        return reverse("catalogue:item_detail", args=[self.item().pk])

    def success_url_for(self, saved: ServiceAttribute) -> str:
        return reverse("catalogue:item_detail", args=[saved.item_id])

    def get_initial(self) -> dict[str, Any]:
        last = self.item().attributes.order_by("-order").values_list("order", flat=True).first()
        return {"order": (last or 0) + 1}

    def save(self, form: AttributeForm) -> ServiceAttribute:
        d = form.cleaned_data
        return services.attribute_create(
            actor=self.request.user,
            item=self.item(),
            code=d["code"],
            datatype=d["datatype"],
            description=d["description"],
            required=d.get("required", False),
            order=d["order"],
            values=d.get("values") or [],
        )


class AttributeUpdateView(AttributeCreateView):
    title = _("Edit question")

    def get_object(self) -> ServiceAttribute:
        return get_object_or_404(ServiceAttribute.objects.select_related("item"), pk=self.kwargs["pk"])

    def item(self) -> ServiceItem:
        return self.object.item  # type: ignore[no-any-return]

    def get_initial(self) -> dict[str, Any]:
        a = self.object
        return {"description": a.description, "datatype": a.datatype, "required": a.required, "order": a.order}

    def save(self, form: AttributeForm) -> ServiceAttribute:
        d = form.cleaned_data
        return services.attribute_update(
            actor=self.request.user,
            attribute=self.object,
            datatype=d["datatype"],
            description=d["description"],
            required=d.get("required", False),
            order=d["order"],
            values=d.get("values") or [],
        )
