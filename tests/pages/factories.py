from datetime import timedelta
from types import SimpleNamespace

from django.utils import timezone

from alliance.models import MembershipKind, MembershipStatus
from library.models import ResourceKind
from territories.models import Milestone, MilestoneKind

from ..factories import MembershipFactory, OrganisationFactory, TerritoryFactory, UserFactory
from ..library.factories import make_resource


def make_public_site(agent, admin_user):
    """Public and private objects of every kind the public site reads: only the public ones may show.
    Needs a current charter; `agent` writes the resources, `admin_user` publishes them."""
    today = timezone.localdate()
    listed = OrganisationFactory(
        name="Réseau Territoires en transition", siren="732829320", website="https://reseau.example"
    )
    MembershipFactory(organisation=listed, status=MembershipStatus.ACCEPTED, decided_at=timezone.now())
    unlisted = OrganisationFactory(name="Bureau discret", listed_in_directory=False)
    MembershipFactory(organisation=unlisted, status=MembershipStatus.ACCEPTED)
    candidate = OrganisationFactory(name="Collectif candidat")
    MembershipFactory(organisation=candidate)
    formula = OrganisationFactory(name='=HYPERLINK("http://malveillant.example")')
    MembershipFactory(organisation=formula, status=MembershipStatus.ACCEPTED)
    person = UserFactory(full_name="Paule Personne")
    MembershipFactory(
        kind=MembershipKind.PERSON, organisation=None, signatory=person, status=MembershipStatus.ACCEPTED
    )

    pilot = TerritoryFactory(
        name="Pôle Territorial de l'Albigeois",
        is_pilot=True,
        pilot_since=2021,
        is_published=True,
        description="Un territoire rural du Tarn : 5 EPCI, 100 communes.",
    )
    Milestone.objects.create(
        territory=pilot, kind=MilestoneKind.TURNING_POINT, title="1ère bascule : le PCAET", start_year=2017
    )
    published = TerritoryFactory(name="Commune publiée", is_published=True)
    private = TerritoryFactory(name="Territoire confidentiel", is_pilot=True)

    resource = make_resource(
        agent,
        title="Le schéma actantiel",
        summary="Raconter la coopération.",
        status="published",
        publisher=admin_user,
    )
    members_only = make_resource(
        agent, title="Réservée aux membres", members_only=True, status="published", publisher=admin_user
    )
    draft = make_resource(agent, title="Brouillon en cours")
    festival = make_resource(
        agent,
        title="Festival Explore Demain",
        kind=ResourceKind.EVENT,
        summary="Le festival de l'alliance.",
        starts_on=today + timedelta(days=170),
        ends_on=today + timedelta(days=178),
        place="Albi",
        status="published",
        publisher=admin_user,
    )
    past = make_resource(
        agent,
        title="Rencontre passée",
        kind=ResourceKind.EVENT,
        starts_on=today - timedelta(days=30),
        status="published",
        publisher=admin_user,
    )
    return SimpleNamespace(
        listed=listed,
        unlisted=unlisted,
        candidate=candidate,
        formula=formula,
        person=person,
        pilot=pilot,
        published=published,
        private=private,
        resource=resource,
        members_only=members_only,
        draft=draft,
        festival=festival,
        past=past,
    )
