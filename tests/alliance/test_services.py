"""The workflows of the alliance (alliance/services.py): applications, decisions, the charter."""

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from alliance import selectors, services
from alliance.models import (
    Charter,
    Membership,
    MembershipKind,
    MembershipStatus,
    Organisation,
    OrganisationPerson,
)
from core.audit import history_of
from core.errors import DomainError
from tests.factories import CharterFactory, MembershipFactory, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def applicant(db):
    return UserFactory(email="candidate@exemple.fr", full_name="Claire Candidate")


@pytest.fixture
def candidate(applicant, charter):
    return MembershipFactory(signatory=applicant, organisation=OrganisationFactory(name="Réseau Climat"))


def _actions(target):
    return [entry.action for entry in history_of(target)]


# --- Applying -------------------------------------------------------------------------------------


def test_a_person_applies_for_themselves_and_receives_an_email_after_commit(
    applicant, charter, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        membership = services.membership_apply(user=applicant, kind=MembershipKind.PERSON, charter=charter)
        assert mailoutbox == [], "the e-mail waits for the commit"

    # Once committed: the e-mail, and the directory's and the home page's kept content forgotten again.
    assert len(callbacks) == 3
    membership.refresh_from_db()
    assert membership.kind == MembershipKind.PERSON
    assert membership.organisation is None
    assert membership.status == MembershipStatus.CANDIDATE
    assert membership.signatory == applicant
    assert membership.charter == charter
    assert membership.signed_at is not None
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == ["candidate@exemple.fr"]
    assert "candidature" in email.subject.lower()
    assert reverse("alliance:membership", args=[membership.pk]) in email.body


def test_applying_writes_an_audit_entry_with_the_charter_version(applicant, charter):
    membership = services.membership_apply(user=applicant, kind=MembershipKind.PERSON, charter=charter)
    entry = history_of(membership).get()
    assert entry.action == "membership.apply"
    assert entry.actor == applicant
    assert entry.data == {"charter_version": charter.version}


def test_claiming_an_existing_organisation_gives_no_power_over_it_before_an_admin_accepts(
    applicant, charter, admin_user
):
    organisation = OrganisationFactory(name="Communauté de communes du Haut-Tarn")
    membership = services.membership_apply(
        user=applicant,
        kind=MembershipKind.ORGANISATION,
        charter=charter,
        organisation=organisation,
        mandate="  Présidente, mandatée par le conseil.  ",
    )
    assert membership.organisation == organisation
    assert membership.mandate == "Présidente, mandatée par le conseil."
    link = OrganisationPerson.objects.get(organisation=organisation, person=applicant)
    assert not link.is_referent
    services.membership_accept(actor=admin_user, membership=membership)
    link.refresh_from_db()
    assert link.is_referent


def test_an_existing_member_of_the_organisation_who_signs_becomes_its_referent_once_accepted(
    applicant, charter, admin_user
):
    organisation = OrganisationFactory()
    OrganisationPerson.objects.create(organisation=organisation, person=applicant, is_referent=False)
    membership = services.membership_apply(
        user=applicant,
        kind=MembershipKind.ORGANISATION,
        charter=charter,
        organisation=organisation,
        mandate="DGS",
    )
    assert not OrganisationPerson.objects.get(organisation=organisation, person=applicant).is_referent
    services.membership_accept(actor=admin_user, membership=membership)
    assert OrganisationPerson.objects.get(organisation=organisation, person=applicant).is_referent


def test_a_person_applies_for_a_new_organisation_which_is_created_with_them_as_referent(applicant, charter):
    new = Organisation(name="Coopérative des Transitions", category="entreprise", region="OCC")
    membership = services.membership_apply(
        user=applicant,
        kind=MembershipKind.ORGANISATION,
        charter=charter,
        new_organisation=new,
        mandate="Gérante",
    )
    organisation = Organisation.objects.get(name="Coopérative des Transitions")
    assert membership.organisation == organisation
    assert organisation.created_by == applicant
    assert list(organisation.people.all()) == [applicant]
    assert OrganisationPerson.objects.get(organisation=organisation).is_referent


def test_applying_for_an_organisation_requires_a_mandate(applicant, charter):
    with pytest.raises(DomainError, match="mandat"):
        services.membership_apply(
            user=applicant,
            kind=MembershipKind.ORGANISATION,
            charter=charter,
            organisation=OrganisationFactory(),
            mandate="   ",
        )
    assert not Membership.objects.exists()


def test_applying_for_an_organisation_requires_one(applicant, charter):
    with pytest.raises(DomainError):
        services.membership_apply(
            user=applicant, kind=MembershipKind.ORGANISATION, charter=charter, mandate="DGS"
        )


def test_applying_against_an_old_charter_version_is_refused(applicant, charter, admin_user):
    services.charter_publish(actor=admin_user, preamble="Nouveau préambule", commitments=["Agir"])
    charter.refresh_from_db()
    with pytest.raises(DomainError, match="charte a changé"):
        services.membership_apply(user=applicant, kind=MembershipKind.PERSON, charter=charter)
    assert not Membership.objects.exists()


def test_a_person_cannot_hold_two_active_personal_memberships(applicant, charter):
    services.membership_apply(user=applicant, kind=MembershipKind.PERSON, charter=charter)
    with pytest.raises(DomainError, match="déjà"):
        services.membership_apply(user=applicant, kind=MembershipKind.PERSON, charter=charter)
    assert Membership.objects.count() == 1


def test_an_organisation_with_an_active_membership_cannot_apply_again(candidate, charter):
    other = UserFactory()
    with pytest.raises(DomainError, match="Réseau Climat"):
        services.membership_apply(
            user=other,
            kind=MembershipKind.ORGANISATION,
            charter=charter,
            organisation=candidate.organisation,
            mandate="Directeur",
        )
    assert not OrganisationPerson.objects.filter(person=other).exists()


def test_a_withdrawn_member_may_apply_again(applicant, charter):
    first = services.membership_apply(user=applicant, kind=MembershipKind.PERSON, charter=charter)
    services.membership_withdraw(actor=applicant, membership=first)
    second = services.membership_apply(user=applicant, kind=MembershipKind.PERSON, charter=charter)
    assert second.pk != first.pk
    assert second.status == MembershipStatus.CANDIDATE


# --- Decisions ------------------------------------------------------------------------------------


def test_an_admin_accepts_a_candidate_and_the_applicant_is_told(
    candidate, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        accepted = services.membership_accept(actor=admin_user, membership=candidate)
    candidate.refresh_from_db()
    assert candidate.status == MembershipStatus.ACCEPTED == accepted.status
    assert candidate.decided_by == admin_user
    assert candidate.decided_at is not None
    assert _actions(candidate) == ["membership.accept"]
    assert [m.to for m in mailoutbox] == [["candidate@exemple.fr"]]
    assert "Bienvenue" in mailoutbox[0].subject
    assert "acceptée" in mailoutbox[0].body


def test_accepting_twice_is_a_domain_error(candidate, admin_user):
    services.membership_accept(actor=admin_user, membership=candidate)
    with pytest.raises(DomainError, match="Membre de l'alliance"):
        services.membership_accept(actor=admin_user, membership=candidate)
    assert _actions(candidate) == ["membership.accept"]


def test_refusing_requires_a_reason(candidate, admin_user):
    with pytest.raises(DomainError, match="motif"):
        services.membership_refuse(actor=admin_user, membership=candidate, reason="   ")
    candidate.refresh_from_db()
    assert candidate.status == MembershipStatus.CANDIDATE


def test_an_admin_refuses_with_a_reason_that_reaches_the_applicant(
    candidate, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_refuse(
            actor=admin_user, membership=candidate, reason="Le mandat n'est pas établi."
        )
    candidate.refresh_from_db()
    assert candidate.status == MembershipStatus.REFUSED
    assert candidate.reason == "Le mandat n'est pas établi."
    assert candidate.decided_by == admin_user
    entry = history_of(candidate).get()
    assert entry.action == "membership.refuse"
    assert entry.data["reason"] == "Le mandat n'est pas établi."
    assert len(mailoutbox) == 1
    assert "Le mandat n'est pas établi." in mailoutbox[0].body


def test_an_admin_suspends_an_accepted_member_with_a_reason_then_reinstates_it(
    candidate, admin_user, django_capture_on_commit_callbacks, mailoutbox
):
    services.membership_accept(actor=admin_user, membership=candidate)
    with pytest.raises(DomainError, match="motif"):
        services.membership_suspend(actor=admin_user, membership=candidate, reason="")
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_suspend(actor=admin_user, membership=candidate, reason="Usage abusif du logo.")
    candidate.refresh_from_db()
    assert candidate.status == MembershipStatus.SUSPENDED
    assert "Usage abusif du logo." in mailoutbox[-1].body

    services.membership_reinstate(actor=admin_user, membership=candidate)
    candidate.refresh_from_db()
    assert candidate.status == MembershipStatus.ACCEPTED
    assert candidate.reason == ""
    assert _actions(candidate) == ["membership.reinstate", "membership.suspend", "membership.accept"]


def test_only_a_suspended_membership_can_be_reinstated(candidate, admin_user):
    with pytest.raises(DomainError):
        services.membership_reinstate(actor=admin_user, membership=candidate)


def test_only_an_accepted_membership_can_be_suspended(candidate, admin_user):
    with pytest.raises(DomainError):
        services.membership_suspend(actor=admin_user, membership=candidate, reason="Motif")


def test_the_signatory_withdraws_their_membership(
    candidate, applicant, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        services.membership_withdraw(
            actor=applicant, membership=candidate, reason="Fusion avec un autre réseau"
        )
    candidate.refresh_from_db()
    assert candidate.status == MembershipStatus.WITHDRAWN
    assert candidate.ended_at is not None
    assert candidate.reason == "Fusion avec un autre réseau"
    assert _actions(candidate) == ["membership.withdraw"]
    assert "retirée" in mailoutbox[0].subject


def test_withdrawing_a_refused_membership_is_a_domain_error(candidate, admin_user, applicant):
    services.membership_refuse(actor=admin_user, membership=candidate, reason="Hors périmètre")
    with pytest.raises(DomainError, match="Candidature refusée"):
        services.membership_withdraw(actor=applicant, membership=candidate)
    candidate.refresh_from_db()
    assert candidate.status == MembershipStatus.REFUSED


def test_a_decision_reads_the_current_state_not_the_stale_object(candidate, admin_user):
    stale = Membership.objects.get(pk=candidate.pk)
    services.membership_refuse(actor=admin_user, membership=candidate, reason="Hors périmètre")
    with pytest.raises(DomainError):
        services.membership_accept(actor=admin_user, membership=stale)


# --- Database constraints -------------------------------------------------------------------------


def test_the_database_refuses_two_active_memberships_for_the_same_organisation(charter):
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, status=MembershipStatus.ACCEPTED)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(organisation=organisation, status=MembershipStatus.CANDIDATE)


def test_the_database_allows_a_new_membership_after_a_withdrawn_one(charter):
    organisation = OrganisationFactory()
    MembershipFactory(organisation=organisation, status=MembershipStatus.WITHDRAWN)
    MembershipFactory(organisation=organisation, status=MembershipStatus.CANDIDATE)
    assert organisation.alliance_memberships.count() == 2


def test_the_database_refuses_two_active_personal_memberships_for_the_same_person(charter):
    person = UserFactory()
    MembershipFactory(kind=MembershipKind.PERSON, organisation=None, signatory=person)
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(
            kind=MembershipKind.PERSON, organisation=None, signatory=person, status=MembershipStatus.SUSPENDED
        )


def test_the_database_refuses_a_refusal_without_a_reason(charter):
    with pytest.raises(IntegrityError), transaction.atomic():
        MembershipFactory(status=MembershipStatus.REFUSED, reason="")


def test_the_database_keeps_a_single_current_charter(charter):
    with pytest.raises(IntegrityError), transaction.atomic():
        CharterFactory(is_current=True)
    assert Charter.objects.filter(is_current=True).count() == 1


# --- The charter ----------------------------------------------------------------------------------


def test_publishing_a_charter_makes_the_new_version_current_and_the_previous_one_not(charter, admin_user):
    published = services.charter_publish(
        actor=admin_user,
        preamble="  Nous nous engageons.  ",
        commitments=["Coopérer", "  ", " Partager nos communs "],
    )
    charter.refresh_from_db()
    assert not charter.is_current
    assert published.is_current
    assert published.version == charter.version + 1
    assert published.preamble == "Nous nous engageons."
    assert published.commitments == ["Coopérer", "Partager nos communs"]
    assert published.published_by == admin_user
    assert selectors.current_charter() == published
    entry = history_of(published).get()
    assert entry.action == "charter.publish"
    assert entry.actor == admin_user
    assert entry.data == {"version": published.version, "deadline": None, "lapsed_listing": "mark"}


def test_a_charter_without_preamble_or_commitments_is_not_published(charter, admin_user):
    with pytest.raises(DomainError):
        services.charter_publish(actor=admin_user, preamble="", commitments=["Coopérer"])
    with pytest.raises(DomainError):
        services.charter_publish(actor=admin_user, preamble="Préambule", commitments=["  "])
    assert selectors.current_charter() == charter


def test_the_first_charter_is_version_one(admin_user):
    published = services.charter_publish(actor=admin_user, preamble="Préambule", commitments=["Agir"])
    assert published.version == 1 and published.is_current


BANNER = "La charte de l'alliance a évolué."


@pytest.fixture
def member_of_old_charter(charter, applicant):
    membership = MembershipFactory(signatory=applicant, status=MembershipStatus.ACCEPTED)
    return membership


def test_members_of_an_older_charter_see_a_banner_until_they_sign_the_new_one(
    member_of_old_charter, applicant, admin_user, client
):
    client.force_login(applicant)
    assert BANNER not in client.get(reverse("dashboards:my_space")).content.decode()

    new = services.charter_publish(actor=admin_user, preamble="Nouveau préambule", commitments=["Agir"])
    assert list(selectors.charters_to_resign(applicant)) == [member_of_old_charter]
    member_of_old_charter.refresh_from_db()
    assert member_of_old_charter.needs_new_signature

    client.logout()
    client.force_login(applicant)
    # No gate: every page opens, with a banner that leads to the new version.
    for url in (reverse("dashboards:my_space"), reverse("alliance:directory")):
        response = client.get(url)
        assert response.status_code == 200
        page = response.content.decode()
        assert BANNER in page
        assert 'href="/alliance/charte/signer/"' in page
    assert reverse("alliance:charter_resign") == "/alliance/charte/signer/"

    page = client.get("/alliance/charte/signer/")
    assert page.status_code == 200
    assert "Nouveau préambule" in page.content.decode()

    response = client.post("/alliance/charte/signer/", {"charter_version": new.version, "sign": "on"})
    assert response.status_code == 302
    assert response["Location"] == reverse("dashboards:my_space")
    member_of_old_charter.refresh_from_db()
    assert member_of_old_charter.charter == new
    assert "membership.resign" in _actions(member_of_old_charter)
    assert BANNER not in client.get(reverse("dashboards:my_space")).content.decode()


def test_members_of_the_current_charter_are_not_asked_to_sign_again(member_of_old_charter, applicant, client):
    client.force_login(applicant)
    assert client.get(reverse("dashboards:my_space")).status_code == 200
    assert client.get("/alliance/charte/signer/")["Location"] == reverse("dashboards:my_space")


def test_resigning_a_superseded_version_is_refused(member_of_old_charter, applicant, admin_user, charter):
    services.charter_publish(actor=admin_user, preamble="Nouveau", commitments=["Agir"])
    charter.refresh_from_db()
    with pytest.raises(DomainError):
        services.charter_resign(user=applicant, charter=charter)


def test_resigning_updates_every_accepted_membership_of_the_signatory(applicant, charter, admin_user):
    personal = MembershipFactory(
        kind=MembershipKind.PERSON, organisation=None, signatory=applicant, status=MembershipStatus.ACCEPTED
    )
    for_org = MembershipFactory(signatory=applicant, status=MembershipStatus.ACCEPTED)
    candidate = MembershipFactory(signatory=applicant)
    new = services.charter_publish(actor=admin_user, preamble="Nouveau", commitments=["Agir"])
    assert services.charter_resign(user=applicant, charter=new) == 2
    for membership in (personal, for_org, candidate):
        membership.refresh_from_db()
    assert personal.charter == new and for_org.charter == new
    assert candidate.charter == charter, "a candidate is not asked to re-sign"


# --- People of an organisation --------------------------------------------------------------------


def test_a_referent_adds_a_person_to_their_organisation(applicant, admin_user):
    organisation = OrganisationFactory()
    colleague = UserFactory()
    link = services.organisation_add_person(
        actor=applicant, organisation=organisation, person=colleague, is_referent=True
    )
    assert link.is_referent
    assert colleague in organisation.people.all()
    entry = history_of(organisation).get()
    assert entry.action == "organisation.add_person"
    assert entry.data == {"person": colleague.email}


def test_adding_a_person_twice_is_a_domain_error(applicant):
    organisation = OrganisationFactory()
    colleague = UserFactory()
    services.organisation_add_person(actor=applicant, organisation=organisation, person=colleague)
    with pytest.raises(DomainError, match="fait déjà partie"):
        services.organisation_add_person(actor=applicant, organisation=organisation, person=colleague)
    assert OrganisationPerson.objects.filter(organisation=organisation).count() == 1


def test_a_person_may_belong_to_several_organisations(applicant):
    first, second = OrganisationFactory(), OrganisationFactory()
    colleague = UserFactory()
    services.organisation_add_person(actor=applicant, organisation=first, person=colleague)
    services.organisation_add_person(actor=applicant, organisation=second, person=colleague)
    assert set(colleague.organisations.all()) == {first, second}


def test_memberships_of_lists_those_signed_and_those_of_the_persons_organisations(applicant, charter):
    signed = MembershipFactory(signatory=applicant)
    organisation = OrganisationFactory()
    of_organisation = MembershipFactory(organisation=organisation)
    OrganisationPerson.objects.create(organisation=organisation, person=applicant)
    MembershipFactory()
    assert set(selectors.memberships_of(applicant)) == {signed, of_organisation}


# --- The organisation's card ------------------------------------------------------------------------


def test_an_organisation_update_saves_the_card_and_is_audited(admin_user):
    organisation = OrganisationFactory(description="Avant")
    organisation.description = "Après"
    services.organisation_update(actor=admin_user, organisation=organisation)
    organisation.refresh_from_db()
    assert organisation.description == "Après"
    assert _actions(organisation) == ["organisation.update"]
