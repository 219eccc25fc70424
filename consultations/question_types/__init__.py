"""The question types a consultation can ask, in the order officers are offered them.

Each type is one class (a Wagtail StructBlock fulfilling `base.QuestionType`) in a module of its
own: consultations' own types in this package, the budget simulator in its app. Settings list
them (`QUESTION_TYPES`, dotted paths), so a type registers itself by being named there and
nothing here imports another app (docs/decisions/0009-one-unit-per-question-type.md).
"""

from functools import cache

from django.conf import settings
from django.utils.module_loading import import_string


@cache
def question_types():
    """[(type name, block class)] for every registered type, in the settings' order."""
    classes = [import_string(path) for path in settings.QUESTION_TYPES]
    names = [cls.type_name for cls in classes]
    if None in names or len(set(names)) != len(names):
        raise ValueError(f"Each question type needs a type_name of its own: {names}")
    return [(cls.type_name, cls) for cls in classes]


def question_type(name):
    """The registered type called `name` (a results dictionary names its questions' types), or
    None for a type no longer registered."""
    return dict(question_types()).get(name)
