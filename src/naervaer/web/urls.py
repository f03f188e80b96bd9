from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from naervaer.web import views

urlpatterns = [
    path("", views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("naervaer.account.urls")),
    path("admin/", admin.site.urls),
    path("oppfolging/", include("naervaer.followup.urls")),
    path("innsikt/", include("naervaer.insight.urls")),
    path("forebygging/", include("naervaer.prevention.urls")),
    path("personvern/", include("naervaer.privacy.urls")),
]
