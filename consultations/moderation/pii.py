"""Flagging residents' free text for moderation: likely personal data and abusive language.

A flag is a prompt for a moderator, not a verdict: each rule aims to catch what residents
actually write while leaving ordinary council talk (years, money, dates, reference numbers,
"5 libraries", "Scunthorpe") alone. Plain Python on plain strings, so it is tested without a
database and runs on every answer before it reaches the moderation queue.

What counts:
- email: an address, also the "jane(at)example(dot)com" spelling.
- phone: a UK number of the right length, national (01/02/03/05/07/08/09) or +44/0044, with
  spaces, hyphens, dots or brackets. Years, money, percentages, dates and references are not.
- postcode: a full UK postcode (outward and inward code, any case, with or without the space).
  A district alone ("KM1") names thousands of homes, so it is not flagged.
- address: a house number, one to three name words and a street word ("14a Mill Lane"), with an
  optional "flat 3," in front. Ambiguous street words (Close, Drive, Park, Hill...) only count
  when capitalised.
- name: capitalised words after "my name is", "name's", "Name:", "I am called", "I'm called",
  a sign-off ("Kind regards,"), a closing "Thanks," or "Cheers," when the name ends the line,
  or "this is" (which needs a forename and a surname). After "my name is", "name's" and
  "Name:", where a resident says outright what their name is, names typed in lower case count
  too ("my name is ann smith and..."), up to a word that cannot be part of a name ("and",
  "not", "withheld"...). Lower-case names after the other triggers are missed.
- abuse: a word from ABUSIVE_WORDS as a whole word, case-insensitive, seen through simple
  disguises: digits or symbols for letters (sh1t, $hit), masked letters (f*ck), stretched
  letters (fuuuck) and spaced-out letters (f u c k, s.h.i.t). "Dick" and "Cock" capitalised
  are read as a name or a place.
"""

import bisect
import re
from dataclasses import dataclass

KINDS = ("email", "phone", "postcode", "address", "name", "abuse")
PERSONAL_DATA_KINDS = frozenset({"email", "phone", "postcode", "address", "name"})
_KIND_ORDER = {kind: position for position, kind in enumerate(KINDS)}


@dataclass(frozen=True, slots=True)
class Flag:
    kind: str
    start: int
    end: int
    text: str


# Email ----------------------------------------------------------------------------------------

_AT = r"(?:@|[ \t]*[(\[][ \t]*at[ \t]*[)\]][ \t]*)"
_DOT = r"(?:\.|[ \t]*[(\[][ \t]*dot[ \t]*[)\]][ \t]*)"
_EMAIL = re.compile(
    rf"(?<![\w.%+\-])[\w.%+\-]+{_AT}[\w\-]+(?:{_DOT}[\w\-]+)*{_DOT}[A-Za-z]{{2,}}(?![\w\-])",
    re.IGNORECASE,
)


# Phone ----------------------------------------------------------------------------------------

# Between two digits: nothing, one space, hyphen or dot, or a closing bracket and a space.
_GAP = r"(?:[ \-.]|\)[ ]?)?"
_NOT_INSIDE_A_NUMBER = r"(?<![\w£$€.,/+\-])"
_NUMBER_ENDS = r"(?![\-.]?\d)(?![\w%])"
_PHONE = re.compile(
    _NOT_INSIDE_A_NUMBER
    + r"(?:"
    + rf"(?:\+|00[ ]?)44[ ]?(?:\(0\)[ ]?)?[1-35789](?:{_GAP}\d){{8,9}}"
    + r"|"
    + rf"\(?0[1-35789](?:{_GAP}\d){{8,9}}"
    + r")"
    + _NUMBER_ENDS
)
# Digits in a valid national number, by the digit after the leading 0.
_PHONE_LENGTHS = {
    "1": (10, 11),
    "2": (11,),
    "3": (11,),
    "5": (10, 11),
    "7": (11,),
    "8": (10, 11),
    "9": (11,),
}
_DATE_SHAPE = re.compile(r"\(?(\d{2})[ .\-](\d{2})[ .\-](?:19|20)\d{2}(?!\d)")


