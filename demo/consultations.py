"""The demo council's consultations: one open, one upcoming, three closed with synthetic responses.

The closed ones' comments are moderated and tagged with themes by the demo officers, through the
same services officers use (so the audit log shows them), and the parks consultation has a
published "you said, we did" (demo/outcomes.py).

Ids are derived from names (uuid5), and each step runs only where it has not run before, so
loading the demo twice changes nothing.
"""

import csv
import io
import random
import re
from collections import defaultdict
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from budget_simulator.calculation import format_money
from consultations import stream_data
from consultations.analysis import themes
from consultations.models import (
    Answer,
    Area,
    Channel,
    Comment,
    ConsultationIndexPage,
    ConsultationPage,
    ModerationStatus,
    RankingPosition,
    RejectionReason,
    Response,
    Theme,
    Topic,
)
from consultations.moderation import services as moderation
from consultations.moderation.comments import new_comment, takes_comments
from consultations.moderation.services import REMOVED, suggested_redaction
from consultations.question_types.about_you import AGE_BANDS, CONNECTIONS
from consultations.question_types.agreement import AGREEMENT_SCALE
from consultations.question_types.base import PREFER_NOT_TO_SAY
from consultations.responses import store_ranking_positions
from consultations.stream_data import items, question, section
from demo import outcomes as outcomes_demo
from demo.budget import seed_budget, synthetic_answer

TOPICS = ["Budget", "Environment", "Housing", "Leisure", "Transport"]
DEMO_MODERATOR = "moderator@kingsmere.example"
DEMO_ANALYST = "analyst@kingsmere.example"
WARDS = ["Abbey", "Castlefield", "Eastmoor", "Kingsmere Central", "Millbrook", "Westgate"]
SERVICES = [
    ("Adult social care", "Care and support for older and disabled adults."),
    ("Children's services", "Keeping children safe and supporting families."),
    ("Bins and recycling", "Weekly collections and the recycling centre."),
    ("Roads and pavements", "Repairing potholes, gritting and street lights."),
    ("Libraries", "Six libraries and the mobile library."),
    ("Parks and open spaces", "Parks, playgrounds and sports pitches."),
    ("Housing and homelessness", "Preventing homelessness and temporary housing."),
    ("Community safety", "CCTV, anti-social behaviour and licensing."),
]


def demo_areas():
    """The demo council's areas (wards), by name: the one list consultations are tagged with and
    "about you" questions offer."""
    return {
        name: Area.objects.get_or_create(
            slug=name.lower().replace(" ", "-"), defaults={"name": name}
        )[0]
        for name in WARDS
    }


def about_you(key):
    return stream_data.about_you(key, demo_areas())


def simulator_section(key, budget):
    return section(
        key + "/simulator-section",
        "Balance the budget",
        "Try making the choices councillors face. Each change shows what it would mean for the "
        "service.",
        [
            question(
                key + "/simulator",
                "budget_simulator",
                f"Find {format_money(budget.simulator_spec.target_pence)} of savings",
                help_text="Cut, keep or grow each service, and choose whether to raise council "
                "tax or charges.",
                budget=budget.pk,
            )
        ],
    )


def budget_questions(key, budget):
    return [
        section(
            key + "/priorities",
            "Your priorities",
            "We must save £14 million next year. Tell us which services matter most to you.",
            [
                question(
                    key + "/ranking",
                    "priority_ranking",
                    "Rank these council services in order of importance to you",
                    help_text="1 is the most important to you.",
                    items=items(key + "/services", SERVICES),
                    top_n=None,
                ),
                question(
                    key + "/council-tax",
                    "single_choice",
                    "Which of these would you most prefer?",
                    options=items(
                        key + "/tax-options",
                        [
                            ("Raise council tax by 4.99% and protect services", ""),
                            ("Raise council tax by 2.99% and make some cuts", ""),
                            ("Freeze council tax and make deeper cuts", ""),
                        ],
                    ),
                    allow_other=True,
                ),
            ],
        ),
        simulator_section(key, budget),
        section(
            key + "/views",
            "Your views",
            "",
            [
                question(
                    key + "/charging",
                    "agreement_scale",
                    "The council should charge more for some services, such as garden waste, "
                    "to protect others",
                ),
                question(
                    key + "/volunteering",
                    "multiple_choice",
                    "Which of these would you help with?",
                    required=False,
                    options=items(
                        key + "/volunteer-options",
                        [
                            ("Volunteering in a library", ""),
                            ("Looking after a local park", ""),
                            ("Checking on an older neighbour", ""),
                            ("Litter picking", ""),
                        ],
                    ),
                    max_choices=2,
                ),
                question(
                    key + "/visits",
                    "number",
                    "How many times a month do you visit a library or park?",
                    required=False,
                    min_value=Decimal("0"),
                    max_value=Decimal("100"),
                    whole_number=True,
                    unit="times a month",
                ),
                question(
                    key + "/comments",
                    "free_text",
                    "Is there anything else you would like to tell us about the budget?",
                    required=False,
                    max_length=1500,
                ),
            ],
        ),
        section(key + "/about-you", "About you", "", [about_you(key + "/about")]),
    ]


