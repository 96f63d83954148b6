from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.templatetags.static import static as static_url
from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("favicon.ico", RedirectView.as_view(url=static_url("favicon.svg"), permanent=True), name="favicon"),
    path("admin/", admin.site.urls),
    path("api/", include("grassroots.api_urls")),
    path("imports/", include("grassroots.imports.urls")),
    path("portal/", include("grassroots.portal.urls")),
    path("cases/", include("grassroots.cases.urls")),
    path("kpis/", include("grassroots.cases.kpi_urls")),
    path("catalogue/", include("grassroots.catalogue.urls")),
    path("inbox/", include("grassroots.notifications.urls")),
    path("whistles/", include("grassroots.whistle.urls")),
    path("frontline/", include("grassroots.frontline.urls")),
    path("cockpit/", include("grassroots.cockpit.urls")),
    path("open311/v2/", include("grassroots.cases.open311.urls")),
    path("", include("grassroots.web.urls")),
]
if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
