"""The demo council's "We asked, you said, we did": the index page and one published outcome.

Published directly, like the demo consultations; officers' own outcomes go through the workflow.
Safe to repeat: nothing is made twice and nothing made before is changed.
"""

from datetime import timedelta

from consultations.models import (
    PUBLISHABLE,
    Comment,
    ConsultationPage,
    DecisionStatus,
    ModerationStatus,
    OutcomeDecision,
    OutcomeIndexPage,
    OutcomePage,
    OutcomeQuote,
)

PARKS = "parks-and-green-spaces-strategy"

# Comments quoted under "You said", each found by its status and a word in its public text:
# one redacted, to show that residents' words are quoted without their personal details.
QUOTED = [
    (ModerationStatus.REDACTED, "play area"),
    (ModerationStatus.APPROVED, "light"),
    (ModerationStatus.APPROVED, "wild"),
]

YOU_SAID = """
<p>Thank you to everyone who told us how to look after Kingsmere's parks. More trees came top of
the improvements you ranked, followed by better play areas and public toilets. Half of you agreed
that some park land should be left to grow wild for nature, and fewer than a third disagreed.</p>
<h2>What came up most in your comments</h2>
<ul>
<li>Play equipment that is worn out or broken, and play areas disabled children can use.</li>
<li>Paths that feel unsafe after dark, and antisocial behaviour in the evenings.</li>
<li>More trees, wildflowers and space for wildlife.</li>
<li>Toilets, benches and bins, especially for older people and families with young children.</li>
</ul>
"""

WE_DID_INTRO = """
<p>Councillors agreed the final strategy at cabinet after the consultation closed. These are the
changes we made because of what you said, and where each one stands.</p>
"""


def seed(home):
    """Make the outcome index under `home` and publish the parks outcome; safe to repeat."""
    index = OutcomeIndexPage.objects.first()
    if index is None:
        index = home.add_child(
            instance=OutcomeIndexPage(
                title="We asked, you said, we did",
                slug="you-said-we-did",
                intro=(
                    "What we did with what you told us. For each consultation we say what we "
                    "asked, what you said, what we decided and where each decision stands."
                ),
            )
        )
        index.save_revision().publish()
    parks = ConsultationPage.objects.filter(slug=PARKS).first()
    if parks is not None and not OutcomePage.objects.child_of(parks).exists():
        _parks_outcome(parks)
    return index


def _parks_outcome(parks):
    decided_on = (parks.closes_at + timedelta(days=42)).date()
    page = OutcomePage(
        title="Parks and green spaces strategy: what we did",
        slug="outcome",
        summary=(
            "You asked for more trees, better play areas and safer paths. We have replaced play "
            "equipment and let meadows grow; tree planting and path lighting are under way."
        ),
        you_said=YOU_SAID.strip(),
        show_results=True,
        we_did_intro=WE_DID_INTRO.strip(),
        decisions=[
            OutcomeDecision(
                decision="Replace the broken play equipment in Abbey Park",
                detail=(
                    "New swings, a roundabout children in wheelchairs can use and a softer "
                    "surface under the climbing frame are in place."
                ),
                status=DecisionStatus.DONE,
                decided_on=decided_on,
            ),
            OutcomeDecision(
                decision="Leave a quarter of the grass in our larger parks to grow wild",
                detail=(
                    "We stopped mowing six areas in spring and sowed wildflower meadows in "
                    "Millbrook and Westgate. Paths are still mown through them."
                ),
                status=DecisionStatus.DONE,
                decided_on=decided_on,
            ),
            OutcomeDecision(
                decision="Plant 2,000 trees in our parks and along the river path",
                detail=(
                    "Over three winters, with local schools and volunteers. The first 600 are "
                    "in the ground."
                ),
                status=DecisionStatus.IN_PROGRESS,
                decided_on=decided_on,
                expected_by=decided_on + timedelta(days=730),
            ),
            OutcomeDecision(
                decision="Light the main paths through Castlefield Park and along the river",
                detail=(
                    "Lighting came low in the ranking, but many of you told us that these paths "
                    "feel unsafe after dark. We chose low-energy lights that dim after midnight, "
                    "with the wildlife trust, to protect bats."
                ),
                status=DecisionStatus.IN_PROGRESS,
                decided_on=decided_on,
                expected_by=decided_on + timedelta(days=240),
            ),
            OutcomeDecision(
                decision="Keep the toilets in Abbey Park and Castlefield Park open all day",
                detail="Open from 8am until the park gates close, every day of the year.",
                status=DecisionStatus.IN_PROGRESS,
                decided_on=decided_on,
                expected_by=decided_on + timedelta(days=120),
            ),
            OutcomeDecision(
                decision="Open a café in every large park",
                status=DecisionStatus.NOT_TAKEN_FORWARD,
                reason=(
                    "Cafés came fourth of the six improvements you ranked, and our two park "
                    "cafés already struggle to stay open in winter. Instead, local traders can "
                    "apply to run stalls in the parks from May to September."
                ),
                decided_on=decided_on,
            ),
        ],
        quotes=[OutcomeQuote(comment=comment) for comment in _quotes(parks)],
    )
    parks.add_child(instance=page)
    page.save_revision().publish()
    return page


def _quotes(consultation):
    """The first published comment of each QUOTED kind, each quoted once."""
    published = Comment.objects.filter(consultation=consultation, status__in=PUBLISHABLE)
    quotes = []
    for status, word in QUOTED:
        quotes += published.filter(status=status, public_text__icontains=word).exclude(
            pk__in=[quote.pk for quote in quotes]
        )[:1]
    return quotes
