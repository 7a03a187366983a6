"""A deterministic, realistic German B2B book of business: companies, people, sales lines.

Pure NumPy/PyArrow, no Django: the same generator fills the demo database and writes
sales-line files of ten million lines for benchmarks. Every customer's monthly value
follows one of the six shapes of DOMAIN.md (with noise, seasonality, lumpy ordering,
ramp-up and late starts); the shape is returned as a label for tests to compare against,
and the analysis must never read it.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from kundenbild.identifiers import de_vat_check_digit

SHAPES = ("steady", "cyclical", "bell", "growth", "shrinking", "burr")
SHAPE_SHARES = (0.35, 0.15, 0.11, 0.13, 0.11, 0.15)
DEFAULT_END = date(2026, 10, 31)
BLOCK = 2000  # customers generated together; fixed, so output never depends on batching

SALES_LINE_SCHEMA = pa.schema(
    [
        ("customer_number", pa.string()),
        ("invoice_number", pa.string()),
        ("line_number", pa.int32()),
        ("invoice_date", pa.date32()),
        ("article_number", pa.string()),
        ("quantity", pa.float64()),
        ("net_revenue", pa.float64()),
        ("cost_of_goods", pa.float64()),
        ("discount", pa.float64()),
        ("freight", pa.float64()),
    ]
)


@dataclass(frozen=True)
class DemoOffering:
    number: str
    name_de: str
    name_en: str
    group_de: str
    group_en: str
    kind: str
    unit_price: float
    cost_ratio: float


@dataclass(frozen=True)
class DemoCompany:
    number: str
    name: str
    legal_form: str
    street: str
    postal_code: str
    city: str
    wz_division: str
    employees: int
    parent_number: str | None
    vat_id: str
    register_court: str
    register_number: str
    shape: str
    first_order: date
    last_order: date | None


@dataclass(frozen=True)
class DemoContact:
    customer_number: str
    first_name: str
    last_name: str
    function: str
    department: str
    email: str
    phone: str
    roles: tuple[str, ...] = ()
    influence: str = ""
    attitude: str = ""
    organisation: str = ""  # set for externals such as consultants
    known_by_owner: bool = False
    closeness: str = "slight"  # how well the key account manager knows them
    known_by_sales: bool = False  # the inside sales colleague knows them too
    last_contact_days_ago: int | None = None


# buying roles and influence that go with each function in _FUNCTIONS
_FUNCTION_ROLES: tuple[tuple[tuple[str, ...], str], ...] = (
    (("decider", "initiator"), "high"),
    (("buyer", "decider"), "high"),
    (("buyer",), "medium"),
    (("influencer", "user"), "high"),
    (("user", "initiator"), "medium"),
    (("user", "initiator"), "medium"),
    (("decider", "influencer"), "medium"),
    (("buyer", "gatekeeper"), "low"),
    (("influencer",), "medium"),
    (("influencer", "user"), "low"),
)
_ATTITUDES = ("champion", "supporter", "neutral", "sceptic", "opponent")


@dataclass(frozen=True)
class WriteSummary:
    path: Path
    lines: int
    customers: int
    bytes: int


_O = DemoOffering
_OFFERINGS: tuple[DemoOffering, ...] = (
    _O(
        "A-10010",
        "Sechskantschrauben M8, verzinkt (100 St.)",
        "Hex bolts M8, zinc-plated (100 pcs)",
        "Verbindungstechnik",
        "Fastening",
        "product",
        24.5,
        0.62,
    ),
    _O(
        "A-10011",
        "Edelstahlmuttern M10 (100 St.)",
        "Stainless nuts M10 (100 pcs)",
        "Verbindungstechnik",
        "Fastening",
        "product",
        18.9,
        0.6,
    ),
    _O(
        "A-10012",
        "Dübel- und Ankersortiment",
        "Anchor assortment",
        "Verbindungstechnik",
        "Fastening",
        "product",
        89.0,
        0.58,
    ),
    _O(
        "A-10013",
        "Nietmuttern-Set",
        "Rivet nut set",
        "Verbindungstechnik",
        "Fastening",
        "product",
        54.0,
        0.6,
    ),
    _O(
        "A-10014",
        "Gewindestangen DIN 976 (10 St.)",
        "Threaded rods DIN 976 (10 pcs)",
        "Verbindungstechnik",
        "Fastening",
        "product",
        32.0,
        0.66,
    ),
    _O(
        "A-20010",
        "Hydraulikschlauch DN12, Meterware",
        "Hydraulic hose DN12, per metre",
        "Hydraulik",
        "Hydraulics",
        "product",
        14.8,
        0.7,
    ),
    _O(
        "A-20011",
        "Hydraulikzylinder doppeltwirkend",
        "Double-acting hydraulic cylinder",
        "Hydraulik",
        "Hydraulics",
        "product",
        640.0,
        0.72,
    ),
    _O(
        "A-20012",
        "Hydraulikpumpe 20 l/min",
        "Hydraulic pump 20 l/min",
        "Hydraulik",
        "Hydraulics",
        "product",
        1180.0,
        0.74,
    ),
    _O(
        "A-20013",
        "Verschraubungen-Sortiment",
        "Fittings assortment",
        "Hydraulik",
        "Hydraulics",
        "product",
        210.0,
        0.64,
    ),
    _O(
        "A-30010",
        "Pneumatikzylinder ISO 15552",
        "Pneumatic cylinder ISO 15552",
        "Pneumatik",
        "Pneumatics",
        "product",
        185.0,
        0.68,
    ),
    _O(
        "A-30011",
        "Wartungseinheit Druckluft",
        "Compressed-air service unit",
        "Pneumatik",
        "Pneumatics",
        "product",
        240.0,
        0.66,
    ),
    _O(
        "A-30012",
        "Magnetventil 5/2-Wege",
        "Solenoid valve 5/2-way",
        "Pneumatik",
        "Pneumatics",
        "product",
        96.0,
        0.65,
    ),
    _O(
        "A-40010",
        "Akku-Bohrschrauber 18 V",
        "Cordless drill 18 V",
        "Werkzeuge",
        "Tools",
        "product",
        289.0,
        0.76,
    ),
    _O(
        "A-40011",
        "Drehmomentschlüssel 20–100 Nm",
        "Torque wrench 20–100 Nm",
        "Werkzeuge",
        "Tools",
        "product",
        149.0,
        0.7,
    ),
    _O(
        "A-40012",
        "HSS-Bohrer-Kassette",
        "HSS drill bit case",
        "Werkzeuge",
        "Tools",
        "product",
        78.0,
        0.61,
    ),
    _O(
        "A-40013",
        "Werkstattwagen bestückt",
        "Equipped tool trolley",
        "Werkzeuge",
        "Tools",
        "product",
        1450.0,
        0.78,
    ),
    _O(
        "A-50010",
        "Schutzhandschuhe Schnittschutz (12 Paar)",
        "Cut-resistant gloves (12 pairs)",
        "Arbeitsschutz",
        "Safety",
        "product",
        46.0,
        0.55,
    ),
    _O(
        "A-50011",
        "Sicherheitsschuhe S3",
        "Safety shoes S3",
        "Arbeitsschutz",
        "Safety",
        "product",
        98.0,
        0.6,
    ),
    _O(
        "A-50012",
        "Gehörschutz-Spender",
        "Ear-plug dispenser",
        "Arbeitsschutz",
        "Safety",
        "product",
        64.0,
        0.5,
    ),
    _O(
        "A-50013",
        "Absturzsicherung-Set",
        "Fall-protection kit",
        "Arbeitsschutz",
        "Safety",
        "product",
        320.0,
        0.63,
    ),
    _O(
        "S-60010",
        "Wartungsvertrag Hydraulikanlagen (Monat)",
        "Hydraulic maintenance contract (month)",
        "Service",
        "Service",
        "service",
        420.0,
        0.48,
    ),
    _O(
        "S-60011",
        "Montage vor Ort (Stunde)",
        "On-site installation (hour)",
        "Service",
        "Service",
        "service",
        86.0,
        0.52,
    ),
    _O(
        "S-60012",
        "Schulung Arbeitssicherheit (Tag)",
        "Safety training (day)",
        "Service",
        "Service",
        "service",
        980.0,
        0.45,
    ),
    _O(
        "S-60013",
        "Prüfung nach DGUV V3",
        "Inspection per DGUV V3",
        "Service",
        "Service",
        "service",
        390.0,
        0.5,
    ),
    _O(
        "L-70010",
        "C-Teile-Kanban-System (Monat)",
        "C-parts kanban system (month)",
        "Lösungen",
        "Solutions",
        "solution",
        750.0,
        0.55,
    ),
    _O(
        "L-70011",
        "Lagerautomat Werkzeugausgabe (Monat)",
        "Tool vending machine (month)",
        "Lösungen",
        "Solutions",
        "solution",
        540.0,
        0.58,
    ),
    _O(
        "L-70012",
        "E-Procurement-Anbindung (Monat)",
        "E-procurement connection (month)",
        "Lösungen",
        "Solutions",
        "solution",
        260.0,
        0.4,
    ),
    _O(
        "L-70013",
        "Instandhaltungssoftware Lizenz (Jahr)",
        "Maintenance software licence (year)",
        "Lösungen",
        "Solutions",
        "solution",
        2400.0,
        0.35,
    ),
)


def offerings() -> tuple[DemoOffering, ...]:
    """Our catalogue: products, services and solutions of an industrial supplier."""
    return _OFFERINGS


# city, postal code, area code, register court
_CITIES: tuple[tuple[str, str, str, str, float], ...] = (
    ("München", "80335", "89", "München", 6),
    ("Hamburg", "20457", "40", "Hamburg", 6),
    ("Berlin", "10115", "30", "Charlottenburg (Berlin)", 5),
    ("Köln", "50667", "221", "Köln", 4),
    ("Frankfurt am Main", "60311", "69", "Frankfurt am Main", 4),
    ("Stuttgart", "70173", "711", "Stuttgart", 5),
    ("Düsseldorf", "40213", "211", "Düsseldorf", 4),
    ("Dortmund", "44135", "231", "Dortmund", 3),
    ("Essen", "45127", "201", "Essen", 3),
    ("Leipzig", "04109", "341", "Leipzig", 3),
    ("Bremen", "28195", "421", "Bremen", 2),
    ("Dresden", "01067", "351", "Dresden", 3),
    ("Hannover", "30159", "511", "Hannover", 3),
    ("Nürnberg", "90402", "911", "Nürnberg", 3),
    ("Duisburg", "47051", "203", "Duisburg", 2),
    ("Bochum", "44787", "234", "Bochum", 2),
    ("Wuppertal", "42103", "202", "Wuppertal", 2),
    ("Bielefeld", "33602", "521", "Bielefeld", 3),
    ("Bonn", "53111", "228", "Bonn", 2),
    ("Münster", "48143", "251", "Münster", 2),
    ("Mannheim", "68159", "621", "Mannheim", 3),
    ("Karlsruhe", "76133", "721", "Mannheim", 2),
    ("Augsburg", "86150", "821", "Augsburg", 2),
    ("Wiesbaden", "65183", "611", "Wiesbaden", 1),
    ("Chemnitz", "09111", "371", "Chemnitz", 2),
    ("Kiel", "24103", "431", "Kiel", 1),
    ("Magdeburg", "39104", "391", "Stendal", 1),
    ("Freiburg im Breisgau", "79098", "761", "Freiburg", 2),
    ("Erfurt", "99084", "361", "Jena", 1),
    ("Rostock", "18055", "381", "Rostock", 1),
    ("Kassel", "34117", "561", "Kassel", 2),
    ("Saarbrücken", "66111", "681", "Saarbrücken", 1),
    ("Paderborn", "33098", "5251", "Paderborn", 2),
    ("Ulm", "89073", "731", "Ulm", 3),
    ("Heilbronn", "74072", "7131", "Stuttgart", 2),
    ("Regensburg", "93047", "941", "Regensburg", 2),
    ("Ingolstadt", "85049", "841", "Ingolstadt", 2),
    ("Würzburg", "97070", "931", "Würzburg", 1),
    ("Wolfsburg", "38440", "5361", "Braunschweig", 1),
    ("Göttingen", "37073", "551", "Göttingen", 1),
    ("Osnabrück", "49074", "541", "Osnabrück", 2),
    ("Siegen", "57072", "271", "Siegen", 2),
    ("Reutlingen", "72764", "7121", "Stuttgart", 2),
    ("Pforzheim", "75175", "7231", "Mannheim", 1),
    ("Gütersloh", "33330", "5241", "Gütersloh", 2),
    ("Tuttlingen", "78532", "7461", "Stuttgart", 2),
    ("Lüdenscheid", "58507", "2351", "Iserlohn", 2),
    ("Schweinfurt", "97421", "9721", "Schweinfurt", 1),
    ("Zwickau", "08056", "375", "Chemnitz", 1),
    ("Jena", "07743", "3641", "Jena", 1),
    ("Aalen", "73430", "7361", "Ulm", 2),
)
_STREETS = (
    "Industriestraße",
    "Gewerbering",
    "Hauptstraße",
    "Bahnhofstraße",
    "Am Hafen",
    "Daimlerstraße",
    "Robert-Bosch-Straße",
    "Carl-Zeiss-Straße",
    "Werkstraße",
    "Im Gewerbepark",
    "Siemensstraße",
    "Lindenallee",
    "Max-Planck-Straße",
    "Otto-Hahn-Straße",
    "Zeppelinstraße",
)
_SURNAMES = (
    "Müller",
    "Schmidt",
    "Schneider",
    "Fischer",
    "Weber",
    "Meyer",
    "Wagner",
    "Becker",
    "Schulz",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Braun",
    "Zimmermann",
    "Hartmann",
    "Krüger",
    "Lange",
    "Werner",
    "Lehmann",
    "Köhler",
    "Maier",
    "Herrmann",
    "König",
    "Walter",
    "Peters",
    "Kaiser",
    "Fuchs",
    "Brandt",
    "Vogel",
    "Hansen",
    "Brauer",
    "Kessler",
    "Sommer",
    "Frank",
    "Berger",
    "Winkler",
    "Lorenz",
    "Baumann",
    "Albrecht",
    "Ludwig",
    "Haas",
    "Seidel",
    "Jansen",
    "Engel",
    "Voigt",
    "Ernst",
    "Busch",
    "Pohl",
    "Thiel",
)
_FIRST_F = (
    "Anna",
    "Julia",
    "Katrin",
    "Sabine",
    "Claudia",
    "Stefanie",
    "Laura",
    "Miriam",
    "Andrea",
    "Petra",
    "Nicole",
    "Sandra",
    "Christina",
    "Melanie",
    "Birgit",
    "Susanne",
    "Lena",
    "Sarah",
)
_FIRST_M = (
    "Thomas",
    "Michael",
    "Andreas",
    "Stefan",
    "Markus",
    "Christian",
    "Frank",
    "Jürgen",
    "Peter",
    "Tobias",
    "Jonas",
    "Daniel",
    "Alexander",
    "Martin",
    "Sebastian",
    "Uwe",
    "Jan",
    "Matthias",
)
_FUNCTIONS = (
    ("Geschäftsführer", "Geschäftsführerin", "Geschäftsführung"),
    ("Leiter Einkauf", "Leiterin Einkauf", "Einkauf"),
    ("Strategischer Einkäufer", "Strategische Einkäuferin", "Einkauf"),
    ("Technischer Leiter", "Technische Leiterin", "Technik"),
    ("Produktionsleiter", "Produktionsleiterin", "Produktion"),
    ("Leiter Instandhaltung", "Leiterin Instandhaltung", "Instandhaltung"),
    ("Kaufmännischer Leiter", "Kaufmännische Leiterin", "Finanzen"),
    ("Sachbearbeiter Einkauf", "Sachbearbeiterin Einkauf", "Einkauf"),
    ("Qualitätsmanager", "Qualitätsmanagerin", "Qualität"),
    ("Fachkraft für Arbeitssicherheit", "Fachkraft für Arbeitssicherheit", "Arbeitssicherheit"),
)
# WZ division, weight, words that fit a company name in that industry
_INDUSTRIES: tuple[tuple[str, float, tuple[str, ...]], ...] = (
    ("28", 14, ("Maschinenbau", "Anlagenbau", "Fördertechnik", "Präzisionstechnik")),
    ("25", 12, ("Metallbau", "Stanztechnik", "Oberflächentechnik", "Blechbearbeitung")),
    ("22", 6, ("Kunststofftechnik", "Kunststoffwerk", "Gummiwerke")),
    ("27", 6, ("Elektrotechnik", "Antriebstechnik", "Schaltanlagen")),
    ("29", 6, ("Fahrzeugteile", "Automotive", "Karosserietechnik")),
    ("24", 3, ("Gießerei", "Metallwerke", "Drahtwerk")),
    ("20", 3, ("Chemie", "Lacke", "Klebstoffe")),
    ("10", 4, ("Feinkost", "Backwaren", "Fleischwaren", "Molkerei")),
    ("16", 2, ("Holzwerk", "Holzbau")),
    ("26", 3, ("Sensorik", "Elektronik", "Optik")),
    ("33", 4, ("Industrieservice", "Instandhaltung")),
    ("41", 5, ("Bau", "Hochbau", "Bauunternehmung")),
    ("42", 3, ("Tiefbau", "Straßenbau")),
    ("43", 6, ("Haustechnik", "Elektroinstallation", "Dachtechnik")),
    ("46", 7, ("Technischer Handel", "Industriebedarf", "Handelsgesellschaft")),
    ("49", 3, ("Spedition", "Logistik", "Transporte")),
    ("52", 2, ("Lagerlogistik", "Logistikzentrum")),
    ("35", 2, ("Stadtwerke", "Energie")),
    ("38", 2, ("Recycling", "Entsorgung")),
    ("71", 2, ("Ingenieurbüro", "Prüftechnik")),
    ("62", 2, ("Systemhaus", "Software")),
    ("86", 2, ("Klinikum", "Medizintechnik Service")),
)
_PREFIXES = ("Nord", "Süd", "West", "Ost", "Rhein", "Main", "Elb", "Alpen", "Hanse", "Saar")
_ROOTS = ("werk", "tec", "metall", "form", "plan", "stahl", "tech", "bau")
_LEGAL_FORMS = (
    ("GmbH", 0.52),
    ("GmbH & Co. KG", 0.17),
    ("AG", 0.05),
    ("KG", 0.07),
    ("e.K.", 0.06),
    ("OHG", 0.03),
    ("SE", 0.01),
    ("UG (haftungsbeschränkt)", 0.05),
    ("eG", 0.04),
)
_REGISTER_KIND = {
    "GmbH": "HRB",
    "AG": "HRB",
    "SE": "HRB",
    "UG (haftungsbeschränkt)": "HRB",
    "KG": "HRA",
    "GmbH & Co. KG": "HRA",
    "OHG": "HRA",
    "e.K.": "HRA",
    "eG": "GnR",
}


@dataclass(frozen=True)
class _Params:
    """Per-customer parameters of a block, as arrays (cheap for 100,000 customers)."""

    shape: np.ndarray  # index into SHAPES
    base: np.ndarray  # expected revenue per month at full level, EUR
    start: np.ndarray  # first active month
    stop: np.ndarray  # first month no longer active (months = active to the end)
    rng_seed: np.ndarray


def _months_between(end: date, years: int) -> tuple[int, int, int]:
    """First (year, month) of the window and its length in months."""
    months = 12 * years
    index = end.year * 12 + end.month - 1 - (months - 1)
    return index // 12, index % 12 + 1, months


def _params(n: int, seed: int, months: int) -> _Params:
    rng = np.random.default_rng([seed, 1])
    shape = rng.choice(len(SHAPES), size=n, p=np.array(SHAPE_SHARES) / sum(SHAPE_SHARES))
    base = np.exp(rng.normal(np.log(3500.0), 1.0, size=n))
    burr = shape == SHAPES.index("burr")
    base[burr] = rng.uniform(40.0, 110.0, size=int(burr.sum()))
    late = (rng.random(n) < 0.25) & (months >= 36)
    start = np.where(late, rng.integers(12, max(13, months - 30), size=n), 0)
    start[burr] = np.where(rng.random(int(burr.sum())) < 0.85, 0, start[burr])
    stop = np.full(n, months)
    shrinking = shape == SHAPES.index("shrinking")
    ends = shrinking & (rng.random(n) < 0.4)
    stop[ends] = months - rng.integers(2, 10, size=int(ends.sum()))
    steady = shape == SHAPES.index("steady")
    quits = steady & (rng.random(n) < 0.08) & (start + 24 < months)
    stop[quits] = rng.integers(start[quits] + 24, months + 1)
    stop = np.maximum(stop, start + 18)
    stop = np.minimum(stop, months)
    return _Params(shape, base, start, stop, rng.integers(0, 2**63 - 1, size=n))


def _level(params: _Params, months: int, rng: np.random.Generator) -> np.ndarray:
    """Expected monthly value (customers × months) following each customer's shape."""
    n = len(params.shape)
    m = np.arange(months)[None, :]
    t = m - params.start[:, None]
    span = np.maximum(params.stop - params.start, 1)[:, None]
    x = np.clip(t / span, 0.0, 1.0)
    level = np.ones((n, months))
    shape = params.shape[:, None]

    growth_factor = rng.uniform(4.0, 10.0, size=n)[:, None]
    growth = np.exp(np.log(growth_factor) * (x - 1.0))
    shrink_factor = rng.uniform(4.0, 12.0, size=n)[:, None]
    shrinking = np.exp(-np.log(shrink_factor) * x)
    # bell: a fast rise to a peak in the middle, then a continuous decline by a factor of
    # 6 to 25 until the end (often below the order threshold, i.e. lost)
    peak = rng.uniform(0.3, 0.6, size=n)[:, None]
    sharp = rng.uniform(2.0, 3.5, size=n)[:, None]
    ratio = np.maximum(x / peak, 1e-6)
    decline = np.log(rng.uniform(6.0, 25.0, size=n))[:, None]
    bell = np.where(
        x <= peak,
        (ratio**sharp) * np.exp(sharp * (1.0 - ratio)),
        np.exp(-decline * (x - peak) / (1.0 - peak)),
    )
    seasonal = _seasonal_profiles(n, rng)[:, m[0] % 12]

    level = np.where(shape == SHAPES.index("growth"), growth, level)
    level = np.where(shape == SHAPES.index("shrinking"), shrinking, level)
    level = np.where(shape == SHAPES.index("bell"), bell, level)
    level = np.where(shape == SHAPES.index("cyclical"), seasonal, level)

    tau = rng.uniform(1.0, 3.0, size=n)[:, None]
    ramp = np.where(params.start[:, None] > 0, 1.0 - np.exp(-(t + 1) / tau), 1.0)
    not_bell = shape != SHAPES.index("bell")
    level = np.where(not_bell, level * np.clip(ramp, 0.0, 1.0), level)
    noise = np.exp(rng.normal(0.0, 0.18, size=(n, months)))
    active = (t >= 0) & (m < params.stop[:, None])
    value = params.base[:, None] * level * noise * active
    value[(shape == SHAPES.index("bell")) & (level < 0.04)] = 0.0
    return np.asarray(value)


