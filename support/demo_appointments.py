"""Demo appointments (issue 15): the demo worker `travailleur` has appointments today and this week,
past ones with outcomes (for the managers' rates), and some households who consented to SMS."""

from datetime import datetime, time, timedelta

from django.utils import timezone

from households.models import Contact, Household

from .models import Appointment

PAST_STATUSES = ["honoured", "honoured", "no_show", "honoured", "cancelled", "excused", "honoured", "no_show"]


def seed(ctx) -> None:
    worker = ctx.users.get("travailleur")
    if worker is None:
        return
    households = list(Household.objects.filter(assigned_workers=worker).order_by("pk")[:12])
    if not households:
        return
    today = timezone.localdate()

    def at(days: int, hour: int) -> datetime:
        return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour, 0)))

    plan = [(0, 10, "planned"), (0, 15, "confirmed"), (1, 9, "planned"), (2, 14, "planned"), (4, 11, "planned")]
    plan += [(-3 - i, 10 + i % 6, status) for i, status in enumerate(PAST_STATUSES)]
    appointments = []
    for i, (days, hour, status) in enumerate(plan):
        household = households[i % len(households)]
        start = at(days, hour)
        if days == 0 and status in Appointment.UPCOMING and start < timezone.now():
            start = at(1, hour)
        appointments.append(Appointment(household=household, starts_at=start, ends_at=start + timedelta(hours=1),
                                        place="home" if i % 3 else "office",
                                        office_address="" if i % 3 else "AMLI, 3 rue Serpenoise, Metz",
                                        status=status, reminders_enabled=False, created_by=worker))
    Appointment.objects.bulk_create(appointments)
    through = Appointment.workers.through
    through.objects.bulk_create([through(appointment_id=a.pk, user_id=worker.pk) for a in appointments])
    Contact.objects.bulk_create([
        Contact(household=h, phone=f"+3361234{5600 + i:04d}", sms_consent_at=timezone.now(), sms_consent_by=worker)
        for i, h in enumerate(households[:4])])
    if ctx.stdout:
        ctx.stdout.write("  rendez-vous : agenda de la semaine, taux, coordonnées")
