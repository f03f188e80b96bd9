from django.urls import path

from naervaer.audit import views

app_name = "audit"
urlpatterns = [
    path("", views.search, name="search"),
    path("min/", views.mine, name="mine"),
]
