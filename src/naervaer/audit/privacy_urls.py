from django.urls import path

from naervaer.audit import privacy_views

app_name = "privacy"
urlpatterns = [
    path("sletting/", privacy_views.retention, name="retention"),
]