def _is_phone_number(candidate):
    digits = re.sub(r"\D", "", candidate)
    if candidate.startswith(("+", "00")):
        digits = digits[4:] if digits.startswith("0044") else digits[2:]
        if not digits.startswith("0"):
            digits = "0" + digits
    date = _DATE_SHAPE.match(candidate)
    if date and 1 <= int(date[1]) <= 31 and 1 <= int(date[2]) <= 12:
        return False
    return len(digits) in _PHONE_LENGTHS.get(digits[1:2], ())


# Postcode -------------------------------------------------------------------------------------

_OUTWARD = (
    r"(?:[A-PR-UWYZ][A-HK-Y][0-9][ABEHMNPRVWXY]"  # EC1A
    r"|[A-PR-UWYZ][0-9][A-HJKPSTUW]"  # W1A
    r"|[A-PR-UWYZ][A-HK-Y][0-9]{1,2}"  # SW1, KM12
    r"|[A-PR-UWYZ][0-9]{1,2})"  # M1, B33
)
_INWARD = r"[0-9][ABD-HJLNP-UW-Z]{2}"
_POSTCODE = re.compile(
    rf"(?<![\w\-])(?:GIR[ \t]*0AA|{_OUTWARD}[ \t]*{_INWARD})(?![\w\-])",
    re.IGNORECASE,
)


# Address --------------------------------------------------------------------------------------

# Street words that are rarely anything else: any case.
_STREET_WORDS = (
    "street|st|road|rd|avenue|ave|lane|ln|crescent|cres|gardens|gdns|terrace|tce|mews|grove"
    "|boulevard"
)
# Street words that are also ordinary words ("a short walk", "the car park"): capitalised only.
_CAPITALISED_STREET_WORDS = (
    "Close|Drive|Dr|Way|Court|Ct|Place|Pl|Hill|Row|Walk|Square|Sq|Rise|Vale|Green|Park|View"
    "|Parade|Wharf|Meadows|Gate|Yard"
)
# Words that cannot be part of a street's name, so "2 miles down the road" is not an address.
# ("the" only in lower case: "12 The Green" is an address.)
_NOT_STREET_NAME = (
    "a|an|of|on|in|at|to|by|for|from|and|or|but|with|down|up|along|across|off|into|onto"
    "|near|per|more|less|other|extra|is|are|was|were|be|i|we|you|my|our|your|their|his|her|its"
    "|minutes?|mins?|hours?|hrs?|days?|weeks?|months?|years?|miles?|metres?|meters?|km|mph"
    "|yards?|feet|foot|times|people|cars?|buses|houses|homes|way"
)
_LOWERCASE_STREET_WORDS = "|".join(
    word.lower()
    for word in f"{_STREET_WORDS}|{_CAPITALISED_STREET_WORDS}".split("|")
    if word.lower() != "st"  # "st marys road": lowercase st is usually Saint
)
_STREET_NAME_WORD = (
    rf"(?!(?i:{_NOT_STREET_NAME})\b)(?!(?:the|{_LOWERCASE_STREET_WORDS})\b)[^\W\d_][\w'’\-]*\.?"
)
_HOUSE_NUMBER = r"\d{1,4}[A-Za-z]?(?:[ \t]*[-–][ \t]*\d{1,4}[A-Za-z]?)?"
_FLAT = r"(?:(?i:flat|apartment|apt|unit)\.?[ \t]+\d{1,4}[A-Za-z]?[ \t]*,?[ \t]*)?"
_ADDRESS = re.compile(
    _NOT_INSIDE_A_NUMBER
    + _FLAT
    + rf"{_HOUSE_NUMBER}\b[ \t]*,?[ \t]*"
    + rf"(?:{_STREET_NAME_WORD}[ \t]+){{1,3}}"
    + rf"(?:(?i:{_STREET_WORDS})|{_CAPITALISED_STREET_WORDS})\b"
)


# Name -----------------------------------------------------------------------------------------

