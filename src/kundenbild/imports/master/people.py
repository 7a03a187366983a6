"""The rows of a people export (an old CRM, Outlook), converted into what the buying
center's service takes.

Only the conversion happens here: the salutation, buying roles, influence and attitude
read from the German or English words people write for them, the e-mail address checked
and lower-cased, lists split; and what a file alone can show to be wrong: an e-mail
address twice, or one person at a customer twice where no e-mail address tells two
apart. Whether the customer exists and who of our staff the `known_by` names are is for
the database step to find out.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

from kundenbild.buying_center.models import (
    Attitude,
    BuyingRoleCode,
    Contact,
    Influence,
    Salutation,
)
from kundenbild.imports.master.cells import Cells, Words, max_lengths
from kundenbild.imports.master.customers import RowProblem
from kundenbild.imports.master.kinds import KindMapping

SALUTATIONS = Words(
    Salutation,
    {
        Salutation.MR: ("herr", "herrn", "hr", "mister"),
        Salutation.MS: ("frau", "fr", "mrs", "miss"),
        Salutation.MX: ("divers",),
    },
)
BUYING_ROLES = Words(
    BuyingRoleCode,
    {
        BuyingRoleCode.INITIATOR: ("initiatorin", "auslöser", "auslöserin"),
        BuyingRoleCode.USER: (
            "anwender", "anwenderin", "nutzer", "nutzerin", "benutzer", "benutzerin",
            "verwender", "end user", "enduser",
        ),
        BuyingRoleCode.INFLUENCER: ("beeinflusser", "beeinflusserin", "einflussnehmer"),
        BuyingRoleCode.DECIDER: (
            "entscheider", "entscheiderin", "entscheidungsträger", "entscheidungsträgerin",
            "decision maker",
        ),
        BuyingRoleCode.BUYER: ("einkäufer", "einkäuferin", "einkauf", "käufer", "purchaser"),
        BuyingRoleCode.GATEKEEPER: (
            "gate keeper", "türsteher", "türsteherin", "informationsselektierer",
            "informationsselektiererin", "pförtner",
        ),
    },
)  # fmt: skip
INFLUENCES = Words(
    Influence,
    {
        Influence.HIGH: ("hoch", "h"),
        Influence.MEDIUM: ("mittel", "m"),
        Influence.LOW: ("gering", "niedrig", "l"),
    },
)
ATTITUDES = Words(
    Attitude,
    {
        Attitude.CHAMPION: ("befürworter", "befürworterin", "fürsprecher", "fürsprecherin"),
        Attitude.SUPPORTER: ("unterstützer", "unterstützerin"),
        Attitude.SCEPTIC: ("skeptiker", "skeptikerin", "skeptic"),
        Attitude.OPPONENT: ("gegner", "gegnerin"),
    },
)
ROLE_SEPARATORS = ",;/|"
NAME_SEPARATORS = ",;"
_MAX_LENGTHS = max_lengths(
    Contact,
    ("title", "first_name", "last_name", "function", "department", "email", "phone", "mobile"),
)


@dataclass(frozen=True)
class PersonRow:
    """One row of the file, converted; `row` is its number in the file (header = 1)."""

    row: int
    customer_number: str
    last_name: str
    first_name: str = ""
    salutation: str = ""  # a Salutation value, or "" where the row does not say
    title: str = ""
    function: str = ""
    department: str = ""
    email: str = ""  # lower case
    phone: str = ""
    mobile: str = ""
    buying_roles: tuple[str, ...] = ()  # BuyingRoleCode values
    influence: str = ""  # an Influence value, or ""
    attitude: str = ""  # an Attitude value, or ""
    known_by: tuple[str, ...] = ()  # user names or e-mails of our staff, resolved later


def convert_people(
    rows: Iterable[tuple[int, Mapping[str, str]]], mapping: KindMapping
) -> tuple[list[PersonRow], list[RowProblem]]:
    """Each row (`(row number, header → cell)`) as a PersonRow, or its problems; then the
    problems only the whole file shows (an e-mail address twice, a person twice)."""
    people: list[PersonRow] = []
    problems: list[RowProblem] = []
    for number, cells in rows:
        converted, found = _convert(number, Cells(cells, mapping.columns))
        problems += found
        if converted is not None:
            people.append(converted)
    problems += _email_twice(people, mapping.columns.get("email", "email"))
    problems += _name_twice(people, mapping.columns.get("last_name", "last_name"))
    return people, problems


def _convert(row: int, cells: Cells) -> tuple[PersonRow | None, list[RowProblem]]:
    problems: list[RowProblem] = []

    def refuse(field: str, message: str) -> None:
        problems.append(RowProblem(row, cells.header(field), cells.text(field), message))

    for field in ("customer_number", "last_name"):
        if not cells.text(field):
            refuse(field, _("is empty"))
    for field, limit in _MAX_LENGTHS.items():
        if len(cells.text(field)) > limit:
            message = _("is longer than %(limit)s characters")
            refuse(field, message % {"limit": limit})
    email = cells.text("email").lower()
    if email and not _is_email(email):
        refuse("email", _("is not an e-mail address"))
    salutation, title = _salutation(cells, refuse)
    roles = _buying_roles(cells.items("buying_roles", ROLE_SEPARATORS), refuse)
    influence = _choice(
        cells,
        "influence",
        INFLUENCES,
        _("is not a level of influence Kundenbild knows; known are: %(known)s"),
        refuse,
    )
    attitude = _choice(
        cells,
        "attitude",
        ATTITUDES,
        _("is not an attitude Kundenbild knows; known are: %(known)s"),
        refuse,
    )
    if problems:
        return None, problems
    return PersonRow(
        row=row,
        customer_number=cells.text("customer_number"),
        last_name=cells.text("last_name"),
        first_name=cells.text("first_name"),
        salutation=salutation,
        title=title,
        function=cells.text("function"),
        department=cells.text("department"),
        email=email,
        phone=cells.text("phone"),
        mobile=cells.text("mobile"),
        buying_roles=roles,
        influence=influence,
        attitude=attitude,
        known_by=cells.items("known_by", NAME_SEPARATORS),
    ), []


def _salutation(cells: Cells, refuse: Callable[[str, str], None]) -> tuple[str, str]:
    """The salutation's value and the title. Many CRMs write the title into the
    salutation ("Herr Dr.", "Frau Prof. Dr."): words with a full stop after the
    salutation serve as the title where the title column is empty."""
    word, *rest = cells.text("salutation").split() or [""]
    value = SALUTATIONS.value_of(word) if word else ""
    if value is None or not all("." in title_word for title_word in rest):
        message = _("is not a salutation Kundenbild knows; known are: %(known)s")
        refuse("salutation", message % {"known": SALUTATIONS.known()})
        return "", ""
    return value, cells.text("title") or " ".join(rest)


def _is_email(text: str) -> bool:
    try:
        validate_email(text)
    except ValidationError:
        return False
    return True


def _buying_roles(words: tuple[str, ...], refuse: Callable[[str, str], None]) -> tuple[str, ...]:
    """The roles a cell lists ("Entscheider, Anwender", "decider; user"), each once; each
    word none names is refused by itself, so the message says which."""
    roles = []
    for word in words:
        role = BUYING_ROLES.value_of(word)
        if role is None:
            message = _("“%(word)s” is not a buying role Kundenbild knows; known are: %(known)s")
            refuse("buying_roles", message % {"word": word, "known": BUYING_ROLES.known()})
        else:
            roles.append(role)
    return tuple(dict.fromkeys(roles))


def _choice(
    cells: Cells, field: str, words: Words, message: str, refuse: Callable[[str, str], None]
) -> str:
    """The value a cell names, "" where it is empty; a word none names is refused with
    `message`, which names the known words (`%(known)s`)."""
    text = cells.text(field)
    value = words.value_of(text) if text else ""
    if value is None:
        refuse(field, message % {"known": words.known()})
    return value or ""


def _email_twice(people: list[PersonRow], header: str) -> list[RowProblem]:
    """Every row after the first that gives an e-mail address already in the file."""
    first: dict[str, int] = {}
    problems = []
    for person in people:
        if not person.email:
            continue
        earlier = first.setdefault(person.email, person.row)
        if earlier != person.row:
            message = _("is in the file twice (first in row %(row)s)") % {"row": earlier}
            problems.append(RowProblem(person.row, header, person.email, message))
    return problems


def _name_twice(people: list[PersonRow], header: str) -> list[RowProblem]:
    """Every row after the first with the same customer number and name, unless both give
    an e-mail address: without one, a row can only be told by its name, and the database
    step would take both rows for one person."""
    first: dict[tuple[str, str, str], PersonRow] = {}
    problems = []
    for person in people:
        key = (person.customer_number, person.first_name.casefold(), person.last_name.casefold())
        earlier = first.setdefault(key, person)
        if earlier is not person and not (earlier.email and person.email):
            message = _(
                "names the same person at this customer as row %(row)s; give each an e-mail "
                "address if they are two people"
            ) % {"row": earlier.row}
            problems.append(RowProblem(person.row, header, person.last_name, message))
    return problems
