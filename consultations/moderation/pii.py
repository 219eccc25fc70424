"""Flagging residents' free text for moderation: likely personal data and abusive language.

A flag is a prompt for a moderator, not a verdict: each rule aims to catch what residents
actually write while leaving ordinary council talk (years, money, dates, reference numbers,
"5 libraries", "Scunthorpe") alone. Plain Python on plain strings, so it is tested without a
database and runs on every answer before it reaches the moderation queue. docs/flagger.md
gives its precision and recall on a labelled set of comments.

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
  Also capitalised names after a title ("Dr Priya Patel", "Councillor Smith"; not "Dr Martens"
  or "the Mayor"), a relative's name with any age given ("my son Tom Baker, aged 12"), named
  staff ("the receptionist, Sharon,", "a lady called Brenda", "I spoke to Karen") and "Hi, I'm".
- nhs_number: ten digits (3-3-4 or together) whose mod-11 check digit holds, or any ten digits
  after "NHS number"; not after "reference", "account number" and the like.
- ni_number: a National Insurance number with HMRC's prefix rules (QQ 12 34 56 C is not one).
- health: a condition or disability said of the writer or a relative ("my husband has
  dementia", "I have MS", "my cancer diagnosis", "my son is autistic"), special category data;
  health talked about in general ("NHS services", "people with dementia") is not.
- abuse: a word from ABUSIVE_WORDS as a whole word, case-insensitive, seen through simple
  disguises: digits or symbols for letters (sh1t, $hit), masked letters (f*ck), stretched
  letters (fuuuck) and spaced-out letters (f u c k, s.h.i.t). "Dick" and "Cock" capitalised
  are read as a name or a place.
"""

import bisect
import re
from dataclasses import dataclass

KINDS = (
    "email",
    "phone",
    "nhs_number",
    "ni_number",
    "postcode",
    "address",
    "name",
    "health",
    "abuse",
)
PERSONAL_DATA_KINDS = frozenset(KINDS) - {"abuse"}
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


# NHS and National Insurance numbers -------------------------------------------------------------

# Ten digits, as 3-3-4 or run together; the last is a mod-11 check digit, so most ten-digit
# numbers (references, order numbers) are not NHS numbers. After the words "NHS number" the
# check is waived: a resident who mistypes theirs still gave it.
_NHS_NUMBER = re.compile(
    _NOT_INSIDE_A_NUMBER + r"\d{3}(?P<gap>[ \-]?)\d{3}(?P=gap)\d{4}" + _NUMBER_ENDS
)
_NHS_CONTEXT = re.compile(r"(?i:\bNHS[ \t]+(?:number|no\.?|num)[ \t]*(?:is|:)?[ \t]*\(?)$")
# Ten digits the resident says are something else: "reference 4010232137", "account number...".
_OTHER_NUMBER_CONTEXT = re.compile(
    r"(?i:\b(?:ref|reference|account|acc|order|application|case|invoice|policy|tracking"
    r"|customer|claim|complaint)(?:[ \t]+(?:number|no\.?|num))?[ \t]*(?:is|:)?[ \t]*)$"
)


def nhs_check_digit_holds(digits):
    """The NHS mod-11 check: weights 10 down to 2, 11 - remainder, 11 reads 0, 10 is invalid."""
    weights = range(10, 1, -1)
    total = sum(int(digit) * weight for digit, weight in zip(digits[:9], weights, strict=True))
    check = 11 - total % 11
    check = 0 if check == 11 else check
    return check != 10 and check == int(digits[9]) and len(set(digits)) > 1


def _nhs_numbers(text):
    for match in _NHS_NUMBER.finditer(text):
        digits = re.sub(r"\D", "", match[0])
        before = text[max(0, match.start() - 40) : match.start()]
        if _NHS_CONTEXT.search(before):
            yield Flag("nhs_number", match.start(), match.end(), match[0])
        elif nhs_check_digit_holds(digits) and not _OTHER_NUMBER_CONTEXT.search(before):
            yield Flag("nhs_number", match.start(), match.end(), match[0])


