"""The legal form of a company, read from its name (issue 20: debtor exports rarely have a
column of their own for it, but German company names must carry it, HGB § 19, GmbHG § 4,
AktG § 4).

Pure Python, no Django: the import's checks and the tests use it alike. The answer is the
stored value of `customers.models.LegalForm` ("GmbH", "GmbH & Co. KG", "e.K.", "foreign",
"public", …), or None where the name does not say.

The rules, in the order they are tried (the first that matches wins):

1. A partnership with a company as general partner (`… GmbH & Co. KG`, `… AG & Co. KGaA`)
   is read as a whole: the form of the company is the last part, the KG or KGaA, and
   only a GmbH as partner makes it the `GmbH & Co. KG` of the list.
2. A German form as a word of its own (`GmbH`, `mbH`, `AG`, `e.K.`, …), or written out
   (`Gesellschaft mit beschränkter Haftung`, `Aktiengesellschaft`); the last one in the
   name counts (`Maier AG Verwaltungs-GmbH` is a GmbH).
3. A foreign form (`Ltd.`, `B.V.`, `S.A.`, `Inc.`, `sp. z o.o.`, …).
4. A public body (`Stadt …`, `Landkreis …`, `… AöR`, `Zweckverband …`), only where no
   company form is named: `Stadtwerke Musterstadt GmbH` is a GmbH.
"""

from __future__ import annotations

import re

# `&`, `+`, `und`, `u.` between the partner and `Co.`; `Co` with or without its full stop
_AND_CO = r"(?:&|\+|und|u\.)\s*Co\.?\s*"
_PARTNERSHIP = re.compile(
    r"\b(?P<partner>GmbH|mbH|UG\s*\(haftungsbeschr(?:ä|ae)nkt\)|UG|AG|SE|Stiftung|Ltd\.?)\s*"
    + _AND_CO
    + r"(?P<form>KGaA|KG|OHG)\b",
    re.IGNORECASE,
)
_WORD = r"(?<![\w.])(?:{})(?![\w])"
_GERMAN: tuple[tuple[str, str], ...] = (
    ("KGaA", r"KGaA|Kommanditgesellschaft auf Aktien"),
    ("UG (haftungsbeschränkt)", r"UG\s*\(haftungsbeschr(?:ä|ae)nkt\)|UG"),
    ("GmbH", r"g?GmbH|G\.\s?m\.\s?b\.\s?H\.?|mbH|Gesellschaft mit beschr(?:ä|ae)nkter Haftung"),
    ("AG", r"AG|Aktiengesellschaft"),
    ("SE", r"SE|Societas Europaea"),
    ("OHG", r"OHG|offene Handelsgesellschaft"),
    ("KG", r"KG|Kommanditgesellschaft"),
    ("e.K.", r"e\.\s?K(?:fm|fr)?\.?|eK|eingetragene[rn]? Kauf(?:mann|frau)"),
    ("GbR", r"GbR|Gesellschaft bürgerlichen Rechts"),
    ("eG", r"eG|e\.\s?G\.|eingetragene Genossenschaft"),
    ("e.V.", r"e\.\s?V\.?|eingetragener Verein"),
)
# case-sensitive, as written in the register: "AB" is Swedish, "Ab-" is German prose
_FOREIGN = re.compile(
    _WORD.format(
        r"Ltd\.?|LTD\.?|Limited|LIMITED|plc|PLC|Inc\.?|INC\.?|LLC|Corp\.?|B\.\s?V\.?|BV|N\.\s?V\.?"
        r"|NV|S\.\s?A\.?|SA|S\.\s?A\.\s?S\.?|SAS|SARL|S\.\s?à\s?r\.\s?l\.?|S\.\s?p\.\s?A\.?|SpA"
        r"|S\.\s?r\.\s?l\.?|Srl|sp\.\s?z\s?o\.\s?o\.?|s\.\s?r\.\s?o\.?|a\.\s?s\.|A/S|ApS|AB|Oy"
        r"|Kft\.?|d\.\s?o\.\s?o\.?"
    )
)
_PUBLIC = re.compile(
    r"^(?:Stadt|Gemeinde|Markt|Landkreis|Kreis|Bezirk|Land|Freistaat|Bundesrepublik)\s"
    r"|(?<![\w])(?:AöR|KdöR|Anstalt des öffentlichen Rechts|Körperschaft des öffentlichen Rechts"
    r"|Zweckverband|Eigenbetrieb|Regiebetrieb|Landesamt|Bundesamt|Universität|Hochschule)(?![\w])",
    re.IGNORECASE,
)
_GERMAN_PATTERNS = [
    (form, re.compile(_WORD.format(pattern), re.IGNORECASE if form != "eG" else 0))
    for form, pattern in _GERMAN
]


def legal_form_from_name(name: str) -> str | None:
    """The legal form the name states, as LegalForm stores it; None if it states none."""
    text = " ".join(name.split())
    partnership = _PARTNERSHIP.search(text)
    if partnership is not None:
        form = partnership.group("form").upper().replace("KGAA", "KGaA")
        is_gmbh = partnership.group("partner").lower() in ("gmbh", "mbh")
        return "GmbH & Co. KG" if form == "KG" and is_gmbh else form
    found = [
        (match.start(), form)
        for form, pattern in _GERMAN_PATTERNS
        for match in pattern.finditer(text)
    ]
    if found:
        return max(found)[1]
    if _FOREIGN.search(text):
        return "foreign"
    if _PUBLIC.search(text):
        return "public"
    return None
