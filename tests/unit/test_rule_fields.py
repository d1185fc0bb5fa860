"""Every rule that names the field it concerns is a rule the service declares in words."""

from parley.domain.rules import RULE_FIELDS, RULES


def test_each_rule_field_belongs_to_a_declared_rule_and_points_into_an_event() -> None:
    assert set(RULE_FIELDS) <= set(RULES)
    assert all(field in {"type", "occurred", "subject"} or field.startswith("data.") for field in RULE_FIELDS.values())
