"""Stored files (core/files.py): served after the access check, streamed or through a short-lived signed
address; a deleted or replaced record's file removed once that is committed; orphans listed and removed.

The tests marked with the `s3_storage` fixture run against a real S3-compatible server (moto's standalone
server, started by .ci/run), never a mock inside this process."""

import io
import urllib.request
from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse

from core.files import orphans
from documents import services as document_services
from documents.models import Document, DocumentStatus
from library import services as library_services
from library.models import Attachment
from tests.s3 import s3_bucket, s3_storage  # noqa: F401 - fixtures

from ..factories import TerritoryFactory, png_upload
from ..library.factories import PDF_BYTES, pdf_upload

pytestmark = pytest.mark.django_db


def _upload(client, resource, name="fiche.pdf", content=PDF_BYTES):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client.post(
        reverse("library:attachment_add", args=[resource.pk]),
        {"file": SimpleUploadedFile(name, content), "title": "La fiche"},
    )
    assert response.status_code == 302
    return resource.attachments.latest("added_at")


def _attach(world, name="fiche.pdf"):
    return library_services.attachment_add(
        actor=world.users["agent"], resource=world.draft_resource, file=pdf_upload(name), title="Fiche"
    )


# --- Removal after commit (whatever the storage) ---------------------------------------------------------


def test_a_deleted_record_s_file_is_removed_once_the_deletion_is_committed(
    world, django_capture_on_commit_callbacks
):
    attachment = _attach(world)
    name = attachment.file.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        library_services.attachment_remove(actor=world.users["agent"], attachment=attachment)
    assert default_storage.exists(name), "still there until the deletion is committed"
    for callback in callbacks:
        callback()
    assert not default_storage.exists(name)


def test_a_deletion_rolled_back_keeps_the_file(world, django_capture_on_commit_callbacks):
    attachment = _attach(world)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        Attachment.objects.get(pk=attachment.pk).delete()
        transaction.set_rollback(True)
    assert default_storage.exists(attachment.file.name)
    assert Attachment.objects.filter(pk=attachment.pk).exists()


def _territory():
    """A territory of this test's own: the shared world's logo is left alone."""
    created = TerritoryFactory()
    return type(created).objects.get(pk=created.pk)


def test_a_replaced_logo_s_old_file_goes_after_commit_and_the_new_one_stays(
    db, django_capture_on_commit_callbacks
):
    territory = _territory()
    territory.logo = png_upload("premier.png")
    with django_capture_on_commit_callbacks(execute=True):
        territory.save()
    first = territory.logo.name
    territory = type(territory).objects.get(pk=territory.pk)
    territory.logo = png_upload("second.png")
    with django_capture_on_commit_callbacks(execute=True):
        territory.save()
    assert not default_storage.exists(first)
    assert default_storage.exists(territory.logo.name)


def test_saving_a_record_without_touching_its_file_keeps_it(db, django_capture_on_commit_callbacks):
    territory = _territory()
    territory.logo = png_upload()
    with django_capture_on_commit_callbacks(execute=True):
        territory.save()
    for loaded in (
        type(territory).objects.get(pk=territory.pk),
        type(territory).objects.defer("logo").get(pk=territory.pk),
    ):
        loaded.name = "Autre nom"
        with django_capture_on_commit_callbacks(execute=True):
            loaded.save()
    assert default_storage.exists(territory.logo.name)


def test_a_file_another_record_still_points_at_is_kept(world, django_capture_on_commit_callbacks):
    first = _attach(world)
    twin = Attachment.objects.create(
        resource=first.resource, title="Copie", file=first.file.name, filename="copie.pdf", size=first.size
    )
    with django_capture_on_commit_callbacks(execute=True):
        first.delete()
    assert default_storage.exists(twin.file.name)


def test_a_record_whose_file_is_missing_answers_404_not_an_error(world, client_for):
    attachment = _attach(world)
    default_storage.delete(attachment.file.name)
    response = client_for("agent").get(attachment.get_absolute_url())
    assert response.status_code == 404


# --- Orphans ---------------------------------------------------------------------------------------------


def test_orphan_files_lists_only_files_no_record_points_at_and_deletes_them_when_asked(world):
    kept = _attach(world).file.name
    orphan = default_storage.save("library/orphelin.pdf", ContentFile(PDF_BYTES))

    found = [name for name, _modified, _size in orphans(default_storage, older_than=timedelta(0))]
    assert orphan in found
    assert kept not in found
    assert world.document.file.name not in found

    out = io.StringIO()
    call_command("orphan_files", "--older-than", "0", stdout=out, stderr=io.StringIO())
    assert orphan in out.getvalue() and default_storage.exists(orphan), "listing deletes nothing"

    call_command("orphan_files", "--older-than", "0", "--delete", stdout=io.StringIO(), stderr=io.StringIO())
    assert not default_storage.exists(orphan)
    assert default_storage.exists(kept)


