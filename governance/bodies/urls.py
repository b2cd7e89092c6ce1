from django.urls import path

from governance.bodies import views

app_name = "bodies"

urlpatterns = [
    path("governors/", views.governors, name="governors"),
    path("directors/", views.directors, name="directors"),
    path("significant-control/", views.significant_control, name="significant_control"),
    path("messages/new/", views.message_constituency, name="message"),
    path("messages/<int:pk>/letters.csv", views.letters, name="letters"),
    path("unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
    path("questions/", views.questions, name="questions"),
    path("questions/<int:pk>/answer/", views.answer, name="answer"),
]
