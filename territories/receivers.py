"""What territories do when the reference data tells them something (reference.signals); connected in
apps.py."""

from reference.signals import reference_data_imported

from .services import territories_refresh


def refresh_on_reference_import(sender, **kwargs):
    """The stored totals of territories follow the new reference data (merged communes, new populations)."""
    return ("Territoires recalculés", territories_refresh())


def connect():
    reference_data_imported.connect(refresh_on_reference_import, dispatch_uid="territories.refresh")
