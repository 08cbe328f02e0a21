import factory

from relance.templating.models import MessageTemplate, TemplateVariant


class MessageTemplateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MessageTemplate
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Template {n}")
    channel = "email"

    @factory.post_generation
    def variants(obj, create, extracted, **kwargs):
        """`variants={"fr": ("subject", "body"), ...}` adds those variants."""
        if create and extracted:
            for language, (subject, body) in extracted.items():
                TemplateVariantFactory(template=obj, language=language, subject=subject, body=body)


class TemplateVariantFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TemplateVariant

    template = factory.SubFactory(MessageTemplateFactory)
    language = "fr"
    subject = "Relance #customer_name"
    body = "<p>Bonjour #contact_name, vous devez #total_due.</p>"
