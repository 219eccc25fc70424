"""The personal-data and abuse flagger, on a table of what residents write and what they don't.

Each row: the text, then the flags expected as (kind, flagged text), in reading order.
"""

import csv
from pathlib import Path

import pytest

from consultations.moderation.pii import (
    KINDS,
    PERSONAL_DATA_KINDS,
    Flag,
    find_flags,
    highlight,
    measure,
    summary,
)

LABELLED_COMMENTS = Path(__file__).resolve().parents[1] / "data" / "labelled_comments.csv"

FLAGGED = [
    # Email addresses
    ("Email me at jane.doe@example.com please", [("email", "jane.doe@example.com")]),
    ("Contact: jane@example.com.", [("email", "jane@example.com")]),
    ("JANE.DOE@EXAMPLE.CO.UK", [("email", "JANE.DOE@EXAMPLE.CO.UK")]),
    ("write to jane(at)example(dot)com", [("email", "jane(at)example(dot)com")]),
    ("jane [at] example [dot] co [dot] uk", [("email", "jane [at] example [dot] co [dot] uk")]),
    ("d.okafor+council@example.net", [("email", "d.okafor+council@example.net")]),
    # UK phone numbers, national and international
    ("call 07700 900123", [("phone", "07700 900123")]),
    ("call 07700900123.", [("phone", "07700900123")]),
    ("ring 07700-900-123", [("phone", "07700-900-123")]),
    ("ring 020 7946 0958", [("phone", "020 7946 0958")]),
    ("ring (020) 7946 0958", [("phone", "(020) 7946 0958")]),
    ("ring 0161 496 0000", [("phone", "0161 496 0000")]),
    ("Tel: 01632 960555", [("phone", "01632 960555")]),
    ("freephone 0800 123 4567", [("phone", "0800 123 4567")]),
    ("ring +44 7700 900123", [("phone", "+44 7700 900123")]),
    ("ring +44 (0)20 7946 0958", [("phone", "+44 (0)20 7946 0958")]),
    ("ring 0044 20 7946 0958", [("phone", "0044 20 7946 0958")]),
    ("text me on +447700900123!", [("phone", "+447700900123")]),
    ("(07700 900123)", [("phone", "07700 900123")]),
    (
        "07700 900 123 or 07700 900 124",
        [("phone", "07700 900 123"), ("phone", "07700 900 124")],
    ),
    # Full postcodes, any case, with or without the space
    ("my postcode is KM1 4AB", [("postcode", "KM1 4AB")]),
    ("my postcode is km14ab", [("postcode", "km14ab")]),
    ("SW1A 1AA", [("postcode", "SW1A 1AA")]),
    ("W1A 0AX", [("postcode", "W1A 0AX")]),
    ("M1 1AE", [("postcode", "M1 1AE")]),
    ("DN55 1PT", [("postcode", "DN55 1PT")]),
    # Street addresses
    ("I live at 14 Mill Lane", [("address", "14 Mill Lane")]),
    ("I live at 14a Mill Lane, Kingsmere", [("address", "14a Mill Lane")]),
    ("I live at 14 mill lane", [("address", "14 mill lane")]),
    ("Flat 3, 22 High Street", [("address", "Flat 3, 22 High Street")]),
    ("12 The Green", [("address", "12 The Green")]),
    ("near 5 Oak Close", [("address", "5 Oak Close")]),
    (
        "Flat 3, 22 High Street, Kingsmere KM1 4AB",
        [("address", "Flat 3, 22 High Street"), ("postcode", "KM1 4AB")],
    ),
    # Names after "my name is", "Name:", "I'm called", sign-offs and "this is"
    ("My name is Jane Smith", [("name", "Jane Smith")]),
    ("My name's Priya Patel", [("name", "Priya Patel")]),
    ("Name: Tom Jones", [("name", "Tom Jones")]),
    ("my name is Anne-Marie Smith-Jones.", [("name", "Anne-Marie Smith-Jones")]),
    ("name is O'Brien", [("name", "O'Brien")]),
    ("I'm called Bob", [("name", "Bob")]),
    ("Kind regards,\nJane Smith", [("name", "Jane Smith")]),
    ("Regards, John", [("name", "John")]),
    ("Yours sincerely, Mrs J. Smith", [("name", "Mrs J. Smith")]),
    ("Regards, Dr. Jones", [("name", "Dr. Jones")]),
    ("Keep it open. Thanks, Jane", [("name", "Jane")]),
    ("Many thanks\nJohn Smith", [("name", "John Smith")]),
    ("Cheers,\nDave", [("name", "Dave")]),
    ("This is John Smith writing", [("name", "John Smith")]),
    # ... also typed in lower case, where the resident says outright it is their name
    ("my name is ann smith and I use the library", [("name", "ann smith")]),
    ("name: tom jones", [("name", "tom jones")]),
    ("my name's dave, i live nearby", [("name", "dave")]),
    ("my name is priya patel.", [("name", "priya patel")]),
    # Names after a title
    ("I'm Dr Priya Patel", [("name", "Dr Priya Patel")]),
    ("Councillor Smith never replied", [("name", "Councillor Smith")]),
    ("ask Cllr R. Whitmore", [("name", "Cllr R. Whitmore")]),
    ("Mrs Thompson at number 4 is 91", [("name", "Mrs Thompson")]),
    ("Prof. Helen Carter spoke well", [("name", "Prof. Helen Carter")]),
    ("Rev Andrew Lyle lends the hall", [("name", "Rev Andrew Lyle")]),
    # A child's or relative's name, with the age where given
    ("My son Tom Baker, aged 12, cycles", [("name", "Tom Baker, aged 12")]),
    ("my daughter Lily (7) loves story time", [("name", "Lily (7)")]),
    ("our grandson Jack who is 6 has nowhere to play", [("name", "Jack who is 6")]),
    ("my 9 year old son Alfie was nearly hit", [("name", "Alfie")]),
    ("My husband Derek and I", [("name", "Derek")]),
    # Named staff, and a resident introducing themselves
    ("the receptionist, Sharon, was rude", [("name", "Sharon")]),
    ("a lady called Brenda in housing", [("name", "Brenda")]),
    ("your officer (Mark Jennings) said", [("name", "Mark Jennings")]),
    ("I spoke to Karen in planning", [("name", "Karen")]),
    ("I was told by Michelle that", [("name", "Michelle")]),
    ("Hi, I'm Sarah and I run the toddler group", [("name", "Sarah")]),
    # NHS numbers (the mod-11 check digit holds, or the resident says it is one)
    ("my NHS number is 943 476 5919", [("nhs_number", "943 476 5919")]),
    ("943-476-5919", [("nhs_number", "943-476-5919")]),
    ("the number 4505577104 again", [("nhs_number", "4505577104")]),
    ("NHS no. 485 777 3456 (may be mistyped)", [("nhs_number", "485 777 3456")]),
    # National Insurance numbers
    ("NI number AB 12 34 56 C", [("ni_number", "AB 12 34 56 C")]),
    ("NI: JG103759A", [("ni_number", "JG103759A")]),
    ("typed as ce 87 65 43 b", [("ni_number", "ce 87 65 43 b")]),
    # Health, said of the writer or of someone they name or are related to
    ("my husband has dementia", [("health", "dementia")]),
    ("I have MS", [("health", "MS")]),
    ("since my cancer diagnosis", [("health", "cancer")]),
    ("I've got COPD", [("health", "COPD")]),
    ("she was diagnosed with early onset Alzheimer's", [("health", "Alzheimer's")]),
    ("my wife had a stroke last year", [("health", "stroke")]),
    ("my dad's Parkinson's is worse", [("health", "Parkinson's")]),
    ("I am a wheelchair user", [("health", "a wheelchair user")]),
    ("my mum is registered blind", [("health", "blind")]),
    ("my autistic daughter", [("health", "autistic")]),
    ("As a disabled person", [("health", "disabled")]),
    ("I'm recovering from chemo", [("health", "chemo")]),
    ("I have a blue badge", [("health", "a blue badge")]),
    ("My son Jake, 14, has ADHD", [("name", "Jake, 14"), ("health", "ADHD")]),
    # Abuse, also disguised
    ("you are an idiot", [("abuse", "idiot")]),
    ("This is fucking ridiculous", [("abuse", "fucking")]),
    ("what a load of sh1t", [("abuse", "sh1t")]),
    ("$hit", [("abuse", "$hit")]),
    ("sh!t", [("abuse", "sh!t")]),
    ("a$$hole", [("abuse", "a$$hole")]),
    ("f*ck this", [("abuse", "f*ck")]),
    ("f**k", [("abuse", "f**k")]),
    ("fuuuuck off", [("abuse", "fuuuuck")]),
    ("fvck", [("abuse", "fvck")]),
    ("f u c k", [("abuse", "f u c k")]),
    ("F.U.C.K.", [("abuse", "F.U.C.K")]),
    ("c-u-n-t", [("abuse", "c-u-n-t")]),
    ("SHIT!", [("abuse", "SHIT")]),
    ("what a dick", [("abuse", "dick")]),
]

