"""Charter versions: publishing one tells every member whose signature is older, the re-sign page shows what
changed paragraph by paragraph, a deadline brings reminders (Celery beat) and, once past, « adhésion à
renouveler » (marked in the directory or left out of it, never deleted) until the member signs again; the
admins filter, count and export memberships by version and by what is left to sign."""

import csv
import datetime
import io

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from alliance import services
from alliance.diff import charter_changes
from alliance.models import Charter, CharterReminder, LapsedListing, MembershipKind, MembershipStatus
from core.audit import history_of
from core.errors import DomainError
from notifications.models import Notification
from tests.factories import CharterFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

PREAMBLE = "Nous, acteur·ices divers·es engagé·es dans la transition des territoires…"
COMMITMENTS = [
    "Constituer une communauté apprenante pour enrichir un patrimoine commun.",
    "Proposer ensemble des changements de modèles.",
]


@pytest.fixture
def members(charter):
    """Two accepted members signed on the current version (1) and a candidate."""
    org = MembershipFactory(
        signatory=UserFactory(email="orga@exemple.fr", full_name="Olga Orga"),
        organisation=OrganisationFactory(name="Réseau Climat"),
        status=MembershipStatus.ACCEPTED,
    )
    person = MembershipFactory(
        kind=MembershipKind.PERSON,
        organisation=None,
        signatory=UserFactory(email="perso@exemple.fr", full_name="Paul Perso"),
        status=MembershipStatus.ACCEPTED,
    )
    candidate = MembershipFactory(signatory=UserFactory(email="cand@exemple.fr"))
    return org, person, candidate


def _publish(admin, *, days=90, listing=LapsedListing.MARK, commitments=None):
    return services.charter_publish(
        actor=admin,
        preamble=PREAMBLE,
        commitments=commitments
        or [
            COMMITMENTS[0],
            "Proposer ensemble des changements de modèles de société.",
            "Rendre compte chaque année de nos actions.",
        ],
        deadline_days=days,
        lapsed_listing=listing,
    )


