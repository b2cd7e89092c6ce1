from django.urls import path

from governance.bodies import views

app_name = "bodies"

urlpatterns = [
    path("governors/", views.governors, name="governors"),
    path("directors/", views.directors, name="directors"),
]
