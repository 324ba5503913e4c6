import io

import factory
from allauth.account.models import EmailAddress
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import ActorFamily, PlatformRole, User
from alliance.models import Category, Charter, Membership, MembershipKind, Organisation, Region

PASSWORD = "mot-de-passe-de-test-2026"


def png_bytes(size=(32, 32), color=(31, 107, 74), fmt="PNG") -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format=fmt)
    return buffer.getvalue()


def png_upload(name="logo.png", **kwargs) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, png_bytes(**kwargs), content_type="image/png")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    full_name = factory.Faker("name", locale="fr_FR")
    function = "Chargé·e de mission"
    family = ActorFamily.AUTRE
    role = PlatformRole.MEMBER

    @factory.post_generation
    def password(obj, create, extracted, **kwargs):
        obj.set_password(extracted or PASSWORD)
        if create:
            obj.save()
            EmailAddress.objects.create(user=obj, email=obj.email, verified=True, primary=True)


class CharterFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Charter

    version = factory.Sequence(lambda n: n + 1)
    preamble = "Nous, acteur·ices divers·es engagé·es dans la transition des territoires…"
    commitments = factory.LazyFunction(
        lambda: [
            "Constituer une communauté apprenante pour enrichir un patrimoine commun.",
            "Proposer ensemble des changements de modèles.",
        ]
    )
    is_current = True


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Organisation {n}")
    category = Category.COLLECTIVITE
    region = Region.OCCITANIE
    description = "Une organisation engagée."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    kind = MembershipKind.ORGANISATION
    organisation = factory.SubFactory(OrganisationFactory)
    signatory = factory.SubFactory(UserFactory)
    mandate = "Mandaté·e par le président."
    charter = factory.LazyFunction(lambda: Charter.objects.get(is_current=True))


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reference.Region"
        django_get_or_create = ["code"]

    code = "76"
    name = "Occitanie"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reference.Department"
        django_get_or_create = ["code"]

    code = "81"
    name = "Tarn"
    region = factory.SubFactory(RegionFactory)


class EpciFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reference.Epci"

    siren = factory.Sequence(lambda n: f"2000{n:05d}")
    name = factory.Sequence(lambda n: f"CC numéro {n}")
    kind = "CC"


class CommuneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "reference.Commune"

    insee_code = factory.Sequence(lambda n: f"{n % 100000:05d}")
    name = factory.Sequence(lambda n: f"Commune {n}")
    population = 500
    department = factory.SubFactory(DepartmentFactory)
    region = factory.LazyAttribute(lambda commune: commune.department.region)
    epci = factory.SubFactory(EpciFactory)


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "territories.Territory"

    name = factory.Sequence(lambda n: f"Territoire {n}")
    kind = "epci"
    epci = factory.SubFactory(EpciFactory)
