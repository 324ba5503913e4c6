"""How a lower app tells the apps above it that something happened, without importing them.

The lower app declares a `Signal` in its own `signals.py` and sends it with `send_on_commit` from its
service; a higher app connects a receiver in its AppConfig.ready(). Receivers run once the transaction has
committed, each on its own: one that fails is logged and neither undoes the committed action nor stops the
others (docs/architecture.md).
"""

import logging

from django.db import transaction

logger = logging.getLogger(__name__)


def _send(signal, sender, kwargs):
    for receiver, result in signal.send_robust(sender=sender, **kwargs):
        if isinstance(result, Exception):
            logger.error("Receiver %r of a signal from %r failed", receiver, sender, exc_info=result)


def send_on_commit(signal, *, sender, **kwargs) -> None:
    transaction.on_commit(lambda: _send(signal, sender, kwargs))
