from django.urls import path

from naervaer.privacy import views

app_name = "privacy"
urlpatterns = [
    path("sletting/", views.retention, name="retention"),
    path("mine-opplysninger/", views.mine, name="mine"),
    path("mine-opplysninger.json", views.mine_json, name="mine_json"),
    path("mine-opplysninger.pdf", views.mine_pdf, name="mine_pdf"),
]
