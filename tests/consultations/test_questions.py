"""Unit tests for the question blocks: setup checks, cleaning posted answers, describing them."""

import pytest
from django.utils.datastructures import MultiValueDict
from wagtail.blocks.struct_block import StructBlockValidationError

from consultations.models import Area
from consultations.question_types.about_you import AboutYouBlock
from consultations.question_types.agreement import AgreementScaleBlock
from consultations.question_types.base import AnswerError, field_name
from consultations.question_types.choice import MultipleChoiceBlock, SingleChoiceBlock
from consultations.question_types.free_text import FreeTextBlock
from consultations.question_types.number import NumberBlock
from consultations.question_types.ranking import PriorityRankingBlock

pytestmark = pytest.mark.django_db

BLOCK_ID = "abc"
SERVICES = [("libraries", "Libraries"), ("parks", "Parks"), ("roads", "Roads"), ("bins", "Bins")]
OPTIONS = [("opt-a", "Buses"), ("opt-b", "Trains"), ("opt-c", "Cycling")]


def items(pairs):
    """Raw ListBlock data for OptionBlock children with fixed ids."""
    return [
        {"type": "item", "id": item_id, "value": {"label": label, "description": ""}}
        for item_id, label in pairs
    ]


def build(block, **raw):
    return block.to_python({"question": "Your view?", "help_text": "", "required": True, **raw})


def data(**fields):
    """Posted data: keyword `part` becomes field `q-abc-part`, `_` becomes `q-abc`."""
    posted = {}
    for part, value in fields.items():
        name = field_name(BLOCK_ID, None if part == "_" else part)
        posted[name] = value if isinstance(value, list) else [value]
    return MultiValueDict(posted)


def errors_of(block, value, posted):
    with pytest.raises(AnswerError) as raised:
        block.clean_answer(value, BLOCK_ID, posted)
    return raised.value.errors


def only_error(block, value, posted):
    """The single (field id, message) pair the answer was refused with."""
    errors = errors_of(block, value, posted)
    assert len(errors) == 1, errors
    return next(iter(errors.items()))


# Priority ranking ---------------------------------------------------------------------------

ranking = PriorityRankingBlock()


def ranking_value(top_n=None, required=True):
    return build(ranking, items=items(SERVICES), top_n=top_n, required=required)


def ranked(**positions):
    return data(**{item_id: str(position) for item_id, position in positions.items()})


def test_ranking_accepts_a_full_ranking_of_every_item():
    answer = ranking.clean_answer(
        ranking_value(), BLOCK_ID, ranked(libraries=2, parks=1, roads=4, bins=3)
    )
    assert answer == {"positions": {"libraries": 2, "parks": 1, "roads": 4, "bins": 3}}


def test_ranking_refuses_two_items_in_the_same_position():
    field, message = only_error(
        ranking, ranking_value(), ranked(libraries=2, parks=2, roads=1, bins=3)
    )
    assert field == "q-abc-libraries"
    assert "Libraries and Parks cannot both be number 2" in message


def test_ranking_refuses_a_ranking_with_a_gap():
    field, message = only_error(ranking, ranking_value(), ranked(libraries=1, parks=2, roads=4))
    assert field == "q-abc-libraries"
    assert "Give every item a position from 1 to 4" in message
    assert "position 3 is not used" in message


@pytest.mark.parametrize("position", ["9", "0", "-1", "abc", "2.5"])
def test_ranking_refuses_a_position_out_of_range_on_that_items_field(position):
    posted = data(libraries="1", parks="2", roads=position, bins="4")
    field, message = only_error(ranking, ranking_value(), posted)
    assert field == "q-abc-roads"
    assert message == "Choose a position from 1 to 4 for Roads"


def test_ranking_refuses_nothing_ranked_when_required():
    field, message = only_error(ranking, ranking_value(), data(libraries="", parks=" "))
    assert field == "q-abc-libraries"
    assert message == "Rank all 4 for ‘Your view?’"


def test_ranking_returns_none_when_optional_and_nothing_ranked():
    assert ranking.clean_answer(ranking_value(required=False), BLOCK_ID, data()) is None


