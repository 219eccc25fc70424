"""Wagtail admin hooks for the analysis stage (imported by consultations/wagtail_hooks.py)."""
