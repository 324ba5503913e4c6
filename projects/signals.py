"""What the projects tell the apps above them (documents, …), which connect receivers in their
AppConfig.ready(): projects never import them. Sent once the transaction has committed."""

from django.dispatch import Signal

# A deliverable was validated: `deliverable`, its validated `version`, `actor`.
deliverable_validated = Signal()