def test_ranking_top_n_accepts_the_top_places_with_others_blank():
    answer = ranking.clean_answer(
        ranking_value(top_n=2), BLOCK_ID, data(libraries="", parks="2", roads="1", bins="")
    )
    assert answer == {"positions": {"parks": 2, "roads": 1}}


def test_ranking_top_n_refuses_a_position_beyond_the_top_places():
    field, message = only_error(
        ranking, ranking_value(top_n=2), ranked(libraries=1, parks=2, bins=3)
    )
    assert field == "q-abc-bins"
    assert message == "Choose a position from 1 to 2 for Bins"


def test_ranking_top_n_refuses_filling_only_some_of_the_top_places():
    field, message = only_error(ranking, ranking_value(top_n=2), ranked(parks=1))
    assert field == "q-abc-libraries"
    assert message == "Rank exactly your top 2: position 2 is not used"


def test_ranking_top_n_refuses_nothing_ranked_when_required():
    field, message = only_error(ranking, ranking_value(top_n=2), data())
    assert field == "q-abc-libraries"
    assert message == "Rank your top 2 for ‘Your view?’"


@pytest.mark.parametrize("top_n", [4, 5])
def test_ranking_setup_refuses_a_top_n_not_fewer_than_the_items(top_n):
    with pytest.raises(StructBlockValidationError) as raised:
        ranking.clean(ranking_value(top_n=top_n))
    assert "top_n" in raised.value.block_errors
    assert "fewer than the 4 things to rank" in str(raised.value.block_errors["top_n"])


def test_ranking_setup_accepts_a_top_n_fewer_than_the_items():
    assert ranking.clean(ranking_value(top_n=3))["top_n"] == 3


def test_ranking_describes_the_answer_in_position_order():
    answer = {"positions": {"libraries": 2, "parks": 1, "gone": 3}}
    assert ranking.describe_answer(ranking_value(), answer) == [
        "1. Parks",
        "2. Libraries",
        "3. Removed item",
    ]


# Single choice ------------------------------------------------------------------------------

single = SingleChoiceBlock()


def single_value(allow_other=True, required=True):
    return build(single, options=items(OPTIONS), allow_other=allow_other, required=required)


def test_single_choice_accepts_one_of_the_options():
    assert single.clean_answer(single_value(), BLOCK_ID, data(_="opt-b")) == {"option": "opt-b"}


def test_single_choice_refuses_an_option_that_was_not_shown():
    field, message = only_error(single, single_value(), data(_="opt-z"))
    assert field == "q-abc"
    assert message == "Select one of the answers shown"


def test_single_choice_refuses_no_answer_when_required():
    field, message = only_error(single, single_value(), data())
    assert field == "q-abc"
    assert message == "Select an answer for ‘Your view?’"


def test_single_choice_returns_none_when_optional_and_unanswered():
    assert single.clean_answer(single_value(required=False), BLOCK_ID, data(_="")) is None


def test_single_choice_accepts_other_with_its_text():
    answer = single.clean_answer(single_value(), BLOCK_ID, data(_="other", other="  Walking "))
    assert answer == {"option": "other", "other": "Walking"}


def test_single_choice_refuses_other_without_its_text():
    field, message = only_error(single, single_value(), data(_="other", other="  "))
    assert field == "q-abc-other"
    assert message == "Say what your other answer is"


def test_single_choice_refuses_other_when_it_is_not_offered():
    field, message = only_error(single, single_value(allow_other=False), data(_="other", other="x"))
    assert field == "q-abc"
    assert message == "Select one of the answers shown"


def test_single_choice_refuses_other_text_over_200_characters():
    field, message = only_error(single, single_value(), data(_="other", other="x" * 201))
    assert field == "q-abc-other"
    assert "200 characters or fewer" in message


def test_single_choice_accepts_other_text_of_exactly_200_characters():
    answer = single.clean_answer(single_value(), BLOCK_ID, data(_="other", other="x" * 200))
    assert answer == {"option": "other", "other": "x" * 200}


def test_single_choice_describes_other_with_its_text():
    answer = {"option": "other", "other": "Walking"}
    assert single.describe_answer(single_value(), answer) == ["Other: Walking"]


