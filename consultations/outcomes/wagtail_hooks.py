"""Wagtail admin hooks for the outcomes stage (imported by consultations/wagtail_hooks.py)."""
