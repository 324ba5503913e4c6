"""Placeholder until the tool's services land."""

AUDIT_LABELS = {}
NOTIFICATION_KINDS = {}


def privacy_export(user):
    return {}


def privacy_erase(user):
    pass
