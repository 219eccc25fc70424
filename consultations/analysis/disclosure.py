"""Which counts to hide so that no small group of residents can be found out (decision 0005).

Every count published together for a consultation is a cell of one `Disclosure`, and every
way a reader could relate published figures (a total, "the same count in another table", "no
more than") is a linear equation between cells. Hiding is then one pass over all of them:
cells counting from 1 to SMALLEST_CELL - 1 residents are hidden, and more cells are hidden
until no hidden cell can be worked out exactly from what is shown. Plain Python, no database:
the rules are tested on their own.
"""

from fractions import Fraction

# Cells counting fewer residents than this (and more than none) are hidden.
SMALLEST_CELL = 10


class Disclosure:
    """Cells (a key and the true count), how they relate, and which of them may be hidden.

    A cell is *sensitive* when it counts residents in a group defined by where they live or
    an "about you" answer; *always shown* when it is published whatever happens (the number of
    responses); *unpublished* when readers never see it but can reason about it (a slack: how
    many more residents answered a part than chose one of its answers). An inequality
    `a <= b` is written as the equation `a + slack = b` with an unpublished slack, never
    negative, so every relation is an equation. A cell *taken as known* is not published but
    treated as if it were, to be safe (how many residents gave no answer to a question and no
    area). A *free* cell may be below zero (a difference of two counts).
    """

    def __init__(self):
        self.values = {}
        self.sensitive = set()
        self.always_shown = set()
        self.unpublished = set()
        self.taken_as_known = set()
        self.free = set()
        self.equations = []

    def cell(
        self,
        key,
        value,
        *,
        sensitive=False,
        always_shown=False,
        unpublished=False,
        taken_as_known=False,
        free=False,
    ):
        """Add a cell (once: a count shared by two tables is one cell)."""
        if key in self.values:
            if self.values[key] != value:
                raise ValueError(f"{key!r} is published as {self.values[key]} and {value}")
            return key
        self.values[key] = value
        if sensitive:
            self.sensitive.add(key)
        if always_shown:
            self.always_shown.add(key)
        if unpublished:
            self.unpublished.add(key)
        if taken_as_known:
            self.taken_as_known.add(key)
        if free:
            self.free.add(key)
        return key

    def total(self, parts, whole):
        """The cells `parts` add up to the cell `whole`."""
        self.equation({**dict.fromkeys(parts, 1), whole: -1})

    def at_most(self, part, whole, slack_key):
        """`part` is never more than `whole`: part + slack = whole, the slack unpublished."""
        slack = self.cell(slack_key, self.values[whole] - self.values[part], unpublished=True)
        self.equation({part: 1, slack: 1, whole: -1})

    def equation(self, coefficients):
        terms = {key: Fraction(value) for key, value in coefficients.items() if value}
        if sum(terms[key] * self.values[key] for key in terms) != 0:
            raise ValueError(f"The counts do not satisfy {terms!r}")
        self.equations.append(terms)

    def primary(self):
        """The sensitive cells hidden for their own sake: 1 to SMALLEST_CELL - 1 residents.

        A zero is shown: it says nobody is in the group, which identifies nobody.
        """
        return {key for key in self.sensitive if 0 < self.values[key] < SMALLEST_CELL}

    def hidden(self, already_hidden=(), may_hide=None):
        """The published cells to hide: primary ones, then more until none can be worked out.

        `already_hidden` are hidden whatever happens (another table's decision); only cells in
        `may_hide` (default: every cell not always shown) are hidden to protect others. A count
        that follows from the figures always shown even with everything else hidden is shown:
        hiding it would protect nobody. Where no cell is left to protect a hidden one, every
        cell in `may_hide` is hidden.
        """
        allowed = set(self.values) - self.always_shown - self.unpublished - self.taken_as_known
        if may_hide is not None:
            allowed &= set(may_hide)
        fixed = set(self.unpublished) | set(already_hidden)
        given_away = self.pinned(fixed | allowed | self.taken_as_known)
        allowed -= given_away
        hidden = fixed | (self.primary() & allowed)
        while True:
            exposed = self.determined(hidden) - given_away
            if not exposed:
                return hidden - self.unpublished
            added = set()
            for key in sorted(exposed, key=repr):
                partner = self.partner_for(key, hidden | added, allowed)
                if partner is not None:
                    added.add(partner)
            if not added:
                return (hidden | allowed) - self.unpublished
            hidden |= added

    def partner_for(self, key, hidden, allowed):
        """A shown cell to hide with `key`: from the equation of `key` with fewest hidden cells,
        the smallest count above zero (a zero only when nothing else is left)."""
        ranked = sorted(
            (eq for eq in self.equations if key in eq),
            key=lambda eq: sum(1 for cell in eq if cell in hidden),
        )
        for equation in ranked:
            candidates = [cell for cell in equation if cell not in hidden and cell in allowed]
            if candidates:
                return min(candidates, key=lambda c: (self.values[c] == 0, self.values[c], repr(c)))
        return None

    def pinned(self, hidden):
        """The hidden cells whose count certainly follows from the shown ones: by the equations
        alone, or as zeros in an equation of zeros that cannot go below zero (the equations as
        given, and as combined by elimination, cells that may move either way eliminated
        first)."""
        known = set()
        while True:
            unknown = hidden - known
            columns = sorted(unknown, key=lambda key: (self.sign_bound(key), repr(key)))
            rows = self.restricted(unknown)
            found = set()
            for row in [*rows, *(row for _column, row in reduced(rows, columns))]:
                signs = {value > 0 for value in row.values()}
                if row and len(signs) == 1 and all(self.sign_bound(key) for key in row):
                    found |= set(row)
            if not found:
                basis = null_space(rows, columns)
                moving = {key for vector in basis for key in vector}
                found = {key for key in columns if key not in moving}
            if not found:
                return known
            known |= found

    def sign_bound(self, key):
        """Whether the cell is a zero that cannot go below zero."""
        return self.values[key] == 0 and key not in self.free

    def restricted(self, hidden):
        """The equations that involve hidden cells, keeping only those cells."""
        return [
            {key: value for key, value in equation.items() if key in hidden}
            for equation in self.equations
            if any(key in hidden for key in equation)
        ]

    def determined(self, hidden):
        """The hidden, published cells whose count follows from the shown ones.

        A hidden cell is safe when the counts can move along some direction that keeps every
        equation true, leaves shown cells alone, raises no zero below zero and changes that
        cell. Directions are taken from a basis of the equations' null space, each either way
        round: a cell no basis direction can move is reported, which may hide more than is
        strictly needed, never less.
        """
        columns = sorted(hidden, key=repr)
        zeros = {key for key in columns if self.values[key] == 0 and key not in self.free}
        basis = null_space(self.restricted(hidden), columns)
        moving = set()
        for vector in basis:
            for direction in (vector, {key: -value for key, value in vector.items()}):
                if all(direction.get(key, 0) >= 0 for key in zeros):
                    moving |= set(direction)
        return {key for key in columns if key not in moving and key not in self.unpublished}


