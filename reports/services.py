"""Asking for a territory's synthesis: its HTML is built here, for what the reader may see, and handed to the
documents pipeline twice (PDF/UA and ODT), which renders each content once and shares it."""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from core.audit import audit
from core.bounds import CURRENT_ERA
from core.errors import DomainError
from documents.models import Variant
from documents.services import document_request_synthesis

from .models import MAX_DAYS, Synthesis
from .selectors import SynthesisData, synthesis_data


def synthesis_title(data: SynthesisData) -> str:
    title = f"Bilan du territoire — {data.territory.name} — {data.period.label}"
    return f"{title} (version publique)" if data.is_public else title


def synthesis_html(data: SynthesisData) -> str:
    """The standalone HTML of the documents: cover, table of contents, the sections. Dated by the day, so
    that the same content asked for twice in a day is rendered once."""
    with translation.override(settings.LANGUAGE_CODE):
        return render_to_string(
            "reports/pdf/synthesis.html",
            {"data": data, "title": synthesis_title(data), "dated": timezone.localdate()},
        )


def _check_period(period) -> None:
    if period.end < period.start:
        raise DomainError("La fin de la période ne peut pas précéder son début.")
    if not (CURRENT_ERA.contains(period.start) and CURRENT_ERA.contains(period.end)):
        raise DomainError(f"La période doit se situer entre {CURRENT_ERA.first} et {CURRENT_ERA.last}.")
    if (period.end - period.start).days > MAX_DAYS:
        raise DomainError("Un bilan couvre cinq ans au plus.")


def synthesis_request(*, actor, territory, period, sections, public: bool, reader) -> Synthesis:
    """Record the request and ask for its PDF and ODT; the worker renders them after the commit."""
    _check_period(period)
    data = synthesis_data(territory=territory, period=period, sections=sections, reader=reader, public=public)
    if not data.sections:
        raise DomainError("Choisissez au moins une partie du bilan.")
    html = synthesis_html(data)
    title = synthesis_title(data)
    with transaction.atomic():
        pdf, odt = [
            document_request_synthesis(
                actor=actor,
                territory=territory,
                html=html,
                title=title,
                variant=variant,
                audience=data.audience,
            )
            for variant in (Variant.ACCESSIBLE, Variant.ODT)
        ]
        synthesis = Synthesis.objects.create(
            territory=territory,
            start=period.start,
            end=period.end,
            sections=data.sections,
            is_public=data.is_public,
            audience=data.audience,
            pdf=pdf,
            odt=odt,
            requested_by=actor,
        )
        audit(
            actor=actor,
            action="synthesis.request",
            target=territory,
            synthesis=synthesis.pk,
            period=[period.start.isoformat(), period.end.isoformat()],
            public=data.is_public,
        )
    return synthesis
