from datetime import date

from django.contrib import messages
from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from alliance.selectors import current_charter, directory_counts, public_organisations
from core.decorators import admin_required
from core.errors import DomainError
from core.exports import csv_response, json_response, xlsx_response
from core.routing import constant_url
from projects.access import can_open_review_queue

from . import datasets, rgaa, selectors, services
from .forms import ContentBlockForm, MembershipExportForm, ProjectExportForm
from .models import BlockKey
from .templatetags.accessibility import mention_label

PUBLIC_FORMATS = ("csv", "json")
# Ids of their own: the site's stylesheet styles #id_kind as the radio list of other forms.
EXPORT_IDS = "export_%s"
PROJECT_IDS = "projects_%s"
ADMIN_FORMATS = ("csv", "xlsx")


def _home_content(*, signed_in: bool) -> str:
    blocks = services.content_blocks()
    return render_to_string(
        "pages/home_content.html",
        {
            "signed_in": signed_in,
            "charter": current_charter(),
            "counts": directory_counts(),
            "alliance": blocks[BlockKey.ALLIANCE],
            "commitments": blocks[BlockKey.COMMITMENTS],
            "fundamentals": blocks[BlockKey.FUNDAMENTALS],
            "fantastiques": blocks[BlockKey.FANTASTIQUES],
            "next_event": selectors.upcoming_events().first(),
            "resources": list(selectors.latest_resources()),
            "pilots": list(selectors.pilot_stories()),
        },
    )


def home(request):
    """The public home page: the alliance, its commitments, what comes next and the latest resources.

    Its content is the same for everyone (of a language, signed in or not) and kept rendered in the cache
    (pages.selectors.home_content_key); the page around it (the person's menu, the CSRF token, the CSP
    nonce) is rendered for each response."""
    signed_in = request.user.is_authenticated
    key = selectors.home_content_key(language=translation.get_language(), signed_in=signed_in)
    content = cache.get(key)
    if content is None:
        content = _home_content(signed_in=signed_in)
        cache.set(key, content, selectors.HOME_CACHE_SECONDS)
    # Rendered by the template above, whose variables were escaped there.
    return render(request, "core/home.html", {"content": mark_safe(content)})  # noqa: S308


def events(request):
    return render(
        request,
        "pages/events.html",
        {"upcoming": list(selectors.upcoming_events()), "past": list(selectors.past_events())},
    )


# The day of the audit the statement reports (docs/rgaa/audit.csv); change it with a new audit.
STATEMENT_DATE = date(2026, 12, 5)


def accessibility(request):
    audit = rgaa.current()
    return render(
        request,
        "pages/accessibility.html",
        {
            "contact": services.content_block(BlockKey.CONTACT),
            "statement_date": STATEMENT_DATE,
            "site_url": request.build_absolute_uri("/"),
            "audit": audit,
            "mention": mention_label(audit.mention()),
            "is_total": audit.mention() == rgaa.TOTAL,
            "global_rate": audit.global_rate(),
            "average_rate": audit.average_rate(),
            "counts": audit.counts(),
            "non_conformities": audit.non_conformities(),
            "sample": list(audit.pages.values()),
        },
    )


def help_page(request):
    return render(
        request,
        "pages/help.html",
        {
            "contact": services.content_block(BlockKey.CONTACT),
            "site_map_url": reverse("pages:site_map"),
            "accessibility_url": reverse("pages:accessibility"),
        },
    )


def site_map(request):
    """The plan of the site for people (the XML sitemap is for search engines): every section a person may
    open, in the order of the menus; each page of a project or a territory is reached from its section."""
    return render(
        request, "pages/site_map.html", {"can_open_review_queue": can_open_review_queue(request.user)}
    )


def legal(request):
    blocks = services.content_blocks()
    return render(
        request,
        "pages/legal.html",
        {"publisher": blocks[BlockKey.PUBLISHER], "contact": blocks[BlockKey.CONTACT]},
    )


# --- Open data -----------------------------------------------------------------------------------------

DATASETS = {
    "allies": (
        datasets.ALLY_FIELDS,
        datasets.allies,
        "allie-es",
        "Annuaire des organisations alliées de La Fabrique des Transitions",
    ),
    "territories": (
        datasets.TERRITORY_FIELDS,
        datasets.territories,
        "territoires",
        "Territoires publiés de La Fabrique des Transitions",
    ),
    "resources": (
        datasets.RESOURCE_FIELDS,
        datasets.resources,
        "ressources",
        "Ressources publiées du patrimoine commun de La Fabrique des Transitions",
    ),
}


def open_data(request):
    return render(
        request,
        "pages/open_data.html",
        {
            "license": datasets.LICENSE,
            "allies_fields": datasets.ALLY_FIELDS,
            "territories_fields": datasets.TERRITORY_FIELDS,
            "resources_fields": datasets.RESOURCE_FIELDS,
        },
    )


