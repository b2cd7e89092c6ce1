from django.urls import path

from payments import views

app_name = "payments"

urlpatterns = [
    path("stripe/webhook/", views.stripe_webhook, name="stripe_webhook"),
    path("join/<str:reference>/checkout/", views.application_checkout, name="application_checkout"),
    path("join/<str:reference>/", views.application_payment, name="application_payment"),
    path("donate/", views.donate, name="donate"),
    path("donate/thank-you/", views.donated, name="donated"),
    path("subscription/", views.subscription, name="subscription"),
    path("subscription/<int:pk>/card/", views.subscription_card, name="subscription_card"),
]
