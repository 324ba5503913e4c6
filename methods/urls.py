"""The method's tools, one URL module per tool; every name lives in the "methods" namespace."""

from django.urls import include, path

app_name = "methods"

urlpatterns = [
    path("", include("methods.urls_actors")),
    path("", include("methods.urls_actantial")),
    path("", include("methods.urls_journal")),
    path("", include("methods.urls_evaluation")),
]
