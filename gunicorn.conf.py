"""gunicorn's settings for the platform, read from the working directory (`gunicorn fabrique.wsgi`).

Prometheus' multiprocess mode: each gunicorn worker writes its metrics to files of PROMETHEUS_MULTIPROC_DIR,
which the metrics path adds up (ops/metrics.py); the folder is made here when the environment names none,
emptied when gunicorn starts (a previous run's counts would add to this one's), and a dead worker's files are
marked so. Logs: gunicorn's own lines in the platform's format (LOG_FORMAT), and no access log, since the
platform writes one line per request itself (ops/middleware.py).
"""

import glob
import os
import tempfile

if not os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = tempfile.mkdtemp(prefix="fabrique-metrics-")
os.makedirs(os.environ["PROMETHEUS_MULTIPROC_DIR"], exist_ok=True)

_debug = os.environ.get("DEBUG", "").strip().lower() in {"1", "true", "yes", "on"}
if (os.environ.get("LOG_FORMAT") or ("plain" if _debug else "json")) == "json":
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"json": {"()": "ops.logging.JsonFormatter"}},
        "handlers": {
            "error_console": {"class": "logging.StreamHandler", "formatter": "json", "stream": "ext://sys.stderr"}
        },
        "loggers": {"gunicorn.error": {"level": "INFO", "handlers": ["error_console"], "propagate": False}},
        # gunicorn replaces its defaults' keys with these, whole: without a root of its own here, the default
        # root would name a handler this dictionary no longer has, and gunicorn would refuse to start.
        "root": {"level": "INFO", "handlers": ["error_console"]},
    }


def on_starting(server):
    for path in glob.glob(os.path.join(os.environ["PROMETHEUS_MULTIPROC_DIR"], "*.db")):
        os.remove(path)


def child_exit(server, worker):
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
