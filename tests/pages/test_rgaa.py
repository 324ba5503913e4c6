"""The RGAA self-audit (docs/rgaa/): the file covers the 106 criteria on every page of the sample, the rate
follows the RGAA's method, the accessibility statement and the footer publish what the code computes from the
file, and what the file says of each page is borne out by the page's HTML as the test world renders it
(no frame, no media, tables with captions and headers, labelled fields, valid HTML for the Nu checker…)."""

import csv
import re
from html import unescape
from html.parser import HTMLParser

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils.formats import number_format

from pages import rgaa
from projects.services import comment_add

from .rgaa_sample import sample_pages
from .test_html_validity import run_vnu

pytestmark = pytest.mark.django_db


def test_the_audit_rates_each_of_the_106_criteria_on_every_page_of_the_sample_with_its_evidence():
    audit = rgaa.load()
    assert len(audit.criteria) == 106
    assert len(audit.rows) == 106 * len(audit.pages)
    themes = {criterion.theme for criterion in audit.criteria.values()}
    assert len(themes) == 13
    # A row that was fixed says what was wrong before.
    for row in audit.rows:
        if row.before == rgaa.NON_CONFORME and row.status == rgaa.CONFORME:
            assert "Avant" in row.evidence, (row.criterion, row.page)


def _write_audit(folder, rows, pages=("A", "B")):
    (folder / "criteres.csv").write_text(rgaa.CRITERIA_FILE.read_text(encoding="utf-8"), encoding="utf-8")
    with (folder / "pages.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["id", "nom", "url", "role", "parcours"])
        writer.writerows([page, page, "/", "anonyme", "-"] for page in pages)
    criteria = [row["critere"] for row in csv.DictReader(rgaa.CRITERIA_FILE.open(encoding="utf-8"))]
    with (folder / "audit.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["critere", "page", "avant", "statut", "methode", "constat"])
        for criterion in criteria:
            for page in pages:
                status = rows.get((criterion, page), rgaa.NON_APPLICABLE)
                writer.writerow([criterion, page, status, status, "manuel", "vu"])


def test_the_rate_is_conforming_over_applicable_criteria_and_one_failing_page_fails_a_criterion(tmp_path):
    _write_audit(
        tmp_path,
        {
            ("1.1", "A"): "C",
            ("1.1", "B"): "NC",  # fails on one page: the criterion fails
            ("1.2", "A"): "C",
            ("1.2", "B"): "NA",  # conforming where it applies
            ("3.1", "A"): "C",
            ("3.1", "B"): "C",
            ("3.2", "A"): "NT",  # not checked: never counted as met
        },
    )
    audit = rgaa.load(tmp_path)
    results = {result.criterion.number: result.status for result in audit.results()}
    assert results["1.1"] == "NC" and results["1.2"] == "C" and results["3.1"] == "C"
    assert results["3.2"] == "NT" and results["13.12"] == "NA"
    assert audit.counts() == {"C": 2, "NC": 1, "NA": 102, "NT": 1}
    assert audit.global_rate() == pytest.approx(50.0)
    # Page A: 3 conforming of 4 applicable; page B: 1 of 2.
    assert audit.page_rates() == pytest.approx({"A": 75.0, "B": 50.0})
    assert audit.average_rate() == pytest.approx(62.5)
    assert audit.mention() == rgaa.PARTIAL
    assert [result.criterion.number for result in audit.non_conformities()] == ["1.1", "3.2"]


def test_an_audit_with_a_missing_or_doubled_row_is_refused(tmp_path):
    _write_audit(tmp_path, {})
    lines = (tmp_path / "audit.csv").read_text(encoding="utf-8").splitlines()
    (tmp_path / "audit.csv").write_text("\n".join([*lines[:-1], lines[1]]) + "\n", encoding="utf-8")
    with pytest.raises(ValueError, match="appears twice"):
        rgaa.load(tmp_path)


def test_the_mention_follows_the_rgaa_thresholds(tmp_path):
    _write_audit(tmp_path, {("1.1", "A"): "C"})
    assert rgaa.load(tmp_path).mention() == rgaa.TOTAL
    _write_audit(tmp_path, {("1.1", "A"): "C", ("1.2", "A"): "NC", ("1.3", "A"): "NC"})
    assert rgaa.load(tmp_path).mention() == rgaa.NONE


def test_the_footer_s_mention_is_the_audit_s_worked_out_once(monkeypatch):
    assert rgaa.current_mention() == rgaa.current().mention()
    calls = []
    monkeypatch.setattr(rgaa.Audit, "results", lambda self, **kwargs: calls.append(1) or [])
    rgaa.current_mention()
    assert calls == [], "the footer of every page does not go over the audit again"


def test_the_statement_publishes_the_rate_computed_from_the_audit_file(client):
    audit = rgaa.current()
    page = unescape(client.get(reverse("pages:accessibility")).content.decode())
    rate = number_format(round(audit.global_rate(), 1), 1)
    assert f"révèle que <strong>{rate} %</strong> des critères du RGAA version 4.1 sont respectés" in page
    average = number_format(round(audit.average_rate(), 1), 1)
    assert f"Le taux moyen de conformité des pages de l'échantillon est de {average} %" in page
    assert f"<strong>{audit.mention()}</strong>" in page
    for result in audit.non_conformities():
        assert f"Critère {result.criterion.number} ({result.criterion.theme})" in page
        for row in result.failing:
            assert row.evidence in page
    for sample_page in audit.pages.values():
        assert sample_page.name in page
    assert "Défenseur des droits" in page and "Plan d'amélioration" in page
    footer = page.split('<footer class="site-footer">', 1)[1]
    assert f"Accessibilité : {audit.mention()}" in footer


def test_the_statement_says_aucun_critere_for_a_count_of_zero_and_gives_the_contact_address(
    client, tmp_path, monkeypatch
):
    _write_audit(tmp_path, {("1.1", "A"): "C", ("1.2", "A"): "C"})
    monkeypatch.setattr(rgaa, "current", lambda: rgaa.load(tmp_path))
    page = unescape(client.get(reverse("pages:accessibility")).content.decode())
    assert "<strong>totalement conforme</strong> avec le référentiel" in page
    assert "<li>2 critères conformes</li>" in page and "<li>Aucun critère non conforme</li>" in page
    assert "<li>104 critères non applicables</li>" in page
    assert not re.search(r"\b0 critère", page) and "pas encore vérifié" not in page
    assert ">Non-conformités</h3>" in page and "Aucune : tous les critères applicables" in page
    contact = page.split(">Retour d'information et contact</h2>", 1)[1].split("</h2>", 1)[0]
    assert (
        f'Adresse de contact : <a href="mailto:{settings.CONTACT_EMAIL}">{settings.CONTACT_EMAIL}</a>'
        in contact
    )


class _Page(HTMLParser):
    """The facts of a page that the audit's « non applicable » and automated « conforme » rows rest on."""

    NAMED = ("label", "legend", "button", "summary")

    def __init__(self):
        super().__init__()
        self.tags, self.attrs, self.labels_for, self.headings = [], [], set(), []
        self.in_title, self.title, self.in_heading = False, "", None
        self.captions, self.tables, self._table_has_caption = 0, 0, []
        # Texts of labels (by the id they name), legends, buttons and disclosure summaries, as written in the
        # HTML (hidden spans included: they are part of the accessible name); required fields with the legend
        # of the fieldset they are in.
        self.label_text, self.legends, self.button_names, self.required = {}, [], [], []
        self._open = []  # [tag, attrs, text] of the named elements being read

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append(tag)
        self.attrs.append((tag, attrs))
        if tag == "label" and attrs.get("for"):
            self.labels_for.add(attrs["for"])
        if tag == "title" and "svg" not in self.tags:
            self.in_title = True
        if re.fullmatch(r"h[1-6]", tag):
            self.headings.append(int(tag[1]))
        if tag == "fieldset":
            self.legends.append("")
        if tag in self.NAMED:
            self._open.append([tag, attrs, ""])
        if tag in ("input", "select", "textarea") and "required" in attrs:
            self.required.append((attrs.get("id"), self.legends[-1] if self.legends else ""))

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        if tag == "fieldset" and self.legends:
            self.legends.pop()
        if self._open and self._open[-1][0] == tag:
            _, attrs, text = self._open.pop()
            text = " ".join(text.split())
            if tag == "label" and attrs.get("for"):
                self.label_text[attrs["for"]] = text
            elif tag == "legend" and self.legends:
                self.legends[-1] = text
            elif tag in ("button", "summary"):
                self.button_names.append((tag, attrs.get("aria-label") or text))

    def handle_data(self, data):
        if self.in_title:
            self.title += data
        for element in self._open:
            element[2] += data

    def having(self, tag):
        return [attrs for name, attrs in self.attrs if name == tag]


def test_the_stylesheet_draws_no_information_that_the_html_does_not_hold():
    """« (obligatoire) » used to be generated content (::after), lost without styles (RGAA 10.2)."""
    stylesheet = (settings.BASE_DIR / "static" / "css" / "site.css").read_text(encoding="utf-8")
    assert re.findall(r"content:\s*\"[^\"]*\w[^\"]*\"", stylesheet) == []


def _render_sample(world, client_for):
    clients = {"anonymous": Client()}
    pages = {}
    for page_id, (role, url) in sample_pages(world).items():
        client = clients.setdefault(role, client_for(role) if role != "anonymous" else Client())
        response = client.get(url)
        assert response.status_code == 200, (page_id, url, response.status_code)
        pages[page_id] = response.content.decode()
    return pages


def _status(audit, criterion, page_id):
    return next(row.status for row in audit.rows if row.criterion == criterion and row.page == page_id)


def test_each_page_of_the_sample_bears_out_what_the_audit_says_of_it(world, client_for, tmp_path):
    audit = rgaa.current()
    # The note under review holds several discussions on one question and one on the whole note, so that
    # their buttons must tell them apart (11.9).
    facilitator, question = world.users["facilitator"], world.comment.question
    second = comment_add(actor=facilitator, deliverable=world.cadrage, question=question, body="Et les DGS ?")
    comment_add(actor=world.users["agent"], deliverable=world.cadrage, parent=second, body="Ils sont là.")
    comment_add(actor=facilitator, deliverable=world.cadrage, body="Une note claire.")
    html_pages = _render_sample(world, client_for)
    assert set(html_pages) == set(audit.pages), "tests/pages/rgaa_sample.py and docs/rgaa/pages.csv differ"
    for page_id, html in html_pages.items():
        page = _Page()
        page.feed(html)
        status = lambda criterion, page_id=page_id: _status(audit, criterion, page_id)  # noqa: E731
        where = f"{page_id} ({audit.pages[page_id].name})"
        # Mandatory elements, structure, navigation: on every page.
        assert html.lstrip().lower().startswith("<!doctype html>"), where
        assert re.search(r'<html lang="fr">', html), where
        assert page.title.strip().endswith("· La Fabrique des Transitions") and len(page.title) > 35, where
        assert page.headings.count(1) == 1, where
        assert all(b - a <= 1 for a, b in zip(page.headings, page.headings[1:], strict=False)), where
        assert page.tags.count("main") == 1, where
        assert html.index('<header class="site-header">') < html.index("<main") < html.index("</main>"), where
        assert html.index("</main>") < html.index('<footer class="site-footer">'), where
        assert 'class="skip-link" href="#contenu"' in html and 'id="contenu"' in html, where
        assert f'href="{reverse("pages:site_map")}"' in html.split("<footer", 1)[1], where
        assert not page.having("style") and ' style="' not in html, where
        assert not re.search(r"\saccesskey=", html), where
        assert 'target="_blank"' not in html and "window.open" not in html, where
        assert not [a for a in page.attrs if "tabindex" in a[1] and int(a[1]["tabindex"]) > 0], where
        # Every field has a label; the language button says what it does.
        for tag, attrs in page.attrs:
            if tag in ("input", "select", "textarea") and attrs.get("type") not in (
                "hidden",
                "submit",
                "button",
            ):
                assert attrs.get("id") in page.labels_for or attrs.get("aria-labelledby"), (where, attrs)
        assert ">Changer de langue</button>" in html, where
        # The « non applicable » rows: what they say is absent is absent.
        if status("2.1") == "NA":
            assert not page.having("iframe") and not page.having("frame"), where
        if status("4.1") == "NA":
            assert not [t for t in page.tags if t in ("video", "audio", "object", "embed", "canvas")], where
        if status("5.4") == "NA":
            assert not page.having("table"), where
        else:
            assert html.count("<caption") == html.count("<table"), where
            assert '<th scope="col"' in html, where
        if status("1.1") == "NA":
            assert not page.having("img") and not re.search(r'<svg[^>]*role="img"', html), where
        else:
            for svg in re.findall(r"<svg[^>]*>", html):
                assert 'role="img"' in svg and "aria-labelledby=" in svg, (where, svg[:80])
        if status("1.9") == "C":
            for figure in re.findall(r"<figure[^>]*>.*?</figure>", html, re.S):
                if "<svg" in figure:
                    label = re.search(r'aria-label="([^"]*)"', figure).group(1)
                    caption = re.search(r"<figcaption[^>]*>(.*?)</figcaption>", figure, re.S).group(1)
                    assert 'role="group"' in figure and unescape(label) == unescape(caption.strip()), where
        if status("11.13") == "C" and page_id == "P06":
            assert 'autocomplete="name"' in html and 'autocomplete="email"' in html, where
        if status("11.5") == "C":
            assert "<fieldset" in html and "<legend" in html, where
        # A required field says « (obligatoire) » in the HTML of its label or its group's legend, so that the
        # mention stays without the stylesheet (RGAA 10.2, 11.10).
        for field_id, legend in page.required:
            assert "(obligatoire)" in page.label_text.get(field_id, "") + legend, (where, field_id)
        # Each button says what it acts on: no two buttons share a name on a page, nor two disclosures (a
        # disclosure and the button of the form it opens may: « Ajouter une étape ») (RGAA 11.9).
        if status("11.9") == "C":
            names = page.button_names
            assert not {name for name in names if names.count(name) > 1}, (where, names)
        if status("9.4") == "NA":
            assert "<blockquote" not in html and "<q>" not in html, where
    # 8.2: the Nu Html Checker, one run for the whole sample, finds no error.
    errors = run_vnu(html_pages, tmp_path)
    assert {page: found for page, found in errors.items() if found} == {}