def test_single_choice_describes_an_option_by_its_label():
    assert single.describe_answer(single_value(), {"option": "opt-c"}) == ["Cycling"]


# Multiple choice ----------------------------------------------------------------------------

multiple = MultipleChoiceBlock()


def multiple_value(max_choices=None, required=True):
    return build(multiple, options=items(OPTIONS), max_choices=max_choices, required=required)


def test_multiple_choice_accepts_options_in_the_officers_order():
    answer = multiple.clean_answer(multiple_value(), BLOCK_ID, data(_=["opt-c", "opt-a"]))
    assert answer == {"options": ["opt-a", "opt-c"]}


def test_multiple_choice_refuses_more_than_max_choices():
    field, message = only_error(
        multiple, multiple_value(max_choices=2), data(_=["opt-a", "opt-b", "opt-c"])
    )
    assert field == "q-abc"
    assert message == "Select no more than 2 answers"


def test_multiple_choice_accepts_exactly_max_choices():
    answer = multiple.clean_answer(
        multiple_value(max_choices=2), BLOCK_ID, data(_=["opt-b", "opt-a"])
    )
    assert answer == {"options": ["opt-a", "opt-b"]}


@pytest.mark.parametrize(
    "chosen", [["opt-a", "opt-z"], ["opt-a", "opt-a"]], ids=["unknown", "duplicate"]
)
def test_multiple_choice_refuses_unknown_or_duplicate_options(chosen):
    field, message = only_error(multiple, multiple_value(), data(_=chosen))
    assert field == "q-abc"
    assert message == "Select only the answers shown"


def test_multiple_choice_refuses_none_chosen_when_required():
    field, message = only_error(multiple, multiple_value(), data(_=[""]))
    assert field == "q-abc"
    assert message == "Select at least one answer for ‘Your view?’"


def test_multiple_choice_returns_none_when_optional_and_none_chosen():
    assert multiple.clean_answer(multiple_value(required=False), BLOCK_ID, data()) is None


# Agreement scale ----------------------------------------------------------------------------

agreement = AgreementScaleBlock()


def agreement_value(required=True):
    return build(agreement, required=required)


@pytest.mark.parametrize(
    "key",
    ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree", "dont_know"],
)
def test_agreement_scale_accepts_each_point_of_the_scale(key):
    assert agreement.clean_answer(agreement_value(), BLOCK_ID, data(_=key)) == {"option": key}


def test_agreement_scale_refuses_an_unknown_point():
    field, message = only_error(agreement, agreement_value(), data(_="very_agree"))
    assert field == "q-abc"
    assert message == "Select one of the answers shown"


def test_agreement_scale_refuses_no_answer_when_required():
    field, message = only_error(agreement, agreement_value(), data())
    assert field == "q-abc"
    assert message == "Select how far you agree with ‘Your view?’"


def test_agreement_scale_returns_none_when_optional_and_unanswered():
    assert agreement.clean_answer(agreement_value(required=False), BLOCK_ID, data()) is None


# Free text ----------------------------------------------------------------------------------

free_text = FreeTextBlock()


def free_text_value(required=True):
    return build(free_text, max_length=20, required=required)


def test_free_text_accepts_text_stripped():
    answer = free_text.clean_answer(free_text_value(), BLOCK_ID, data(_="  More buses  "))
    assert answer == {"text": "More buses"}


def test_free_text_refuses_text_over_max_length():
    field, message = only_error(free_text, free_text_value(), data(_="x" * 21))
    assert field == "q-abc"
    assert message == "Your answer must be 20 characters or fewer"


def test_free_text_accepts_text_of_exactly_max_length():
    answer = free_text.clean_answer(free_text_value(), BLOCK_ID, data(_="x" * 20))
    assert answer == {"text": "x" * 20}


def test_free_text_refuses_only_whitespace_when_required():
    field, message = only_error(free_text, free_text_value(), data(_=" \r\n\t "))
    assert field == "q-abc"
    assert message == "Enter your answer to ‘Your view?’"


def test_free_text_returns_none_when_optional_and_unanswered():
    assert free_text.clean_answer(free_text_value(required=False), BLOCK_ID, data(_=" ")) is None