NOT_FLAGGED = [
    # Years, money, percentages and dates
    "In 2024 we paid £1,250,000",
    "The budget is £14.2m, 5% less than 2023/24",
    "12.5% increase on 2026/27",
    "On 12/03/2025 the library closed",
    "01/02/2025 and 2025-02-01",
    "on 12 03 2025 it flooded",
    "Sunday 12 March 2025",
    "Between 2010 and 2020 the population grew by 12000",
    "I pay 1500 a year in council tax",
    # Reference numbers and other numbers
    "Reference KBC-ABCD-2345",
    "ISBN 978-0-12-345678-9",
    "Call 999 in an emergency",
    "section 106 money",
    "Open 9 to 5 on weekdays",
    # Counts and distances that look like house numbers
    "there are 5 libraries in town",
    "We need 3 more buses",
    "It's 2 miles down the road",
    "I walked 10 minutes along the lane",
    "about 100 people on Station Road",
    "Plant 100 Oak trees on Station Road",
    "3 bedroom house",
    "the 2 roads",
    "Route 42 Express to the station",
    "Parking in the car park is bad",
    "a short walk to the park",
    # Postcode districts and road numbers
    "postcode KM1",
    "the A34 road",
    "M25 motorway",
    # Names that are not names
    "my name is not important",
    "my name is irrelevant",
    "my name is withheld for privacy",
    "name: n/a",
    "my name is on the petition",
    "i'm called back every week by the council",
    "my name is in the electoral register",
    "My name is Kingsmere Council",
    "This is not good",
    "This is The Worst",
    "Thanks for listening",
    "Thank you Kingsmere Council",
    "Thanks, I think it's fine",
    "Thanks Labour for nothing",
    "Dear Sir, this is awful",
    "I am a pensioner",
    "Kind regards",
    # Words that contain abuse, or read as abuse only through bad filtering
    "I live in Scunthorpe",
    "cocktail analysis assassin",
    "Penistone and Cockermouth",
    "assessment in Middlesex and Sussex",
    "Dickens was great",
    "Dick Turpin rode through Cock Lane",
    "shiitake mushrooms",
    "classic grass",
    "the USA and the U.K.",
    "I a m",
    "",
    # Titles without a person, brands and offices
    "My Dr Martens are worn out",
    "Dr Who fans would love it",
    "Mr Kipling cakes at the café",
    "The Mayor opened the play area",
    "The Mayor's charity fund",
    "the Lord Mayor's parade",
    "Councillors should hold surgeries",
    "The councillor for Abbey ward never replies",
    "Miss the 6.15 bus and you wait an hour",
    "The Parks and Recreation team",
    # Relatives and staff without a name
    "My son says the skate park is great",
    "My daughter's school has no crossing",
    "my son, Year 7, walks to school",
    "The receptionist at the civic centre was helpful",
    "I spoke to Highways about the drain",
    "I spoke to the council twice",
    "Hi, I'm writing about the bowling green",
    "Charlotte Street and Victoria Road need resurfacing",
    # Ten-digit numbers that are not NHS numbers, and letters that are not NI numbers
    "My reference number is 4010232138",
    "reference 4010232137 is still open",
    "account number 9876543210 on the bill",
    "The example on the form, QQ 12 34 56 C",
    "GB 12 34 56 A is not issued",
    "Route AB12 to the hospital",
    "Band D council tax",
    # Health talked about, not said of anyone
    "NHS services are stretched",
    "People with dementia need more day centres",
    "a dementia friendly town",
    "The cancer support group meets in the library",
    "Mental health services for young people",
    "More disabled parking bays",
    "We have a stroke unit at the hospital",
    "I had a stroke of luck",
    "I have MSc in urban planning",
    "I have no problem with the rise",
]