def _seasonal_profiles(n: int, rng: np.random.Generator) -> np.ndarray:
    """Per customer, twelve month weights with mean 1: a few months carry the year."""
    profiles = np.full((n, 12), 0.0)
    kind = rng.integers(0, 4, size=n)
    peaks = {
        0: [11],  # budget month December
        1: [2, 3, 4],  # spring season
        2: [5, 6, 7],  # summer construction season
        3: [8, 9],  # autumn
    }
    for k, months in peaks.items():
        rows = kind == k
        profiles[np.ix_(rows, months)] = 1.0
    profiles += rng.uniform(0.0, 0.06, size=(n, 12))
    normalised: np.ndarray = profiles / profiles.mean(axis=1, keepdims=True)
    return normalised


def _order_months(rate: np.ndarray, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Customer and month of every order, for expected orders per customer and month `rate`.

    B2B customers reorder in a rhythm, not at random: the gaps between orders follow a
    gamma distribution (regularity shape 4 to 12, so far more regular than a Poisson
    process) in operational time, which runs as fast as the customer's rate that month.
    """
    n, months = rate.shape
    clock = np.cumsum(rate, axis=1)  # operational time at the end of each month
    total = clock[:, -1]
    regularity = np.asarray(rng.uniform(4.0, 12.0, size=n))[:, None]
    most = int(np.ceil(total.max() + 6.0 * np.sqrt(total.max()) + 4.0)) if n else 0
    gaps = np.asarray(rng.gamma(regularity, 1.0 / regularity, size=(n, most)))
    # a random phase: the first order falls anywhere in its gap
    gaps[:, 0] = gaps[:, 0] * rng.random(n)
    times = np.cumsum(gaps, axis=1)
    keep = times < total[:, None]
    o_cust = np.nonzero(keep)[0]
    stride = float(total.max()) + 1.0 if n else 1.0
    offsets = np.arange(n, dtype=float)[:, None] * stride
    month = np.searchsorted((clock + offsets).ravel(), (times + offsets)[keep], side="right")
    return o_cust, month - o_cust * months


def _block_lines(
    numbers: Sequence[str], params: _Params, *, seed: int, block: int, years: int, end: date
) -> pa.RecordBatch:
    rng = np.random.default_rng([seed, 2, block])
    n = len(numbers)
    first_year, first_month, months = _months_between(end, years)
    value = _level(params, months, rng)
    burr = params.shape == SHAPES.index("burr")

    orders_per_month = np.exp(rng.normal(np.log(1.2), 0.6, size=n))
    lumpy = rng.random(n) < 0.2
    orders_per_month[lumpy] = rng.uniform(1 / 3, 1 / 2, size=int(lumpy.sum()))
    orders_per_month[burr] = rng.uniform(0.7, 1.3, size=int(burr.sum()))
    # a customer whose level rises both orders more often and orders more at a time: the
    # level is split evenly (square root) between the order count and the order size
    level = value / params.base[:, None]
    order_size = (params.base / orders_per_month)[:, None] * np.sqrt(level)
    o_cust, o_month = _order_months(orders_per_month[:, None] * np.sqrt(level), rng)
    n_orders = len(o_cust)
    o_value = order_size[o_cust, o_month] * np.exp(rng.normal(0.0, 0.25, size=n_orders))

    month_index = first_year * 12 + first_month - 1 + o_month
    o_date = (np.array(month_index // 12 - 1970, dtype="int64") * 12 + month_index % 12).astype(
        "datetime64[M]"
    )
    days_in_month = ((o_date + 1).astype("datetime64[D]") - o_date.astype("datetime64[D]")).astype(
        int
    )
    o_day = o_date.astype("datetime64[D]") + rng.integers(0, days_in_month)
    credit = rng.random(n_orders) < 0.006

    lines_per_order = np.minimum(1 + rng.poisson(np.where(burr[o_cust], 0.3, 1.1)), 8)
    l_order = np.repeat(np.arange(n_orders), lines_per_order)
    l_cust = o_cust[l_order]
    first_line = np.concatenate(([0], np.cumsum(lines_per_order)[:-1]))
    line_no = np.arange(len(l_order)) - first_line[l_order] + 1
    weight = rng.exponential(1.0, size=len(l_order))
    weight /= np.bincount(l_order, weights=weight)[l_order]
    l_value = o_value[l_order] * weight

    catalogue = offerings()
    prices = np.array([o.unit_price for o in catalogue])
    costs = np.array([o.cost_ratio for o in catalogue])
    favourites = np.argsort(rng.random((n, len(catalogue))), axis=1)[:, :5]
    cheap = np.flatnonzero(prices < 100.0)  # a burr buys small things now and then
    favourites[burr] = rng.choice(cheap, size=(int(burr.sum()), 5))
    from_favourites = rng.random(len(l_order)) < 0.85
    fav_pick = favourites[l_cust, rng.integers(0, 5, size=len(l_order))]
    article = np.where(
        from_favourites | burr[l_cust], fav_pick, rng.integers(0, len(catalogue), len(l_order))
    )
    # nobody orders one machine for the value of a box of screws: an article dearer than
    # the line is replaced by the dearest article the line can pay for
    by_price = np.argsort(prices)
    affordable = by_price[np.maximum(np.searchsorted(prices[by_price], l_value) - 1, 0)]
    article = np.where(prices[article] > l_value, affordable, article)
    customer_discount = rng.uniform(0.0, 0.25, size=n)
    unit = prices[article] * (1.0 - customer_discount[l_cust])
    # whole units, rounded at random so that the value is kept on average
    exact = l_value / unit
    quantity = np.maximum(1.0, np.floor(exact) + (rng.random(len(exact)) < exact % 1.0))
    revenue = np.round(quantity * unit, 2)
    cost_ratio = np.where(burr[l_cust], rng.uniform(0.86, 0.92, len(l_order)), costs[article])
    cost = np.round(revenue * cost_ratio * rng.uniform(0.95, 1.05, len(l_order)), 2)
    rebate_rate = np.where(burr, rng.uniform(0.03, 0.05, n), rng.uniform(0.0, 0.03, n))
    discount = np.round(revenue * rebate_rate[l_cust], 2)
    freight_rate = np.where(burr, rng.uniform(0.03, 0.06, n), rng.uniform(0.005, 0.02, n))
    freight = np.round(revenue * freight_rate[l_cust], 2)

    sign = np.where(credit[l_order], -1.0, 1.0)
    quantity, revenue, cost = quantity * sign, revenue * sign, cost * sign
    discount = np.where(credit[l_order], 0.0, discount)
    freight = np.where(credit[l_order], 0.0, freight)

    customer_numbers = np.asarray(numbers, dtype=object)
    year = (o_day.astype("datetime64[Y]").astype(int) + 1970).astype(str)
    order_no = (block * 10_000_000 + 1 + np.arange(n_orders)).astype(str)
    prefix = np.where(credit, "G", "R")
    invoice = np.char.add(np.char.add(np.char.add(prefix, year), "-"), np.char.zfill(order_no, 9))
    article_numbers = np.array([o.number for o in catalogue], dtype=object)
    return pa.RecordBatch.from_arrays(
        [
            pa.array(customer_numbers[l_cust], type=pa.string()),
            pa.array(invoice[l_order], type=pa.string()),
            pa.array(line_no, type=pa.int32()),
            pa.array(o_day[l_order], type=pa.date32()),
            pa.array(article_numbers[article], type=pa.string()),
            pa.array(quantity, type=pa.float64()),
            pa.array(revenue, type=pa.float64()),
            pa.array(cost, type=pa.float64()),
            pa.array(discount, type=pa.float64()),
            pa.array(freight, type=pa.float64()),
        ],
        schema=SALES_LINE_SCHEMA,
    )


def _customer_number(index: int) -> str:
    return f"K{100_001 + index}"


def _blocks(n: int, seed: int, years: int) -> Iterator[tuple[int, range, _Params]]:
    months = 12 * years
    params = _params(n, seed, months)
    for block, lo in enumerate(range(0, n, BLOCK)):
        idx = slice(lo, min(lo + BLOCK, n))
        yield (
            block,
            range(lo, idx.stop),
            _Params(
                params.shape[idx],
                params.base[idx],
                params.start[idx],
                params.stop[idx],
                params.rng_seed[idx],
            ),
        )


def sales_line_batches(
    companies: Sequence[DemoCompany], *, years: int = 5, end: date = DEFAULT_END, seed: int = 42
) -> Iterator[pa.RecordBatch]:
    """Sales lines of the given companies (from `generate_companies` with the same seed)."""
    numbers = [c.number for c in companies]
    for block, rows, params in _blocks(len(companies), seed, years):
        yield _block_lines(
            [numbers[i] for i in rows], params, seed=seed, block=block, years=years, end=end
        )


def _month_date(first_year: int, first_month: int, offset: int) -> date:
    index = first_year * 12 + first_month - 1 + offset
    return date(index // 12, index % 12 + 1, 1)


def _ascii(text: str) -> str:
    text = text.replace("ä", "ae").replace("ö", "oe").replace("ü", "ue").replace("ß", "ss")
    text = text.replace("Ä", "Ae").replace("Ö", "Oe").replace("Ü", "Ue")
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()


def _company_name(rng: np.random.Generator, words: tuple[str, ...], city: str, form: str) -> str:
    surname = str(rng.choice(_SURNAMES))
    word = str(rng.choice(words))
    pattern = int(rng.integers(0, 5))
    if form in {"KG", "OHG"} and pattern < 2:
        other = str(rng.choice([s for s in _SURNAMES if s != surname]))
        core = f"{surname} & {other}" if pattern == 0 else f"{surname} & Söhne"
    elif pattern == 2:
        core = f"{rng.choice(_PREFIXES)}{rng.choice(_ROOTS)} {word}"
    elif pattern == 3 and form in {"AG", "SE", "GmbH"}:
        core = f"{city.split()[0]}er {word}"
    else:
        core = f"{surname} {word}"
    if form == "e.K.":
        return f"{core} e.K."
    return f"{core} {form}"


def generate_companies(
    n: int, *, seed: int = 42, years: int = 5, end: date = DEFAULT_END
) -> list[DemoCompany]:
    """`n` plausible German companies with master data, group structure and value shape."""
    params = _params(n, seed, 12 * years)
    rng = np.random.default_rng([seed, 3])
    first_year, first_month, _months = _months_between(end, years)
    city_weights = np.array([c[4] for c in _CITIES])
    industry_weights = np.array([i[1] for i in _INDUSTRIES])
    forms, form_p = zip(*_LEGAL_FORMS, strict=True)
    used: set[str] = set()
    companies: list[DemoCompany] = []
    for i in range(n):
        city, postal, _area, court, _w = _CITIES[
            rng.choice(len(_CITIES), p=city_weights / city_weights.sum())
        ]
        division, _weight, words = _INDUSTRIES[
            rng.choice(len(_INDUSTRIES), p=industry_weights / industry_weights.sum())
        ]
        form = str(rng.choice(forms, p=np.array(form_p) / sum(form_p)))
        name = _company_name(rng, words, city, form)
        while name in used:
            name = _company_name(rng, words, city, form)
            if name in used:
                name = name.replace(f" {form}", f" {city.split()[0]} {form}", 1)
        used.add(name)
        first_eight = str(int(rng.integers(10_000_000, 99_999_999)))
        shape = SHAPES[int(params.shape[i])]
        employees = int(max(3, np.exp(rng.normal(np.log(60 if shape != "burr" else 12), 1.1))))
        stop = int(params.stop[i])
        companies.append(
            DemoCompany(
                number=_customer_number(i),
                name=name,
                legal_form=form,
                street=f"{rng.choice(_STREETS)} {int(rng.integers(1, 180))}",
                postal_code=postal,
                city=city,
                wz_division=division,
                employees=employees,
                parent_number=None,
                vat_id=f"DE{first_eight}{de_vat_check_digit(first_eight)}",
                register_court=f"Amtsgericht {court}",
                register_number=f"{_REGISTER_KIND[form]} {int(rng.integers(100, 250_000))}",
                shape=shape,
                first_order=_month_date(first_year, first_month, int(params.start[i])),
                last_order=None
                if stop >= 12 * years
                else _month_date(first_year, first_month, stop - 1),
            )
        )
    return _with_groups(companies, rng)


def _with_groups(companies: list[DemoCompany], rng: np.random.Generator) -> list[DemoCompany]:
    """Put about 12 % of the companies into groups under larger ones, at most three levels."""
    n = len(companies)
    if n < 10:
        return companies
    order = np.argsort([-c.employees for c in companies])
    roots = [int(i) for i in order[: max(1, n // 25)]]
    parent: dict[int, int] = {}
    depth = dict.fromkeys(roots, 0)
    candidates = [int(i) for i in rng.permutation(n) if int(i) not in depth]
    for i in candidates[: int(n * 0.12)]:
        eligible = [j for j, d in depth.items() if d < 2]
        chosen = eligible[int(rng.integers(0, len(eligible)))]
        parent[i] = chosen
        depth[i] = depth[chosen] + 1
    return [
        c
        if i not in parent
        else DemoCompany(**{**c.__dict__, "parent_number": companies[parent[i]].number})
        for i, c in enumerate(companies)
    ]


def generate_contacts(companies: Sequence[DemoCompany], *, seed: int = 42) -> list[DemoContact]:
    """Two to six people per company, the first always from purchasing or management."""
    rng = np.random.default_rng([seed, 4])
    area_codes = {c[0]: c[2] for c in _CITIES}
    domains: dict[str, int] = {}
    contacts: list[DemoContact] = []
    for company in companies:
        domain = _domain(company, domains)
        addresses: set[str] = set()  # two namesakes at one company get 2, 3, … in theirs
        count = int(rng.integers(2, 7))
        others = rng.choice(range(2, len(_FUNCTIONS)), size=count - 1, replace=False)
        functions = [int(rng.integers(0, 2)), *others]
        for f in functions:
            female = bool(rng.random() < 0.42)
            first = str(rng.choice(_FIRST_F if female else _FIRST_M))
            last = str(rng.choice(_SURNAMES))
            male_title, female_title, department = _FUNCTIONS[int(f)]
            roles, influence = _FUNCTION_ROLES[int(f)]
            known = bool(rng.random() < 0.7)
            closeness = str(rng.choice(_CLOSENESS, p=[0.35, 0.45, 0.2]))
            contacts.append(
                DemoContact(
                    customer_number=company.number,
                    first_name=first,
                    last_name=last,
                    function=female_title if female else male_title,
                    department=department,
                    email=_address(
                        f"{_ascii(first).lower()}.{_ascii(last).lower()}", domain, addresses
                    ),
                    phone=f"+49 {area_codes.get(company.city, '30')} "
                    f"{int(rng.integers(200_000, 9_999_999))}",
                    roles=roles,
                    influence=influence,
                    attitude=str(rng.choice(_ATTITUDES, p=[0.12, 0.33, 0.35, 0.15, 0.05])),
                    known_by_owner=known,
                    closeness=closeness,
                    known_by_sales=bool(rng.random() < 0.25),
                    last_contact_days_ago=int(rng.integers(0, 500)) if known else None,
                )
            )
        if rng.random() < 0.15:
            first = str(rng.choice(_FIRST_M))
            last = str(rng.choice(_SURNAMES))
            firm = f"Ingenieurbüro {rng.choice(_SURNAMES)!s}"
            contacts.append(
                DemoContact(
                    customer_number=company.number,
                    first_name=first,
                    last_name=last,
                    function="Berater Anlagenplanung",
                    department="",
                    email=f"{_ascii(first).lower()}.{_ascii(last).lower()}@ib-beratung.de",
                    phone="",
                    roles=("influencer",),
                    influence="medium",
                    attitude=str(rng.choice(_ATTITUDES)),
                    organisation=firm,
                )
            )
    return contacts


_CLOSENESS = ("slight", "good", "close")


def _domain(company: DemoCompany, taken: dict[str, int]) -> str:
    """The company's mail domain from the first word of its name, numbered where another
    company has it already: an e-mail address names one person, as in life."""
    base = _ascii(company.name.split(" ")[0].replace("&", "")).lower().strip("-.")
    taken[base] = taken.get(base, 0) + 1
    return f"{base}.de" if taken[base] == 1 else f"{base}{taken[base]}.de"


def _address(local: str, domain: str, taken: set[str]) -> str:
    address, n = f"{local}@{domain}", 1
    while address in taken:
        n += 1
        address = f"{local}{n}@{domain}"
    taken.add(address)
    return address


@dataclass(frozen=True)
class DemoRelation:
    """`source` <kind> `target`, as indices into the list from `generate_contacts`."""

    source: int
    target: int
    kind: str


def _company_blocks(contacts: Sequence[DemoContact]) -> list[range]:
    """The index ranges of each company's people (they come in one run per company)."""
    blocks: list[range] = []
    start = 0
    for i in range(1, len(contacts) + 1):
        if i == len(contacts) or contacts[i].customer_number != contacts[start].customer_number:
            blocks.append(range(start, i))
            start = i
    return blocks


def generate_relations(contacts: Sequence[DemoContact], *, seed: int = 42) -> list[DemoRelation]:
    """A reporting line to each company's lead person, and some informal ties.

    Externals (consultants) report to nobody at the customer; they only influence.
    """
    rng = np.random.default_rng([seed, 11])
    relations: list[DemoRelation] = []
    for block in _company_blocks(contacts):
        head, *others = block
        for person in others:
            external = bool(contacts[person].organisation)
            if rng.random() < 0.8 and not external:
                relations.append(DemoRelation(person, head, "reports_to"))
            if rng.random() < 0.3:
                relations.append(DemoRelation(person, head, "influences"))
        if len(others) >= 2:
            a, b = (int(i) for i in rng.choice(others, size=2, replace=False))
            kind = str(rng.choice(("trusts", "influences", "opposes"), p=[0.45, 0.35, 0.2]))
            relations.append(DemoRelation(a, b, kind))
    return relations


_DECISIONS = (
    ("Ersatzinvestition Kommissionierung", "Entscheidung über neues Kommissioniersystem"),
    ("Rahmenvertrag 2027", "Neuausschreibung des Rahmenvertrags für C-Teile"),
    ("Serviceumstellung", "Wechsel auf Full-Service-Wartungsvertrag"),
)


@dataclass(frozen=True)
class DemoBuyingCenter:
    customer_number: str
    name: str
    unit_name: str | None
    decision: str
    members: tuple[int, ...]  # indices into the list from `generate_contacts`


def generate_buying_centers(
    contacts: Sequence[DemoContact],
    units: Sequence[DemoBusinessUnit],
    *,
    seed: int = 42,
) -> list[DemoBuyingCenter]:
    """Buying centers for some business units and for some open purchase decisions."""
    rng = np.random.default_rng([seed, 12])
    units_of: dict[str, list[str]] = {}
    for unit in units:
        units_of.setdefault(unit.customer_number, []).append(unit.name)
    centers: list[DemoBuyingCenter] = []
    for block in _company_blocks(contacts):
        number = contacts[block.start].customer_number
        if len(block) < 3:
            continue
        if units_of.get(number) and rng.random() < 0.4:
            unit_name = units_of[number][0]
            members = tuple(int(i) for i in rng.choice(block, size=3, replace=False))
            centers.append(DemoBuyingCenter(number, f"Bereich {unit_name}", unit_name, "", members))
        if rng.random() < 0.15:
            name, decision = _DECISIONS[int(rng.integers(0, len(_DECISIONS)))]
            members = tuple(int(i) for i in rng.choice(block, size=3, replace=False))
            centers.append(DemoBuyingCenter(number, name, None, decision, members))
    return centers


_NEEDS = (
    ("Ungeplante Stillstände senken", "Ausfälle an den Linien kosten je Stunde fünfstellig."),
    ("Lagerbestände reduzieren", "Kapitalbindung im C-Teile-Lager soll um ein Drittel sinken."),
    ("Energiekosten senken", "Druckluft und Antriebe sind die größten Verbraucher."),
    ("Fachkräftemangel in der Instandhaltung ausgleichen", "Zwei Stellen seit Monaten offen."),
    ("Lieferantenbasis verschlanken", "Einkauf will A- und B-Teile bei weniger Lieferanten."),
    ("Arbeitssicherheit verbessern", "Audit der Berufsgenossenschaft hat Mängel gezeigt."),
    ("Dokumentation für Kundenaudits", "Endkunden verlangen lückenlose Prüfnachweise."),
)
_COMPETITORS = ("Würth Industrie", "Hoffmann Group", "Berner", "Brammer", "Keller & Kalmbach")
_COMPETITOR_OFFERINGS = (
    "C-Teile-Management mit Kanban",
    "Werkzeugausgabeautomaten",
    "Instandhaltungsvertrag",
    "Energieaudit nach DIN EN 16247",
)


@dataclass(frozen=True)
class DemoDemand:
    article_number: str | None  # ours; None: only a competitor's offering serves it
    competitor: str
    competitor_offering: str
    share_of_wallet: float  # our revenue ÷ effective demand, for the loader to size it
    confidence: int
    source: str


@dataclass(frozen=True)
class DemoNeed:
    customer_number: str
    title: str
    description: str
    priority: str
    demands: tuple[DemoDemand, ...]


def generate_needs(
    companies: Sequence[DemoCompany],
    articles: Sequence[str],
    *,
    bought: Mapping[str, Sequence[str]] | None = None,
    seed: int = 42,
) -> list[DemoNeed]:
    """One to three needs for about 60 % of the companies, each made concrete by demand.

    Demand for our offerings mostly names what the company already buys from us
    (`bought`: company number → article numbers), so share of wallet has substance.
    """
    rng = np.random.default_rng([seed, 13])
    needs: list[DemoNeed] = []
    for company in companies:
        if rng.random() >= 0.6:
            continue
        for index in rng.choice(len(_NEEDS), size=int(rng.integers(1, 4)), replace=False):
            title, description = _NEEDS[int(index)]
            demands = []
            for _ in range(int(rng.integers(1, 3))):
                ours = rng.random() < 0.75
                usual = (bought or {}).get(company.number) or articles
                pool = usual if rng.random() < 0.8 else articles
                competitor = str(rng.choice(_COMPETITORS)) if rng.random() < 0.6 else ""
                demands.append(
                    DemoDemand(
                        article_number=str(rng.choice(pool)) if ours else None,
                        competitor=competitor or ("" if ours else str(rng.choice(_COMPETITORS))),
                        competitor_offering="" if ours else str(rng.choice(_COMPETITOR_OFFERINGS)),
                        share_of_wallet=float(rng.uniform(0.2, 0.95)) if ours else 0.0,
                        confidence=int(rng.choice((30, 50, 70, 90))),
                        source=str(rng.choice(("customer", "tender", "estimate", "market"))),
                    )
                )
            needs.append(
                DemoNeed(
                    customer_number=company.number,
                    title=title,
                    description=description,
                    priority=str(rng.choice(("high", "medium", "low"), p=[0.3, 0.5, 0.2])),
                    demands=tuple(demands),
                )
            )
    return needs


_UNITS = (
    ("Werkzeugbau", "Eigener Werkzeug- und Formenbau"),
    ("Instandhaltung", "Wartung der Produktionsanlagen"),
    ("Logistik", "Wareneingang, Lager und Versand"),
    ("Serienfertigung", "Großserien im Mehrschichtbetrieb"),
    ("Prototypenbau", "Muster und Kleinserien"),
    ("Technischer Service", "Außendienst beim Endkunden"),
    ("Montage", "End- und Baugruppenmontage"),
)


@dataclass(frozen=True)
class DemoBusinessUnit:
    customer_number: str
    name: str
    description: str


def generate_business_units(
    companies: Sequence[DemoCompany], *, seed: int = 42
) -> list[DemoBusinessUnit]:
    """Business units for the larger companies: two to four each, distinct per company."""
    rng = np.random.default_rng([seed, 5])
    units: list[DemoBusinessUnit] = []
    for company in companies:
        if company.employees < 150:
            continue
        for index in rng.choice(len(_UNITS), size=int(rng.integers(2, 5)), replace=False):
            name, description = _UNITS[int(index)]
            units.append(DemoBusinessUnit(company.number, name, description))
    return units


_NOTES = {
    1: ("Wird vorausgesetzt, kein Thema im Gespräch.", "Standard, Preis entscheidet.", ""),
    2: ("Lieferfähigkeit hebt uns vom Wettbewerb ab.", "Schätzt die kurze Reaktionszeit.", ""),
    3: ("Technischer Leiter lobt die Beratung ausdrücklich.", "Hat uns weiterempfohlen.", ""),
    4: ("Einkauf nennt uns intern als Vorbild.", "Würde ohne uns die Anlage nicht betreiben.", ""),
}


@dataclass(frozen=True)
class DemoAssessment:
    customer_number: str
    article_number: str
    level: int
    assessed_on: date
    note: str


def generate_fascination(
    companies: Sequence[DemoCompany], *, seed: int = 42, end: date = DEFAULT_END
) -> list[DemoAssessment]:
    """Pyramids for most customers: 3-8 offerings each, most expected, few fascinating."""
    rng = np.random.default_rng([seed, 6])
    catalogue = offerings()
    assessments: list[DemoAssessment] = []
    for company in companies:
        if rng.random() < 0.15:
            continue  # nobody has assessed this customer yet
        chosen = rng.choice(len(catalogue), size=int(rng.integers(3, 9)), replace=False)
        for index in chosen:
            level = int(rng.choice([1, 2, 3, 4], p=[0.45, 0.3, 0.17, 0.08]))
            days_ago = int(rng.integers(0, 700))
            assessments.append(
                DemoAssessment(
                    customer_number=company.number,
                    article_number=catalogue[int(index)].number,
                    level=level,
                    assessed_on=date.fromordinal(end.toordinal() - days_ago),
                    note=str(rng.choice(_NOTES[level])),
                )
            )
    return assessments


@dataclass(frozen=True)
class DemoFinance:
    customer_number: str
    credit_rating: str  # Creditreform-style index, 100 (excellent) to 600 (default)
    credit_source: str
    rated_on: date
    credit_limit: int
    payment_days_net: int
    cash_discount_percent: float | None
    cash_discount_days: int | None
    observed_days_to_pay: float


@dataclass(frozen=True)
class DemoCondition:
    customer_number: str
    kind: str
    description: str
    percent: float
    valid_from: date
    valid_until: date | None


def generate_finance(
    companies: Sequence[DemoCompany], *, seed: int = 42, end: date = DEFAULT_END
) -> tuple[list[DemoFinance], list[DemoCondition]]:
    """Credit, payment terms and behaviour for most customers; conditions for some."""
    rng = np.random.default_rng([seed, 7])
    profiles: list[DemoFinance] = []
    conditions: list[DemoCondition] = []
    for company in companies:
        if rng.random() < 0.1:
            continue  # not yet recorded
        index = int(np.clip(rng.normal(230, 60), 100, 600))
        days_net = int(rng.choice([14, 30, 30, 30, 45, 60]))
        discount = bool(rng.random() < 0.5) and days_net >= 30
        lateness = float(np.clip(rng.gamma(2.0, 4.0) + (index - 230) / 25, -5, 60))
        profiles.append(
            DemoFinance(
                customer_number=company.number,
                credit_rating=str(index),
                credit_source=str(rng.choice(["creditreform", "crif", "internal"])),
                rated_on=date.fromordinal(end.toordinal() - int(rng.integers(10, 400))),
                credit_limit=int(round(company.employees * rng.uniform(300, 900), -3)) or 5000,
                payment_days_net=days_net,
                cash_discount_percent=2.0 if discount else None,
                cash_discount_days=10 if discount else None,
                observed_days_to_pay=round(max(3.0, days_net + lateness), 1),
            )
        )
        if company.shape != "burr" and rng.random() < 0.35:
            conditions.append(
                DemoCondition(
                    company.number,
                    "discount",
                    "Rahmenrabatt auf Katalogpreise",
                    float(rng.choice([5, 8, 10, 12, 15])),
                    date(end.year - 1, 1, 1),
                    None,
                )
            )
        if rng.random() < 0.2:
            conditions.append(
                DemoCondition(
                    company.number,
                    "bonus",
                    f"Jahresbonus ab Umsatzschwelle {end.year - 1}",
                    float(rng.choice([1, 2, 3])),
                    date(end.year - 1, 1, 1),
                    date(end.year - 1, 12, 31),
                )
            )
    return profiles, conditions


_ACTIVITIES = (
    (
        "visit",
        "Jahresgespräch",
        "Rahmenvertrag besprochen, Bedarf an Wartung erkannt.",
        "Angebot Wartungsvertrag senden",
    ),
    ("call", "Rückfrage Lieferzeit", "Liefertermin bestätigt.", ""),
    ("email", "Preisanfrage Hydraulikzylinder", "Anfrage über 12 Stück.", "Angebot erstellen"),
    (
        "meeting",
        "Workshop C-Teile-Management",
        "Interesse an Kanban-System.",
        "Pilotprojekt vorschlagen",
    ),
    ("note", "Neuer Einkaufsleiter", "Ansprechpartner hat gewechselt.", "Vorstellungstermin"),
    (
        "call",
        "Reklamation Lieferung",
        "Falsche Menge geliefert, Gutschrift zugesagt.",
        "Gutschrift prüfen",
    ),
)


@dataclass(frozen=True)
class DemoActivity:
    customer_number: str
    kind: str
    days_ago: int
    subject: str
    outcome: str
    next_step: str
    follow_up_in_days: int | None  # relative to the day the demo is loaded


def generate_activities(companies: Sequence[DemoCompany], *, seed: int = 42) -> list[DemoActivity]:
    """A few logged exchanges per active customer; some with a follow-up around today."""
    rng = np.random.default_rng([seed, 8])
    activities: list[DemoActivity] = []
    for company in companies:
        if company.last_order is not None or rng.random() < 0.3:
            continue
        for _ in range(int(rng.integers(1, 5))):
            kind, subject, outcome, next_step = _ACTIVITIES[int(rng.integers(0, len(_ACTIVITIES)))]
            days_ago = int(rng.integers(0, 300))
            follow_up = int(rng.integers(-5, 15)) if next_step and days_ago < 60 else None
            activities.append(
                DemoActivity(
                    company.number,
                    kind,
                    days_ago,
                    subject,
                    outcome,
                    next_step if follow_up is not None else "",
                    follow_up,
                )
            )
    return activities


def write_sales_lines(
    path: Path,
    *,
    customers: int,
    years: int = 5,
    seed: int = 42,
    end: date = DEFAULT_END,
    progress: Callable[[int, int], None] | None = None,
) -> WriteSummary:
    """Write generated sales lines to Parquet or CSV, block by block, plus a labels file.

    Memory stays bounded by one block of customers, so 100,000 customers and ten million
    lines fit easily. The labels go to `<path>.labels.csv`.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in {".parquet", ".csv"}:
        raise ValueError("output must end in .parquet or .csv")
    lines = 0
    first_year, first_month, months = _months_between(end, years)
    writer: pq.ParquetWriter | pa_csv.CSVWriter
    if suffix == ".parquet":
        writer = pq.ParquetWriter(path, SALES_LINE_SCHEMA, compression="zstd")
    else:
        writer = pa_csv.CSVWriter(path, SALES_LINE_SCHEMA)
    labels_path = path.with_name(path.name + ".labels.csv")
    with writer, labels_path.open("w", newline="", encoding="utf-8") as labels_file:
        labels = csv.writer(labels_file)
        labels.writerow(["customer_number", "shape", "first_order", "last_order"])
        for block, rows, params in _blocks(customers, seed, years):
            numbers = [_customer_number(i) for i in rows]
            batch = _block_lines(numbers, params, seed=seed, block=block, years=years, end=end)
            writer.write_batch(batch)
            lines += batch.num_rows
            for number, shape, start, stop in zip(
                numbers, params.shape, params.start, params.stop, strict=True
            ):
                last = "" if stop >= months else _month_date(first_year, first_month, stop - 1)
                labels.writerow(
                    [number, SHAPES[shape], _month_date(first_year, first_month, start), last]
                )
            if progress is not None:
                progress(rows.stop, customers)
    return WriteSummary(path=path, lines=lines, customers=customers, bytes=path.stat().st_size)
