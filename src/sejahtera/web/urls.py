from django.urls import path

from sejahtera.web import views

app_name = "web"
urlpatterns = [
    path("", views.family_list, name="family_list"),
]