def found(text):
    return [(flag.kind, flag.text) for flag in find_flags(text)]


@pytest.mark.parametrize(("text", "expected"), FLAGGED, ids=[text for text, _ in FLAGGED])
def test_flagger_finds_what_residents_write(text, expected):
    assert found(text) == expected


@pytest.mark.parametrize("text", NOT_FLAGGED)
def test_flagger_leaves_ordinary_council_talk_alone(text):
    assert found(text) == []


def test_the_table_has_positive_cases_for_every_kind():
    kinds = {kind for _text, expected in FLAGGED for kind, _flagged in expected}
    assert kinds == set(KINDS)


@pytest.mark.parametrize(("text", "expected"), FLAGGED, ids=[text for text, _ in FLAGGED])
def test_every_flag_span_points_at_the_flagged_text(text, expected):
    for flag in find_flags(text):
        assert text[flag.start : flag.end] == flag.text


def test_flags_come_in_reading_order_without_overlapping():
    text = "Kind regards, Jane Smith, 14 Mill Lane, KM1 4AB, 07700 900123, jane@example.com"
    flags = find_flags(text)
    assert [flag.kind for flag in flags] == ["name", "address", "postcode", "phone", "email"]
    assert all(left.end <= right.start for left, right in zip(flags, flags[1:], strict=False))