# National Insurance: two letters, six digits, A-D. The first letter is never D F I Q U V, the
# second never D F I O Q U V, and BG GB KN NK NT TN ZZ are never issued (so HMRC's own example,
# QQ 12 34 56 C, is not flagged).
_NI_NUMBER = re.compile(
    r"(?<![\w\-])(?!(?i:BG|GB|KN|NK|NT|TN|ZZ))"
    r"(?i:[A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])"
    r"[ \t]?\d{2}[ \t]?\d{2}[ \t]?\d{2}[ \t]?(?i:[A-D])(?![\w\-])"
)


# Names after a title, of family members and of staff --------------------------------------------

_TITLE = re.compile(
    r"(?<![\w'’])(?:Mr|Mrs|Ms|Miss|Mx|Dr|Prof|Professor|Cllr|CLLR|Councillor|Rev|Revd|Reverend"
    r"|Sir|Dame|Mayor)\b\.?(?=[ \t])"
)
# Capitalised words after a title that make a brand, a character or an office, not a person.
_NOT_AFTER_A_TITLE = frozenset(
    {"martens", "marten", "martin's", "who", "pepper", "oetker", "seuss", "kipling", "men"}
    | {"tumble", "blobby", "whippy", "muscle", "sheen", "freeze", "motivator", "bean's"}
    | {"office", "fund", "appeal", "parade", "charity", "award", "awards", "cup", "show"}
)
_RELATIONS = (
    r"sons?|daughters?|child|children|kids?|boy|girl|toddler|baby|twins?|stepson|stepdaughter"
    r"|grandsons?|granddaughters?|grandchild|grandchildren|husband|wife|partner|fianc[eé]e?"
    r"|mum|mom|mother|mother-in-law|dad|father|father-in-law|parents?|nan|nana|gran|granny"
    r"|grandma|grandmother|grandad|grandpa|grandfather|brother|sister|aunt|auntie|uncle"
    r"|nephew|niece|cousin|neighbour|neighbor|neighbours|friend|carer|lodger|tenant"
)
_RELATION = re.compile(
    rf"\b(?i:my|our)[ \t]+(?:(?:\d{{1,2}}|[a-z][\w\-]*)[ \t]+){{0,3}}?(?i:{_RELATIONS})\b"
    r"(?![\-'’])[ \t]*,?"
)
_AGE = re.compile(
    r"[ \t]*(?:,[ \t]*)?(?:\([ \t]*(?:aged[ \t]+|age[ \t]+)?\d{1,2}[ \t]*\)"
    r"|(?<=,)[ \t]*\d{1,2}(?=[ \t]*,)"
    r"|(?i:aged|age|who[ \t]+is|who['’]s|is|now)[ \t]+\d{1,2}\b"
    r"(?:[ \t]+(?i:years?[ \t]+old|yrs?(?:[ \t]+old)?|months?[ \t]+old))?)"
)
# Capitalised words after "my son" that are not his name: "my son, Year 7, ...".
_NOT_A_RELATIVES_NAME = frozenset(
    {"year", "reception", "nursery", "monday", "tuesday", "wednesday", "thursday", "friday"}
    | {"saturday", "sunday", "and", "who", "also", "both", "has", "had", "is", "was", "uses"}
)
_STAFF = (
    r"receptionist|officer|librarian|warden|manager|supervisor|bin[ \t]?man|bin[ \t]?men"
    r"|driver|caretaker|clerk|assistant|adviser|advisor|social[ \t]+worker|attendant"
    r"|inspector|planner|ranger|keeper|cleaner|teacher|head[ \t]?teacher|nurse|doctor|GP"
    r"|porter|operator|handler|agent|member[ \t]+of[ \t]+staff|staff[ \t]+member|employee"
    r"|worker|councillor|lady|man|woman|gentleman|guy|chap|bloke|person|someone|somebody"
    r"|girl|lad|fella|chairman|chair|clerk|mayor|leader|officer[ \t]+in[ \t]+charge"
)
_STAFF_NAMED = re.compile(
    r"\b(?i:the|a|an|your|one[ \t]+of[ \t]+your|one[ \t]+of[ \t]+the|this|that|nice|lovely)"
    rf"[ \t]+(?:[a-z][\w\-]*[ \t]+){{0,2}}?(?i:{_STAFF})"
    r"(?:[ \t]*(?:,|\(|[-–—])[ \t]*|[ \t]+(?:called|named|by[ \t]+the[ \t]+name[ \t]+of)[ \t]+)"
)
_SPOKE_TO = re.compile(
    r"\b(?i:spoke|spoken|speaking|talked|talking)[ \t]+(?i:to|with)\b"
    r"|\b(?i:was|were|been)[ \t]+(?i:told|helped|seen|visited|called)[ \t]+by\b"
    r"|\b(?i:dealt)[ \t]+with\b"
)
_GREETING_INTRODUCTION = re.compile(
    r"(?:^|[.!?\n][ \t]*)(?i:hi|hello|hiya|hey|good[ \t]+(?:morning|afternoon|evening))"
    r"[ \t]*[,!.]?[ \t]*(?:I['’]m|I[ \t]+am|it['’]s|this[ \t]+is)\b"
)
# Names of departments and bodies that follow "spoke to": "spoke to Highways".
_NOT_A_STAFF_NAME = frozenset(
    {"highways", "planning", "housing", "customer", "customers", "services", "environmental"}
    | {"health", "council", "someone", "somebody", "them", "him", "her", "reception", "the"}
    | {"waste", "parking", "licensing", "building", "control", "social", "adult", "children's"}
    | {"citizens", "age", "mind", "shelter", "police", "nhs", "kingsmere", "mp", "councillors"}
)


