from django.urls import path

from governance.meetings import views

app_name = "meetings"

urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("<int:pk>/", views.meeting_detail, name="meeting"),
    path("<int:pk>/papers.pdf", views.meeting_pack, name="pack"),
    path("<int:pk>/papers/add/", views.paper_add, name="paper_add"),
    path("<int:pk>/attendance/", views.attendance, name="attendance"),
    path("<int:pk>/cancel/", views.meeting_cancel, name="cancel"),
    path("<int:pk>/minutes/", views.minutes_draft, name="minutes_draft"),
    path("<int:pk>/decisions/", views.decision_record, name="decision"),
    path("<int:pk>/minutes/approve/", views.minutes_approve, name="minutes_approve"),
    path("papers/<int:pk>/", views.paper_file, name="paper"),
    path("papers/<int:pk>/publish/", views.paper_publish, name="paper_publish"),
]