_NAME_TRIGGER = re.compile(
    r"(?i:"
    r"(?P<told>\bname(?:[ \t]+is|['’]s)\b[ \t]*:?"
    r"|\b(?:full[ \t]+|first[ \t]+|last[ \t]+|sur)?name[ \t]*:"
    r"|\bI(?:[ \t]+am|['’]m)[ \t]+called\b)"
    r"|(?P<signed>\b(?:kind[ \t]+|best[ \t]+|warm[ \t]+)?regards"
    r"|\b(?:yours[ \t]+)?(?:sincerely|faithfully)|\bbest[ \t]+wishes)\b[ \t]*[,:]?[ \t]*\r?\n?"
    r"|(?P<closing>\b(?:(?:many[ \t]+)?thanks|thank[ \t]+you|cheers)\b[ \t]*[,:!.]?[ \t]*\r?\n?)"
    r"|(?P<introduced>\bthis[ \t]+is\b)"
    r")"
)
# After a name given with "Thanks," or "Cheers,": the end of the line, so it is a sign-off.
_LINE_ENDS = re.compile(r"[ \t]*[.!]?[ \t]*(?:\r?\n|$)")
_FIRST_NAME_WORD = re.compile(r"[ \t]*([^\W\d_](?:[\w'’\-]*[^\W\d_])?)(\.?)")
_NEXT_NAME_WORD = re.compile(r"[ \t]+([^\W\d_](?:[\w'’\-]*[^\W\d_])?)(\.?)")
_TITLES = frozenset({"mr", "mrs", "ms", "miss", "mx", "dr", "prof", "rev", "sir", "dame"})
# Capitalised words that start a sentence rather than a name: "This is Not on", "This is The end".
_NOT_A_FIRST_NAME = frozenset(
    {"the", "an", "i", "it", "not", "this", "that", "what", "why", "how", "our", "my", "your"}
    | {"we", "they", "he", "she", "very", "just", "really", "so", "absolutely", "totally"}
)
# Words that make a capitalised run a place or body, not a person: "this is Kent County Council".
_NOT_IN_A_NAME = frozenset(
    {"council", "county", "borough", "district", "parish", "government", "party", "street"}
    | {"road", "avenue", "lane", "park", "library", "libraries", "school", "hospital", "centre"}
    | {"town", "city", "hall", "consultation", "budget", "ward", "committee"}
)


# Words that end (or rule out) a name typed in lower case: "my name is ann smith and I...",
# "my name is irrelevant". Those of _NOT_A_FIRST_NAME count too.
_NOT_IN_A_LOWER_CASE_NAME = _NOT_A_FIRST_NAME | frozenset(
    {"and", "or", "but", "a", "is", "was", "am", "are", "be", "been", "being", "from", "in"}
    | {"on", "at", "of", "to", "for", "with", "by", "as", "if", "because", "who", "which"}
    | {"live", "lives", "living", "here", "there", "also", "too", "no", "none", "n/a"}
    | {"irrelevant", "unimportant", "withheld", "private", "anonymous", "unknown", "secret"}
    | {"his", "her", "their", "you", "me", "have", "has", "had", "will", "would"}
    | {"can", "could", "should", "do", "did", "same", "nothing", "important"}
)


def _capitalised(word):
    return word[0].isupper() and (len(word) == 1 or not word.isupper())


def _may_be_in_a_name(word, any_case):
    if _capitalised(word):
        return True
    return any_case and len(word) > 1 and word.islower() and word not in _NOT_IN_A_LOWER_CASE_NAME


def _name_after(text, position, any_case=False):
    """(start, end, words) of the capitalised words from `position`, stopping at a full stop.
    With `any_case`, lower-case words count too, up to one that cannot be part of a name."""
    words, start, end = [], None, position
    pattern = _FIRST_NAME_WORD
    while len(words) < 4:
        match = pattern.match(text, end)
        if not match or not _may_be_in_a_name(match[1], any_case):
            break
        word, full_stop = match[1], match[2]
        words.append(word)
        start = match.start(1) if start is None else start
        end = match.end(1)
        if full_stop and (len(word) == 1 or word.lower() in _TITLES):
            end = match.end(2)  # "J. Smith", "Dr. Jones"
        elif full_stop:
            break  # the end of a sentence
        pattern = _NEXT_NAME_WORD
    return start, end, words


