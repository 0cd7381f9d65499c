"""Communications' pure rules (`hestami.cam.communications.rules`), no database: the variables a template uses,
the checks of a template version (syntax with its line, known variables, a subject for email, none and 1,600
characters for SMS), rendering in Jinja's sandbox (no internals, no huge results, no silent blanks, every failure of
the template a RENDER_FAILED), which channel reaches one person given their preferences, and the preferences one
may choose."""

from __future__ import annotations

import time
from typing import Any

import pytest

from hestami.cam.communications import rules
from hestami.cam.communications.errors import CommunicationError
from hestami.core.errors import ErrorCode

EMAIL, PHONE, MAILING = "kim@example.com", "+15125550100", "12 Ridge Road, Austin TX, 78701"


def refused(call: Any, *args: Any, **kwargs: Any) -> CommunicationError:
    with pytest.raises(CommunicationError) as caught:
        call(*args, **kwargs)
    return caught.value


def reason(error: CommunicationError) -> tuple[ErrorCode, str]:
    return error.code, error.details["reason"]


# --- variables_used ------------------------------------------------------------------------------------------


def test_variables_used_lists_the_variables_read() -> None:
    source = "Dear {{ recipient_name | title }},\n{% if balance %}{{ balance }} is due{% else %}{{ note }}{% endif %}"
    assert rules.variables_used(source) == {"recipient_name", "balance", "note"}


@pytest.mark.parametrize(
    ("source", "what"),
    [
        ("{% for line in notes %}{{ line }}{% endfor %}", "for"),
        ("{% set greeting = 'Hi' %}{{ greeting }}", "assign"),
        ("{% macro again() %}x{% endmacro %}", "macro"),
        ("{{ recipient_name.upper() }}", "call"),
        ("{{ recipient_name.upper }}", "getattr"),
        ("{{ recipient_name | center(100) }}", "the filter center"),
        ("{{ recipient_name | replace('a', 'b') }}", "the filter replace"),
        ("{% include 'other' %}", "include"),
    ],
)
def test_a_template_is_variables_filters_and_if_only(source: str, what: str) -> None:
    """Loops, assignments, macros, calls, attribute access, includes and filters that can grow text are refused when
    the text is saved (rendering then costs at most a few times the template's length)."""
    error = refused(rules.variables_used, source)
    assert reason(error) == (ErrorCode.VALIDATION_FAILED, "TEMPLATE_SYNTAX")
    assert f"{what} is not available" in error.message


def test_variables_used_of_plain_text_is_empty() -> None:
    assert rules.variables_used("The pool opens on Saturday.") == set()


def test_a_syntax_error_is_template_syntax_with_its_line() -> None:
    error = refused(rules.variables_used, "Dear owner,\n\n{% if %}The pool opens{% endif %}\non Saturday.")
    assert reason(error) == (ErrorCode.VALIDATION_FAILED, "TEMPLATE_SYNTAX")
    assert error.details["line"] == 3
    assert error.message.startswith("Line 3: ")


def test_an_unclosed_block_is_template_syntax() -> None:
    error = refused(rules.variables_used, "{% if balance %}past due")
    assert reason(error) == (ErrorCode.VALIDATION_FAILED, "TEMPLATE_SYNTAX")


# --- check_template ------------------------------------------------------------------------------------------


def test_check_template_answers_the_variables_used_sorted_from_subject_and_body() -> None:
    used = rules.check_template("EMAIL", "News for {{ unit_numbers }}", "Dear {{ recipient_name }}, {{ today }}", [])
    assert used == ["recipient_name", "today", "unit_numbers"]


def test_an_unknown_variable_is_refused_naming_it_and_what_is_known() -> None:
    error = refused(rules.check_template, "EMAIL", "Hi", "Dear {{ recipient_name }} of {{ lot_number }}", [])
    assert reason(error) == (ErrorCode.VALIDATION_FAILED, "UNKNOWN_VARIABLE")
    assert error.details["unknown"] == ["lot_number"]
    assert set(rules.SYSTEM_VARIABLES) <= set(error.details["known"])


def test_an_unknown_variable_in_the_subject_is_refused_too() -> None:
    error = refused(rules.check_template, "EMAIL", "About {{ topic }}", "Dear {{ recipient_name }}", [])
    assert error.details["unknown"] == ["topic"]


def test_a_declared_custom_variable_may_be_used() -> None:
    used = rules.check_template("EMAIL", "Pool: {{ pool_date }}", "The pool opens {{ pool_date }}.", ["pool_date"])
    assert used == ["pool_date"]


def test_a_custom_variable_declared_but_unused_is_allowed() -> None:
    assert rules.check_template("LETTER", None, "Dear {{ recipient_name }}", ["spare"]) == ["recipient_name"]


