"""Simulator results in the admin (being written)."""

urlpatterns = []
