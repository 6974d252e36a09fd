"""Breadcrumbs link only to pages the user may open (the owning app's predicate), never to a 403."""

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from zel import navigation

pytestmark = pytest.mark.django_db

CRUMB = Template('{% crumb "litigation:procedure_list" "Contentieux" %}')


def _render(user) -> str:
    request = RequestFactory().get("/")
    request.user = user
    return CRUMB.render(Context({"request": request}))


def test_contentieux_crumb_is_text_for_the_social_worker_and_psychologist(personas):
    for user in (personas.worker, personas.psychologist):
        assert not navigation.may_open(user, "litigation:procedure_list")
        assert _render(user) == '<li class="breadcrumb-item">Contentieux</li>'


def test_contentieux_crumb_links_for_the_litigation_officer(personas):
    assert _render(personas.litigation_x) == \
        '<li class="breadcrumb-item"><a href="/contentieux/">Contentieux</a></li>'