@pytest.mark.parametrize("name", ["Pool", "2nd_date", "pool-date", "pool date", "", "x" * 41, "recipient_name"])
def test_a_custom_name_that_is_no_new_lower_case_name_is_refused(name: str) -> None:
    error = refused(rules.check_template, "LETTER", None, "Hello", [name])
    assert reason(error) == (ErrorCode.VALIDATION_FAILED, "UNKNOWN_VARIABLE")
    assert error.details["names"] == [name]


@pytest.mark.parametrize("subject", [None, "", "   "])
def test_an_email_needs_a_subject(subject: str | None) -> None:
    error = refused(rules.check_template, "EMAIL", subject, "Dear {{ recipient_name }}", [])
    assert reason(error) == (ErrorCode.VALIDATION_FAILED, "SUBJECT_REQUIRED")


def test_a_text_message_has_no_subject() -> None:
    error = refused(rules.check_template, "SMS", "Pool", "The pool opens Saturday.", [])
    assert reason(error) == (ErrorCode.VALIDATION_FAILED, "SUBJECT_REQUIRED")


def test_a_text_message_is_at_most_1600_characters() -> None:
    assert rules.check_template("SMS", None, "x" * 1600, []) == []
    error = refused(rules.check_template, "SMS", None, "x" * 1601, [])
    assert reason(error) == (ErrorCode.VALIDATION_FAILED, "TOO_LONG")
    assert error.details["limit"] == 1600


def test_an_email_or_letter_may_be_longer_than_a_text_message() -> None:
    assert rules.check_template("EMAIL", "Minutes", "x" * 5000, []) == []
    assert rules.check_template("LETTER", None, "x" * 5000, []) == []


def test_a_syntax_error_in_the_subject_is_refused() -> None:
    error = refused(rules.check_template, "EMAIL", "News {{", "Body", [])
    assert reason(error) == (ErrorCode.VALIDATION_FAILED, "TEMPLATE_SYNTAX")


@pytest.mark.parametrize("name", ["range", "lipsum", "dict", "cycler", "joiner", "namespace"])
def test_jinjas_globals_are_no_variables_of_a_template(name: str) -> None:
    """A template may use the system variables and its custom ones, nothing else (Jinja's own globals such as
    `lipsum`, which writes megabytes of text, or `range` included)."""
    error = refused(rules.check_template, "LETTER", None, f"{{{{ {name} }}}}", [])
    assert reason(error) == (ErrorCode.VALIDATION_FAILED, "UNKNOWN_VARIABLE")
    assert error.details["unknown"] == [name]


# --- check_values ----------------------------------------------------------------------------------------------


def test_check_values_needs_every_custom_variable() -> None:
    error = refused(rules.check_values, {"pool_date"}, ["pool_date", "hours"], {"pool_date": "May 1"}, "ALL_OWNERS")
    assert reason(error) == (ErrorCode.VALIDATION_FAILED, "MISSING_VARIABLE")
    assert error.details["missing"] == ["hours"]


def test_check_values_refuses_a_value_of_no_custom_variable() -> None:
    error = refused(rules.check_values, set(), [], {"recipient_name": "Someone else"}, "ALL_OWNERS")
    assert reason(error) == (ErrorCode.VALIDATION_FAILED, "UNKNOWN_VARIABLE")


@pytest.mark.parametrize("audience", ["ALL_OWNERS", "PROPERTY", "BOARD", "VENDORS", "CUSTOM"])
def test_balance_variables_exist_only_for_a_delinquent_audience(audience: str) -> None:
    error = refused(rules.check_values, {"recipient_name", "balance"}, [], {}, audience)
    assert reason(error) == (ErrorCode.BUSINESS_RULE_VIOLATION, "VARIABLE_NOT_AVAILABLE")
    assert error.details["variables"] == ["balance"]
    rules.check_values({"recipient_name", "balance", "days_past_due"}, [], {}, "DELINQUENT")


# --- render ----------------------------------------------------------------------------------------------------


def test_render_fills_in_the_variables_and_keeps_the_text() -> None:
    text = rules.render("Dear {{ recipient_name }},\n{{ balance }} is due.\n", {"recipient_name": "Kim", "balance": 5})
    assert text == "Dear Kim,\n5 is due.\n"


def test_render_of_no_text_is_none() -> None:
    assert rules.render(None, {"recipient_name": "Kim"}) is None


def test_render_does_not_escape_html_in_a_plain_text_message() -> None:
    assert rules.render("{{ recipient_name }}", {"recipient_name": "Kim & Lee <co-owners>"}) == "Kim & Lee <co-owners>"