def _names(text):
    for trigger in _NAME_TRIGGER.finditer(text):
        # Lower case only after the word "name": "I'm called back" is not a name.
        any_case = bool(trigger["told"]) and "name" in trigger["told"].lower()
        start, end, words = _name_after(text, trigger.end(), any_case=any_case)
        if not words or words[0].lower() in _NOT_A_FIRST_NAME:
            continue
        if any(word.lower() in _NOT_IN_A_NAME for word in words):
            continue
        if trigger["introduced"] and len(words) < 2:
            continue
        if trigger["closing"] and not _LINE_ENDS.match(text, end):
            continue  # "Thanks, Jane" signs off; "Thanks Labour for nothing" does not
        yield Flag("name", start, end, text[start:end])


# Abuse ----------------------------------------------------------------------------------------

# Whole words only, every form listed, so "Scunthorpe", "cocktail" and "analysis" stay clean.
# Words with a common innocent sense ("dyke", "knob", "slag", "fag") are left out.
ABUSIVE_WORDS = frozenset(
    {
        # Swearing
        "fuck", "fucks", "fucked", "fucker", "fuckers", "fucking", "fuckin", "fuckwit",
        "fuckwits", "motherfucker", "motherfuckers", "shit", "shits", "shite", "shitty",
        "shithead", "shitheads", "bullshit", "dipshit", "cunt", "cunts", "twat", "twats",
        "bitch", "bitches", "bitching", "bastard", "bastards", "bollocks", "arse", "arsehole",
        "arseholes", "asshole", "assholes", "wanker", "wankers", "wank", "tosser", "tossers",
        "dick", "dicks", "dickhead", "dickheads", "cock", "cocks", "knobhead", "knobheads",
        "bellend", "bellends", "prick", "pricks", "piss", "pissing", "crap", "slut", "sluts",
        "whore", "whores",
        # Insults
        "idiot", "idiots", "moron", "morons", "cretin", "cretins", "imbecile", "imbeciles",
        "scum", "scumbag", "scumbags", "nonce", "nonces", "paedo", "paedos", "pedo", "pedos",
        # Slurs
        "nigger", "niggers", "nigga", "niggas", "paki", "pakis", "chink", "chinks", "kike",
        "kikes", "wog", "wogs", "spic", "spics", "gook", "gooks", "gyppo", "gyppos", "gypo",
        "pikey", "pikeys", "faggot", "faggots", "poof", "poofs", "poofter", "tranny",
        "trannies", "retard", "retards", "retarded", "spastic", "spastics", "spaz", "mong",
        "mongs", "bollox",
    }
)  # fmt: skip

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t"})
_LEET_SYMBOLS = str.maketrans({"@": "a", "$": "s", "!": "i", "|": "i"})
_MASKS = "*#"
_TOKEN = re.compile(r"(?<![\w@$])[A-Za-z0-9@$][A-Za-z0-9@$!|*#]*")
# Letters spaced out to dodge a filter: "f u c k", "s.h.i.t", "c-u-n-t" (the same gap each time).
_SPACED_OUT = re.compile(
    r"(?<![\w@$*])[A-Za-z0-9@$*](?P<gap>[ .\-_])[A-Za-z0-9@$*]"
    r"(?:(?P=gap)[A-Za-z0-9@$*])+(?![\w@$*])"
)
_LETTER_RUN = re.compile(r"(.)\1*", re.DOTALL)
# Abusive in lower case, but a name or a place capitalised: "Dick Turpin", "Cock Lane".
_NAMES_TOO = frozenset({"dick", "dicks", "cock", "cocks"})


def _runs(word):
    """("f", 1), ("u", 3), ... so "fuuuck" and "fuck" compare letter by letter."""
    return tuple((run[1], len(run[0])) for run in _LETTER_RUN.finditer(word))


def _is_abusive_word(word):
    """An abusive word, perhaps with letters repeated: "fuuuck" and "bolllocks", not "Gok"."""
    runs = _runs(word)
    letters = "".join(letter for letter, _count in runs)
    return any(
        all(count >= least for (_letter, count), (_same, least) in zip(runs, abusive, strict=True))
        for abusive in _ABUSIVE_RUNS_BY_LETTERS.get(letters, ())
    )


