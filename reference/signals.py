"""What the reference data tells the apps built on it (territories, …), which connect receivers in their
AppConfig.ready(): reference never imports them."""

from django.dispatch import Signal

# The reference data was imported, in the import's transaction: a receiver brings what it stores from the
# reference data up to date, all or nothing with the import, and returns (what it did, how many) for the
# report, e.g. ("Territoires recalculés", 12).
reference_data_imported = Signal()