def simple_questions(key, ranking_text, service_labels, statement):
    return [
        section(
            key + "/main",
            "Your views",
            "",
            [
                question(
                    key + "/ranking",
                    "priority_ranking",
                    ranking_text,
                    items=items(key + "/items", [(label, "") for label in service_labels]),
                    top_n=3,
                ),
                question(key + "/agreement", "agreement_scale", statement),
                question(
                    key + "/comments",
                    "free_text",
                    "Any other comments?",
                    required=False,
                    max_length=1000,
                ),
            ],
        ),
        section(key + "/about-you", "About you", "", [about_you(key + "/about")]),
    ]


def seed(home):
    """Make the consultation index, topics, areas and demo consultations; safe to repeat."""
    index = ConsultationIndexPage.objects.child_of(home).first()
    if index is None:
        index = home.add_child(
            instance=ConsultationIndexPage(
                title="Consultations",
                slug="consultations",
                intro="Find a consultation to respond to, or see the results of past ones.",
            )
        )
    topics = {
        name: Topic.objects.get_or_create(slug=name.lower(), defaults={"name": name})[0]
        for name in TOPICS
    }
    areas = demo_areas()
    privacy = home.get_children().filter(slug="privacy").first()
    now = timezone.now().replace(minute=0, second=0, microsecond=0)

    budget = _consultation(
        index,
        slug="budget-2027-28",
        title="Budget 2027/28: your priorities",
        summary="We must save £14 million next year. Tell us which services matter most to you.",
        body=(
            "<h2>Why we are asking</h2><p>Demand for adult social care and temporary housing is "
            "rising faster than our income. We must set a balanced budget for 2027/28 and want to "
            "know what matters most to you before councillors decide in February.</p>"
            "<h2>How we will use your answers</h2><p>We will publish a summary of what you told us "
            "and what we decided.</p>"
        ),
        opens_at=now - timedelta(days=14),
        closes_at=now + timedelta(days=42),
        questions=budget_questions("budget-2027-28", seed_budget("2027/28")),
        privacy=privacy,
        topics=[topics["Budget"]],
        areas=list(areas.values()),
    )
    _consultation(
        index,
        slug="town-centre-parking",
        title="Town centre parking charges",
        summary="Help us decide how parking charges should work in Kingsmere town centre.",
        body="<p>We are reviewing parking charges in the town centre car parks.</p>",
        opens_at=now + timedelta(days=10),
        closes_at=now + timedelta(days=70),
        questions=simple_questions(
            "town-centre-parking",
            "Rank your top 3 reasons for visiting the town centre",
            ["Shopping", "Work", "Eating out", "Health appointments", "Leisure"],
            "The first hour of parking should be free",
        ),
        privacy=privacy,
        topics=[topics["Transport"]],
        areas=[areas["Kingsmere Central"]],
    )
    closed = [
        _consultation(
            index,
            slug="parks-and-green-spaces-strategy",
            title="Parks and green spaces strategy",
            summary="How should we look after Kingsmere's parks for the next ten years?",
            body="<p>Our draft strategy sets out how we will manage parks and open spaces.</p>",
            opens_at=now - timedelta(days=160),
            closes_at=now - timedelta(days=100),
            questions=simple_questions(
                "parks-and-green-spaces-strategy",
                "Rank your top 3 improvements for our parks",
                [
                    "More trees",
                    "Better play areas",
                    "Public toilets",
                    "Cafés",
                    "Wildlife areas",
                    "Lighting",
                ],
                "Some park land should be left to grow wild for nature",
            ),
            privacy=privacy,
            topics=[topics["Environment"], topics["Leisure"]],
            areas=list(areas.values()),
        ),
        _consultation(
            index,
            slug="housing-allocations-policy",
            title="Housing allocations policy",
            summary=(
                "Proposed changes to how we decide who is offered council and "
                "housing association homes."
            ),
            body="<p>We proposed changes to the priority bands in our allocations policy.</p>",
            opens_at=now - timedelta(days=260),
            closes_at=now - timedelta(days=200),
            questions=simple_questions(
                "housing-allocations-policy",
                "Rank the top 3 groups who should get priority for housing",
                [
                    "Families with children",
                    "Key workers",
                    "People leaving care",
                    "Armed forces veterans",
                    "Older people downsizing",
                ],
                "People should have lived in Kingsmere for two years before joining "
                "the housing register",
            ),
            privacy=privacy,
            topics=[topics["Housing"]],
            areas=[areas["Eastmoor"], areas["Millbrook"], areas["Westgate"]],
        ),
    ]
    last_year = seed_budget("2026/27", scale=Decimal("0.96"))
    closed.append(
        _consultation(
            index,
            slug="budget-2026-27",
            title="Budget 2026/27: balance the budget",
            summary="Residents tried to balance our 2026/27 budget before councillors decided.",
            body=(
                "<p>We asked residents to find £13.7 million of savings, using our budget "
                "simulator.</p>"
            ),
            opens_at=now - timedelta(days=400),
            closes_at=now - timedelta(days=340),
            questions=[
                simulator_section("budget-2026-27", last_year),
                section(
                    "budget-2026-27/about-you", "About you", "", [about_you("budget-2026-27/about")]
                ),
            ],
            privacy=privacy,
            topics=[topics["Budget"]],
            areas=list(areas.values()),
        )
    )
    officers = get_user_model().objects
    moderator = officers.filter(email=DEMO_MODERATOR).first()
    analyst = officers.filter(email=DEMO_ANALYST).first()
    for page in closed:
        _synthetic_responses(page, settings.DEMO_SYNTHETIC_RESPONSES)
        _queue_comments(page)
        if moderator is not None:
            _moderate(page, moderator)
        if analyst is not None:
            _themes(page, analyst)
    outcomes_demo.seed(home)
    return index, budget