def _export(request, dataset, fmt):
    if fmt not in PUBLIC_FORMATS:
        raise Http404
    fields, rows, slug, title = DATASETS[dataset]
    filename = f"fabrique-des-transitions-{slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    records = rows(request.build_absolute_uri)
    if fmt == "csv":
        return csv_response(filename, fields, records)
    return json_response(
        filename,
        fields,
        list(records),
        title=title,
        license=datasets.LICENSE,
        source=request.build_absolute_uri("/"),
    )


def allies_export(request, fmt):
    return _export(request, "allies", fmt)


def territories_export(request, fmt):
    return _export(request, "territories", fmt)


def resources_export(request, fmt):
    return _export(request, "resources", fmt)


# --- For search engines --------------------------------------------------------------------------------


def sitemap(request):
    absolute = request.build_absolute_uri
    pages = [
        reverse("pages:home"),
        reverse("alliance:charter"),
        reverse("alliance:directory"),
        reverse("territories:list"),
        reverse("library:list"),
        reverse("pages:events"),
        reverse("pages:open_data"),
        reverse("pages:accessibility"),
        reverse("pages:legal"),
        reverse("pages:help"),
        reverse("pages:site_map"),
    ]
    pages += [org.get_absolute_url() for org in public_organisations().order_by("pk").only("pk")]
    pages += [t.get_absolute_url() for t in datasets.public_territories().order_by("pk").only("pk")]
    pages += [
        resource.get_absolute_url() for resource in selectors.public_resources().order_by("pk").only("pk")
    ]
    return render(
        request,
        "pages/sitemap.xml",
        {"urls": [absolute(path) for path in pages]},
        content_type="application/xml; charset=utf-8",
    )


# Paths that are private or mere steps of a flow: nothing there to index.
ROBOTS_DISALLOW = ["/mon-espace/", "/comptes/", "/django-admin/", "/administration/", "/i18n/", "/sante/"]


def robots(request):
    lines = ["User-agent: *", *(f"Disallow: {path}" for path in ROBOTS_DISALLOW)]
    lines.append(f"Sitemap: {request.build_absolute_uri(constant_url('pages:sitemap'))}")
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


# --- The admins' pages ---------------------------------------------------------------------------------


def _admin_index(request, *, membership_form=None, project_form=None, status=200):
    return render(
        request,
        "pages/admin_index.html",
        {
            "blocks": services.content_blocks().values(),
            "export_form": MembershipExportForm(auto_id=EXPORT_IDS)
            if membership_form is None
            else membership_form,
            "project_form": ProjectExportForm(auto_id=PROJECT_IDS) if project_form is None else project_form,
        },
        status=status,
    )


@admin_required
def admin_index(request):
    return _admin_index(request)


@admin_required
def content_edit(request, key):
    if key not in BlockKey.values:
        raise Http404
    block = services.content_block(key)
    form = ContentBlockForm(
        request.POST if request.method == "POST" else None, initial={"title": block.title, "body": block.body}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.content_block_save(actor=request.user, key=key, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Le texte « %(title)s » est publié.") % {"title": form.cleaned_data["title"]}
            )
            return redirect("pages:admin_index")
    return render(
        request,
        "pages/content_form.html",
        {"form": form, "content_block": block, "label": BlockKey(key).label},
        status=400 if form.errors else 200,
    )


@admin_required
def memberships_export(request, fmt):
    if fmt not in ADMIN_FORMATS:
        raise Http404
    form = MembershipExportForm(request.GET or None, auto_id=EXPORT_IDS)
    if request.GET and not form.is_valid():
        messages.error(request, _("L'export n'est pas lancé : corrigez les filtres signalés."))
        return _admin_index(request, membership_form=form, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    rows = datasets.memberships(filters, request.build_absolute_uri)
    filename = f"adhesions-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, datasets.MEMBERSHIP_FIELDS, rows)
    return xlsx_response(filename, datasets.MEMBERSHIP_FIELDS, rows, sheet=_("Adhésions"))


@admin_required
def projects_export(request, fmt):
    if fmt not in ADMIN_FORMATS:
        raise Http404
    form = ProjectExportForm(request.GET or None, auto_id=PROJECT_IDS)
    if request.GET and not form.is_valid():
        messages.error(request, _("L'export n'est pas lancé : corrigez les filtres signalés."))
        return _admin_index(request, project_form=form, status=400)
    filters = form.cleaned_data if form.is_bound else {}
    rows = datasets.projects(filters, request.build_absolute_uri)
    filename = f"projets-{timezone.localdate():%Y-%m-%d}.{fmt}"
    if fmt == "csv":
        return csv_response(filename, datasets.PROJECT_FIELDS, rows)
    return xlsx_response(filename, datasets.PROJECT_FIELDS, rows, sheet=_("Projets"))
