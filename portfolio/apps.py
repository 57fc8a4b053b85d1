from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "portfolio"
    verbose_name = _("Children's works and portfolios")

    def ready(self):
        from coordination.lib import fragments
        from mediafiles import access, usage
        from portfolio import policies
        from portfolio.models import Work, WorkPhoto

        # A work's page keeps the work, its photos and its child for each person (views_works.py).
        fragments.shows(Work, WorkPhoto)
        from coordination.lib import percache
        from portfolio import views_works

        percache.read_along_request(views_works.read_ahead)  # a work's page: its code's school

        # Who may download a work's photos and voice note.
        access.register(policies.can_view_portfolio_media)

        # Which files are in use: the daily cleanup deletes the rest.
        usage.register(Work, "voice")
        usage.register(WorkPhoto, "media")

        from portfolio import after_leaving, demo, links_timeline, printing

        demo.register()  # the demo's works (step "portfolio"), before the printed outputs' step
        links_timeline.install()  # the timeline on a child's card and page
        after_leaving.beat_schedule_install()  # the family is told before the after-leaving period ends

        printing.install()  # label sheets, albums, "ready for school": demo step, links, daily cleanup

        from portfolio import links_sitting

        links_sitting.install()  # "Children's works" on a class and on a teacher's home
