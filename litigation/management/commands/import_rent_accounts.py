"""`manage.py import_rent_accounts FILE --landlord CODE`: the same importer as the upload page."""

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from litigation.rent_import import import_rent_accounts


class Command(BaseCommand):
    help = "Importe l'export mensuel des comptes locataires d'un bailleur (CSV)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--landlord", required=True, help="code du bailleur (ex. bat)")

    def handle(self, *args, file, landlord, **options):
        org = Organisation.objects.filter(code=landlord, kind=Organisation.Kind.LANDLORD).first()
        if org is None:
            raise CommandError(f"Bailleur inconnu : « {landlord} ».")
        try:
            with open(file, "rb") as handle:
                raw = handle.read()
        except OSError as exc:
            raise CommandError(f"Impossible de lire « {file} » : {exc.strerror}.") from None
        if b"\x00" in raw[:65536]:
            raise CommandError("Le fichier n'est pas un fichier texte (CSV).")
        report = import_rent_accounts(landlord=org, raw=raw)
        if not report.ok:
            for error in report.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{report.error_total} erreur(s) : rien n'a été importé.")
        self.stdout.write(f"{report.created} lignes créées, {report.updated} modifiées, "
                          f"{report.unchanged} inchangées, pour {report.leases} baux.")
