from django.core.management.base import BaseCommand, CommandError

from accounts import otp
from accounts.models import User


class Command(BaseCommand):
    help = "Affiche le code de double authentification du moment d'un compte de démonstration."

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Compte inconnu : {username}")
        device = otp.totp_device(user)
        if device is None or device.key != otp.DEMO_TOTP_KEY:
            # Only the demo key is printable: a real user's secret never leaves their phone.
            raise CommandError(f"{username} n'a pas d'appareil de démonstration.")
        self.stdout.write(otp.current_code(device))
