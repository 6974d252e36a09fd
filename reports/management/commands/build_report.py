import shutil

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Territory
from reports import quarters, services
from reports.models import Report


class Command(BaseCommand):
    help = "Construit un rapport trimestriel tout de suite (sans Celery) et affiche son emplacement."

    def add_arguments(self, parser):
        parser.add_argument("--quarter", required=True, help="Trimestre, par exemple 2025Q4.")
        parser.add_argument("--departement", help="Code du département (sans : tout le programme).")
        parser.add_argument("--output", help="Copier le PDF vers ce fichier.")

    def handle(self, *args, quarter, departement=None, output=None, **options):
        try:
            quarters.parse(quarter)
        except ValueError as exc:
            raise CommandError("Trimestre attendu sous la forme 2025Q4.") from exc
        territory = None
        if departement:
            territory = Territory.objects.filter(code=departement).first()
            if territory is None:
                raise CommandError(f"Département inconnu : {departement}")
        report = services.report_request(by=None, quarter=quarter, territory=territory, enqueue=False)
        try:
            services.report_build(report_id=report.pk)
        except Exception as exc:
            services.report_fail(report_id=report.pk, error=f"{type(exc).__name__}: {exc}"[:2000])
            raise CommandError(f"Échec du rapport {report.pk} : {exc}") from exc
        report = Report.objects.get(pk=report.pk)
        if output:
            with report.file.open("rb") as source, open(output, "wb") as target:
                shutil.copyfileobj(source, target)
        self.stdout.write(f"Rapport {report.pk} ({report}) : {output or report.file.name} sha256={report.checksum}")
