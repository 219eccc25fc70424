"""The areas an "about you" question offers become the council's one list of areas (the Area
snippets consultations are tagged with): each ward, until now a label typed into the question,
points at the Area of that name (made if there is none). Item ids are kept, so stored answers
keep pointing at the same choice. Published pages and every revision are rewritten."""

import json

import wagtail.fields
from django.db import migrations
from django.utils.text import slugify


def about_you_wards(raw_sections):
    """Every ward item of every "about you" question in raw StreamField data."""
    for section in raw_sections or []:
        for question in (section.get("value") or {}).get("questions") or []:
            if question.get("type") == "about_you":
                yield from (question.get("value") or {}).get("wards") or []


def wards_as_areas(raw_sections, area_pk):
    """Point each typed ward at an area (`area_pk(label)`); True if anything changed."""
    changed = False
    for item in about_you_wards(raw_sections):
        if isinstance(item.get("value"), dict):
            item["value"] = area_pk((item["value"].get("label") or "").strip() or "Unnamed area")
            changed = True
    return changed


def wards_as_labels(raw_sections, area_name):
    changed = False
    for item in about_you_wards(raw_sections):
        if isinstance(item.get("value"), int):
            item["value"] = {"label": area_name(item["value"]), "description": ""}
            changed = True
    return changed


def _rewrite(apps, change):
    ConsultationPage = apps.get_model("consultations", "ConsultationPage")
    Revision = apps.get_model("wagtailcore", "Revision")
    ContentType = apps.get_model("contenttypes", "ContentType")
    for pk, questions in ConsultationPage.objects.values_list("pk", "questions"):
        raw = list(questions.raw_data) if hasattr(questions, "raw_data") else questions
        if change(raw):
            ConsultationPage.objects.filter(pk=pk).update(questions=raw)
    page_type = ContentType.objects.filter(app_label="consultations", model="consultationpage")
    for revision in Revision.objects.filter(content_type__in=page_type).iterator():
        stored = (revision.content or {}).get("questions")
        raw = json.loads(stored) if isinstance(stored, str) else stored
        if isinstance(raw, list) and change(raw):
            revision.content["questions"] = json.dumps(raw) if isinstance(stored, str) else raw
            revision.save(update_fields=["content"])


def forwards(apps, schema_editor):
    Area = apps.get_model("consultations", "Area")
    found = {}

    def area_pk(label):
        key = label.casefold()
        if key not in found:
            area = Area.objects.filter(name__iexact=label).first()
            if area is None:
                base = slugify(label)[:70] or "area"
                slug, number = base, 2
                while Area.objects.filter(slug=slug).exists():
                    slug, number = f"{base}-{number}", number + 1
                area = Area.objects.create(name=label[:80], slug=slug)
            found[key] = area.pk
        return found[key]

    _rewrite(apps, lambda raw: wards_as_areas(raw, area_pk))


def backwards(apps, schema_editor):
    names = dict(apps.get_model("consultations", "Area").objects.values_list("pk", "name"))
    _rewrite(apps, lambda raw: wards_as_labels(raw, lambda pk: names.get(pk, "Removed area")))


