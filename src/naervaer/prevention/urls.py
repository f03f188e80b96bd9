from django.urls import path

from naervaer.prevention import analysis_views, answer_views, hse_views, survey_views

app_name = "prevention"
urlpatterns = [
    path("", hse_views.index, name="index"),
    path("svar/takk/", answer_views.answer_thanks, name="answer_thanks"),
    path("svar/<str:token>/", answer_views.answer, name="answer"),
    path("undersokelser/", survey_views.rounds, name="rounds"),
    path("undersokelser/ny/", survey_views.round_new, name="round_new"),
    path("undersokelser/<int:round_id>/", survey_views.round_detail, name="round"),
    path("undersokelser/<int:round_id>/apne/", survey_views.round_open, name="round_open"),
    path("undersokelser/<int:round_id>/steng/", survey_views.round_close, name="round_close"),
    path("undersokelser/<int:round_id>/mini/", survey_views.mini_round, name="mini_round"),
    path(
        "undersokelser/<int:round_id>/enhet/<int:unit_id>/",
        survey_views.results_page,
        name="results",
    ),
    path(
        "undersokelser/<int:round_id>/enhet/<int:unit_id>/rapport.pdf",
        survey_views.results_pdf,
        name="results_pdf",
    ),
    path(
        "undersokelser/<int:round_id>/enhet/<int:unit_id>/<slug:table>.<str:fmt>",
        survey_views.results_export,
        name="results_export",
    ),
    path("sporreskjema/", survey_views.instruments, name="instruments"),
    path("import/", survey_views.external_import, name="import"),
    path("analyse/", analysis_views.analysis_page, name="analysis"),
    path("handlingsplaner/", hse_views.plans, name="plans"),
    path("handlingsplaner/<int:plan_id>/", hse_views.plan_detail, name="plan"),
    path("tiltak/<int:measure_id>/status/", hse_views.measure_status, name="measure_status"),
    path("avvik/", hse_views.deviations, name="deviations"),
    path("avvik/ny/", hse_views.deviation_new, name="deviation_new"),
    path("avvik/<int:deviation_id>/", hse_views.deviation_detail, name="deviation"),
    path("vernerunder/", hse_views.inspections, name="inspections"),
    path("vernerunder/ny/<int:template_id>/", hse_views.inspection_new, name="inspection_new"),
    path("medarbeidersamtaler/", hse_views.conversations, name="conversations"),
    path(
        "medarbeidersamtaler/<int:employment_id>/",
        hse_views.conversation_set,
        name="conversation_set",
    ),
    path("amu/", hse_views.amu, name="amu"),
]
