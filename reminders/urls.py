from django.urls import path

from . import views

urlpatterns = [
    path("reminders/deliveries/", views.delivery_list, name="delivery_list"),
    path("reminders/deliveries/<int:pk>/resend/", views.delivery_resend, name="delivery_resend"),
    path("account/reminders/", views.reminder_preferences, name="reminder_preferences"),
]
