"""The budget simulator's columns in a consultation's responses spreadsheet
(consultations/spreadsheets/layout.py): the % change chosen for each service line and revenue
option, which imports read back, then the sums worked out from them, which imports ignore."""

from decimal import Decimal

from consultations.spreadsheets.layout import Column, when_answered


def percent_text(bp):
    """Basis points as a plain percentage number: -1000 → -10, 250 → 2.5."""
    value = Decimal(bp) / 100
    return int(value) if value == value.to_integral_value() else value.normalize()


def pounds(pence):
    value = Decimal(pence) / 100
    return int(value) if value == value.to_integral_value() else value.quantize(Decimal("0.01"))


def lever_cell(column, answer, record):
    bp = answer["lines"].get(column.option)
    return percent_text(answer["revenue"].get(column.option, 0) if bp is None else bp)


def savings_found_cell(column, answer, record):
    return pounds(answer["savings_found_pence"])


def still_to_find_cell(column, answer, record):
    return pounds(max(0, column.target_pence - answer["savings_found_pence"]))


def beyond_target_cell(column, answer, record):
    return pounds(max(0, answer["savings_found_pence"] - column.target_pence))


def simulator_columns(sheet):
    question, heading, common = sheet.question, sheet.heading, sheet.common
    spec = question.block.spec(question.value)
    if spec is None:
        return []
    columns = [
        Column(
            f"{question.id}:{lever.id}",
            f"{heading}: {lever.name} (% change)",
            "lever",
            option=lever.id,
            rule=when_answered(lever_cell),
            explanation=f"The change chosen for {lever.name}, in % (-10 is a 10% cut). "
            "Empty on import means no change, when other lines are filled in.",
            **common,
        )
        for lever in [*spec.lines, *spec.revenue]
    ]
    columns += [
        Column(
            f"{question.id}:savings_found",
            f"{heading}: savings found (£)",
            "savings_found",
            export_only=True,
            rule=when_answered(savings_found_cell),
            explanation="Worked out from the changes: what they save (negative if they add "
            "to the gap). Ignored on import.",
            **common,
        ),
        Column(
            f"{question.id}:still_to_find",
            f"{heading}: still to find (£)",
            "still_to_find",
            export_only=True,
            target_pence=spec.target_pence,
            rule=when_answered(still_to_find_cell),
            explanation="What the resident left of the savings target: the target less the "
            "savings found, never below 0 (see ‘found beyond target’). Ignored on import.",
            **common,
        ),
        Column(
            f"{question.id}:beyond_target",
            f"{heading}: found beyond target (£)",
            "beyond_target",
            export_only=True,
            target_pence=spec.target_pence,
            rule=when_answered(beyond_target_cell),
            explanation="How much more than the savings target the changes find; 0 when they "
            "do not reach it. Ignored on import.",
            **common,
        ),
    ]
    return columns
