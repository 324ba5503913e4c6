"""The test world: the objects the access table's URLs point at (tests/conftest.py `world`), and a mirror of
it around another territory (`mirror`) for the probes that cross from one territory to the other.

Each app adds its objects in its own module here, so the apps' builders stay apart."""

from dataclasses import dataclass
from types import SimpleNamespace

from django.db.models import CharField, Model

from alliance.models import MembershipKind, MembershipStatus, OrganisationPerson
from territories import services as territory_services
from territories.models import Diagnostic, Milestone, MilestoneKind, Recommendation, TeamMember, TeamRole

from ..factories import (
    CommuneFactory,
    EpciFactory,
    MembershipFactory,
    OrganisationFactory,
    TerritoryFactory,
    png_upload,
)
from . import (
    calendars,
    cooperation,
    documents,
    library,
    methods_actantial,
    methods_actors,
    methods_evaluation,
    methods_journal,
    notifications,
    projects,
    questions,
    reports,
    trainings,
)

WORLD_BUILDERS = (
    projects.build,
    notifications.build,
    trainings.build,
    cooperation.build,
    library.build,
    documents.build,
    methods_actors.build,
    methods_actantial.build,
    methods_journal.build,
    methods_evaluation.build,
    calendars.build,
    reports.build,
    questions.build,
)


# The rows that data migrations write: a transactional test ends with a flush, and serialized rollback must
# put them back (tests/conftest.py checks they are there at the start of every transactional test).
SEEDED = ("core.Theme", "projects.QuestionSet", "cooperation.GroupKind", "methods.ValueDimension")


@dataclass(frozen=True)
class Names:
    """What must differ between two worlds built side by side (unique names, the territory's publication)."""

    territory: str
    organisation: str
    candidate_organisation: str
    epci: str
    epci_siren: str | None
    other_territory: str
    invitation_email: str
    published: bool = True


PILOT = Names(
    territory="Pôle Territorial du Tarn",
    organisation="Pôle Territorial du Tarn",
    candidate_organisation="Réseau candidat",
    epci="CC du Carmausin-Ségala",
    epci_siren="200040905",
    other_territory="Autre territoire",
    invitation_email="nouvelle.collegue@exemple.fr",
)

# A string that only the mirror world's private names carry: a page that shows it to someone of the pilot
# territory shows them another territory's private object.
CANARY = "Canari7Q4"

MIRROR = Names(
    territory=f"Territoire {CANARY}",
    organisation="Réseau du Ségala",
    candidate_organisation="Réseau candidat du Ségala",
    epci="CC du Ségala tarnais",
    epci_siren=None,
    other_territory=f"Autre territoire {CANARY}",
    invitation_email="nouveau.collegue@exemple.fr",
    # Unpublished: its very name is private.
    published=False,
)

# The mirror's objects that are public by nature: their names may be shown to anyone.
PUBLIC_IN_MIRROR = frozenset(
    {
        "public_organisation",  # the directory lists the alliance's organisations
        "candidate_organisation",
        "charter",
        "resource",  # a published resource of the library
        "attachment",
        "members_resource",  # a resource published to the alliance's members, whatever their territory
        "public_event",  # an event published in the library, on the public agenda
        "dgs_group",  # a listed peer group: its name is listed to every signed-in person
    }
)


def add_canary(world) -> None:
    """Append the canary to the name or title of every private object of `world`, in the database and on the
    objects themselves."""
    for attribute, obj in sorted(vars(world).items()):
        if attribute in PUBLIC_IN_MIRROR or not isinstance(obj, Model):
            continue
        for field_name in ("title", "name"):
            field = next((f for f in obj._meta.concrete_fields if f.name == field_name), None)
            if not isinstance(field, CharField):
                continue
            value = getattr(obj, field_name) or ""
            if CANARY in value:
                continue
            room = (field.max_length or 1000) - len(CANARY) - 1
            value = f"{value[:room]} {CANARY}"
            type(obj)._default_manager.filter(pk=obj.pk).update(**{field_name: value})
            setattr(obj, field_name, value)


def build_world(users, charter, names=PILOT):
    """The objects the access table's URLs point at, for the role users `users`."""
    public_organisation = OrganisationFactory(name=names.organisation, logo=png_upload())
    agent_membership = MembershipFactory(
        organisation=public_organisation, signatory=users["agent"], status=MembershipStatus.ACCEPTED
    )
    OrganisationPerson.objects.create(
        organisation=public_organisation, person=users["agent"], is_referent=True
    )
    candidate_membership = MembershipFactory(
        organisation=OrganisationFactory(name=names.candidate_organisation), signatory=users["dgs"]
    )
    personal_membership = MembershipFactory(
        kind=MembershipKind.PERSON,
        organisation=None,
        signatory=users["elu"],
        status=MembershipStatus.ACCEPTED,
    )
    territory, other_territory = _territories(users, public_organisation, names)
    world = SimpleNamespace(
        territory=territory,
        other_territory=other_territory,
        dgs_member=TeamMember.objects.get(territory=territory, user=users["dgs"]),
        invitation=territory.invitations.get(),
        milestone=territory.milestones.get(),
        recommendation=Recommendation.objects.get(diagnostic__territory=territory),
        assessment=territory.assessments.get(),
        charter=charter,
        public_organisation=public_organisation,
        agent_membership=agent_membership,
        candidate_membership=candidate_membership,
        personal_membership=personal_membership,
        users=users,
    )
    for build in WORLD_BUILDERS:
        build(world)
    return world


def _territories(users, carrier, names):
    """The published pilot territory of the agent (manager), the DGS and the élu, followed by the facilitator;
    and another territory that the outsider manages."""
    epci = EpciFactory(name=names.epci, **({"siren": names.epci_siren} if names.epci_siren else {}))
    CommuneFactory.create_batch(3, epci=epci, population=1000)
    territory = TerritoryFactory(
        name=names.territory,
        epci=epci,
        is_pilot=True,
        pilot_since=2021,
        is_published=names.published,
        carrier=carrier,
        logo=png_upload(),
    )
    territory_services.territory_refresh(territory)
    territory.facilitators.add(users["facilitator"])
    TeamMember.objects.create(territory=territory, user=users["agent"], role=TeamRole.AGENT, is_manager=True)
    TeamMember.objects.create(territory=territory, user=users["dgs"], role=TeamRole.DGS)
    TeamMember.objects.create(territory=territory, user=users["elu"], role=TeamRole.ELU)
    territory_services.invitation_create(
        actor=users["agent"],
        territory=territory,
        email=names.invitation_email,
        role=TeamRole.TECHNICIEN,
    )
    Milestone.objects.create(
        territory=territory,
        kind=MilestoneKind.STRATEGY,
        plan="PCAET",
        title="PCAET",
        start_year=2017,
        end_year=2018,
    )
    diagnostic = Diagnostic.objects.create(
        territory=territory,
        date="2021-06-01",
        authors="La Fabrique des Transitions",
        findings="Des actions sectorielles.",
    )
    Recommendation.objects.create(diagnostic=diagnostic, number=1, text="Organiser des groupes de pairs.")
    territory_services.assessment_record(
        actor=users["agent"],
        territory=territory,
        date="2022-01-15",
        scores={f: {"level": 2, "evidence": "", "comment": ""} for f in (1, 2, 3, 4)},
    )
    other = TerritoryFactory(name=names.other_territory)
    TeamMember.objects.create(territory=other, user=users["outsider"], role=TeamRole.AGENT, is_manager=True)
    return territory, other
