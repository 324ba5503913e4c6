"""A meeting at 0001-01-01T00:00 in Paris was stored before year 1 in UTC and broke the group's meetings for
good: it is refused beside its field now, and the database refuses it too."""

import pytest
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from cooperation.models import Meeting

pytestmark = pytest.mark.django_db
MESSAGE = "Vérifiez l&#x27;année : la date doit être comprise entre 2000 et 2100."


@pytest.mark.parametrize("starts_at", ["0001-01-01T00:00", "9999-12-31T23:59", "1999-12-31T23:00"])
def test_an_implausible_meeting_date_is_refused_beside_the_field(starts_at, world, client_for):
    group = world.agents_group
    client = client_for("agent")
    count = Meeting.objects.count()
    response = client.post(
        reverse("cooperation:meeting_create", args=[group.pk]),
        {"title": "Séance", "starts_at": starts_at, "place": "Carmaux"},
    )
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    assert Meeting.objects.count() == count
    response = client.post(
        reverse("cooperation:meeting_edit", args=[group.pk, world.group_meeting.pk]),
        {"title": "Séance", "starts_at": starts_at, "place": "Carmaux"},
    )
    assert response.status_code == 400
    assert MESSAGE in response.content.decode()
    # The group's meetings still read.
    assert client.get(reverse("cooperation:meetings", args=[group.pk])).status_code == 200
    assert (
        client.get(reverse("cooperation:meeting_edit", args=[group.pk, world.group_meeting.pk])).status_code
        == 200
    )


def test_the_database_refuses_a_meeting_before_year_one_in_utc(world):
    with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE cooperation_meeting SET starts_at = %s::timestamp AT TIME ZONE 'Europe/Paris' "
            "WHERE id = %s",
            ["0001-01-01T00:00", world.group_meeting.pk],
        )


def test_the_first_minute_of_2000_in_paris_is_accepted(world, client_for):
    response = client_for("agent").post(
        reverse("cooperation:meeting_create", args=[world.agents_group.pk]),
        {"title": "Séance du millénaire", "starts_at": "2000-01-01T00:00", "place": "Carmaux"},
    )
    assert response.status_code == 302
    assert Meeting.objects.filter(title="Séance du millénaire").exists()
