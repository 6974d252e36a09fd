from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SupportConfig(AppConfig):
    name = "support"
    verbose_name = _("Accompagnement")

    def ready(self) -> None:
        from households import figures
        from zel import dashboard, demo, navigation, providers, timeline
        from zel import retention as rgpd

        from . import access, aid_hooks, demo_appointments, panels, retention, selectors
        from . import demo as demo_data
        from .selectors import budget_outgoings
        from .timeline import support_entries

        timeline.register(support_entries)
        # What litigation (a sibling, which may not import support) reads of the support side.
        providers.register(providers.SUPPORTED_HOUSEHOLD_IDS, selectors.active_episode_household_ids)
        providers.register(providers.SUPPORTED_HOUSEHOLDS, selectors.active_episode_households)
        providers.register(providers.DSF_PREFILL, selectors.dsf_prefill)
        navigation.register(navigation.NavItem(_("Mon tableau de bord"), "support:dashboard", access.can_use_caseload,
                                               order=10))
        demo.register("support", demo_data.seed, order=10)
        figures.register_outgoings(budget_outgoings)
        # Appointments (issue 15): today's first on the dashboard, the week view, managers' figures.
        dashboard.register(panels.today_appointments, order=1)
        dashboard.register(panels.offline_reviews, order=5)
        demo.register("appointments", demo_appointments.seed, order=11)
        navigation.register(navigation.NavItem(_("Mon agenda"), "support:agenda", access.can_use_calendar, order=11))
        navigation.register(navigation.NavItem(_("Rendez-vous : taux"), "support:appointment_figures",
                                               access.can_view_appointment_figures, order=95))

        # RGPD: blank this app's free texts on anonymisation, add its sections to the subject-access export,
        # keep the files it still needs.
        rgpd.register(retention.anonymise)
        rgpd.register_export(retention.export_sections)
        rgpd.register_sealed(retention.sealed_parts)
        rgpd.register_hold(retention.open_support_holds)

        # Aid applications and the document vault (issue 14).
        timeline.register(aid_hooks.timeline_entries)
        dashboard.register(aid_hooks.dashboard_panel, order=20)
        rgpd.register(aid_hooks.anonymise)
        rgpd.register_export(aid_hooks.export_sections)
        from . import demo_aid

        demo.register("support_aid", demo_aid.seed, order=25)