def _consultation(index, slug, questions, privacy, topics, areas, **fields):
    page = ConsultationPage.objects.child_of(index).filter(slug=slug).first()
    if page is not None:
        return page
    page = ConsultationPage(slug=slug, questions=questions, privacy_notice=privacy, **fields)
    page.contact_name = "Consultation team"
    page.contact_email = "consultations@kingsmere.example"
    page.contact_phone = "01632 960 000"
    index.add_child(instance=page)
    page.topics.set(topics)
    page.areas.set(areas)
    page.save_revision().publish()
    return page


def _synthetic_responses(page, count):
    """Plausible answers from `count` residents, for demos of moderation and results."""
    if Response.objects.filter(consultation=page).exists():
        return
    from consultations.journey import sections_of

    rng = random.Random(page.slug)
    questions = [q for s in sections_of(page) for q in s.questions]
    span = (page.closes_at - page.opens_at).total_seconds()
    responses = Response.objects.bulk_create(
        [
            Response(
                consultation=page,
                reference=f"KBC-D{page.pk:03d}-{n:05d}",
                submitted_at=page.opens_at + timedelta(seconds=rng.random() * span),
                channel=rng.choices(list(Channel), weights=[85, 10, 3, 2])[0],
            )
            for n in range(count)
        ]
    )
    answers, positions, free_text = [], [], []
    for response in responses:
        for q in questions:
            if q.type == "priority_ranking":
                ids = [child.id for child in q.value["items"].bound_blocks]
                weights = [len(ids) - i + rng.random() * 3 for i in range(len(ids))]
                order = sorted(ids, key=lambda item_id: -weights[ids.index(item_id)] * rng.random())
                places = q.value["top_n"] or len(ids)
                positions += [
                    RankingPosition(
                        response=response, question_id=q.id, item_id=item_id, position=n + 1
                    )
                    for n, item_id in enumerate(order[:places])
                ]
            elif q.type == "budget_simulator":
                answer = synthetic_answer(rng, q.value["budget"].simulator_spec)
                answers += [
                    Answer(response=response, question_id=q.id, **row)
                    for row in q.block.answer_rows(answer)
                ]
            elif q.type == "agreement_scale":
                option = rng.choices(
                    [key for key, _ in AGREEMENT_SCALE], weights=[20, 30, 15, 18, 12, 5]
                )[0]
                answers.append(Answer(response=response, question_id=q.id, option=option))
            elif q.type == "free_text" and rng.random() < 0.3:
                free_text.append(Answer(response=response, question_id=q.id))
                answers.append(free_text[-1])
            elif q.type == "about_you":
                wards = [child.id for child in q.value["wards"].bound_blocks]
                if rng.random() < 0.85:
                    answers.append(
                        Answer(
                            response=response,
                            question_id=q.id,
                            part="age_band",
                            option=rng.choice(AGE_BANDS[1:])[0],
                        )
                    )
                answers.append(
                    Answer(
                        response=response,
                        question_id=q.id,
                        part="ward",
                        option=rng.choice([*wards, PREFER_NOT_TO_SAY]),
                    )
                )
                answers.append(
                    Answer(
                        response=response,
                        question_id=q.id,
                        part="connection",
                        option=rng.choice(CONNECTIONS[:3])[0],
                    )
                )
    _write_comments(rng, free_text, page.slug)
    Answer.objects.bulk_create(answers, batch_size=2000)
    store_ranking_positions(positions, batch_size=2000)


