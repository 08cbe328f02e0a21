from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "relance.portal"
    verbose_name = _("Customer page")

    def ready(self):
        # Templating sits below the portal: it is handed the function that issues a link
        # for a message that leaves, rather than importing this app.
        from relance.portal.services import portal_link_for_context, portal_links_in_bulk
        from relance.templating import context

        context.LINK_ISSUER = portal_link_for_context
        context.LINKS_IN_BULK = portal_links_in_bulk
