import datetime
import html
import re

from django.urls import reverse

from trainings import services


def url(name, *args):
    return reverse(f"trainings:{name}", args=args)


def text(response) -> str:
    """The page's visible text, tags removed and spaces collapsed."""
    content = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(html.unescape(content).split())


def make_cycle(
    territory, actor, *, days=5, start=datetime.date(2022, 9, 1), end=datetime.date(2023, 1, 31), **more
):
    fields = {
        "title": "Coopérer entre EPCI",
        "partner": "CNFPT",
        "audience": "Managers",
        "days": days,
        "start_date": start,
        "end_date": end,
    }
    fields.update(more)
    return services.cycle_create(actor=actor, territory=territory, **fields)


def register(cycle, actor, names, organisation="CC Val 81"):
    return services.participants_register(
        actor=actor, cycle=cycle, people=[{"name": name, "organisation": organisation} for name in names]
    )
