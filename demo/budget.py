"""The demo council's budget: twelve service lines in the proportions of a UK unitary council.

Net revenue budget £285.0m; the largest lines are adult social care (41%) and children's social
care (22%), as in most unitary councils. Keys come from names (uuid5), so seeding twice changes
nothing and the demo consultations' answers keep pointing at the same lines.
"""

import uuid
from decimal import Decimal

from budget_simulator.calculation import calculate
from budget_simulator.models import Budget, RevenueKind, RevenueOption, ServiceLine

NAMESPACE = uuid.UUID("0b7d1a52-3c4e-4f7a-9d2b-6a1e5c3f8b90")

# code, name, group, baseline (£m), min %, max %, statutory floor (£m) or None, consequences
SERVICE_LINES = [
    (
        "ASC01",
        "Adult social care",
        "People",
        "118.0",
        -10,
        10,
        "108.0",
        [
            (-2, "Longer waits for a care needs assessment: up to 8 weeks"),
            (-5, "Day centres close on Fridays and fewer people get care at home"),
            (-8, "Only people with critical needs get support; more falls on families and carers"),
            (5, "More care at home, so fewer people need to move into a care home"),
        ],
    ),
    (
        "CHS01",
        "Children's social care",
        "People",
        "62.5",
        -10,
        10,
        "58.0",
        [
            (-3, "Two of the five family support centres close"),
            (-6, "Early help for families stops; only child protection work continues"),
            (5, "More foster carers, so fewer children are placed outside Kingsmere"),
        ],
    ),
    (
        "SEN01",
        "School transport and special educational needs",
        "People",
        "14.0",
        -10,
        10,
        "12.6",
        [
            (-5, "Travel budgets for families replace some taxi journeys to school"),
            (-10, "Help with transport stops for new students over 16"),
        ],
    ),
    (
        "HOU01",
        "Housing and homelessness",
        "People",
        "9.8",
        -10,
        10,
        "8.8",
        [
            (-5, "Fewer homelessness prevention officers: families stay longer in temporary homes"),
            (-10, "Bed and breakfast used for families more often"),
            (10, "Two more homelessness prevention officers"),
        ],
    ),
    (
        "WST01",
        "Bins and recycling",
        "Place",
        "21.0",
        -20,
        10,
        None,
        [
            (-5, "Garden waste collections stop over the winter"),
            (-10, "Rubbish collected every three weeks instead of every two"),
            (-20, "The recycling centre opens three days a week"),
            (5, "Food waste collected from flats as well as houses"),
        ],
    ),
    (
        "HWY01",
        "Roads, pavements and street lights",
        "Place",
        "15.5",
        -30,
        10,
        None,
        [
            (-10, "Potholes repaired within 28 days instead of 5"),
            (-20, "Street lights off between midnight and 5am"),
            (-30, "Only main roads gritted in winter"),
            (10, "Twice as many pavements resurfaced each year"),
        ],
    ),
    (
        "PRK01",
        "Parks and open spaces",
        "Place",
        "6.4",
        -30,
        10,
        None,
        [
            (-10, "Grass cut every four weeks instead of every two"),
            (-20, "Park toilets close and worn-out play areas are not replaced"),
            (-30, "The park ranger service ends"),
            (10, "New play equipment in two parks"),
        ],
    ),
    (
        "LIB01",
        "Libraries",
        "Place",
        "5.1",
        -30,
        10,
        None,
        [
            (-5, "Each library opens four hours a week less"),
            (-10, "Libraries open one day less a week"),
            (-20, "Two of the six libraries close"),
            (-30, "Only the central library and the mobile library remain"),
            (10, "The central library opens on Sundays"),
        ],
    ),
    (
        "LEI01",
        "Leisure and culture",
        "Place",
        "4.9",
        -30,
        10,
        None,
        [
            (-10, "Shorter swimming pool opening hours"),
            (-20, "Grants to arts groups and festivals end"),
            (-30, "One of the two leisure centres closes"),
        ],
    ),
    (
        "CSF01",
        "Community safety and regulation",
        "Place",
        "6.2",
        -20,
        10,
        None,
        [
            (-10, "CCTV watched live only in the evenings and at weekends"),
            (-20, "Fewer food hygiene and trading standards inspections"),
        ],
    ),
    (
        "PLN01",
        "Planning and building control",
        "Place",
        "3.6",
        -20,
        10,
        None,
        [
            (-10, "Planning decisions take up to four weeks longer"),
            (-20, "Planning enforcement deals only with the most serious cases"),
        ],
    ),
    (
        "COR01",
        "Running the council",
        "Corporate",
        "18.0",
        -20,
        5,
        None,
        [
            (-5, "One council office building is sold"),
            (-10, "The phone line opens weekdays 9am to 3pm only"),
            (-20, "Most enquiries can only be made online"),
        ],
    ),
]
DESCRIPTIONS = {
    "ASC01": "Care and support at home and in care homes for older and disabled adults.",
    "CHS01": "Keeping children safe, children in care and support for families.",
    "SEN01": "Transport to school and support for children with special educational needs.",
    "HOU01": "Preventing homelessness and providing temporary homes.",
    "WST01": "Collecting rubbish, recycling and garden waste; the recycling centre.",
    "HWY01": "Repairing roads and pavements, gritting and street lighting.",
    "PRK01": "Parks, playgrounds, sports pitches and the ranger service.",
    "LIB01": "Six libraries and the mobile library.",
    "LEI01": "Two leisure centres, the museum and grants for arts groups.",
    "CSF01": "CCTV, anti-social behaviour, licensing, food safety and trading standards.",
    "PLN01": "Deciding planning applications and checking building work is safe.",
    "COR01": "Offices, IT, finance, legal, the contact centre and councillors' meetings.",
}


