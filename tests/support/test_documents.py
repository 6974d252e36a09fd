"""The document vault: content-checked uploads (nothing stored on a refusal), confidentiality,
downloads as logged attachments that are never sniffed nor cached, expiry, retention."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import AccessLog
from support.demo_aid import PDF, png
from support.models import Document
from support.services_aid import document_add
from tests.factories import UserFactory
from zel import retention as rgpd
from zel.lib.uploads import validate_document

pytestmark = pytest.mark.django_db
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01" + b"\x00" * 200


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def _upload_url(household):
    return f"/accompagnement/menage/{household.pk}/documents/nouveau/"


def test_worker_uploads_a_photo_and_downloads_it_as_a_logged_attachment(as_user, personas, households,
                                                                          _private_storage):
    client = as_user(personas.worker)
    photo = SimpleUploadedFile("IMG_2031.jpg", png(), content_type="image/jpeg")
    response = client.post(_upload_url(households.mine), {"file": photo, "kind": "caf", "tags": "ressources, CAF",
                                                          "valid_until": "2020-01-31"})
    assert response.status_code == 302
    document = Document.objects.get()
    # The type comes from the content (a PNG sent as "image/jpeg"), the stored name is random.
    assert document.content_type == "image/png" and document.file.name.endswith(".png")
    assert "IMG_2031" not in document.file.name and document.tags == ["ressources", "CAF"]
    listing = client.get(f"/accompagnement/menage/{households.mine.pk}/documents/?q=caf").content.decode()
    assert "Attestation CAF" in listing and "expiré depuis le 31/01/2020" in listing
    response = client.get(f"/accompagnement/document/{document.pk}/fichier/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "no-store, private"
    assert response["Content-Type"] == "image/png"
    assert b"".join(response.streaming_content) == png()
    log = AccessLog.objects.get(object_type="support.document")
    assert (log.user, log.household_id, log.action) == (personas.worker, households.mine.pk, "download")


@pytest.mark.parametrize(("name", "content", "message"), [
    ("courrier.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>", "ni un PDF"),
    ("plan.pdf", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script/></svg>', "ni un PDF"),
    ("piege.pdf", b"%PDF-1.4\n<html><body onload=alert(1)>", "ni un PDF"),
    ("vide.pdf", b"", "vide"),
])
def test_files_that_are_not_what_they_claim_are_refused_and_nothing_is_stored(as_user, personas, households,
                                                                                 _private_storage, name, content,
                                                                                 message):
    response = as_user(personas.worker).post(_upload_url(households.mine), {
        "file": SimpleUploadedFile(name, content, content_type="application/pdf"), "kind": "letter"})
    assert response.status_code == 400
    page = response.content.decode()
    field_block = page.split('id="div_id_file"', 1)[1].split('id="div_id_kind"', 1)[0]
    assert message in field_block  # the French error sits next to the file field
    assert not Document.objects.exists() and _stored_files(_private_storage) == []


def test_a_file_over_10_mo_is_refused(personas, households, _private_storage):
    big = SimpleUploadedFile("scan.pdf", PDF + b"0" * (10 * 1024 * 1024), content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        document_add(household=households.mine, by=personas.worker, upload=big, kind="form")
    assert exc.value.message_dict["file"] == ["Le fichier dépasse 10 Mo."]
    assert _stored_files(_private_storage) == []


@pytest.mark.parametrize("name", ["../../etc/passwd.pdf", "dossier/avis.pdf", "C:\\Users\\x\\avis.pdf", ".htaccess"])
def test_a_name_with_a_path_is_refused(name):
    upload = ContentFile(PDF, name=name)
    with pytest.raises(ValidationError) as exc:
        validate_document(upload)
    assert "chemin" in exc.value.messages[0]


def test_pdf_jpeg_and_png_are_recognised_by_content():
    for content, kind in ((PDF, "application/pdf"), (JPEG, "image/jpeg"), (png(), "image/png")):
        assert validate_document(ContentFile(content, name="x.bin")) == kind


def test_confidential_documents_are_for_the_care_circle_only(as_user, personas, households):
    secret = document_add(household=households.mine, by=personas.worker, kind="judgment", confidential=True,
                          upload=SimpleUploadedFile("j.pdf", PDF))
    plain = document_add(household=households.mine, by=personas.worker, kind="lease",
                         upload=SimpleUploadedFile("b.pdf", PDF))
    assert as_user(personas.psychologist).get(f"/accompagnement/document/{secret.pk}/fichier/").status_code == 200
    assert as_user(personas.manager).get(f"/accompagnement/document/{secret.pk}/fichier/").status_code == 404
    assert as_user(personas.manager).get(f"/accompagnement/document/{plain.pk}/fichier/").status_code == 200
    listing = as_user(personas.manager).get(f"/accompagnement/menage/{households.mine.pk}/documents/")
    page = listing.content.decode()
    assert f'data-document="{secret.pk}"' not in page and f'data-document="{plain.pk}"' in page
    with pytest.raises(ValidationError):  # a manager cannot mark a paper confidential
        document_add(household=households.mine, by=personas.manager, kind="lease", confidential=True,
                     upload=SimpleUploadedFile("b.pdf", PDF))


def test_documents_are_out_of_reach_of_other_scopes(as_user, personas, households, orgs):
    document = document_add(household=households.mine, by=personas.worker, kind="lease",
                            upload=SimpleUploadedFile("b.pdf", PDF))
    manager_y = UserFactory(username="manager_y_local", organisation=orgs.landlord_y, roles=["manager"],
                            territories=["57"])
    for user in (personas.worker_54, personas.manager_54, manager_y, personas.litigation_x, personas.copil_a,
                 personas.funder):
        assert as_user(user).get(f"/accompagnement/document/{document.pk}/fichier/").status_code == 404, user


def test_attaching_a_document_to_an_application_of_another_household_is_refused(personas, households):
    from support.services_aid import aid_application_create

    other_app = aid_application_create(household=households.other, by=personas.manager, kind="ccas")
    with pytest.raises(ValidationError):
        document_add(household=households.mine, by=personas.worker, kind="form", aid_applications=[other_app],
                     upload=SimpleUploadedFile("f.pdf", PDF))


def test_retention_deletes_documents_and_their_files(personas, households, _private_storage,
                                                     django_capture_on_commit_callbacks):
    document = document_add(household=households.mine, by=personas.worker, kind="tax",
                            upload=SimpleUploadedFile("avis.pdf", PDF))
    kept = document_add(household=households.other, by=personas.manager, kind="tax",
                        upload=SimpleUploadedFile("avis.pdf", PDF))
    from support.services_aid import aid_application_create, aid_application_transition

    application = aid_application_create(household=households.mine, by=personas.worker, kind="ccas",
                                         note="Secours pour Mme Lefèvre")
    aid_application_transition(application=application, by=personas.worker, status="missing_papers",
                               missing_papers="RIB de Mme Lefèvre")
    name = document.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        rgpd.run_anonymisers([households.mine.pk])
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not Document.history.filter(id=document.pk).exists()  # the original name was in the history
    assert not default_storage.exists(name)
    assert default_storage.exists(kept.file.name)
    application.refresh_from_db()
    assert (application.note, application.missing_papers, application.status) == ("", "", "missing_papers")
    assert not application.history.exclude(missing_papers="").exists()


def test_expiry_is_computed_from_the_validity_date(personas, households):
    today = timezone.localdate()
    document = document_add(household=households.mine, by=personas.worker, kind="caf",
                            valid_until=today - timedelta(days=1), upload=SimpleUploadedFile("a.pdf", PDF))
    assert document.is_expired(today) and not document.is_expired(today - timedelta(days=1))


def test_upload_form_opens_the_camera_on_a_phone(as_user, personas, households):
    page = as_user(personas.worker).get(_upload_url(households.mine)).content.decode()
    assert 'accept="image/*,application/pdf"' in page and 'capture="environment"' in page
    assert 'enctype="multipart/form-data"' in page




def test_a_document_is_attached_to_an_application_a_procedure_and_the_dsf(as_user, personas, households):
    from litigation.models import Dsf
    from support.services_aid import aid_application_create
    from tests.litigation.factories import ProcedureFactory

    procedure = ProcedureFactory(lease=households.mine.current_lease())
    dsf = Dsf.objects.create(procedure=procedure, household=households.mine, assigned_to=personas.worker,
                             hearing_on=timezone.localdate() + timedelta(days=30))
    application = aid_application_create(household=households.mine, by=personas.worker, kind="fsl_maintenance")
    client = as_user(personas.worker)
    response = client.post(f"{_upload_url(households.mine)}?demande={application.pk}", {
        "file": SimpleUploadedFile("jugement.pdf", PDF), "kind": "judgment", "aid_applications": [application.pk],
        "procedures": [procedure.pk], "dsfs": [dsf.pk]})
    assert response.status_code == 302
    document = Document.objects.get()
    assert list(document.procedures.all()) == [procedure] and list(document.dsfs.all()) == [dsf]
    listing = client.get(f"/accompagnement/menage/{households.mine.pk}/documents/").content.decode()
    assert "Versé au dossier" in listing and "DSF (audience du" in listing
    detail = client.get(f"/accompagnement/aide/{application.pk}/").content.decode()
    assert f"/accompagnement/document/{document.pk}/fichier/" in detail
