"""Reports on an S3-compatible bucket (issue 17, item 3): the build writes through the storage API (there
is no local path on S3), and the download streams the object back. The server is moto's, started by the
test on 127.0.0.1."""

import hashlib
import socket

import pytest
from django.urls import reverse

from accounts.models import Territory
from reports import services
from reports.models import Report
from zel.settings import s3_storage

pytestmark = pytest.mark.django_db

BUCKET = "zel-test-private"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def s3_server(settings, tmp_path):
    boto3 = pytest.importorskip("boto3")
    moto_server = pytest.importorskip("moto.server")
    port = _free_port()
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    try:
        variables = {"ZEL_S3_BUCKET": BUCKET, "ZEL_S3_ENDPOINT_URL": f"http://127.0.0.1:{port}",
                     "ZEL_S3_REGION": "eu-west-3", "ZEL_S3_ACCESS_KEY_ID": "test-key",
                     "ZEL_S3_SECRET_ACCESS_KEY": "test-secret", "ZEL_S3_PREFIX": "private"}
        client = boto3.client("s3", endpoint_url=variables["ZEL_S3_ENDPOINT_URL"], region_name="eu-west-3",
                              aws_access_key_id="test-key", aws_secret_access_key="test-secret")
        client.create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": "eu-west-3"})
        # A local media root that must stay empty: everything goes to the bucket.
        settings.MEDIA_ROOT = str(tmp_path / "must-stay-empty")
        settings.STORAGES = {**settings.STORAGES, "default": s3_storage(lambda name: variables.get(name, ""))}
        yield client
    finally:
        server.stop()


def test_report_is_built_into_the_bucket_and_downloaded_from_it(programme, personas, as_user, s3_server,
                                                                tmp_path):
    report = services.report_request(by=personas.manager, quarter="2025Q4", enqueue=False,
                                     territory=Territory.objects.get(code="57"))
    report = services.report_build(report_id=report.pk)
    assert report.status == Report.Status.DONE
    keys = [o["Key"] for o in s3_server.list_objects_v2(Bucket=BUCKET).get("Contents", [])]
    assert keys == [f"private/{report.file.name}"]
    stored = s3_server.get_object(Bucket=BUCKET, Key=keys[0])["Body"].read()
    assert stored.startswith(b"%PDF") and hashlib.sha256(stored).hexdigest() == report.checksum
    assert not (tmp_path / "must-stay-empty").exists()

    response = as_user(personas.manager).get(reverse("reports:report_download", args=[report.pk]))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store, private"
    assert b"".join(response.streaming_content) == stored