def test_the_longest_match_wins_where_flags_overlap():
    # "Dick" alone would be abuse; inside the name after "my name is" the name wins.
    assert found("my name is Dick Smith") == [("name", "Dick Smith")]


def test_abuse_is_not_personal_data():
    assert "abuse" not in PERSONAL_DATA_KINDS
    assert PERSONAL_DATA_KINDS == set(KINDS) - {"abuse"}


def test_highlight_cuts_text_into_segments_that_join_back_into_it():
    text = "Ring 07700 900123 or email jane@example.com today"
    segments = highlight(text, find_flags(text))
    assert "".join(segment for segment, _kind in segments) == text
    assert segments == [
        ("Ring ", None),
        ("07700 900123", "phone"),
        (" or email ", None),
        ("jane@example.com", "email"),
        (" today", None),
    ]


def test_highlight_survives_overlapping_and_out_of_range_flags():
    text = "abcdef"
    flags = [Flag("name", 0, 4, "abcd"), Flag("abuse", 2, 6, "cdef"), Flag("email", 5, 99, "f")]
    segments = highlight(text, flags)
    assert "".join(segment for segment, _kind in segments) == text
    assert segments == [("abcd", "name"), ("ef", "abuse")]


def test_summary_lists_each_kind_once_sorted():
    text = "jane@example.com, john@example.com, idiot"
    assert summary(find_flags(text)) == ["abuse", "email"]


# On a labelled set of comments (tests/data/labelled_comments.csv) ------------------------------


def labelled_comments():
    with LABELLED_COMMENTS.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def test_the_labelled_set_mixes_comments_with_and_without_personal_data():
    rows = labelled_comments()
    with_personal_data = [row for row in rows if row["has_personal_data"] == "yes"]
    assert len(rows) >= 200
    assert {row["has_personal_data"] for row in rows} == {"yes", "no"}
    assert 0.3 <= len(with_personal_data) / len(rows) <= 0.5
    for row in with_personal_data:
        assert set(row["kind"].split(";")) <= PERSONAL_DATA_KINDS, row["text"]


def test_the_flagger_finds_nine_in_ten_comments_with_personal_data_and_seldom_cries_wolf():
    result = measure(
        (row["text"], row["has_personal_data"] == "yes") for row in labelled_comments()
    )
    assert result.recall >= 0.9, result.missed
    assert result.precision >= 0.85, result.wrongly_flagged


def test_measure_counts_finds_misses_and_false_alarms():
    result = measure(
        [
            ("ring 07700 900123", True),
            ("I live near the park", True),
            ("idiot", False),
            ("email jane@example.com", False),
        ]
    )
    assert (result.true_positives, result.false_negatives) == (1, 1)
    assert (result.false_positives, result.true_negatives) == (1, 1)
    assert result.missed == ("I live near the park",)
    assert result.wrongly_flagged == (("email jane@example.com", ("email",)),)
    assert (result.precision, result.recall) == (0.5, 0.5)