def test_publishing_tells_every_member_whose_signature_is_older_in_the_platform_and_by_email(
    members, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    org, person, candidate = members
    with django_capture_on_commit_callbacks(execute=True):
        new = _publish(admin_user)

    told = Notification.objects.filter(kind="alliance.charter")
    assert {n.recipient for n in told} == {org.signatory, person.signatory}  # not the candidate
    notification = told.get(recipient=org.signatory)
    assert notification.url == reverse("alliance:charter_resign")
    assert str(new.version) in notification.title
    assert {m.to[0] for m in mailoutbox} == {"orga@exemple.fr", "perso@exemple.fr"}
    deadline = timezone.localdate() + datetime.timedelta(days=90)
    assert new.resign_deadline == deadline
    entry = history_of(new).get()
    assert entry.data == {"version": new.version, "deadline": deadline.isoformat(), "lapsed_listing": "mark"}


def test_a_deadline_out_of_range_is_refused(charter, admin_user):
    for days in (0, 3, 1000):
        with pytest.raises(DomainError):
            _publish(admin_user, days=days)
    assert Charter.objects.get(is_current=True) == charter


def test_the_changes_are_compared_paragraph_by_paragraph(charter, admin_user):
    new = _publish(admin_user)
    changes = charter_changes(charter, new)
    assert [c.status for c in changes] == ["same", "same", "changed", "added"]
    assert changes[2].html == (
        "Proposer ensemble des changements de <del>modèles.</del><ins>modèles de société.</ins>"
    )
    assert changes[3].html == "<ins>Rendre compte chaque année de nos actions.</ins>"

    removed = charter_changes(new, charter)
    assert [c.status for c in removed] == ["same", "same", "changed", "removed"]
    assert removed[3].html.startswith("<del>")


def test_a_paragraph_with_markup_is_shown_as_text(charter, admin_user):
    new = _publish(admin_user, commitments=["<script>alert(1)</script> Agir."])
    html = "".join(c.html for c in charter_changes(charter, new))
    assert "<script>" not in html and "&lt;script&gt;" in html


def test_the_resign_page_shows_what_changed_and_the_deadline(members, admin_user, client):
    org, _person, _candidate = members
    new = _publish(admin_user)
    client.force_login(org.signatory)
    page = client.get(reverse("alliance:charter_resign")).content.decode()
    assert f"Ce qui change dans la version {new.version}" in page
    assert "<ins>Rendre compte chaque année de nos actions.</ins>" in page
    assert 'class="change-changed"' in page and 'class="change-added"' in page
    assert f"À signer avant le {new.resign_deadline.day}" in page


def test_reminders_go_out_30_7_and_1_day_before_each_once_then_the_membership_is_to_renew(
    members, admin_user
):
    org, person, _candidate = members
    new = _publish(admin_user, days=60)
    deadline = new.resign_deadline
    # Paul signs the new version at once: he is never reminded.
    services.charter_resign(user=person.signatory, charter=new)

    assert services.charter_send_reminders(deadline - datetime.timedelta(days=31)) == 0
    assert services.charter_send_reminders(deadline - datetime.timedelta(days=30)) == 1
    assert services.charter_send_reminders(deadline - datetime.timedelta(days=29)) == 0  # already told
    assert services.charter_send_reminders(deadline - datetime.timedelta(days=7)) == 1
    assert services.charter_send_reminders(deadline - datetime.timedelta(days=1)) == 1
    assert services.charter_send_reminders(deadline) == 0
    assert services.charter_send_reminders(deadline + datetime.timedelta(days=1)) == 1
    assert services.charter_send_reminders(deadline + datetime.timedelta(days=2)) == 0

    assert sorted(CharterReminder.objects.values_list("days_before", flat=True)) == [0, 1, 7, 30]
    titles = list(
        Notification.objects.filter(recipient=org.signatory, kind="alliance.charter")
        .order_by("created_at", "id")
        .values_list("title", flat=True)
    )
    assert len(titles) == 5  # the publication, three reminders, the notice
    assert "Plus que 30 jours" in titles[1] and "Plus qu'un jour" in titles[3]
    assert "à renouveler" in titles[4]
    assert "membership.lapse" in [e.action for e in history_of(org)]
    assert (
        not Notification.objects.filter(recipient=person.signatory)
        .exclude(title__startswith="La charte")
        .exists()
    )


def test_the_daily_sweep_is_scheduled():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "alliance.tasks.send_charter_reminders" in tasks


def _lapse(charter):
    Charter.objects.filter(pk=charter.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=100),
        resign_deadline=timezone.localdate() - datetime.timedelta(days=1),
    )


@pytest.mark.parametrize("listing", [LapsedListing.MARK, LapsedListing.HIDE])
def test_past_the_deadline_the_directory_marks_or_hides_those_to_renew_until_they_sign(
    members, admin_user, client, listing
):
    org, person, _candidate = members
    new = _publish(admin_user, listing=listing)
    _lapse(new)
    new.refresh_from_db()
    org.refresh_from_db()
    assert org.is_lapsed(new)

    organisations = client.get(reverse("alliance:directory")).content.decode()
    persons = client.get(reverse("alliance:directory") + "?show=persons").content.decode()
    if listing == LapsedListing.MARK:
        assert "Réseau Climat" in organisations and "Adhésion à renouveler" in organisations
        assert "Paul Perso" in persons and "Adhésion à renouveler" in persons
    else:
        assert "Réseau Climat" not in organisations and "Paul Perso" not in persons
    # Still a member, still listed to the admins, never deleted.
    org.refresh_from_db()
    assert org.status == MembershipStatus.ACCEPTED

    services.charter_resign(user=org.signatory, charter=new)
    organisations = client.get(reverse("alliance:directory")).content.decode()
    assert "Réseau Climat" in organisations and "Adhésion à renouveler" not in organisations