def _queue_comments(page):
    """Put every free-text answer without a comment into moderation, as submission does."""
    from consultations.journey import sections_of

    free_text = [q.id for s in sections_of(page) for q in s.questions if takes_comments(q)]
    answers = (
        Answer.objects.filter(
            response__consultation=page, question_id__in=free_text, comment__isnull=True
        )
        .exclude(text="")
        .select_related("response")
        .order_by("pk")
    )
    Comment.objects.bulk_create(
        [new_comment(answer, page.pk, answer.response.submitted_at) for answer in answers],
        batch_size=2000,
    )


def _moderate(page, moderator):
    """Decide the comments as the demo moderator would, once: approve most, remove personal data,
    reject abuse and off-topic comments with a reason, and leave the newest few of some
    consultations waiting so the queue has work."""
    comments = Comment.objects.filter(consultation=page).select_related("answer")
    if comments.exclude(status=ModerationStatus.PENDING).exists():
        return
    waiting = KEEP_WAITING.get(page.slug, 0)
    if waiting:
        newest = comments.order_by("-submitted_at", "-pk")[: max(2, round(len(comments) * waiting))]
        comments = comments.exclude(pk__in=[comment.pk for comment in newest])
    reasons = {text: reason for text, reason in AWKWARD_COMMENTS.get(page.slug, []) if reason}
    approve, reject = [], defaultdict(list)
    for comment in comments:
        reason = reasons.get(comment.answer.text)
        if comment.flagged_abuse:
            reject[reason or RejectionReason.ABUSIVE].append(comment)
        elif reason:
            reject[reason].append(comment)
        elif comment.flagged_personal_data:
            public_text = ONE_REMOVAL.sub(REMOVED, suggested_redaction(comment.answer.text))
            moderation.redact(comment, moderator, public_text)
        else:
            approve.append(comment)
    if approve:
        moderation.approve_many(approve, moderator)
    for reason, rejected in reject.items():
        moderation.reject_many(rejected, moderator, reason)


def _themes(page, analyst):
    """Set up the consultation's themes once and tag published comments by their words."""
    if Theme.objects.filter(consultation=page).exists() or page.slug not in THEMES:
        return
    comments = list(themes.published_comments(page))
    for name, description, words in THEMES[page.slug]:
        theme = themes.add_theme(page, name, analyst, description=description)
        about = re.compile("|".join(rf"\b{re.escape(word)}" for word in words), re.IGNORECASE)
        for comment in comments:
            if about.search(comment.public_text):
                themes.tag_comment(comment, theme, analyst)


