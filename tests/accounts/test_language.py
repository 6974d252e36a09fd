import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_interface_is_french_whatever_the_browser_language(client):
    page = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Connexion à ZEL" in page


def test_english_when_the_user_chooses_it(client):
    client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    page = client.get(reverse("login")).content.decode()
    assert "Log in to ZEL" in page
    assert 'lang="en"' in page
