"""One unit per question type: the registry lists every type, each fulfils the contract, and code
outside the types asks them rather than testing which type a question is
(docs/decisions/0009-one-unit-per-question-type.md)."""

import ast
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings

from consultations import question_types as registry
from consultations.journey import questions_of
from consultations.models import Answer, ConsultationPage, RankingPosition
from consultations.question_types import question_types
from consultations.question_types.base import QuestionType
from consultations.questions import QuestionStreamBlock
from consultations.responses import answers_from_rows

ROOT = Path(__file__).resolve().parents[2]
TYPE_NAMES = [name for name, _block in question_types()]


def test_the_editor_offers_every_registered_type_in_the_settings_order():
    assert TYPE_NAMES == [
        "priority_ranking",
        "single_choice",
        "multiple_choice",
        "agreement_scale",
        "free_text",
        "number",
        "about_you",
        "budget_simulator",
    ]
    assert list(QuestionStreamBlock.base_blocks) == TYPE_NAMES
    for name, block in question_types():
        assert isinstance(QuestionStreamBlock.base_blocks[name], block)


def test_a_type_without_a_name_of_its_own_is_refused():
    registry.question_types.cache_clear()
    try:
        with override_settings(
            QUESTION_TYPES=[
                *settings.QUESTION_TYPES,
                "consultations.question_types.choice.SingleChoiceBlock",
            ]
        ):
            with pytest.raises(ValueError, match="type_name of its own"):
                registry.question_types()
    finally:
        registry.question_types.cache_clear()
    assert [name for name, _block in registry.question_types()] == TYPE_NAMES


CONTRACT = ["clean_answer", "describe_answer", "answer_rows", "answer_reader"]


@pytest.mark.parametrize("name, block", question_types(), ids=TYPE_NAMES)
def test_every_type_fulfils_the_contract(name, block):
    assert issubclass(block, QuestionType)
    for method in CONTRACT:
        assert getattr(block, method) is not getattr(QuestionType, method, None), method
        assert callable(getattr(block, method)), method


def example_answer(question):
    """A clean answer each type might be given, using the question's own option ids."""
    value = question.value
    ids = (
        [item_id for item_id, _item in question.block.options_with_ids(value)]
        if hasattr(question.block, "options_with_ids")
        else []
    )
    examples = {
        "priority_ranking": lambda: {"positions": {item: n for n, item in enumerate(ids, 1)}},
        "single_choice": lambda: {"option": "other", "other": "A bus pass"},
        "multiple_choice": lambda: {"options": ids[:2]},
        "agreement_scale": lambda: {"option": "agree"},
        "free_text": lambda: {"text": "Keep the libraries open"},
        "number": lambda: {"number": "12.5"},
        "about_you": lambda: {
            "age_band": "35_44",
            "ward": next(iter(question.block.option_ids(value))),
            "connection": ["live", "work"],
            "postcode_district": "KM1",
        },
        "budget_simulator": lambda: {
            "lines": {lever.id: -1000 for lever in value["budget"].simulator_spec.lines},
            "revenue": {lever.id: 299 for lever in value["budget"].simulator_spec.revenue},
            "savings_found_pence": 123456,
        },
    }
    assert question.type in examples, f"Give the new type {question.type} an example answer"
    return examples[question.type]()


@pytest.mark.django_db
def test_every_type_reads_back_exactly_the_answer_it_stored(demo_site):
    """Stored as its rows, read back by its reader: the same answer, for every type."""
    questions = questions_of(ConsultationPage.objects.get(slug="budget-2027-28"))
    asked = {question.type for question in questions.values()}
    assert asked == set(TYPE_NAMES), (
        "Ask a question of every registered type in the demo's budget consultation "
        "(demo/consultations.py) and give each an example answer here"
    )
    answers = {question_id: example_answer(q) for question_id, q in questions.items()}
    answer_rows, position_rows = [], []
    for question_id, answer in answers.items():
        block = questions[question_id].block
        answer_rows += [Answer(question_id=question_id, **row) for row in block.answer_rows(answer)]
        position_rows += [
            RankingPosition(question_id=question_id, item_id=item_id, position=position)
            for item_id, position in block.ranking_positions(answer).items()
        ]
    for row in answer_rows:  # as the database gives them back
        row.number = None if row.number is None else Decimal(row.number).quantize(Decimal("1e-6"))

    assert answers_from_rows(answer_rows, position_rows, questions) == answers


# The types themselves: consultations' own, and the budget simulator's app, which is its type
# (its block, results, charts, columns and open data schema) and the budgets it asks about.
TYPES_THEMSELVES = {"consultations/question_types", "budget_simulator/"}


def is_type_expression(node, type_names):
    """`question.type`, `block.block_type`, `question["type"]`, `question.get("type")`, or a
    name assigned from one of those."""
    if isinstance(node, ast.Attribute):
        return node.attr in {"type", "block_type"}
    if isinstance(node, ast.Subscript):
        return isinstance(node.slice, ast.Constant) and node.slice.value == "type"
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return (
            node.func.attr == "get"
            and bool(node.args)
            and isinstance(node.args[0], ast.Constant)
            and node.args[0].value == "type"
        )
    return isinstance(node, ast.Name) and node.id in type_names


def is_written_in(node):
    """A string, a collection of strings, or a module constant (an UPPER_CASE name)."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, ast.Set | ast.Tuple | ast.List):
        return bool(node.elts) and all(is_written_in(item) for item in node.elts)
    return isinstance(node, ast.Name) and node.id.isupper()


def type_name_constants(node):
    items = node.elts if isinstance(node, ast.Set | ast.Tuple | ast.List) else [node]
    return [item for item in items if isinstance(item, ast.Constant) and item.value in TYPE_NAMES]


def switches_on_a_type_name(tree):
    """Whether the module tests a question's type against something, or keeps a table or set
    of several type names to dispatch on."""
    type_names = {
        target.id
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign) and is_type_expression(node.value, set())
        for target in node.targets
        if isinstance(target, ast.Name)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Compare):
            operands = [node.left, *node.comparators]
            # A type tested against a name written into the code ("about_you", a set of them,
            # a module constant such as SIMULATOR); two types compared with each other (a
            # question whose type changed) is not deciding by type.
            if any(is_type_expression(operand, type_names) for operand in operands) and any(
                is_written_in(operand) for operand in operands
            ):
                return True
        if isinstance(node, ast.Dict) and len(type_name_constants(ast.List(node.keys))) >= 2:
            return True
        if isinstance(node, ast.Set | ast.List | ast.Tuple) and len(type_name_constants(node)) >= 2:
            return True
    return False


def test_only_the_types_decide_by_a_questions_type():
    switching = set()
    for app in ["consultations", "budget_simulator", "home", "portal"]:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if "migrations" in path.parts or any(
                relative.startswith(own) for own in TYPES_THEMSELVES
            ):
                continue
            if switches_on_a_type_name(ast.parse(path.read_text(encoding="utf-8"))):
                switching.add(relative)
    assert switching == set()
