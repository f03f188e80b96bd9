from django.urls import path

from naervaer.audit import privacy_views

app_name = "privacy"
urlpatterns = [
    path("sletting/", privacy_views.retention, name="retention"),
    path("mine-opplysninger/", privacy_views.mine, name="mine"),
    path("mine-opplysninger.json", privacy_views.mine_json, name="mine_json"),
    path("mine-opplysninger.pdf", privacy_views.mine_pdf, name="mine_pdf"),
]
