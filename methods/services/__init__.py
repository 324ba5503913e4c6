"""The workflows of the method's tools, one module per tool. Each module declares `AUDIT_LABELS` (the French
labels of its audit actions, shown in the audit log) and `NOTIFICATION_KINDS` ({key: label}); the journal and
the evaluation also give `privacy_export(user)` and `privacy_erase(user)` (methods/privacy.py)."""

TOOLS = ("actors", "actantial", "journal", "evaluation")