def test_a_missing_value_fails_the_render_instead_of_printing_nothing() -> None:
    error = refused(rules.render, "Dear {{ recipient_name }}, {{ balance }} is due.", {"recipient_name": "Kim"})
    assert reason(error) == (ErrorCode.BUSINESS_RULE_VIOLATION, "RENDER_FAILED")
    assert "balance" in error.message


@pytest.mark.parametrize(
    "source",
    [
        "{{ recipient_name.__class__ }}",
        "{{ recipient_name.__class__.__mro__[1].__subclasses__() }}",
        "{{ recipient_name.upper.__globals__ }}",
        "{{ recipient_name.__init__.__globals__ }}",
        "{{ recipient_name.format.__self__ }}",
    ],
)
def test_attribute_access_to_python_internals_is_render_failed(source: str) -> None:
    error = refused(rules.render, source, {"recipient_name": "Kim"})
    assert reason(error) == (ErrorCode.BUSINESS_RULE_VIOLATION, "RENDER_FAILED")


@pytest.mark.parametrize(
    "source",
    [
        "{{ 'ab' * 60000 }}",
        "{{ 60000 * 'ab' }}",
        "{{ recipient_name * 100000 }}",
        "{{ [recipient_name] * 200000 }}",
        "{{ 2 ** 1000 }}",
        "{{ 9 ** 64 ** 64 ** 64 ** 64 }}",  # ((9 ** 64) ** 64) ...: minutes of arithmetic unless refused
        "{% set a = 2 ** 60 * 2 ** 60 %}{% set b = a * a %}{% set c = b * b %}{% set d = c * c %}"
        "{% set e = d * d %}{% set f = e * e %}{{ f * f }}",
    ],
)
def test_a_huge_multiplication_or_power_is_refused_before_it_is_computed(source: str) -> None:
    started = time.monotonic()
    error = refused(rules.render, source, {"recipient_name": "Kim"})
    assert reason(error) == (ErrorCode.BUSINESS_RULE_VIOLATION, "RENDER_FAILED")
    assert time.monotonic() - started < 1.0


def test_small_arithmetic_is_fine() -> None:
    assert rules.render("{{ 3 * 4 }} {{ 2 ** 10 }} {{ 7 // 2 }}", {}) == "12 1024 3"


@pytest.mark.parametrize("source", ["{{ '-' * 10 }}", "{{ 3 * recipient_name }}", "{{ '%5d' % 3 }}"])
def test_text_is_never_repeated_nor_formatted(source: str) -> None:
    error = refused(rules.render, source, {"recipient_name": "Kim"})
    assert reason(error) == (ErrorCode.BUSINESS_RULE_VIOLATION, "RENDER_FAILED")


