from django.urls import path

from notify import views

app_name = "notify"

urlpatterns = [
    path("notifications/email/", views.EmailPreferencesView.as_view(), name="email-preferences"),
    path("webhooks/", views.WebhookListView.as_view(), name="webhook-list"),
]
