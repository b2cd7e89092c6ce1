from django.urls import path

from membership import views

app_name = "membership"

urlpatterns = [
    path("join/", views.join, name="join"),
    path("join/applied/<str:reference>/", views.applied, name="applied"),
    path("join/confirm/<str:token>/", views.confirm_email, name="confirm_email"),
    path("join/confirm/<str:token>/account/", views.open_account, name="open_account"),
    path("register/", views.register, name="register"),
    path("register/inspect/<str:token>/", views.inspect, name="inspect"),
    path("me/details/", views.details, name="details"),
    path("me/about-you/", views.demographics, name="demographics"),
    path("me/leave/", views.leave, name="leave"),
]
