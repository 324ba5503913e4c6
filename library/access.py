"""Who may read, write, review and bookmark the resources of the library.

Published resources are public, or reserved to the alliance's members when marked so. Drafts and resources
awaiting review are seen by their authors and by the publishers (alliance admins and facilitators), who
edit them at any stage; authors edit only their drafts.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from alliance.models import MembershipStatus
from alliance.selectors import memberships_of
from core.errors import LoginRequired

from .models import Attachment, Resource, ResourceStatus


def is_publisher(user) -> bool:
    return user.is_authenticated and (user.is_alliance_admin or user.is_facilitator)


def is_alliance_member(user) -> bool:
    """A person with an accepted membership, theirs or one of an organisation they belong to; facilitators
    and admins too."""
    if not user.is_authenticated:
        return False
    if is_publisher(user):
        return True
    return memberships_of(user).filter(status=MembershipStatus.ACCEPTED).exists()


def can_contribute(user) -> bool:
    """Members enrich the "patrimoine commun": they write resources and submit them for review."""
    return is_alliance_member(user)


def resources_visible_to(user, *, member: bool | None = None):
    """The published resources the person may read: the public ones, and the members-only ones for members.
    `member` spares the membership query when the caller already knows it."""
    resources = Resource.objects.filter(status=ResourceStatus.PUBLISHED)
    if member is None:
        member = is_alliance_member(user)
    if not member:
        resources = resources.filter(members_only=False)
    return resources


@dataclass(frozen=True)
class ResourceRights:
    is_author: bool
    is_publisher: bool
    is_member: bool
    is_authenticated: bool
    status: str

    @property
    def can_edit(self) -> bool:
        return self.is_publisher or (self.is_author and self.status == ResourceStatus.DRAFT)

    @property
    def can_submit(self) -> bool:
        return self.is_author and self.status == ResourceStatus.DRAFT

    @property
    def can_publish(self) -> bool:
        return self.is_publisher and self.status == ResourceStatus.REVIEW

    @property
    def can_send_back(self) -> bool:
        return self.is_publisher and self.status in (ResourceStatus.REVIEW, ResourceStatus.PUBLISHED)

    @property
    def can_bookmark(self) -> bool:
        return self.is_authenticated and self.status == ResourceStatus.PUBLISHED


def rights_of(user, resource: Resource) -> ResourceRights:
    authenticated = user.is_authenticated
    return ResourceRights(
        is_author=authenticated and resource.authors.filter(pk=user.pk).exists(),
        is_publisher=is_publisher(user),
        is_member=is_alliance_member(user),
        is_authenticated=authenticated,
        status=resource.status,
    )


def get_resource_for_user(user, pk) -> tuple[Resource, ResourceRights]:
    """A published resource for those it is meant for; a draft or one under review for its authors and the
    publishers (404 for others). A members-only resource asks anonymous visitors to log in (LoginRequired)
    and refuses other accounts (403)."""
    resource = Resource.objects.filter(pk=pk).first()
    if resource is None:
        raise Http404
    rights = rights_of(user, resource)
    if not resource.is_published:
        if not (rights.is_author or rights.is_publisher):
            raise Http404
    elif resource.members_only and not rights.is_member:
        if not user.is_authenticated:
            raise LoginRequired
        raise PermissionDenied
    return resource, rights


def get_resource_for_editing(user, pk) -> tuple[Resource, ResourceRights]:
    resource, rights = get_resource_for_user(user, pk)
    if not rights.can_edit:
        raise PermissionDenied
    return resource, rights


def get_attachment_for_user(user, resource_pk, pk) -> tuple[Attachment, ResourceRights]:
    resource, rights = get_resource_for_user(user, resource_pk)
    attachment = Attachment.objects.filter(resource=resource, pk=pk).first()
    if attachment is None:
        raise Http404
    attachment.resource = resource
    return attachment, rights