_ABUSIVE_RUNS_BY_LETTERS = {}
_ABUSIVE_WORDS_BY_LENGTH = {}
for _word in sorted(ABUSIVE_WORDS):
    _runs_of_word = _runs(_word)
    _letters = "".join(letter for letter, _count in _runs_of_word)
    _ABUSIVE_RUNS_BY_LETTERS.setdefault(_letters, []).append(_runs_of_word)
    _ABUSIVE_WORDS_BY_LENGTH.setdefault(len(_word), []).append(_word)


def _masked_match(word):
    pattern = re.compile("".join("." if char in _MASKS else re.escape(char) for char in word))
    return any(pattern.fullmatch(w) for w in _ABUSIVE_WORDS_BY_LENGTH.get(len(word), ()))


def _is_abusive(token):
    word = token.lower().translate(_LEET).translate(_LEET_SYMBOLS)
    if not any(char.isalpha() for char in word):
        return False
    readings = {word, word.replace("v", "u")}  # fvck
    for reading in readings:
        if _is_abusive_word(reading):
            return True
        masked = any(char in _MASKS for char in reading)
        if masked and len(reading) >= 3 and _masked_match(reading):
            return True
    return False


def _abuse(text):
    for token in _TOKEN.finditer(text):
        start, end = token.span()
        while end > start and text[end - 1] in "!|":
            end -= 1  # "shit!" is shit, not sh-i-t-i
        word = text[start:end]
        if word.istitle() and word.lower() in _NAMES_TOO:
            continue
        if _is_abusive(word):
            yield Flag("abuse", start, end, word)
    for match in _SPACED_OUT.finditer(text):
        if _is_abusive(match[0].replace(match["gap"], "")):
            yield Flag("abuse", match.start(), match.end(), match[0])


# Putting it together ---------------------------------------------------------------------------


def _candidates(text):
    for match in _EMAIL.finditer(text):
        yield Flag("email", match.start(), match.end(), match[0])
    for match in _PHONE.finditer(text):
        start, found = match.start(), match[0]
        if found.startswith("(") and ")" not in found:
            start, found = start + 1, found[1:]  # "(07700 900123)": the bracket is not ours
        if _is_phone_number(found):
            yield Flag("phone", start, match.end(), found)
    for match in _POSTCODE.finditer(text):
        yield Flag("postcode", match.start(), match.end(), match[0])
    for match in _ADDRESS.finditer(text):
        yield Flag("address", match.start(), match.end(), match[0])
    yield from _names(text)
    yield from _abuse(text)


def find_flags(text):
    """Every flag in `text`, in reading order, none overlapping.

    Where matches overlap the longest wins, then the earliest, then the kind listed first in
    KINDS, so the same text always gives the same flags.
    """
    if not text:
        return []
    ranked = sorted(
        _candidates(text),
        key=lambda flag: (flag.start - flag.end, flag.start, _KIND_ORDER[flag.kind]),
    )
    starts, kept = [], []
    for flag in ranked:
        position = bisect.bisect_left(starts, flag.start)
        if position > 0 and kept[position - 1].end > flag.start:
            continue
        if position < len(starts) and starts[position] < flag.end:
            continue
        starts.insert(position, flag.start)
        kept.insert(position, flag)
    return kept


def highlight(text, flags):
    """`text` cut into (segment, kind) pairs, kind None where unflagged; joined they give `text`.

    Flags that overlap one already placed are cut short, so any list of flags is safe to pass.
    """
    segments = []
    position = 0
    for flag in sorted(flags, key=lambda flag: (flag.start, flag.end)):
        start, end = max(flag.start, position), min(flag.end, len(text))
        if start >= end:
            continue
        if start > position:
            segments.append((text[position:start], None))
        segments.append((text[start:end], flag.kind))
        position = end
    if position < len(text):
        segments.append((text[position:], None))
    return segments


def summary(flags):
    """The kinds found, sorted, for a filter column: ["email", "phone"]."""
    return sorted({flag.kind for flag in flags})