def _write_comments(rng, answers, slug):
    """What residents wrote: mostly everyday comments, and a few a moderator must act on.

    The awkward ones (personal data, abuse, off topic) each appear once, at random places, and
    at least three of them appear however few residents commented, so every demo shows them.
    """
    awkward = AWKWARD_COMMENTS.get(slug, [])
    count = min(len(awkward), max(3, len(answers) // 12), len(answers))
    texts = [text for text, _reason in awkward]
    places = dict(zip(rng.sample(range(len(answers)), count), texts, strict=False))
    everyday = COMMENTS.get(slug, COMMENTS["general"])
    for n, answer in enumerate(answers):
        answer.text = places.get(n) or rng.choice(everyday)


# What residents wrote, by consultation: everyday comments, chosen at random for each resident.
COMMENTS = {
    "parks-and-green-spaces-strategy": [
        "Please keep the play areas open all year round.",
        "The play equipment in Abbey Park is worn out and the swings have been broken since "
        "the summer.",
        "A play area that children in wheelchairs can use would make a real difference.",
        "Lighting on the paths would make me feel safer walking home in winter.",
        "I worry about antisocial behaviour in the evenings near the skate park.",
        "More park rangers would help people feel safe after dark.",
        "Leave some areas to grow wild. We hear fewer birds every year.",
        "More trees along the river path, please, for shade and for wildlife.",
        "Please stop mowing the verges in spring so the wildflowers can grow.",
        "Public toilets that are open when the park is open would help older people and families.",
        "More bins near the benches would help a lot.",
        "Keep the cafés local and independent.",
        "More benches along the long paths, so people who cannot walk far can rest.",
        "Local groups would help look after the parks if the council asked them.",
        "Please think about people who cannot drive and need to reach the bigger parks by bus.",
        "The consultation was easy to fill in, thank you.",
    ],
    "housing-allocations-policy": [
        "People who grew up in Kingsmere should not lose their place because they moved away "
        "for work.",
        "Two years is too long to wait to join the register if you have just moved here to "
        "care for a parent.",
        "The two-year rule is fair. Local homes should go to local people first.",
        "Families with children in overcrowded flats should come first.",
        "My children share one bedroom with me. Please give more priority to overcrowding.",
        "We have waited five years on the register and never been offered anything.",
        "Please tell people honestly how long the wait is likely to be.",
        "Nurses and carers cannot afford to rent near their work. Key workers need some priority.",
        "Teachers and care workers keep this town running. Give them a chance at a home.",
        "Young people leaving care need a home of their own, not a hostel.",
        "Veterans should get the same priority as everyone else, no more and no less.",
        "Older people would move to smaller homes if there were good bungalows nearby.",
        "Build more council homes. Changing the bands just moves the queue around.",
        "The form was clear and did not take long.",
    ],
    "general": [
        "Please keep the play areas open all year round.",
        "More bins near the benches would help a lot.",
        "The consultation was easy to fill in, thank you.",
        "I worry about antisocial behaviour in the evenings.",
        "Please think about people who cannot drive.",
        "Local groups would help if the council asked them.",
        "Lighting on the paths would make me feel safer.",
        "Keep the cafés local and independent.",
    ],
}

# Comments a moderator must act on, most important first, each with the demo moderator's
# rejection reason; "" means approve, with any personal data the flagger found removed.
AWKWARD_COMMENTS = {
    "parks-and-green-spaces-strategy": [
        (
            "The play area on Mill Lane floods every winter. I live at 14 Mill Lane, KM2 3AB, "
            "and my children cannot use it from November to March. Ring me on 07700 900123 and "
            "I will show you.",
            "",
        ),
        ("The councillors who cut the park rangers are idiots.", RejectionReason.ABUSIVE),
        (
            "When will you fix the potholes on the Westgate road? Nothing to do with parks but "
            "nobody answers my emails.",
            RejectionReason.OFF_TOPIC,
        ),
        (
            "Please email me at jane.parker@example.com when the new toilets open in Abbey Park.",
            "",
        ),
        (
            "My name is Jane Parker and I walk my dog in Castlefield Park every day. The path "
            "by the pond needs lights.",
            "",
        ),
        ("Dog walkers who leave bags hanging on the trees are scum.", RejectionReason.ABUSIVE),
        (
            "Garden clearance at the best prices in Kingsmere, visit kingsmere-clearance.example "
            "today!",
            RejectionReason.SPAM,
        ),
        ("The new wildflower meadow is lovely, thank you. Kind regards, Tom Fletcher", ""),
    ],
    "housing-allocations-policy": [
        (
            "I have waited six years on band C and my son needs his own room. Kind regards,\n"
            "Samira Haddad, 3 Orchard Close, KM4 7QT",
            "",
        ),
        ("Whoever wrote this policy is a complete moron.", RejectionReason.ABUSIVE),
        (
            "The bins on Eastmoor have not been emptied for three weeks.",
            RejectionReason.OFF_TOPIC,
        ),
        (
            "I am a nurse at Kingsmere General and cannot afford to rent near work. My number "
            "is 01632 960555.",
            "",
        ),
        (
            "This is a load of crap, families who grew up here get nothing.",
            RejectionReason.ABUSIVE,
        ),
        (
            "I care for my mum in Millbrook and would like to talk to someone about her "
            "housing. Contact me at d.okafor@example.net.",
            "",
        ),
    ],
}

# Of each consultation's comments, the share (newest first) the demo moderator has not reached.
KEEP_WAITING = {"housing-allocations-policy": 0.1}
# "[removed], [removed]" where several details sat together: a moderator would tidy it to one.
ONE_REMOVAL = re.compile(rf"{re.escape(REMOVED)}(?:[\s,]+{re.escape(REMOVED)})+")

# Each closed consultation's themes, as an analyst would set them up: (name, description, words
# that mark a comment as being about it, matched at the start of a word in the public text).
THEMES = {
    "parks-and-green-spaces-strategy": [
        ("Play areas", "Play equipment, playgrounds and play for disabled children.", ["play"]),
        (
            "Safety and lighting",
            "Feeling safe in parks, lighting, rangers and antisocial behaviour.",
            ["light", "safe", "antisocial", "ranger", "after dark"],
        ),
        (
            "Nature and wildlife",
            "Trees, wild areas, wildflowers, mowing and wildlife.",
            ["wild", "tree", "bird", "nature", "mow", "meadow"],
        ),
        (
            "Facilities",
            "Toilets, cafés, benches and bins.",
            ["toilet", "café", "cafe", "bench", "bin"],
        ),
    ],
    "housing-allocations-policy": [
        (
            "Local connection",
            "The two-year residence rule and people with family or work ties to Kingsmere.",
            ["local", "grew up", "moved", "two-year", "two years"],
        ),
        (
            "Overcrowded families",
            "Families with children and overcrowded homes.",
            ["famil", "child", "bedroom", "overcrowd"],
        ),
        (
            "Waiting times",
            "How long people wait on the register and what they are told.",
            ["wait"],
        ),
        (
            "Key workers",
            "Priority for nurses, carers, teachers and other key workers.",
            ["key worker", "nurse", "carer", "care worker", "teacher"],
        ),
        (
            "Care leavers and veterans",
            "Priority for young people leaving care and armed forces veterans.",
            ["leaving care", "care leaver", "veteran"],
        ),
    ],
}


# A sample of paper responses to import (consultations/spreadsheets/imports.py) ----------------

PAPER_RESPONSES_SAMPLE = Path(__file__).parent / "data" / "parks-paper-responses.csv"
PAPER_RESPONSES_CONSULTATION = "parks-and-green-spaces-strategy"
# The sample is dated for the parks consultation opening on this day. The demo's dates follow the
# day it is seeded, so `paper_responses_sample` moves the sample's dates by the difference.
PAPER_RESPONSES_OPENING_DAY = date(2026, 6, 16)


def paper_responses_sample(page):
    """The sample as CSV bytes, its dates moved into `page`'s period however long ago the demo
    was seeded; every other cell exactly as in the file."""
    shift = timezone.localtime(page.opens_at).date() - PAPER_RESPONSES_OPENING_DAY
    rows = list(csv.reader(io.StringIO(PAPER_RESPONSES_SAMPLE.read_text("utf-8-sig"), newline="")))
    column = rows[1].index("submitted_at")
    for row in rows[2:]:
        row[column] = (date.fromisoformat(row[column]) + shift).isoformat()
    text = io.StringIO(newline="")
    csv.writer(text, lineterminator="\r\n").writerows(rows)
    return ("\ufeff" + text.getvalue()).encode()