def test_free_text_normalises_crlf_to_lf_before_counting():
    # 21 characters as posted, 20 once CRLF becomes LF: only fits if normalised before counting.
    text = "a" * 9 + "\r\n" + "b" * 10
    answer = free_text.clean_answer(free_text_value(), BLOCK_ID, data(_=text))
    assert answer == {"text": "a" * 9 + "\n" + "b" * 10}


# Number -------------------------------------------------------------------------------------

number = NumberBlock()


def number_value(min_value="1", max_value="5000", whole_number=True, required=True):
    return build(
        number,
        min_value=min_value,
        max_value=max_value,
        whole_number=whole_number,
        unit="times a month",
        required=required,
    )


def test_number_accepts_a_whole_number():
    assert number.clean_answer(number_value(), BLOCK_ID, data(_=" 12 ")) == {"number": "12"}


def test_number_refuses_a_decimal_when_a_whole_number_is_wanted():
    field, message = only_error(number, number_value(), data(_="12.5"))
    assert field == "q-abc"
    assert message == "Enter a whole number, like 12"


def test_number_accepts_a_decimal_when_whole_numbers_are_not_required():
    answer = number.clean_answer(number_value(whole_number=False), BLOCK_ID, data(_="12.5"))
    assert answer == {"number": "12.5"}


def test_number_refuses_a_number_below_the_minimum():
    field, message = only_error(number, number_value(), data(_="0"))
    assert field == "q-abc"
    assert message == "Enter a number of at least 1"


def test_number_refuses_a_number_above_the_maximum():
    field, message = only_error(number, number_value(), data(_="5001"))
    assert field == "q-abc"
    assert message == "Enter a number no bigger than 5000"


@pytest.mark.parametrize("raw", ["twelve", "NaN", "Infinity", "-Infinity", "1e12"])
def test_number_refuses_things_that_are_not_usable_numbers(raw):
    field, message = only_error(number, number_value(min_value=None, max_value=None), data(_=raw))
    assert field == "q-abc"
    assert message == "Enter a number, like 12"


def test_number_accepts_thousands_separators():
    assert number.clean_answer(number_value(), BLOCK_ID, data(_="1,234")) == {"number": "1234"}


@pytest.mark.parametrize(("posted", "stored"), [("1,000", "1000"), ("10", "10"), ("12.50", "12.5")])
def test_number_is_stored_in_plain_notation(posted, stored):
    value = number_value(whole_number=False, max_value=None)
    assert number.clean_answer(value, BLOCK_ID, data(_=posted)) == {"number": stored}


def test_number_refuses_no_answer_when_required():
    field, message = only_error(number, number_value(), data())
    assert field == "q-abc"
    assert message == "Enter a number for ‘Your view?’"


def test_number_returns_none_when_optional_and_unanswered():
    assert number.clean_answer(number_value(required=False), BLOCK_ID, data()) is None


def test_number_setup_refuses_a_minimum_above_the_maximum():
    with pytest.raises(StructBlockValidationError) as raised:
        number.clean(number_value(min_value="10", max_value="5"))
    assert "must not be below the minimum" in str(raised.value.block_errors["max_value"])


def test_number_setup_accepts_equal_minimum_and_maximum():
    assert number.clean(number_value(min_value="5", max_value="5"))["max_value"] == 5


def test_number_describes_the_answer_with_its_unit():
    assert number.describe_answer(number_value(), {"number": "12"}) == ["12 times a month"]


# About you ----------------------------------------------------------------------------------

about_you = AboutYouBlock()
WARDS = [("ward-north", "North"), ("ward-south", "South")]


def area(name):
    return Area.objects.get_or_create(name=name, defaults={"slug": name.lower()})[0]


def about_you_value(ask_equality=True, ask_postcode_district=True):
    """An "about you" question offering the council's areas North and South."""
    return about_you.to_python(
        {
            "intro": "",
            "wards": [
                {"type": "item", "id": item_id, "value": area(name).pk} for item_id, name in WARDS
            ],
            "ask_postcode_district": ask_postcode_district,
            "ask_equality": ask_equality,
        }
    )


