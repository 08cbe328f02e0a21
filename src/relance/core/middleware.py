"""Request checks that hold for every view."""

from django.utils.translation import gettext as _

from relance.core.params import InvalidParameter


class RefuseNulMiddleware:
    """A NUL character in a query or form parameter answers 400: no field of Relance holds
    one, and PostgreSQL refuses it in text, which would end a search or a lookup in a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        sources = (request.GET, request.POST) if request.method == "POST" else (request.GET,)
        for data in sources:
            for key, values in data.lists():
                if "\x00" in key or any("\x00" in value for value in values):
                    raise InvalidParameter(
                        _("The parameter “%(name)s” holds a NUL character.")
                        % {"name": key.replace("\x00", "?")[:40]}
                    )
        return None
