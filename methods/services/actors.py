"""Placeholder until the tool's services land."""

AUDIT_LABELS = {}
NOTIFICATION_KINDS = {}