def key(*names):
    return uuid.uuid5(NAMESPACE, "/".join(names))


def seed_budget(year="2027/28", scale=Decimal("1")):
    """The demo council's budget for `year`; `scale` shrinks earlier years. Safe to repeat."""
    name = f"Kingsmere budget {year}"
    budget = Budget.objects.filter(name=name).first()
    if budget:
        return budget
    total = sum(Decimal(line[3]) for line in SERVICE_LINES) * scale * 1_000_000
    budget = Budget(
        name=name,
        financial_year=year,
        total_net_budget=total,
        # About 5% of the net budget, rounded to £100,000.
        savings_target=(total * Decimal("0.05") / 100_000).quantize(Decimal("1")) * 100_000,
        target_must_be_met=True,
        allow_increases=True,
    )
    for order, (code, line_name, group, baseline, low, high, floor, consequences) in enumerate(
        SERVICE_LINES
    ):
        budget.service_lines.add(
            ServiceLine(
                sort_order=order,
                key=key(year, code),
                code=code,
                name=line_name,
                group=group,
                description=DESCRIPTIONS[code],
                baseline=Decimal(baseline) * scale * 1_000_000,
                min_change=Decimal(low),
                max_change=Decimal(high),
                step=Decimal("1"),
                statutory_floor=None if floor is None else Decimal(floor) * scale * 1_000_000,
                consequences=[
                    ("consequence", {"change": Decimal(level), "text": text})
                    for level, text in consequences
                ],
            )
        )
    budget.revenue_options.add(
        RevenueOption(
            sort_order=0,
            key=key(year, "council-tax"),
            kind=RevenueKind.COUNCIL_TAX,
            name="Council tax",
            description=(
                "Band D is £2,104 a year. The law lets us raise it by up to 4.99% without a "
                "local referendum."
            ),
            income_per_percent=Decimal("1520000") * scale,
            min_change=Decimal("0"),
            max_change=Decimal("4.99"),
            step=Decimal("0.01"),
        ),
        RevenueOption(
            sort_order=1,
            key=key(year, "fees"),
            kind=RevenueKind.FEES_AND_CHARGES,
            name="Fees and charges",
            description="Car parking, garden waste, pest control, room hire and similar charges.",
            income_per_percent=Decimal("210000") * scale,
            min_change=Decimal("0"),
            max_change=Decimal("10"),
            step=Decimal("1"),
        ),
    )
    budget.save()
    return budget


def synthetic_answer(rng, spec):
    """A plausible resident's budget that meets the target: protect care, cut elsewhere."""
    lines = {lever.id: 0 for lever in spec.lines}
    revenue = {lever.id: 0 for lever in spec.revenue}
    for lever in spec.revenue:
        levels = lever.levels()
        choice = rng.choice([0, 0.4, 0.6, 1, 1])
        revenue[lever.id] = levels[round(choice * (len(levels) - 1))]
    for lever in spec.lines:
        if rng.random() < 0.15:
            lines[lever.id] = rng.choice([level for level in lever.levels() if level >= 0])
    outcome = calculate(spec, lines, revenue)
    while not outcome.target_met:
        deepenable = [
            lever for lever in spec.lines if lines[lever.id] - lever.step_bp >= lever.lowest_bp()
        ]
        if not deepenable:
            break
        lever = rng.choice(deepenable)
        lines[lever.id] -= lever.step_bp
        outcome = calculate(spec, lines, revenue)
    return {
        "lines": lines,
        "revenue": revenue,
        "savings_found_pence": outcome.savings_found_pence,
    }
