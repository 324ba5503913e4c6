"""Workflows of the public site: its editable texts."""

from types import SimpleNamespace

from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import audit
from core.errors import DomainError

from .defaults import DEFAULT_BLOCKS
from .models import BlockKey, ContentBlock


def content_blocks() -> dict[str, object]:
    """Every block of the site by key: the admins' version when there is one, the default text otherwise."""
    saved = ContentBlock.objects.in_bulk(field_name="key")
    blocks = {}
    for key in BlockKey.values:
        if key in saved:
            blocks[key] = saved[key]
        else:
            title, body = DEFAULT_BLOCKS[key]
            blocks[key] = SimpleNamespace(
                key=key, label=BlockKey(key).label, title=str(title), body=str(body), updated_at=None
            )
    return blocks


def content_block(key: str):
    return content_blocks()[key]


def content_block_save(*, actor, key: str, title: str, body: str) -> ContentBlock:
    if key not in BlockKey.values:
        raise DomainError(_("Cet emplacement de texte n'existe pas."))
    if not title.strip() or not body.strip():
        raise DomainError(_("Un texte du site a un titre et un contenu."))
    with transaction.atomic():
        block, _created = ContentBlock.objects.update_or_create(
            key=key, defaults={"title": title.strip(), "body": body.strip(), "updated_by": actor}
        )
        audit(actor=actor, action="content.edit", target=block, key=key)
    return block
