import factory

from relance.scenarios.models import Scenario, Step


class ScenarioFactory(factory.django.DjangoModelFactory):
    """A scenario with the spec's defaults; `steps=[{...}, ...]` adds steps in order."""

    class Meta:
        model = Scenario
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Scenario {n}")
    entity = None

    @factory.post_generation
    def steps(obj, create, extracted, **kwargs):
        if create and extracted:
            for position, fields in enumerate(extracted, start=1):
                StepFactory(scenario=obj, **{"position": position, **fields})


class StepFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Step
        skip_postgeneration_save = True

    scenario = factory.SubFactory(ScenarioFactory)
    position = factory.Sequence(lambda n: n + 1)
    name = factory.LazyAttribute(lambda step: f"step {step.position}")
    channel = "email"
    mode = "auto"
    anchor = "due_date"
    offset_days = 0

    @factory.post_generation
    def responsible_users(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.responsible_users.set(extracted)

    @factory.post_generation
    def cc_users(obj, create, extracted, **kwargs):
        if create and extracted:
            obj.cc_users.set(extracted)


def spec_scenario_s(**fields) -> Scenario:
    """The engine spec's scenario S (courtesy, first, second, notice)."""
    steps = [
        {"name": "courtesy", "offset_days": -5},
        {"name": "first", "offset_days": 3},
        {"name": "second", "offset_days": 15},
        {"name": "notice", "offset_days": 30, "channel": "registered_letter", "mode": "manual"},
    ]
    return ScenarioFactory(name="S", steps=steps, **fields)


def spec_scenario_r2(**fields) -> Scenario:
    """The engine spec's scenario R2 (first, then final repeated every 10 days)."""
    steps = [{"name": "first", "offset_days": 3}, {"name": "final", "offset_days": 10}]
    fields = {"lookahead_days": 0, "repeat_last_every_days": 10, **fields}
    return ScenarioFactory(name="R2", steps=steps, **fields)
