from django.conf import settings
from django.urls import include, path, re_path
from django.views.generic import RedirectView
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from consultations.api import views as open_data_views
from portal import views

urlpatterns = [
    # One door for officers: allauth's, with its rate limits, lockout and two-step sign-in.
    path("admin/login/", views.admin_sign_in, name="admin_sign_in"),
    path("admin/logout/", views.admin_sign_out, name="admin_sign_out"),
    re_path(
        r"^admin/password_reset/",
        RedirectView.as_view(pattern_name="account_reset_password"),
        name="admin_password_reset",
    ),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("accounts/", include("allauth.urls")),
    path("healthz", views.health, name="health"),
    path("api/v1/", include("consultations.api.urls")),
    path("open-data/", open_data_views.open_data_page, name="open_data_page"),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += [path("", include(wagtail_urls))]

handler404 = "portal.views.page_not_found"
handler500 = "portal.views.server_error"
