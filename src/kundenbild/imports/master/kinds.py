"""The three kinds of master-data file, their fields, and the headers German and English
ERPs and CRMs give them.

A header is matched after `normalise_header` (lower case, umlauts folded, everything but
letters and digits dropped; "ß" is dropped too, so "Straße" is "strae"). Within a kind a
normalised header names one field only; a saved mapping (`field → header`) wins over the
guess, as for the sales lines.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from kundenbild.analytics.io.columns import normalise_header


@dataclass(frozen=True)
class Kind:
    """One kind of master-data file: what it must have, what it may have, how it is named."""

    name: str
    required: tuple[str, ...]
    known_headers: Mapping[str, tuple[str, ...]]  # field → normalised headers; order = fields

    @property
    def fields(self) -> tuple[str, ...]:
        return tuple(self.known_headers)

    def field_of(self, header: str) -> str | None:
        """The field a header names by its known spellings, if any."""
        wanted = normalise_header(header)
        return next((f for f, known in self.known_headers.items() if wanted in known), None)


@dataclass(frozen=True)
class KindMapping:
    """Which header of the file holds which field of `kind` (`field → header`)."""

    kind: Kind
    columns: Mapping[str, str]

    def missing_required(self) -> list[str]:
        return [f for f in self.kind.required if f not in self.columns]


def guess_mapping(
    kind: Kind, headers: Sequence[str], saved: Mapping[str, str] | None = None
) -> KindMapping:
    """Map headers by their known names; a saved mapping wins, and a field it maps to ""
    is left out (the user said the file does not hold it). A header serves one field,
    and the first header of a field wins."""
    columns = {f: h for f, h in (saved or {}).items() if f in kind.fields and h in headers}
    left_out = {f for f, h in (saved or {}).items() if h == ""}
    taken = set(columns.values())
    for header in headers:
        field = kind.field_of(header)
        if field and field not in columns and field not in left_out and header not in taken:
            columns[field] = header
            taken.add(header)
    return KindMapping(kind, columns)


def _address(prefixes: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    """Street, postal code, city and country of an address whose headers start with one
    of `prefixes` (Lieferstraße, Rechnungs-PLZ, Delivery city, Bill-to country, …)."""
    parts = {
        "street": ("strasse", "strae", "str", "street", "adresse", "address"),
        "postal_code": ("plz", "postleitzahl", "postalcode", "zip", "zipcode", "postcode"),
        "city": ("ort", "stadt", "city", "town"),
        "country": ("land", "country", "countrycode"),
    }
    return {
        part: tuple(prefix + word for prefix in prefixes for word in words)
        for part, words in parts.items()
    }


_HEADQUARTERS = _address(("",))
_DELIVERY = _address(("liefer", "lieferadresse", "lieferanschrift", "delivery", "shipto"))
_BILLING = _address(("rechnungs", "rechnungsadresse", "rechnungsanschrift", "billing", "billto"))

_CUSTOMER_NUMBER = (
    "debitor", "debitornr", "debitorennummer", "debitorennr", "kundennummer", "kundennr",
    "kdnr", "kundenid", "customernumber", "customerno", "customerid", "accountnumber",
    "accountno",
)  # fmt: skip

CUSTOMERS = Kind(
    name="customers",
    required=("number", "name"),
    known_headers={
        "number": (*_CUSTOMER_NUMBER, "nummer", "nr", "number"),
        "name": (
            "name", "name1", "firmenname", "firma", "kundenname", "company", "companyname",
            "customername", "accountname",
        ),
        "name_2": ("name2", "namenszusatz", "zusatz", "companyname2"),
        "name_3": ("name3", "companyname3"),
        "street": (*_HEADQUARTERS["street"], "anschrift"),
        "house_number": ("hausnummer", "hausnr", "hnr", "housenumber", "streetnumber"),
        "postal_code": _HEADQUARTERS["postal_code"],
        "city": _HEADQUARTERS["city"],
        "country": (*_HEADQUARTERS["country"], "landerkennzeichen", "lkz"),
        "vat_id": (
            "ustidnr", "ustid", "ustidnummer", "umsatzsteuerid", "umsatzsteueridnr",
            "umsatzsteueridentifikationsnummer", "vatid", "vatnumber", "vatno", "vat",
        ),
        "register_court": ("registergericht", "amtsgericht", "registercourt"),
        "register_number": (
            "handelsregister", "handelsregisternummer", "handelsregisternr", "hrnummer",
            "hrnr", "registernummer", "registernumber", "commercialregister", "traderegister",
        ),
        "industry": (
            "branche", "branchewz", "wz", "wzcode", "wz2008", "branchenschlussel",
            "branchenschluessel", "industry", "industrycode", "nace", "nacecode",
        ),
        "employees": (
            "mitarbeiter", "mitarbeiterzahl", "anzahlmitarbeiter", "beschaftigte",
            "beschaeftigte", "employees", "headcount", "staff",
        ),
        "parent_number": (
            "konzern", "mutter", "muttergesellschaft", "konzernmutter", "mutternummer",
            "konzernnummer", "parent", "parentnumber", "parentcustomer", "parentaccount",
        ),
        "owner": (
            "betreuer", "kundenbetreuer", "aussendienst", "vertreter", "keyaccountmanager",
            "kam", "accountmanager", "owner", "salesrep",
        ),
        "segment": ("kundengruppe", "kundenklasse", "customergroup", "segment"),
        "legal_form": ("rechtsform", "legalform"),
        "website": ("website", "webseite", "homepage", "internet", "url", "web"),
        **{f"delivery_{part}": headers for part, headers in _DELIVERY.items()},
        **{f"billing_{part}": headers for part, headers in _BILLING.items()},
    },
)  # fmt: skip

PEOPLE = Kind(
    name="people",
    required=("customer_number", "last_name"),
    known_headers={
        "customer_number": (*_CUSTOMER_NUMBER, "kunde", "customer", "account"),
        "salutation": ("anrede", "salutation"),
        "title": ("titel", "title", "akademischergrad"),
        "first_name": ("vorname", "firstname", "givenname"),
        "last_name": ("nachname", "familienname", "name", "lastname", "surname", "familyname"),
        "function": ("funktion", "position", "stellung", "jobtitle", "function"),
        "department": ("abteilung", "bereich", "department"),
        "email": ("email", "mail", "emailadresse", "emailaddress"),
        "phone": ("telefon", "tel", "telefonnummer", "phone", "telephone", "businessphone"),
        "mobile": ("mobil", "handy", "mobiltelefon", "mobile", "mobilephone", "cell"),
        "buying_roles": ("rolle", "rollen", "einkaufsrolle", "buyingrole", "buyingroles"),
        "influence": ("einfluss", "influence"),
        "attitude": ("haltung", "einstellung", "attitude"),
        "known_by": ("bekanntmit", "kontaktbeiuns", "ansprechpartnerbeiuns", "knownby"),
    },
)  # fmt: skip

OFFERINGS = Kind(
    name="offerings",
    required=("number", "name"),
    known_headers={
        "number": (
            "artikelnummer", "artikelnr", "artnr", "materialnummer", "material", "artikel",
            "sku", "itemnumber", "item", "articlenumber", "productnumber", "nummer", "nr",
            "number",
        ),
        "name": (
            "bezeichnung", "artikelbezeichnung", "bezeichnungde", "namede", "kurztext",
            "beschreibung", "name", "description", "productname", "itemname",
        ),
        "name_en": ("bezeichnungen", "bezeichnungenglisch", "nameen", "englishname"),
        "group": (
            "warengruppe", "artikelgruppe", "produktgruppe", "gruppe", "kategorie", "group",
            "productgroup", "category",
        ),
        "kind": ("art", "typ", "artikelart", "kind", "type"),
        "unit": ("einheit", "mengeneinheit", "me", "unit", "uom"),
    },
)  # fmt: skip

KINDS = {kind.name: kind for kind in (CUSTOMERS, PEOPLE, OFFERINGS)}
