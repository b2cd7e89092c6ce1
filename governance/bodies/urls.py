from django.urls import path

from governance.bodies import dialogue_views, views

app_name = "bodies"

urlpatterns = [
    path("governors/", views.governors, name="governors"),
    path("governors/<int:pk>/", dialogue_views.governor, name="governor"),
    path("directors/", views.directors, name="directors"),
    path("significant-control/", views.significant_control, name="significant_control"),
    path("messages/new/", views.message_constituency, name="message"),
    path("messages/<int:pk>/letters.csv", views.letters, name="letters"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("questions/", views.questions, name="questions"),
    path("questions/<int:pk>/answer/", views.answer, name="answer"),
    path("engagement/", dialogue_views.engagement_figures, name="engagement"),
    path("report-backs/", dialogue_views.report_backs, name="report_backs"),
    path("report-backs/new/", dialogue_views.report_back_new, name="report_back_new"),
    path("report-backs/<int:pk>/", dialogue_views.report_back, name="report_back"),
    path("constituency-meetings/new/", dialogue_views.constituency_meeting_new, name="constituency_meeting_new"),
]
