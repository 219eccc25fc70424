"""The personal-data flagger on a labelled set of comments: precision, recall and the misses.

tests/data/labelled_comments.csv holds realistic consultation comments, each labelled by hand
with whether it holds personal data (and of which kind). A comment counts as flagged when the
flagger finds any personal-data flag in it; abuse is not personal data. Targets (issue 15): recall
at least 0.9 (a moderator bulk-approving is warned about nine in ten comments that need a look)
and precision at least 0.85 (the warning is worth reading). Plain Python, no database.
Figures go in docs/flagger.md.
"""

import csv
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELLED_COMMENTS = ROOT / "tests" / "data" / "labelled_comments.csv"
TARGET_RECALL = 0.9
TARGET_PRECISION = 0.85
TIMING_ROUNDS = 20


def labelled_comments():
    with LABELLED_COMMENTS.open(encoding="utf-8", newline="") as file:
        return list(csv.DictReader(file))


def main():
    sys.path.insert(0, str(ROOT))
    from consultations.moderation.pii import find_flags, measure

    rows = labelled_comments()
    result = measure((row["text"], row["has_personal_data"] == "yes") for row in rows)
    kinds = Counter(
        kind for row in rows if row["has_personal_data"] == "yes" for kind in row["kind"].split(";")
    )
    with_personal_data = result.true_positives + result.false_negatives
    by_kind = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
    print(f"{len(rows)} comments, {with_personal_data} with personal data (kinds: {by_kind})")
    print(
        f"precision {result.precision:.3f} ({result.true_positives} of "
        f"{result.true_positives + result.false_positives} flagged hold personal data)"
    )
    print(
        f"recall    {result.recall:.3f} ({result.true_positives} of "
        f"{result.true_positives + result.false_negatives} with personal data flagged)"
    )
    print(f"missed ({len(result.missed)}):")
    for text in result.missed:
        print(f"  - {text!r}")
    print(f"flagged without personal data ({len(result.wrongly_flagged)}):")
    for text, found in result.wrongly_flagged:
        print(f"  - {text!r} ({', '.join(found)})")

    started = time.perf_counter()
    for _round in range(TIMING_ROUNDS):
        for row in rows:
            find_flags(row["text"])
    per_comment = (time.perf_counter() - started) / TIMING_ROUNDS / len(rows)
    print(f"speed: {per_comment * 1000:.2f} ms a comment")

    if result.recall < TARGET_RECALL or result.precision < TARGET_PRECISION:
        sys.exit(
            f"Below target: recall {result.recall:.3f} (at least {TARGET_RECALL}), "
            f"precision {result.precision:.3f} (at least {TARGET_PRECISION})"
        )


if __name__ == "__main__":
    main()