def _name_from(text, trigger_start, position, refused=frozenset()):
    """A name flag from `trigger_start` (a title) or the name alone, if the words after
    `position` read as a name."""
    start, end, words = _name_after(text, position)
    if not words or words[0].lower() in _NOT_A_FIRST_NAME | refused:
        return None
    if any(word.lower() in _NOT_IN_A_NAME for word in words):
        return None
    start = start if trigger_start is None else trigger_start
    return start, end


def _more_names(text):
    for match in _TITLE.finditer(text):
        found = _name_from(text, match.start(), match.end(), _NOT_AFTER_A_TITLE)
        if found:
            yield Flag("name", found[0], found[1], text[found[0] : found[1]])
    for match in _RELATION.finditer(text):
        found = _name_from(text, None, match.end(), _NOT_A_RELATIVES_NAME)
        if found:
            start, end = found
            age = _AGE.match(text, end)
            end = age.end() if age else end
            yield Flag("name", start, end, text[start:end])
    for pattern in (_STAFF_NAMED, _SPOKE_TO, _GREETING_INTRODUCTION):
        for match in pattern.finditer(text):
            found = _name_from(text, None, match.end(), _NOT_A_STAFF_NAME)
            if found:
                yield Flag("name", found[0], found[1], text[found[0] : found[1]])


# Health ---------------------------------------------------------------------------------------

