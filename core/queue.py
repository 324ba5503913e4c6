"""Handing work to a Celery worker without ever failing the request that asks for it.

Whatever must leave the process is first a row (an e-mail of the outbox, a PDF document); the task only
carries its id. So when the broker is unreachable the row simply waits: the request that committed it still
succeeds, and the periodic sweep of its app hands it to a worker later.
"""

import logging

logger = logging.getLogger(__name__)


def enqueue(task, *args) -> bool:
    """Send `task(*args)` to the broker; False, logged, when it could not be sent."""
    try:
        # One quick retry: a broker that is down must not hold the request for long.
        task.apply_async(
            args=args, retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2}
        )
    except Exception:
        # Any failure here (connection refused, timeout, an error of the transport) leaves the row pending
        # for the sweep; raising would turn an action already committed into an error page.
        logger.warning("%s%r left for the sweep: the broker is unreachable", task.name, args, exc_info=True)
        return False
    return True
