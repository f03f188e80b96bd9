from django.urls import include, path

from naervaer.followup import feed_views, plan_views, sick_note_views, views

app_name = "followup"
urlpatterns = [
    path("", views.worklist, name="worklist"),
    path("sykmelding/ny/", sick_note_views.sick_note_new, name="sick_note_new"),
    path("sak/<int:case_id>/", views.case_detail, name="case"),
    path("sak/<int:case_id>/framlegg/", views.bring_forward, name="bring_forward"),
    path("sak/<int:case_id>/bht/", views.refer_occupational_health, name="refer_oh"),
    path("sak/<int:case_id>/mote/ny/", views.meeting_new, name="meeting_new"),
    path("sak/<int:case_id>/avslutt/", views.close, name="close"),
    path("sak/<int:case_id>/plassering/", views.placement_assign, name="placement_assign"),
    path("sak/<int:case_id>/arbeidsplass/", views.workplace_description, name="workplace"),
    path("sak/<int:case_id>/utvalg/", views.committee_refer, name="committee_refer"),
    path("sak/<int:case_id>/plan/", plan_views.plan_edit, name="plan"),
    path("sak/<int:case_id>/plan/godkjenn/", plan_views.plan_approve, name="plan_approve"),
    path("sak/<int:case_id>/plan.pdf", plan_views.plan_download, name="plan_pdf"),
    path("utvalg/<int:referral_id>/vedtak/", views.committee_decide, name="committee_decide"),
    path("milepel/<int:milestone_id>/", views.milestone_record, name="milestone"),
    path("mote/<int:meeting_id>/", views.meeting_detail, name="meeting"),
    path("stillingsbank/", views.placements, name="placements"),
    path("nav/", views.nav_cases, name="nav_cases"),
    path("kalender/", feed_views.calendar_page, name="calendar"),
    path("kalender/ny/", feed_views.calendar_renew, name="calendar_renew"),
    path("kalender/<str:token>.ics", feed_views.calendar_ics, name="feed"),
    path("logg/", include("naervaer.audit.urls")),
]
