"""A consultation's sections and questions written as the StreamField's raw data, with ids that
stay the same each time they are written (uuid5 of a name), so seeding twice changes nothing and
stored answers keep pointing at the same questions. How the demo council and tests write
consultations without the editor."""

import uuid

NAMESPACE = uuid.UUID("6f1c1f0e-2b7a-4a57-9a43-0f4f3c0b7a11")


def stable_id(*names):
    return str(uuid.uuid5(NAMESPACE, "/".join(names)))


def items(key, labels):
    """A ListBlock's items (options, things to rank) from (label, description) pairs."""
    return [
        {
            "type": "item",
            "id": stable_id(key, label),
            "value": {"label": label, "description": description},
        }
        for label, description in labels
    ]


def question(key, kind, text, help_text="", required=True, **extra):
    """A question of the registered type `kind`, with its own fields in `extra`."""
    return {
        "type": kind,
        "id": stable_id(key),
        "value": {"question": text, "help_text": help_text, "required": required, **extra},
    }


def about_you(key, areas):
    """An "about you" question offering `areas` ({name: Area}), with every part asked."""
    return {
        "type": "about_you",
        "id": stable_id(key),
        "value": {
            "intro": (
                "These questions help us check we have heard from everyone. They are all optional."
            ),
            "wards": [
                {"type": "item", "id": stable_id(key + "/wards", name), "value": area.pk}
                for name, area in areas.items()
            ],
            "ask_postcode_district": True,
            "ask_equality": True,
        },
    }


def section(key, title, introduction, questions):
    return {
        "type": "section",
        "id": stable_id(key),
        "value": {"title": title, "introduction": introduction, "questions": questions},
    }