class Migration(migrations.Migration):
    dependencies = [
        ("consultations", "0014_editors_keep_topics_and_areas"),
    ]

    operations = [
        migrations.AlterField(
            model_name="consultationpage",
            name="questions",
            field=wagtail.fields.StreamField(
                [("section", 31)],
                blank=True,
                block_lookup={
                    0: ("wagtail.blocks.CharBlock", (), {"max_length": 120}),
                    1: ("wagtail.blocks.TextBlock", (), {"required": False}),
                    2: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {"help_text": "The question as residents will read it.", "max_length": 300},
                    ),
                    3: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Hint text shown under the question.",
                            "max_length": 500,
                            "required": False,
                        },
                    ),
                    4: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {
                            "default": True,
                            "help_text": "Residents must answer before moving on.",
                            "required": False,
                        },
                    ),
                    5: ("wagtail.blocks.CharBlock", (), {"max_length": 200}),
                    6: ("wagtail.blocks.CharBlock", (), {"max_length": 300, "required": False}),
                    7: ("wagtail.blocks.StructBlock", [[("label", 5), ("description", 6)]], {}),
                    8: (
                        "wagtail.blocks.ListBlock",
                        (7,),
                        {"label": "Things to rank", "min_num": 2},
                    ),
                    9: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {
                            "help_text": "Leave empty for 'rank all'. Set a number for 'rank your top N'.",
                            "label": "Rank top N only",
                            "min_value": 1,
                            "required": False,
                        },
                    ),
                    10: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("question", 2),
                                ("help_text", 3),
                                ("required", 4),
                                ("items", 8),
                                ("top_n", 9),
                            ]
                        ],
                        {},
                    ),
                    11: ("wagtail.blocks.ListBlock", (7,), {"min_num": 2}),
                    12: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {"label": "Offer 'Other, please specify'", "required": False},
                    ),
                    13: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("question", 2),
                                ("help_text", 3),
                                ("required", 4),
                                ("options", 11),
                                ("allow_other", 12),
                            ]
                        ],
                        {},
                    ),
                    14: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {
                            "help_text": "Leave empty for no limit.",
                            "min_value": 1,
                            "required": False,
                        },
                    ),
                    15: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("question", 2),
                                ("help_text", 3),
                                ("required", 4),
                                ("options", 11),
                                ("max_choices", 14),
                            ]
                        ],
                        {},
                    ),
                    16: (
                        "wagtail.blocks.StructBlock",
                        [[("question", 2), ("help_text", 3), ("required", 4)]],
                        {},
                    ),
                    17: (
                        "wagtail.blocks.IntegerBlock",
                        (),
                        {"default": 1000, "max_value": 10000, "min_value": 10},
                    ),
                    18: (
                        "wagtail.blocks.StructBlock",
                        [[("question", 2), ("help_text", 3), ("required", 4), ("max_length", 17)]],
                        {},
                    ),
                    19: ("wagtail.blocks.DecimalBlock", (), {"required": False}),
                    20: ("wagtail.blocks.BooleanBlock", (), {"default": True, "required": False}),
                    21: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "help_text": "Shown after the box, e.g. 'times a month'.",
                            "max_length": 30,
                            "required": False,
                        },
                    ),
                    22: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("question", 2),
                                ("help_text", 3),
                                ("required", 4),
                                ("min_value", 19),
                                ("max_value", 19),
                                ("whole_number", 20),
                                ("unit", 21),
                            ]
                        ],
                        {},
                    ),
                    23: (
                        "wagtail.blocks.CharBlock",
                        (),
                        {
                            "default": "These questions help us check we have heard from everyone. They are all optional.",
                            "max_length": 500,
                            "required": False,
                        },
                    ),
                    24: (
                        "wagtail.snippets.blocks.SnippetChooserBlock",
                        ("consultations.Area",),
                        {},
                    ),
                    25: (
                        "wagtail.blocks.ListBlock",
                        (24,),
                        {
                            "help_text": "The areas residents choose from: the council's list under Snippets › Areas.",
                            "label": "Areas",
                            "min_num": 1,
                        },
                    ),
                    26: (
                        "wagtail.blocks.BooleanBlock",
                        (),
                        {
                            "default": True,
                            "label": "Ask equality-monitoring questions",
                            "required": False,
                        },
                    ),
                    27: (
                        "wagtail.blocks.StructBlock",
                        [
                            [
                                ("intro", 23),
                                ("wards", 25),
                                ("ask_postcode_district", 20),
                                ("ask_equality", 26),
                            ]
                        ],
                        {},
                    ),
                    28: (
                        "wagtail.snippets.blocks.SnippetChooserBlock",
                        ("budget_simulator.Budget",),
                        {},
                    ),
                    29: (
                        "wagtail.blocks.StructBlock",
                        [[("question", 2), ("help_text", 3), ("required", 4), ("budget", 28)]],
                        {},
                    ),
                    30: (
                        "wagtail.blocks.StreamBlock",
                        [
                            [
                                ("priority_ranking", 10),
                                ("single_choice", 13),
                                ("multiple_choice", 15),
                                ("agreement_scale", 16),
                                ("free_text", 18),
                                ("number", 22),
                                ("about_you", 27),
                                ("budget_simulator", 29),
                            ]
                        ],
                        {"min_num": 1},
                    ),
                    31: (
                        "wagtail.blocks.StructBlock",
                        [[("title", 0), ("introduction", 1), ("questions", 30)]],
                        {},
                    ),
                },
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