# Special category data (UK GDPR Art. 9): a condition said of the writer or someone they name
# or are related to. "People with dementia need support" and "NHS services" are not about anyone.
_CONDITIONS = (
    r"dementia|alzheimer['’]?s|cancer|leuka?emia|lymphoma|(?:a[ \t]+)?(?:brain[ \t]+)?tumou?r"
    r"|diabetes|epilepsy|asthma|multiple[ \t]+sclerosis|motor[ \t]+neurone[ \t]+disease"
    r"|parkinson['’]?s|(?:rheumatoid[ \t]+|osteo)?arthritis|fibromyalgia|lupus|crohn['’]?s"
    r"|colitis|depression|anxiety|bipolar(?:[ \t]+disorder)?|schizophrenia|autism|psychosis"
    r"|(?:a[ \t]+)?(?:heart|lung|kidney|liver)[ \t]+(?:condition|disease|failure|problems?)"
    r"|(?:a[ \t]+)?heart[ \t]+attack|(?:a[ \t]+)?stroke|dialysis|chemo(?:therapy)?|radiotherapy"
    r"|long[ \t]+covid|cerebral[ \t]+palsy|spina[ \t]+bifida|down['’]?s[ \t]+syndrome"
    r"|macular[ \t]+degeneration|glaucoma|sight[ \t]+loss|hearing[ \t]+loss"
    r"|(?:a[ \t]+)?(?:learning[ \t]+|physical[ \t]+)?disabilit(?:y|ies)"
    r"|mental[ \t]+health[ \t]+(?:problems?|issues?|conditions?|difficulties)"
    r"|(?:an[ \t]+)?eating[ \t]+disorder|anorexia|bulimia|addiction|alcoholism|sciatica"
    r"|chronic[ \t]+(?:pain|fatigue(?:[ \t]+syndrome)?|illness)|cystic[ \t]+fibrosis"
    r"|sickle[ \t]+cell|(?:a[ \t]+)?(?:bad|dodgy)[ \t]+(?:back|hip|knees?)"
    r"|mobility[ \t]+(?:problems?|issues?)|limited[ \t]+mobility|breathing[ \t]+problems"
    r"|(?:a[ \t]+)?(?:hip|knee)[ \t]+replacement|a[ \t]+blue[ \t]+badge"
    r"|a[ \t]+terminal[ \t]+illness"
    r"|(?-i:MS|ME|MND|COPD|ADHD|PTSD|OCD|HIV|IBS|CFS)"
)
# After a condition, words that make it a service or a cause, not someone's illness.
_NOT_AN_ILLNESS = (
    r"(?![ \t]+(?i:charity|charities|research|centre|center|unit|ward|services?|support|care"
    r"|clinic|screening|nurses?|friendly|caf[eé]|awareness|shop|groups?|funding|team|strategy"
    r"|patients|sufferers|hub|beds?|provision|day|walk|run|appeal|uk|society|association"
    r"|of[ \t]+(?:luck|genius))\b)"
)
_MODIFIERS = (
    r"(?:(?:a|an|the|early|early[- ]onset|late|advanced|severe|mild|terminal|stage[ \t]+\d"
    r"|secondary|breast|bowel|lung|prostate|skin|vascular|chronic|type[ \t]+[12]|long[- ]term"
    r"|serious|clinical|diagnosed|bad|bouts[ \t]+of|a[ \t]+form[ \t]+of|incurable|rare)[ \t]+)*"
)
_PEOPLE = (
    rf"(?:I|(?i:we|he|she)|(?i:my|our)[ \t]+(?:(?:\d{{1,2}}|[a-z][\w\-]*)[ \t]+){{0,2}}?"
    rf"(?i:{_RELATIONS})(?:,?[ \t]+[A-Z][a-z]+(?:,[ \t]*\d{{1,2}},?)?)?)"
)
_HAS = (
    r"(?:[ \t]+(?:also|still|now|recently|just|both))?(?:[ \t]+|['’])"
    r"(?i:have|has|had|ve|s|d|have[ \t]+got|has[ \t]+got|ve[ \t]+got|s[ \t]+got|got"
    r"|suffers?[ \t]+(?:from|with)|suffered[ \t]+(?:from|with)|lives?[ \t]+with"
    r"|(?:am|is|are|m|re|s)[ \t]+(?:living[ \t]+with|recovering[ \t]+from"
    r"|being[ \t]+treated[ \t]+for"
    r"|undergoing|having|on|fighting|battling)"
    r"|(?:was|were|have[ \t]+been|has[ \t]+been|ve[ \t]+been|s[ \t]+been|got|recently[ \t]+been)"
    r"[ \t]+diagnosed[ \t]+with|needs?|developed|survived|beat)"
)
_IS = (
    r"(?:[ \t]+|['’])(?i:am|is|are|m|s|re|was|were|have[ \t]+been|has[ \t]+been|ve[ \t]+been)"
    r"(?:[ \t]+(?i:also|now|both|registered|severely|profoundly|partially|totally))*"
)
_STATES = (
    r"(?i:disabled|blind|deaf|sighted|autistic|diabetic|epileptic|asthmatic|housebound"
    r"|bed[- ]?bound|terminally[ \t]+ill|chronically[ \t]+ill|a[ \t]+wheelchair[ \t]+user"
    r"|wheelchair[- ]bound|in[ \t]+a[ \t]+wheelchair|pregnant|visually[ \t]+impaired"
    r"|hearing[ \t]+impaired|immunocompromised|clinically[ \t]+vulnerable|disabled[ \t]+person)"
)
_HEALTH = re.compile(
    r"(?<![\w'’])(?:"
    # "I have MS", "my husband has dementia", "she was diagnosed with cancer"
    rf"{_PEOPLE}{_HAS}[ \t]+{_MODIFIERS}(?P<had>(?i:{_CONDITIONS}))\b{_NOT_AN_ILLNESS}"
    # "my cancer diagnosis", "my wife's dementia", "since my MS"
    rf"|(?i:my|our|his|her)[ \t]+(?:(?i:{_RELATIONS})['’]s?[ \t]+)?{_MODIFIERS}"
    rf"(?P<owned>(?i:{_CONDITIONS}))\b{_NOT_AN_ILLNESS}"
    # "I am disabled", "my son is autistic"
    rf"|{_PEOPLE}{_IS}[ \t]+(?P<is>{_STATES})\b"
    # "my autistic son", "our disabled daughter"
    rf"|(?i:my|our)[ \t]+(?:(?:\d{{1,2}}|[a-z][\w\-]*)[ \t]+)?"
    rf"(?P<described>{_STATES})[ \t]+(?i:{_RELATIONS})\b"
    # "as a wheelchair user", "as someone with dementia"
    rf"|(?i:as[ \t]+(?:a|an|someone|somebody|a[ \t]+person|a[ \t]+family)[ \t]+)"
    rf"(?P<as>{_STATES}|(?i:with|living[ \t]+with|who[ \t]+has)[ \t]+{_MODIFIERS}"
    rf"(?i:{_CONDITIONS})\b{_NOT_AN_ILLNESS}|(?i:cancer[ \t]+patient|blue[ \t]+badge[ \t]+holder))"
    r")"
)


