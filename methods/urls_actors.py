"""Placeholder until the tool's views land."""

urlpatterns = []
