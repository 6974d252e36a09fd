from django.core.management.base import BaseCommand

from households import retention


class Command(BaseCommand):
    help = ("Anonymise les dossiers dont l'accompagnement est terminé depuis plus de ZEL_RETENTION_YEARS ans "
            "(sauf procédure en cours). --dry-run : affiche sans rien modifier.")

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true")

    def handle(self, *args, dry_run, **options):
        result = retention.apply_retention(dry_run=dry_run)
        if result.skipped:
            self.stdout.write("Une autre exécution de la conservation est en cours : rien n'a été fait.")
            return
        verb = "seraient anonymisés" if dry_run else "anonymisés"
        self.stdout.write(f"Dossiers clos avant le {result.cutoff:%d/%m/%Y} : {len(result.anonymised)} {verb}, "
                          f"{len(result.held)} conservés (procédure en cours ou obligation légale).")
        if options["verbosity"] > 1:
            for pk in result.anonymised:
                self.stdout.write(f"  {'à anonymiser' if dry_run else 'anonymisé'} : ménage n° {pk}")
            for pk, reason in result.held.items():
                self.stdout.write(f"  conservé : ménage n° {pk} {reason}")
