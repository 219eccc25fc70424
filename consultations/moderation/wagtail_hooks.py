"""Wagtail admin hooks for the moderation stage (imported by consultations/wagtail_hooks.py)."""