def test_a_recent_orphan_may_belong_to_a_transaction_still_running_and_is_left_alone(world):
    orphan = default_storage.save("library/tout-neuf.pdf", ContentFile(PDF_BYTES))
    call_command("orphan_files", "--delete", stdout=io.StringIO(), stderr=io.StringIO())
    assert default_storage.exists(orphan)


# --- On a real S3-compatible server ------------------------------------------------------------------------


def test_an_attachment_uploaded_goes_to_the_bucket_and_downloads_through_the_access_check(
    s3_storage,  # noqa: F811
    world,
    client_for,
):
    attachment = _upload(client_for("agent"), world.draft_resource)

    assert attachment.file.name in s3_storage.names()
    assert s3_storage.read(attachment.file.name) == PDF_BYTES
    response = client_for("agent").get(attachment.get_absolute_url())
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="fiche.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    # A draft's file is the authors' only: the access check still applies with the bucket.
    assert client_for("outsider").get(attachment.get_absolute_url()).status_code == 404


def test_objects_in_the_bucket_grant_nothing_to_the_public(s3_storage, world):  # noqa: F811
    name = _attach(world).file.name
    grants = s3_storage.client.get_object_acl(Bucket=s3_storage.name, Key=name)["Grants"]
    assert grants, "the owner's grant"
    assert all(grant["Grantee"].get("URI", "").rsplit("/", 1)[-1] not in ("AllUsers", "AuthenticatedUsers")
               for grant in grants)


def test_with_signed_urls_a_download_is_redirected_after_the_check_with_the_same_headers(
    s3_storage,  # noqa: F811
    world,
    client_for,
    settings,
):
    settings.STORAGE_SIGNED_URL_SECONDS = 60
    attachment = _upload(client_for("agent"), world.draft_resource, name="Schéma actantiel.pdf")

    response = client_for("agent").get(attachment.get_absolute_url())

    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(s3_storage.endpoint)
    assert "X-Amz-Signature=" in location and "X-Amz-Expires=60" in location
    assert response["Cache-Control"] == "private, no-store"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "no-referrer"
    with urllib.request.urlopen(location, timeout=10) as signed:  # noqa: S310 - the test server
        assert signed.read() == PDF_BYTES
        assert signed.headers["Content-Type"] == "application/pdf"
        assert signed.headers["Cache-Control"] == "private, no-store"
        assert signed.headers["Content-Disposition"] == 'attachment; filename="Schema-actantiel.pdf"'
    assert client_for("outsider").get(attachment.get_absolute_url()).status_code == 404


def test_with_signed_urls_a_logo_is_still_streamed_for_the_page_s_content_security_policy(
    s3_storage,  # noqa: F811
    world,
    client_for,
    settings,
    django_capture_on_commit_callbacks,
):
    settings.STORAGE_SIGNED_URL_SECONDS = 60
    territory = _territory()
    territory.is_published = True
    territory.logo = png_upload()
    with django_capture_on_commit_callbacks(execute=True):
        territory.save()
    assert territory.logo.name in s3_storage.names()

    response = client_for("anonymous").get(reverse("territories:logo", args=[territory.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == s3_storage.read(territory.logo.name)


def test_a_rendered_pdf_is_written_to_the_bucket_and_goes_with_its_record(
    s3_storage,  # noqa: F811
    world,
    client_for,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        document = document_services.document_request_note(
            actor=world.users["agent"], deliverable=world.cadrage
        )
    document.refresh_from_db()
    assert document.status == DocumentStatus.READY, document.error
    assert document.file.name in s3_storage.names()

    download = client_for("elu").get(reverse("documents:download", args=[document.pk]))
    assert b"".join(download.streaming_content) == s3_storage.read(document.file.name)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Document.objects.filter(pk=document.pk).get().delete()
    assert document.file.name in s3_storage.names(), "kept until the deletion is committed"
    for callback in callbacks:
        callback()
    assert document.file.name not in s3_storage.names()


def test_orphans_in_the_bucket_are_listed_and_removed(s3_storage, world):  # noqa: F811
    kept = _attach(world).file.name
    default_storage.save("documents/orphelin.pdf", ContentFile(PDF_BYTES))

    out = io.StringIO()
    call_command("orphan_files", "--older-than", "0", "--delete", stdout=out, stderr=io.StringIO())

    assert "documents/orphelin.pdf" in out.getvalue()
    assert "documents/orphelin.pdf" not in s3_storage.names()
    assert kept in s3_storage.names()
