import time

from django.core.management.base import BaseCommand
from django.db import transaction

from households import demo
from zel import demo as registry


class Command(BaseCommand):
    help = "Charge les données de démonstration (une seule fois) et affiche les identifiants."

    def add_arguments(self, parser):
        parser.add_argument("--households", type=int, default=200)
        parser.add_argument("--seed", type=int, default=2026)

    def handle(self, *args, households, seed, **options):
        if demo.demo_loaded():
            self.stdout.write("Données de démonstration déjà chargées.")
        else:
            started = time.monotonic()
            with transaction.atomic():
                ctx = demo.seed(households=households, stdout=self.stdout, seed_value=seed)
                for _name, builder in registry.builders():
                    builder(ctx)
                from accounts.otp import demo_devices_for_the_rest  # users the apps' demos added

                demo_devices_for_the_rest()
            self.stdout.write(f"{households} ménages chargés en {time.monotonic() - started:.1f} s.")
        self.stdout.write(f"\nComptes de démonstration (mot de passe : {demo.DEMO_PASSWORD})")
        from django.conf import settings

        from accounts.models import User

        for user in User.objects.filter(username__in=settings.ZEL_DEMO_ACCOUNTS).prefetch_related("roles"):
            self.stdout.write(f"  {user.username:<17} {', '.join(str(r) for r in user.roles.all())}")
        self.stdout.write("Double authentification (responsable, copil, financeur, admin et autres comptes qui "
                          "l'exigent) : prérempli en mode démonstration (make run), sinon « python manage.py demo_totp "
                          "<identifiant> ».")
