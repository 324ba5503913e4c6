from core.access import Access, route

from . import views

app_name = "ops"

urlpatterns = [
    route(
        "metrics",
        views.metrics,
        name="metrics",
        namespace=app_name,
        access=Access(
            frozenset(),
            probe=False,
            note="Métriques Prometheus : seulement avec le jeton METRICS_TOKEN (en-tête Authorization), pour "
            "personne d'autre ; testé dans tests/ops/test_metrics.py.",
        ),
    ),
]
