from django.urls import path

from partners import views

app_name = "partners"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("propose/", views.propose, name="propose"),
    path("enquire/", views.enquire, name="enquire"),
    path("your-entry/<str:token>/", views.review, name="review"),
    path("your-entry/<str:token>/new-link/", views.new_link, name="new_link"),
    path("<slug:slug>/", views.partner_detail, name="detail"),
    path("<slug:slug>/update/", views.propose, name="propose_update"),
]
