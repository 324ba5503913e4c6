"""Stored files: serving one after its access check, removing a record's file once its deletion is committed,
and finding the files that no record points at.

Every file (logos, attachments, rendered documents) lives in the default storage: a local folder on one
machine, or an S3-compatible bucket that every web and worker node shares (STORAGES in the settings). A file
is always written in full before a record points at it (a FileField writes it before the row is saved); a
file whose record is deleted, or replaced by another, goes once that change is committed. What escapes both
(a transaction rolled back after its upload, a bulk delete, a delete that failed) is an orphan:
`manage.py orphan_files` lists and removes them.
"""

import logging
import mimetypes
import posixpath
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.signals import post_delete, post_init, post_save
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.http import content_disposition_header

logger = logging.getLogger(__name__)

PRIVATE = "private, no-store"


def _signed_url(storage, name, *, filename, content_type, as_attachment, cache_control) -> str | None:
    """A short-lived signed address of the file in its bucket, answering with our headers; None when files
    are streamed (the setting is 0) or the storage has no such addresses (the local folder)."""
    seconds = settings.STORAGE_SIGNED_URL_SECONDS
    if seconds <= 0:
        return None
    from storages.backends.s3 import S3Storage  # boto3 is only imported where a bucket is used

    if not isinstance(storage, S3Storage):
        return None
    parameters = {"ResponseContentType": content_type, "ResponseCacheControl": cache_control}
    disposition = content_disposition_header(as_attachment, filename) if filename else None
    if disposition:
        parameters["ResponseContentDisposition"] = disposition
    return storage.url(name, parameters=parameters, expire=seconds)


def file_response(
    field_file,
    *,
    filename: str = "",
    content_type: str | None = None,
    as_attachment: bool = True,
    cache_control: str = PRIVATE,
    redirect: bool = True,
):
    """The response that hands a stored file to someone who passed its access check.

    Streamed by this process, or, with STORAGE_SIGNED_URL_SECONDS and a bucket, a redirect to a signed
    address that expires soon and answers with the same type, disposition and cache rule (S3 cannot add
    `X-Content-Type-Options`: the type is forced instead, and a download is an attachment). `redirect=False`
    for what a page shows inline (logos): its Content-Security-Policy allows images of the site only."""
    name = field_file.name if field_file else ""
    if not name:
        raise Http404
    storage = field_file.storage
    content_type = content_type or mimetypes.guess_type(name)[0] or "application/octet-stream"
    url = (
        _signed_url(
            storage,
            name,
            filename=filename,
            content_type=content_type,
            as_attachment=as_attachment,
            cache_control=cache_control,
        )
        if redirect
        else None
    )
    if url:
        response = HttpResponseRedirect(url)
        # The signed address is a secret for its lifetime: no cache keeps it, no referrer carries it on.
        response["Cache-Control"] = PRIVATE
        response["Referrer-Policy"] = "no-referrer"
    else:
        try:
            handle = storage.open(name, "rb")
        except FileNotFoundError as exc:
            # The record points at a file that is gone (a restore without its files, a manual deletion).
            logger.error("stored file missing: %s", name)
            raise Http404 from exc
        response = FileResponse(
            handle, as_attachment=as_attachment, filename=filename, content_type=content_type
        )
        response["Cache-Control"] = cache_control
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- Removing a record's file after commit ------------------------------------------------------------------


def file_fields(model) -> list[models.FileField]:
    return [field for field in model._meta.concrete_fields if isinstance(field, models.FileField)]


def _delete_if_unreferenced(model, field, name) -> None:
    try:
        if model._base_manager.filter(**{field.name: name}).exists():
            return  # another record (or the same one, restored) still points at it
        field.storage.delete(name)
    except Exception:
        # The record is gone already: a storage outage leaves an orphan, never an error for the user.
        logger.warning("stored file %s not deleted: `manage.py orphan_files` finds it", name, exc_info=True)


def delete_after_commit(model, field, name: str) -> None:
    if name:
        transaction.on_commit(lambda: _delete_if_unreferenced(model, field, name))


_LOADED = "_stored_file_names"


def _remember_names(sender, instance, **kwargs):
    # The names as read from the database (strings); a deferred field is not in __dict__ and is left unread.
    instance.__dict__[_LOADED] = {
        field.attname: value
        for field in file_fields(sender)
        if isinstance(value := instance.__dict__.get(field.attname), str)
    }


def _delete_replaced(sender, instance, created, update_fields, **kwargs):
    loaded = instance.__dict__.setdefault(_LOADED, {})
    for field in file_fields(sender):
        if field.attname not in instance.__dict__:
            continue
        if update_fields is not None and field.name not in update_fields:
            continue
        current = getattr(instance, field.attname)
        name = (current.name if current else "") or ""
        previous = loaded.get(field.attname)
        if previous and previous != name and not created:
            delete_after_commit(sender, field, previous)
        loaded[field.attname] = name


def _delete_with_record(sender, instance, **kwargs):
    for field in file_fields(sender):
        if field.attname in instance.__dict__:
            value = instance.__dict__[field.attname]
            name = value if isinstance(value, str) else getattr(value, "name", "")
            delete_after_commit(sender, field, name)


def connect_file_cleanup() -> None:
    """For every model holding a file: its file goes when the record is deleted or points at another file,
    once that is committed (CoreConfig.ready(), when every app's models are known)."""
    for model in apps.get_models():
        if file_fields(model):
            post_init.connect(_remember_names, sender=model, dispatch_uid=f"files-init-{model._meta.label}")
            post_save.connect(_delete_replaced, sender=model, dispatch_uid=f"files-save-{model._meta.label}")
            post_delete.connect(
                _delete_with_record, sender=model, dispatch_uid=f"files-delete-{model._meta.label}"
            )


# --- Orphans ------------------------------------------------------------------------------------------------


def stored_names(storage, path: str = ""):
    """Every file name in `storage`, walked folder by folder."""
    try:
        directories, files = storage.listdir(path)
    except FileNotFoundError:
        return
    for name in sorted(files):
        yield posixpath.join(path, name) if path else name
    for directory in sorted(directories):
        yield from stored_names(storage, posixpath.join(path, directory) if path else directory)


def referenced_names() -> set[str]:
    """Every file name a record of any model points at."""
    names = set()
    for model in apps.get_models():
        for field in file_fields(model):
            names.update(
                model._base_manager.exclude(**{field.name: ""})
                .exclude(**{f"{field.name}__isnull": True})
                .values_list(field.name, flat=True)
            )
    return names


def orphans(storage, *, older_than: timedelta):
    """(name, modified, size) of each stored file no record points at, last written before `older_than` ago:
    a younger one may belong to a transaction still running (the file is written before its row)."""
    referenced = referenced_names()
    limit = timezone.now() - older_than
    for name in stored_names(storage):
        if name in referenced:
            continue
        modified = storage.get_modified_time(name)
        if modified <= limit:
            yield name, modified, storage.size(name)