def test_a_rendered_text_has_a_bounded_length() -> None:
    """Many copies of a long value are refused once the text passes RENDERED_LIMIT."""
    source = "{{ story }}" * (rules.RENDERED_LIMIT // 2000 + 2)
    error = refused(rules.render, source, {"story": "x" * 2000})
    assert reason(error) == (ErrorCode.BUSINESS_RULE_VIOLATION, "RENDER_FAILED")


@pytest.mark.parametrize(
    "source",
    [
        "{{ 1 / 0 }}",
        "{{ 7 // 0 }}",
        "{{ 7 % 0 }}",
        "{{ '%d' % 1e400 }}",
        "{% macro again() %}{{ again() }}{% endmacro %}{{ again() }}",
        "{{ range(10 ** 12) | list }}",
        "{{ lipsum(3) }}",
    ],
)
def test_whatever_fails_in_a_template_is_render_failed_never_an_unexpected_error(source: str) -> None:
    """A template that divides by zero, recurses for ever or calls what it may not is the template's fault: a
    RENDER_FAILED (a preview's 422, a delivery skipped), never an exception the API answers with a 500."""
    error = refused(rules.render, source, {"recipient_name": "Kim"})
    assert reason(error) == (ErrorCode.BUSINESS_RULE_VIOLATION, "RENDER_FAILED")


# --- reach -----------------------------------------------------------------------------------------------------


def reach(channel: str, category: str, prefs: rules.Preferences | None = None, **addresses: str | None) -> rules.Reach:
    known: dict[str, str | None] = {"email": EMAIL, "phone": PHONE, "mailing": MAILING, **addresses}
    return rules.reach(channel, category, prefs or rules.Preferences(), **known)


@pytest.mark.parametrize(
    ("channel", "delivery", "address"), [("EMAIL", "EMAIL", EMAIL), ("SMS", "SMS", PHONE), ("LETTER", "MAIL", MAILING)]
)
def test_each_template_channel_reaches_its_address_by_default(channel: str, delivery: str, address: str) -> None:
    assert reach(channel, "GENERAL") == rules.Reach(delivery, address, None)


def test_an_opted_out_category_is_skipped_as_opted_out() -> None:
    prefs = rules.Preferences(opted_out_categories=("NEWSLETTER",))
    assert reach("EMAIL", "NEWSLETTER", prefs) == rules.Reach("EMAIL", None, "OPTED_OUT")
    assert reach("EMAIL", "EVENT", prefs) == rules.Reach("EMAIL", EMAIL, None)


@pytest.mark.parametrize("category", sorted(rules.REQUIRED_CATEGORIES))
def test_an_official_notice_ignores_a_category_opt_out(category: str) -> None:
    """Stored before the rule (or by hand), an opt-out of an official notice does not stop it."""
    prefs = rules.Preferences(opted_out_categories=(category,))
    assert reach("EMAIL", category, prefs) == rules.Reach("EMAIL", EMAIL, None)


@pytest.mark.parametrize(("channel", "off"), [("EMAIL", {"email": False}), ("SMS", {"sms": False})])
def test_a_channel_turned_off_is_opted_out_for_an_ordinary_message(channel: str, off: dict[str, bool]) -> None:
    assert reach(channel, "GENERAL", rules.Preferences(**off)) == rules.Reach(channel, None, "OPTED_OUT")


def test_paper_mail_turned_off_is_opted_out_for_an_ordinary_letter() -> None:
    assert reach("LETTER", "EVENT", rules.Preferences(mail=False)) == rules.Reach("MAIL", None, "OPTED_OUT")


@pytest.mark.parametrize(("channel", "off"), [("EMAIL", {"email": False}), ("SMS", {"sms": False})])
def test_an_official_notice_on_a_channel_turned_off_goes_on_paper(channel: str, off: dict[str, bool]) -> None:
    assert reach(channel, "DELINQUENCY", rules.Preferences(**off)) == rules.Reach("MAIL", MAILING, None)


def test_an_official_notice_without_the_channels_address_goes_on_paper() -> None:
    assert reach("EMAIL", "MEETING", email=None) == rules.Reach("MAIL", MAILING, None)
    assert reach("SMS", "EMERGENCY", phone=None) == rules.Reach("MAIL", MAILING, None)


def test_an_official_letter_goes_even_with_paper_mail_turned_off() -> None:
    prefs = rules.Preferences(mail=False)
    assert reach("LETTER", "DELINQUENCY", prefs) == rules.Reach("MAIL", MAILING, None)


def test_an_official_notice_turned_off_without_a_mailing_address_is_opted_out() -> None:
    assert reach("EMAIL", "DELINQUENCY", rules.Preferences(email=False), mailing=None) == rules.Reach(
        "EMAIL", None, "OPTED_OUT"
    )


def test_an_official_notice_without_any_address_is_no_address() -> None:
    assert reach("EMAIL", "MEETING", email=None, mailing=None) == rules.Reach("EMAIL", None, "NO_ADDRESS")


@pytest.mark.parametrize(("channel", "missing"), [("EMAIL", "email"), ("SMS", "phone"), ("LETTER", "mailing")])
def test_no_address_for_the_channel_is_no_address(channel: str, missing: str) -> None:
    found = reach(channel, "GENERAL", **{missing: None})
    assert (found.address, found.skip_reason) == (None, "NO_ADDRESS")


def test_an_empty_address_is_no_address() -> None:
    assert reach("EMAIL", "GENERAL", email="").skip_reason == "NO_ADDRESS"


def test_an_ordinary_message_never_falls_back_to_paper() -> None:
    assert reach("EMAIL", "NEWSLETTER", email=None) == rules.Reach("EMAIL", None, "NO_ADDRESS")


# --- check_preferences -----------------------------------------------------------------------------------------


def test_check_preferences_answers_the_categories_sorted_once() -> None:
    assert rules.check_preferences(["NEWSLETTER", "EVENT", "NEWSLETTER"]) == ["EVENT", "NEWSLETTER"]
    assert rules.check_preferences([]) == []


@pytest.mark.parametrize("category", sorted(rules.REQUIRED_CATEGORIES))
def test_an_official_notice_cannot_be_opted_out_of(category: str) -> None:
    error = refused(rules.check_preferences, ["NEWSLETTER", category])
    assert reason(error) == (ErrorCode.BUSINESS_RULE_VIOLATION, "REQUIRED_CATEGORY")
    assert error.details["categories"] == [category]


def test_an_unknown_category_is_refused() -> None:
    error = refused(rules.check_preferences, ["NEWSLETTER", "GOSSIP"])
    assert error.code == ErrorCode.VALIDATION_FAILED
    assert "GOSSIP" in error.message
