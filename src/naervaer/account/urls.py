from django.urls import path

from naervaer.account import views

app_name = "account"
urlpatterns = [
    path("", views.index, name="index"),
    path("passord/", views.PasswordChangeView.as_view(), name="password_change"),
    path("tofaktor/", views.otp_setup, name="otp_setup"),
    path("kode/", views.otp_verify, name="otp_verify"),
    path("reservekoder/", views.recovery_codes, name="recovery_codes"),
    path("sperrede/", views.locked, name="locked"),
]