def null_space(rows, columns):
    """A basis of {x : row . x = 0 for every row}, each vector a sparse {column: Fraction}.

    Exact Gauss-Jordan elimination over fractions (the tables are small, and floating point
    could call a cell free when it is not).
    """
    pivots = reduced(rows, columns)
    pivot_columns = {column for column, _row in pivots}
    basis = []
    for free in columns:
        if free in pivot_columns:
            continue
        vector = {free: Fraction(1)}
        for column, row in pivots:
            if free in row:
                vector[column] = -row[free]
        basis.append(vector)
    return basis


def reduced(rows, columns):
    """The rows in reduced row echelon form, as (pivot column, row), pivots taken in the order
    of `columns`."""
    position = {column: index for index, column in enumerate(columns)}
    pivots = []  # (column, row) with the row scaled so the column's coefficient is 1
    for row in rows:
        row = dict(row)
        for column, pivot_row in pivots:
            factor = row.get(column)
            if factor:
                for key, value in pivot_row.items():
                    updated = row.get(key, 0) - factor * value
                    if updated:
                        row[key] = updated
                    else:
                        row.pop(key, None)
        if not row:
            continue
        column = min(row, key=position.__getitem__)
        scale = row[column]
        row = {key: value / scale for key, value in row.items()}
        for index, (other, other_row) in enumerate(pivots):
            factor = other_row.get(column)
            if factor:
                updated = dict(other_row)
                for key, value in row.items():
                    new = updated.get(key, 0) - factor * value
                    if new:
                        updated[key] = new
                    else:
                        updated.pop(key, None)
                pivots[index] = (other, updated)
        pivots.append((column, row))
    return pivots
