from django.urls import path

from naervaer.insight import evaluation_views, views

app_name = "insight"
urlpatterns = [
    path("", views.index, name="index"),
    path("enhet/<int:unit_id>/", views.unit, name="unit"),
    path("enhet/<int:unit_id>/rapport.pdf", views.unit_report, name="unit_report"),
    path("enhet/<int:unit_id>/mal/", views.target_create, name="target_create"),
    path("enhet/<int:unit_id>/<slug:table>.<str:fmt>", views.unit_export, name="unit_export"),
]
urlpatterns += [
    path("oversikt/", views.overview_page, name="overview"),
    path("oversikt/<slug:table>.<str:fmt>", views.overview_export, name="overview_export"),
    path("kostnader/", views.costs_page, name="costs"),
    path("referanser/", views.references_page, name="references"),
    path("oppfolgingsliste/", views.attention_page, name="attention"),
]
urlpatterns += [
    path("evaluering/", evaluation_views.evaluation_page, name="evaluation"),
    path("evaluering/rapport.pdf", evaluation_views.evaluation_pdf, name="evaluation_pdf"),
    path("evaluering/estimater.json", evaluation_views.evaluation_json, name="evaluation_json"),
]