def test_about_you_offers_the_councils_areas_by_their_current_names():
    value = about_you_value()
    Area.objects.filter(name="North").update(name="North and Abbey")
    choices = dict(about_you.parts(about_you.to_python(about_you.get_prep_value(value)))[1][2])
    assert choices == {"ward-north": "North and Abbey", "ward-south": "South"}


def test_about_you_no_longer_offers_a_deleted_area_but_keeps_the_others():
    value = about_you_value()
    Area.objects.filter(name="South").delete()
    fresh = about_you.to_python(about_you.get_prep_value(value))
    assert dict(about_you.parts(fresh)[1][2]) == {"ward-north": "North"}
    with pytest.raises(AnswerError):
        about_you.clean_answer(fresh, BLOCK_ID, data(ward="ward-south"))


def test_about_you_is_all_optional():
    assert about_you.clean_answer(about_you_value(), BLOCK_ID, data()) is None


def test_about_you_accepts_valid_answers_and_normalises_the_postcode_district():
    posted = data(
        age_band="35_44",
        ward="ward-south",
        connection=["live", "work"],
        postcode_district="km1 ",
        sex="female",
        disability="no",
        ethnicity="mixed",
    )
    assert about_you.clean_answer(about_you_value(), BLOCK_ID, posted) == {
        "age_band": "35_44",
        "ward": "ward-south",
        "connection": ["live", "work"],
        "postcode_district": "KM1",
        "sex": "female",
        "disability": "no",
        "ethnicity": "mixed",
    }


def test_about_you_accepts_prefer_not_to_say_for_every_question():
    parts = ["age_band", "ward", "sex", "disability", "ethnicity"]
    posted = data(connection=["prefer_not_to_say"], **dict.fromkeys(parts, "prefer_not_to_say"))
    answer = about_you.clean_answer(about_you_value(), BLOCK_ID, posted)
    assert answer == {
        "connection": ["prefer_not_to_say"],
        **dict.fromkeys(parts, "prefer_not_to_say"),
    }


@pytest.mark.parametrize(
    ("part", "posted", "message"),
    [
        ("age_band", "12_15", "Select one of the answers shown for ‘What is your age?’"),
        ("ward", "ward-east", "Select one of the answers shown for ‘Which area do you live in?’"),
        ("connection", ["live", "sleep"], "Select only the answers shown for ‘What is your"),
        ("sex", "unknown", "Select one of the answers shown for ‘What is your sex?’"),
    ],
)
def test_about_you_refuses_answers_that_were_not_shown(part, posted, message):
    field, error = only_error(about_you, about_you_value(), data(**{part: posted}))
    assert field == f"q-abc-{part}"
    assert error.startswith(message)


def test_about_you_refuses_prefer_not_to_say_with_another_connection():
    posted = data(connection=["live", "prefer_not_to_say"])
    field, message = only_error(about_you, about_you_value(), posted)
    assert field == "q-abc-connection"
    assert "Prefer not to say’ on its own" in message


@pytest.mark.parametrize("district", ["KM1 1AA", "12", "K", "KM-1"])
def test_about_you_refuses_a_postcode_that_is_not_a_district(district):
    field, message = only_error(about_you, about_you_value(), data(postcode_district=district))
    assert field == "q-abc-postcode_district"
    assert message == "Enter the first part of your postcode only, like KM1"


def test_about_you_reports_every_wrong_part_at_once():
    posted = data(age_band="old", postcode_district="12")
    assert set(errors_of(about_you, about_you_value(), posted)) == {
        "q-abc-age_band",
        "q-abc-postcode_district",
    }


def test_about_you_does_not_read_equality_answers_when_not_asked():
    posted = data(age_band="16_24", sex="female", disability="yes", ethnicity="white")
    answer = about_you.clean_answer(about_you_value(ask_equality=False), BLOCK_ID, posted)
    assert answer == {"age_band": "16_24"}


def test_about_you_does_not_read_the_postcode_district_when_not_asked():
    posted = data(ward="ward-north", postcode_district="not a postcode")
    answer = about_you.clean_answer(about_you_value(ask_postcode_district=False), BLOCK_ID, posted)
    assert answer == {"ward": "ward-north"}
