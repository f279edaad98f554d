"""Atom and RSS feeds of new initiatives, behind the secret of a person's feed address.

Initiatives are for people who are logged in; a feed reader cannot log in, so the address carries
the person's feed token (the same one as their own calendar).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.syndication.views import Feed
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.translation import gettext as _
from django.views import View

from wendbaar.hub.models import Initiative, Profile
from wendbaar.regions.permissions import ANYONE

FEED_ITEMS = 50


class InitiativeFeed(Feed):
    feed_type: type = Atom1Feed

    def get_object(self, request: HttpRequest, *args: Any, **kwargs: Any) -> str:
        return request.GET.get("region", "")

    def title(self, region: str) -> str:
        return _("New LLO initiatives") + (f" {region}" if region else "")

    def link(self) -> str:
        return reverse("hub:initiatives")

    def description(self, region: str) -> str:
        return _("New initiatives and pilots for lifelong learning, from every region on Wendbaar.")

    subtitle = description

    def items(self, region: str) -> list[Initiative]:
        initiatives = Initiative.objects.select_related("region").order_by("-created_at")
        if region:
            initiatives = initiatives.filter(region__code=region)
        return list(initiatives[:FEED_ITEMS])

    def item_title(self, item: Initiative) -> str:
        return f"{item.title} ({item.region.code})"

    def item_description(self, item: Initiative) -> str:
        return item.goal

    def item_link(self, item: Initiative) -> str:
        return reverse("hub:initiative", kwargs={"uuid": item.uuid})

    def item_guid(self, item: Initiative) -> str:
        return f"urn:uuid:{item.uuid}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: Initiative) -> dt.datetime:
        return item.created_at

    def item_updateddate(self, item: Initiative) -> dt.datetime:
        return item.updated_at


class RssInitiativeFeed(InitiativeFeed):
    feed_type = Rss201rev2Feed


class InitiativeFeedView(View):
    """Atom (or RSS) of new initiatives; the token in the address stands for the login."""

    allowed_roles = frozenset({ANYONE})
    feed: Feed = InitiativeFeed()

    def get(self, request: HttpRequest, token: str) -> HttpResponse:
        get_object_or_404(Profile, feed_token=token)
        return self.feed(request)


class RssFeedView(InitiativeFeedView):
    feed = RssInitiativeFeed()