def test_admins_filter_count_and_export_memberships_by_version_and_renewal(
    members, admin_user, client_for, charter
):
    org, person, _candidate = members
    new = _publish(admin_user)
    services.charter_resign(user=person.signatory, charter=new)
    client = client_for("admin")
    queue = reverse("alliance:review_queue")

    response = client.get(queue + "?renouvellement=a-resigner")
    assert [m.pk for m in response.context["page"]] == [org.pk]
    counts = response.context["counts"]
    assert counts["to_resign"] == 1 and counts["lapsed"] == 0
    assert {row["version"]: row["members"] for row in counts["versions"]} == {
        charter.version: 1,
        new.version: 1,
    }
    on_new = client.get(queue + f"?statut=accepted&charte={new.version}").context["page"]
    assert [m.pk for m in on_new] == [person.pk]
    assert not list(client.get(queue + "?renouvellement=a-renouveler").context["page"])

    _lapse(new)
    response = client.get(queue + "?renouvellement=a-renouveler")
    assert [m.pk for m in response.context["page"]] == [org.pk]
    assert "Adhésion à renouveler" in response.content.decode()
    assert response.context["counts"]["lapsed"] == 1

    export = reverse("pages:memberships_export", args=["csv"]) + "?renewal=a-resigner"
    assert (
        f'href="{reverse("pages:memberships_export", args=["csv"])}?status=accepted&amp;renewal=a-renouveler"'
        in (response.content.decode())
    )
    rows = list(csv.DictReader(io.StringIO(client.get(export).content.decode("utf-8-sig"))))
    assert [row["member_name"] for row in rows] == ["Réseau Climat"]
    assert rows[0]["to_resign"] == "true" and rows[0]["renewal_due"] == "true"
    by_version = reverse("pages:memberships_export", args=["csv"]) + f"?charter_version={new.version}"
    rows = list(csv.DictReader(io.StringIO(client.get(by_version).content.decode("utf-8-sig"))))
    assert [row["member_name"] for row in rows] == [person.member_name]


def test_the_admin_publishes_with_a_deadline_and_a_directory_choice(charter, client_for):
    response = client_for("admin").post(
        reverse("alliance:charter_manage"),
        {
            "preamble": PREAMBLE,
            "commitments": "\n".join(COMMITMENTS),
            "deadline_days": "45",
            "lapsed_listing": "hide",
        },
    )
    assert response.status_code == 302
    new = Charter.objects.get(is_current=True)
    assert new.version == charter.version + 1 and new.lapsed_listing == "hide"
    assert new.resign_deadline == timezone.localdate() + datetime.timedelta(days=45)
    page = client_for("admin").get(reverse("alliance:charter_manage")).content.decode()
    assert "à signer de nouveau avant le" in page
    assert "retirées de l'annuaire après l'échéance" in page


def test_a_deadline_out_of_the_forms_range_is_shown_beside_the_field(charter, client_for):
    response = client_for("admin").post(
        reverse("alliance:charter_manage"),
        {"preamble": PREAMBLE, "commitments": "Agir", "deadline_days": "2", "lapsed_listing": "mark"},
    )
    assert response.status_code == 200
    assert "Laissez au moins 7 jours" in response.content.decode()
    assert Charter.objects.count() == 1


def test_the_banner_is_remembered_by_the_session_between_checks(members, admin_user, client):
    org, _person, _candidate = members
    _publish(admin_user)
    client.force_login(org.signatory)
    client.get(reverse("alliance:charter"))  # checks, then remembers in the session
    page = client.get(reverse("alliance:charter")).content.decode()
    assert "La charte de l'alliance a évolué." in page


def test_a_first_charter_without_previous_version_lists_every_paragraph_as_new():
    charter = CharterFactory()
    assert [c.status for c in charter_changes(None, charter)] == ["added", "added", "added"]