def _health(text):
    """The condition itself, so a redaction keeps "my husband has [removed]"."""
    for match in _HEALTH.finditer(text):
        group = next(name for name in ("had", "owned", "is", "described", "as") if match[name])
        yield Flag("health", match.start(group), match.end(group), match[group])


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
    yield from _nhs_numbers(text)
    for match in _NI_NUMBER.finditer(text):
        yield Flag("ni_number", match.start(), match.end(), match[0])
    yield from _names(text)
    yield from _more_names(text)
    yield from _health(text)
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


# How well it does -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Measurement:
    """Personal-data flags against a moderator's labels: a comment counts as flagged when any
    personal-data flag is found in it (abuse is not personal data)."""

    true_positives: int
    false_positives: int
    false_negatives: int
    true_negatives: int
    missed: tuple  # texts labelled personal data that were not flagged
    wrongly_flagged: tuple  # (text, kinds) labelled clean that were flagged

    @property
    def precision(self):
        flagged = self.true_positives + self.false_positives
        return self.true_positives / flagged if flagged else 1.0

    @property
    def recall(self):
        labelled = self.true_positives + self.false_negatives
        return self.true_positives / labelled if labelled else 1.0


def measure(labelled, flagger=None):
    """Precision and recall on `labelled`, pairs of (text, has personal data as a bool)."""
    flagger = flagger or find_flags
    counts = {"tp": 0, "fp": 0, "fn": 0, "tn": 0}
    missed, wrongly_flagged = [], []
    for text, has_personal_data in labelled:
        kinds = summary(flag for flag in flagger(text) if flag.kind in PERSONAL_DATA_KINDS)
        if kinds and has_personal_data:
            counts["tp"] += 1
        elif kinds:
            counts["fp"] += 1
            wrongly_flagged.append((text, tuple(kinds)))
        elif has_personal_data:
            counts["fn"] += 1
            missed.append(text)
        else:
            counts["tn"] += 1
    return Measurement(
        counts["tp"],
        counts["fp"],
        counts["fn"],
        counts["tn"],
        tuple(missed),
        tuple(wrongly_flagged),
    )
