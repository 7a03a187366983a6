"""WZ 2008, the German classification of economic activities (= NACE Rev. 2), to division level.

Pure Python (no Django) so that forms, imports, the demo generator and the analytics can
share it. Customers are classified by division (two digits); longer codes (group "28.4",
class "28.41", subclass "28.41.0") are accepted, normalised and belong to their division.
German titles follow the Statistisches Bundesamt's WZ 2008, English titles Eurostat's
NACE Rev. 2.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class Section:
    """A section (Abschnitt) of WZ 2008.

    Attributes
    ----------
    code : str
        One letter, "A" to "U".
    name_de, name_en : str
        The official German (WZ 2008) and English (NACE Rev. 2) titles.
    """

    code: str
    name_de: str
    name_en: str


@dataclass(frozen=True)
class Division:
    """A division (Abteilung) of WZ 2008.

    Attributes
    ----------
    code : str
        Two digits, "01" to "99" (with gaps: 88 divisions in all).
    section : str
        The code of the section it belongs to.
    name_de, name_en : str
        The official German (WZ 2008) and English (NACE Rev. 2) titles.
    """

    code: str
    section: str
    name_de: str
    name_en: str


SECTIONS: tuple[Section, ...] = (
    Section("A", "Land- und Forstwirtschaft, Fischerei", "Agriculture, forestry and fishing"),
    Section("B", "Bergbau und Gewinnung von Steinen und Erden", "Mining and quarrying"),
    Section("C", "Verarbeitendes Gewerbe", "Manufacturing"),
    Section("D", "Energieversorgung", "Electricity, gas, steam and air conditioning supply"),
    Section(
        "E",
        "Wasserversorgung; Abwasser- und Abfallentsorgung und Beseitigung von "
        "Umweltverschmutzungen",
        "Water supply; sewerage, waste management and remediation activities",
    ),
    Section("F", "Baugewerbe", "Construction"),
    Section(
        "G",
        "Handel; Instandhaltung und Reparatur von Kraftfahrzeugen",
        "Wholesale and retail trade; repair of motor vehicles and motorcycles",
    ),
    Section("H", "Verkehr und Lagerei", "Transportation and storage"),
    Section("I", "Gastgewerbe", "Accommodation and food service activities"),
    Section("J", "Information und Kommunikation", "Information and communication"),
    Section(
        "K",
        "Erbringung von Finanz- und Versicherungsdienstleistungen",
        "Financial and insurance activities",
    ),
    Section("L", "Grundstücks- und Wohnungswesen", "Real estate activities"),
    Section(
        "M",
        "Erbringung von freiberuflichen, wissenschaftlichen und technischen Dienstleistungen",
        "Professional, scientific and technical activities",
    ),
    Section(
        "N",
        "Erbringung von sonstigen wirtschaftlichen Dienstleistungen",
        "Administrative and support service activities",
    ),
    Section(
        "O",
        "Öffentliche Verwaltung, Verteidigung; Sozialversicherung",
        "Public administration and defence; compulsory social security",
    ),
    Section("P", "Erziehung und Unterricht", "Education"),
    Section("Q", "Gesundheits- und Sozialwesen", "Human health and social work activities"),
    Section("R", "Kunst, Unterhaltung und Erholung", "Arts, entertainment and recreation"),
    Section("S", "Erbringung von sonstigen Dienstleistungen", "Other service activities"),
    Section(
        "T",
        "Private Haushalte mit Hauspersonal; Herstellung von Waren und Erbringung von "
        "Dienstleistungen durch private Haushalte für den Eigenbedarf ohne ausgeprägten "
        "Schwerpunkt",
        "Activities of households as employers; undifferentiated goods- and "
        "services-producing activities of households for own use",
    ),
    Section(
        "U",
        "Exterritoriale Organisationen und Körperschaften",
        "Activities of extraterritorial organisations and bodies",
    ),
)

_DIVISIONS: tuple[tuple[str, str, str, str], ...] = (
    (
        "01",
        "A",
        "Landwirtschaft, Jagd und damit verbundene Tätigkeiten",
        "Crop and animal production, hunting and related service activities",
    ),
    ("02", "A", "Forstwirtschaft und Holzeinschlag", "Forestry and logging"),
    ("03", "A", "Fischerei und Aquakultur", "Fishing and aquaculture"),
    ("05", "B", "Kohlenbergbau", "Mining of coal and lignite"),
    ("06", "B", "Gewinnung von Erdöl und Erdgas", "Extraction of crude petroleum and natural gas"),
    ("07", "B", "Erzbergbau", "Mining of metal ores"),
    ("08", "B", "Gewinnung von Steinen und Erden, sonstiger Bergbau", "Other mining and quarrying"),
    (
        "09",
        "B",
        "Erbringung von Dienstleistungen für den Bergbau und für die Gewinnung von "
        "Steinen und Erden",
        "Mining support service activities",
    ),
    ("10", "C", "Herstellung von Nahrungs- und Futtermitteln", "Manufacture of food products"),
    ("11", "C", "Getränkeherstellung", "Manufacture of beverages"),
    ("12", "C", "Tabakverarbeitung", "Manufacture of tobacco products"),
    ("13", "C", "Herstellung von Textilien", "Manufacture of textiles"),
    ("14", "C", "Herstellung von Bekleidung", "Manufacture of wearing apparel"),
    (
        "15",
        "C",
        "Herstellung von Leder, Lederwaren und Schuhen",
        "Manufacture of leather and related products",
    ),
    (
        "16",
        "C",
        "Herstellung von Holz-, Flecht-, Korb- und Korkwaren (ohne Möbel)",
        "Manufacture of wood and of products of wood and cork, except furniture; manufacture "
        "of articles of straw and plaiting materials",
    ),
    (
        "17",
        "C",
        "Herstellung von Papier, Pappe und Waren daraus",
        "Manufacture of paper and paper products",
    ),
    (
        "18",
        "C",
        "Herstellung von Druckerzeugnissen; Vervielfältigung von bespielten Ton-, "
        "Bild- und Datenträgern",
        "Printing and reproduction of recorded media",
    ),
    (
        "19",
        "C",
        "Kokerei und Mineralölverarbeitung",
        "Manufacture of coke and refined petroleum products",
    ),
    (
        "20",
        "C",
        "Herstellung von chemischen Erzeugnissen",
        "Manufacture of chemicals and chemical products",
    ),
    (
        "21",
        "C",
        "Herstellung von pharmazeutischen Erzeugnissen",
        "Manufacture of basic pharmaceutical products and pharmaceutical preparations",
    ),
    (
        "22",
        "C",
        "Herstellung von Gummi- und Kunststoffwaren",
        "Manufacture of rubber and plastic products",
    ),
    (
        "23",
        "C",
        "Herstellung von Glas und Glaswaren, Keramik, Verarbeitung von Steinen und Erden",
        "Manufacture of other non-metallic mineral products",
    ),
    ("24", "C", "Metallerzeugung und -bearbeitung", "Manufacture of basic metals"),
    (
        "25",
        "C",
        "Herstellung von Metallerzeugnissen",
        "Manufacture of fabricated metal products, except machinery and equipment",
    ),
    (
        "26",
        "C",
        "Herstellung von Datenverarbeitungsgeräten, elektronischen und optischen Erzeugnissen",
        "Manufacture of computer, electronic and optical products",
    ),
    ("27", "C", "Herstellung von elektrischen Ausrüstungen", "Manufacture of electrical equipment"),
    ("28", "C", "Maschinenbau", "Manufacture of machinery and equipment n.e.c."),
    (
        "29",
        "C",
        "Herstellung von Kraftwagen und Kraftwagenteilen",
        "Manufacture of motor vehicles, trailers and semi-trailers",
    ),
    ("30", "C", "Sonstiger Fahrzeugbau", "Manufacture of other transport equipment"),
    ("31", "C", "Herstellung von Möbeln", "Manufacture of furniture"),
    ("32", "C", "Herstellung von sonstigen Waren", "Other manufacturing"),
    (
        "33",
        "C",
        "Reparatur und Installation von Maschinen und Ausrüstungen",
        "Repair and installation of machinery and equipment",
    ),
    ("35", "D", "Energieversorgung", "Electricity, gas, steam and air conditioning supply"),
    ("36", "E", "Wasserversorgung", "Water collection, treatment and supply"),
    ("37", "E", "Abwasserentsorgung", "Sewerage"),
    (
        "38",
        "E",
        "Sammlung, Behandlung und Beseitigung von Abfällen; Rückgewinnung",
        "Waste collection, treatment and disposal activities; materials recovery",
    ),
    (
        "39",
        "E",
        "Beseitigung von Umweltverschmutzungen und sonstige Entsorgung",
        "Remediation activities and other waste management services",
    ),
    ("41", "F", "Hochbau", "Construction of buildings"),
    ("42", "F", "Tiefbau", "Civil engineering"),
    (
        "43",
        "F",
        "Vorbereitende Baustellenarbeiten, Bauinstallation und sonstiges Ausbaugewerbe",
        "Specialised construction activities",
    ),
    (
        "45",
        "G",
        "Handel mit Kraftfahrzeugen; Instandhaltung und Reparatur von Kraftfahrzeugen",
        "Wholesale and retail trade and repair of motor vehicles and motorcycles",
    ),
    (
        "46",
        "G",
        "Großhandel (ohne Handel mit Kraftfahrzeugen)",
        "Wholesale trade, except of motor vehicles and motorcycles",
    ),
    (
        "47",
        "G",
        "Einzelhandel (ohne Handel mit Kraftfahrzeugen)",
        "Retail trade, except of motor vehicles and motorcycles",
    ),
    (
        "49",
        "H",
        "Landverkehr und Transport in Rohrfernleitungen",
        "Land transport and transport via pipelines",
    ),
    ("50", "H", "Schifffahrt", "Water transport"),
    ("51", "H", "Luftfahrt", "Air transport"),
    (
        "52",
        "H",
        "Lagerei sowie Erbringung von sonstigen Dienstleistungen für den Verkehr",
        "Warehousing and support activities for transportation",
    ),
    ("53", "H", "Post-, Kurier- und Expressdienste", "Postal and courier activities"),
    ("55", "I", "Beherbergung", "Accommodation"),
    ("56", "I", "Gastronomie", "Food and beverage service activities"),
    ("58", "J", "Verlagswesen", "Publishing activities"),
    (
        "59",
        "J",
        "Herstellung, Verleih und Vertrieb von Filmen und Fernsehprogrammen; Kinos; "
        "Tonstudios und Verlegen von Musik",
        "Motion picture, video and television programme production, sound recording and music "
        "publishing activities",
    ),
    ("60", "J", "Rundfunkveranstalter", "Programming and broadcasting activities"),
    ("61", "J", "Telekommunikation", "Telecommunications"),
    (
        "62",
        "J",
        "Erbringung von Dienstleistungen der Informationstechnologie",
        "Computer programming, consultancy and related activities",
    ),
    ("63", "J", "Informationsdienstleistungen", "Information service activities"),
    (
        "64",
        "K",
        "Erbringung von Finanzdienstleistungen",
        "Financial service activities, except insurance and pension funding",
    ),
    (
        "65",
        "K",
        "Versicherungen, Rückversicherungen und Pensionskassen (ohne Sozialversicherung)",
        "Insurance, reinsurance and pension funding, except compulsory social security",
    ),
    (
        "66",
        "K",
        "Mit Finanz- und Versicherungsdienstleistungen verbundene Tätigkeiten",
        "Activities auxiliary to financial services and insurance activities",
    ),
    ("68", "L", "Grundstücks- und Wohnungswesen", "Real estate activities"),
    (
        "69",
        "M",
        "Rechts- und Steuerberatung, Wirtschaftsprüfung",
        "Legal and accounting activities",
    ),
    (
        "70",
        "M",
        "Verwaltung und Führung von Unternehmen und Betrieben; Unternehmensberatung",
        "Activities of head offices; management consultancy activities",
    ),
    (
        "71",
        "M",
        "Architektur- und Ingenieurbüros; technische, physikalische und chemische Untersuchung",
        "Architectural and engineering activities; technical testing and analysis",
    ),
    ("72", "M", "Forschung und Entwicklung", "Scientific research and development"),
    ("73", "M", "Werbung und Marktforschung", "Advertising and market research"),
    (
        "74",
        "M",
        "Sonstige freiberufliche, wissenschaftliche und technische Tätigkeiten",
        "Other professional, scientific and technical activities",
    ),
    ("75", "M", "Veterinärwesen", "Veterinary activities"),
    ("77", "N", "Vermietung von beweglichen Sachen", "Rental and leasing activities"),
    ("78", "N", "Vermittlung und Überlassung von Arbeitskräften", "Employment activities"),
    (
        "79",
        "N",
        "Reisebüros, Reiseveranstalter und Erbringung sonstiger Reservierungsdienstleistungen",
        "Travel agency, tour operator reservation service and related activities",
    ),
    (
        "80",
        "N",
        "Wach- und Sicherheitsdienste sowie Detekteien",
        "Security and investigation activities",
    ),
    (
        "81",
        "N",
        "Gebäudebetreuung; Garten- und Landschaftsbau",
        "Services to buildings and landscape activities",
    ),
    (
        "82",
        "N",
        "Erbringung von wirtschaftlichen Dienstleistungen für Unternehmen und "
        "Privatpersonen a. n. g.",
        "Office administrative, office support and other business support activities",
    ),
    (
        "84",
        "O",
        "Öffentliche Verwaltung, Verteidigung; Sozialversicherung",
        "Public administration and defence; compulsory social security",
    ),
    ("85", "P", "Erziehung und Unterricht", "Education"),
    ("86", "Q", "Gesundheitswesen", "Human health activities"),
    ("87", "Q", "Heime (ohne Erholungs- und Ferienheime)", "Residential care activities"),
    ("88", "Q", "Sozialwesen (ohne Heime)", "Social work activities without accommodation"),
    (
        "90",
        "R",
        "Kreative, künstlerische und unterhaltende Tätigkeiten",
        "Creative, arts and entertainment activities",
    ),
    (
        "91",
        "R",
        "Bibliotheken, Archive, Museen, botanische und zoologische Gärten",
        "Libraries, archives, museums and other cultural activities",
    ),
    ("92", "R", "Spiel-, Wett- und Lotteriewesen", "Gambling and betting activities"),
    (
        "93",
        "R",
        "Erbringung von Dienstleistungen des Sports, der Unterhaltung und der Erholung",
        "Sports activities and amusement and recreation activities",
    ),
    (
        "94",
        "S",
        "Interessenvertretungen sowie kirchliche und sonstige religiöse Vereinigungen "
        "(ohne Sozialwesen und Sport)",
        "Activities of membership organisations",
    ),
    (
        "95",
        "S",
        "Reparatur von Datenverarbeitungsgeräten und Gebrauchsgütern",
        "Repair of computers and personal and household goods",
    ),
    (
        "96",
        "S",
        "Erbringung von sonstigen überwiegend persönlichen Dienstleistungen",
        "Other personal service activities",
    ),
    (
        "97",
        "T",
        "Private Haushalte mit Hauspersonal",
        "Activities of households as employers of domestic personnel",
    ),
    (
        "98",
        "T",
        "Herstellung von Waren und Erbringung von Dienstleistungen durch private "
        "Haushalte für den Eigenbedarf ohne ausgeprägten Schwerpunkt",
        "Undifferentiated goods- and services-producing activities of private households for "
        "own use",
    ),
    (
        "99",
        "U",
        "Exterritoriale Organisationen und Körperschaften",
        "Activities of extraterritorial organisations and bodies",
    ),
)

DIVISIONS: tuple[Division, ...] = tuple(Division(*row) for row in _DIVISIONS)
_BY_CODE: dict[str, Division] = {d.code: d for d in DIVISIONS}
_SECTION_BY_CODE: dict[str, Section] = {s.code: s for s in SECTIONS}
# Division, then optionally group or class (one or two digits), then subclass (one digit, only
# after a two-digit class). Separators are optional dots; ASCII digits only.
_CODE = re.compile(r"([0-9]{2})(?:\.?([0-9]{1,2})(?:\.?([0-9]))?)?", re.ASCII)


def division(code: str) -> Division:
    """Return the division with this two-digit code.

    Parameters
    ----------
    code : str
        Exactly two digits, e.g. "28" (use `normalize_code` first for user input).

    Raises
    ------
    KeyError
        If WZ 2008 has no such division.
    """
    return _BY_CODE[code]


def normalize_code(raw: str) -> str:
    """Return a WZ 2008 code in its dotted form.

    Accepts a division ("28"), group ("28.4"), class ("28.41") or subclass ("28.41.0"),
    with dots, spaces or nothing between the levels ("2841", "28 41").

    Raises
    ------
    ValueError
        If `raw` is not of that shape or names no existing division.

    Examples
    --------
    >>> normalize_code("2841")
    '28.41'
    >>> normalize_code(" 28 41 0 ")
    '28.41.0'
    """
    compact = re.sub(r"\s+", ".", raw.strip())
    match = _CODE.fullmatch(compact)
    if match is None or match.group(1) not in _BY_CODE:
        raise ValueError(f"not a WZ 2008 code: {raw!r}")
    if match.group(3) is not None and len(match.group(2)) != 2:
        raise ValueError(f"not a WZ 2008 code (a subclass needs a two-digit class): {raw!r}")
    return ".".join(part for part in match.groups() if part is not None)


def section_of(code: str) -> Section:
    """Return the section (A to U) of a division, group, class or subclass code.

    Raises
    ------
    ValueError
        If `code` is malformed or names no existing division (see `normalize_code`).
    """
    return _SECTION_BY_CODE[division(normalize_code(code)[:2]).section]
