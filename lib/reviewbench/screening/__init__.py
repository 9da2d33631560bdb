"""Screening: decisions, ranking and the screening view."""
