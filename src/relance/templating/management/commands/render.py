"""`relance render TEMPLATE --customer ID`: a template filled for one customer, for scripting
and support."""

import sys

from django.core.management.base import BaseCommand, CommandError

from relance.core.choices import Language
from relance.customers.models import Customer
from relance.templating.choices import Channel
from relance.templating.models import MessageTemplate
from relance.templating.render import render


class Command(BaseCommand):
    help = "Render a message template for one customer (HTML, plain text or a letter's PDF)."

    def add_arguments(self, parser):
        parser.add_argument("template", help="the template's name")
        parser.add_argument("--customer", required=True, help="the customer's number")
        parser.add_argument("--entity", help="the entity's slug, when several have the number")
        parser.add_argument("--language", help="fr or en (default: the customer's)")
        parser.add_argument("--format", choices=["html", "text", "pdf"], dest="output_format")
        parser.add_argument("-o", "--output", help="write to this file instead of stdout")

    def handle(self, *args, template, customer, entity, language, output_format, output, **opts):
        if language and language not in Language.values:
            known = ", ".join(Language.values)
            raise CommandError(f"Unknown language {language!r} (choose from {known})")
        message_template = self.find_template(template)
        customer_obj = self.find_customer(customer, entity)
        if message_template.entity_id and message_template.entity_id != customer_obj.entity_id:
            raise CommandError(
                f"Template {template!r} is reserved to entity {message_template.entity.slug}"
            )
        if language and message_template.variant_for(language).language != language:
            raise CommandError(f"Template {template!r} has no text in {language!r}")
        output_format = output_format or ("html" if message_template.is_rich else "text")
        if output_format == "pdf" and message_template.channel != Channel.LETTER:
            raise CommandError("--format pdf is for letters only")
        if output_format == "html" and not message_template.is_rich:
            raise CommandError(f"A {message_template.channel} template has no HTML: --format text")
        rendered = render(
            message_template, customer_obj, language=language, pdf=output_format == "pdf"
        )
        self.write(self.content(rendered, output_format), output)

    def find_template(self, name: str) -> MessageTemplate:
        try:
            return MessageTemplate.objects.prefetch_related("variants").get(name=name)
        except MessageTemplate.DoesNotExist:
            names = ", ".join(
                repr(n) for n in MessageTemplate.objects.values_list("name", flat=True)
            )
            raise CommandError(f"Unknown template {name!r} (known: {names or 'none'})") from None

    def find_customer(self, external_id: str, entity: str | None) -> Customer:
        customers = Customer.objects.select_related("entity", "collector").filter(
            external_id=external_id
        )
        if entity:
            customers = customers.filter(entity__slug=entity)
        found = list(customers[:2])
        if not found:
            where = f" in entity {entity!r}" if entity else ""
            raise CommandError(f"Unknown customer {external_id!r}{where}")
        if len(found) > 1:
            raise CommandError(f"Customer {external_id!r} exists in several entities: --entity")
        return found[0]

    def content(self, rendered, output_format: str) -> bytes:
        if output_format == "pdf":
            return rendered.pdf
        if output_format == "html":
            if rendered.channel == Channel.LETTER:
                from relance.templating.letters import letters_html

                return letters_html([rendered]).encode()
            return rendered.html.encode()
        head = f"{rendered.subject}\n\n" if rendered.subject else ""
        return f"{head}{rendered.text}\n".encode()

    def write(self, content: bytes, output: str | None) -> None:
        if output:
            with open(output, "wb") as handle:
                handle.write(content)
            self.stderr.write(f"Wrote {output} ({len(content):,} bytes)")
        elif isinstance(content, bytes) and content.startswith(b"%PDF"):
            sys.stdout.buffer.write(content)
            sys.stdout.flush()
        else:
            self.stdout.write(content.decode(), ending="")
