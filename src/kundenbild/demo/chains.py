"""Realistic German problem-solving chains for the demo book of business.

Pure Python and NumPy, no Django, like `generator`: the chains are described as frozen
dataclasses that name demo customers and their people by customer number and by index
into the list from `generate_contacts`; the loader turns them into rows. Which demo
customers appear is chosen by seed among those of a fitting industry, falling back to
related industries and then to named companies, so every demo size gets every chain.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from kundenbild.demo.generator import DemoCompany, DemoContact


@dataclass(frozen=True)
class DemoChainStage:
    name: str
    follows: tuple[str, ...] = ()  # names of the stages right before it
    description: str = ""


@dataclass(frozen=True)
class DemoChainPerson:
    role: str = ""
    name: str = ""
    contact: int | None = None  # index into the list from `generate_contacts`
    in_contact: bool = True
    note: str = ""


@dataclass(frozen=True)
class DemoChainActor:
    key: str  # how the chain's flows name it
    stage: str
    identity: str  # ourselves, customer, company, group
    kind: str
    name: str = ""
    customer_number: str | None = None  # for identity "customer"
    size: str = ""
    importance: int = 3
    competitive_position: str = ""
    number: int = 1
    relationship: str = "none"
    success_factors: str = ""
    notes: str = ""
    people: tuple[DemoChainPerson, ...] = ()


@dataclass(frozen=True)
class DemoChainFlow:
    source: str
    target: str
    kind: str  # goods, services, money, information
    volume: str = ""
    note: str = ""


@dataclass(frozen=True)
class DemoChain:
    name: str
    scope: str  # offering, offering_group, customer, segment
    description: str
    stages: tuple[DemoChainStage, ...]
    actors: tuple[DemoChainActor, ...]
    flows: tuple[DemoChainFlow, ...]
    customer_number: str | None = None
    industry: str | None = None  # WZ 2008 division
    offering_number: str | None = None
    offering_group: str | None = None  # the group's German name, as in `offerings()`


@dataclass
class _Picker:
    """Chooses demo customers by seed, each at most once, preferring the given industries."""

    companies: Sequence[DemoCompany]
    contacts: Sequence[DemoContact]
    rng: np.random.Generator
    taken: set[str]

    def pick(self, *preferences: tuple[str, ...], anyone: bool = False) -> DemoCompany | None:
        """A company of the first industry group that has a free one; active customers
        first, since a chain is drawn for a relationship that is alive."""
        groups = [*preferences, ()] if anyone else list(preferences)
        for divisions in groups:
            pool = [
                c
                for c in self.companies
                if c.number not in self.taken and (not divisions or c.wz_division in divisions)
            ]
            active = [c for c in pool if c.last_order is None and c.shape != "burr"]
            for candidates in (active, pool):
                if candidates:
                    chosen = candidates[int(self.rng.integers(0, len(candidates)))]
                    self.taken.add(chosen.number)
                    return chosen
        return None

    def people(self, company: DemoCompany, count: int) -> tuple[int, ...]:
        """The company's lead person (purchasing or management) and then those our key
        account manager knows, as indices into the contact list."""
        own = [i for i, c in enumerate(self.contacts) if c.customer_number == company.number]
        own = [i for i in own if not self.contacts[i].organisation]  # no external consultants
        known = [i for i in own[1:] if self.contacts[i].known_by_owner]
        return tuple([*own[:1], *known][:count])


def generate_chains(
    companies: Sequence[DemoCompany], contacts: Sequence[DemoContact], *, seed: int = 42
) -> list[DemoChain]:
    """Four chains: one for a machine builder, a building-material chain for an offering
    group, an automotive segment and the chain behind one service offering."""
    picker = _Picker(companies, contacts, np.random.default_rng([seed, 14]), set())
    chains = [
        _food_machinery(picker),
        _building_materials(picker),
        _automotive_segment(picker),
        _hydraulic_service(picker),
    ]
    return [c for c in chains if c is not None]


def _linked(
    picker: _Picker, company: DemoCompany, actor: DemoChainActor, people: int
) -> DemoChainActor:
    """The actor as one of our demo customers, with the people of it we know."""
    return replace(
        actor,
        identity="customer",
        name=company.name,
        customer_number=company.number,
        size=f"{company.employees} Mitarbeitende",
        relationship="customer",
        people=(
            *(DemoChainPerson(contact=i) for i in picker.people(company, people)),
            *actor.people,
        ),
    )


_MACHINERY = ("28",)
_METALWORK = ("25", "27", "29", "22", "26", "24")


def _food_machinery(picker: _Picker) -> DemoChain | None:
    """A machine builder's packaging lines for dairies and meat processors, up to the
    shopper: our value lies in keeping its customers' lines running."""
    builder = picker.pick(_MACHINERY, _METALWORK, anyone=True)
    if builder is None:
        return None
    food = picker.pick(("10",))
    stages = (
        DemoChainStage("Komponentenlieferanten", (), "Antriebe, Sensorik, Wälzlager"),
        DemoChainStage("Wir", ("Komponentenlieferanten",), "Technischer Handel und Service"),
        DemoChainStage("Maschinenbauer", ("Wir",), "Abfüll- und Verpackungsanlagen"),
        DemoChainStage("Lebensmittelhersteller", ("Maschinenbauer",)),
        DemoChainStage("Lebensmitteleinzelhandel", ("Lebensmittelhersteller",)),
        DemoChainStage("Verbraucher", ("Lebensmitteleinzelhandel",)),
    )
    actors = [
        DemoChainActor(
            "supplier",
            "Komponentenlieferanten",
            "company",
            "supplier",
            name="Rheintal Antriebstechnik GmbH",
            size="ca. 850 Mitarbeitende",
            importance=3,
            competitive_position="strong",
            relationship="partner",
            success_factors="Liefertreue, Ersatzteile über 15 Jahre, technische Dokumentation",
            people=(DemoChainPerson("Key Account Handel", "Jens Albers"),),
        ),
        DemoChainActor(
            "us",
            "Wir",
            "ourselves",
            "trade",
            importance=3,
            competitive_position="strong",
            success_factors=(
                "Verfügbarkeit ab Lager, C-Teile-Kanban an der Montagelinie, "
                "Hydraulik-Service vor Ort"
            ),
        ),
        _linked(
            picker,
            builder,
            DemoChainActor(
                "builder",
                "Maschinenbauer",
                "customer",
                "manufacturer",
                importance=5,
                competitive_position="strong",
                success_factors=(
                    "Anlagenverfügbarkeit beim Kunden über 95 %, Hygienic Design, "
                    "kurze Lieferzeiten, Service in 24 Stunden"
                ),
                people=(
                    DemoChainPerson(
                        "Leitung Konstruktion",
                        in_contact=False,
                        note="gibt Komponenten frei, bevor der Einkauf bestellt",
                    ),
                ),
            ),
            people=2,
        ),
        DemoChainActor(
            "food",
            "Lebensmittelhersteller",
            "group",
            "manufacturer",
            name="ca. 60 mittelständische Molkereien und Fleischverarbeiter",
            size="50 bis 800 Mitarbeitende",
            importance=4,
            competitive_position="average",
            number=60,
            relationship="indirect",
            success_factors=(
                "Lebensmittelsicherheit (IFS, BRC), Rückverfolgbarkeit, kurze Umrüstzeiten, "
                "keine ungeplanten Stillstände"
            ),
            people=(
                DemoChainPerson("Produktionsleitung", in_contact=False),
                DemoChainPerson(
                    "Qualitätssicherung",
                    in_contact=False,
                    note="verlangt Prüfnachweise für jedes Ersatzteil",
                ),
                DemoChainPerson(
                    "Instandhaltung",
                    in_contact=False,
                    note="ruft bei Ausfällen zuerst den Maschinenbauer an",
                ),
            ),
        ),
        DemoChainActor(
            "retail",
            "Lebensmitteleinzelhandel",
            "group",
            "trade",
            name="Handelsketten und Discounter",
            size="5 Ketten mit über 75 % Marktanteil",
            importance=5,
            competitive_position="leader",
            number=5,
            success_factors="Preis, Regalverfügbarkeit, Eigenmarken, Lieferantenaudits",
            people=(DemoChainPerson("Qualitätsmanagement Eigenmarken", in_contact=False),),
        ),
        DemoChainActor(
            "consumer",
            "Verbraucher",
            "group",
            "user",
            name="Verbraucherinnen und Verbraucher",
            size="ca. 41 Mio. Haushalte",
            importance=3,
            success_factors="Frische, Preis, Herkunft, Tierwohl",
        ),
    ]
    flows = [
        DemoChainFlow("supplier", "us", "goods", "ca. 9.000 Positionen/Jahr", "Antriebe, Lager"),
        DemoChainFlow("us", "supplier", "money"),
        DemoChainFlow("us", "builder", "goods", "ca. 14.000 Positionen/Jahr", "C-Teile, Pneumatik"),
        DemoChainFlow("us", "builder", "services", "ca. 40 Einsätze/Jahr", "Hydraulik-Wartung"),
        DemoChainFlow("builder", "us", "money"),
        DemoChainFlow("builder", "us", "information", "", "Kanban-Signale, Bedarfsvorschau"),
        DemoChainFlow("builder", "food", "goods", "ca. 90 Anlagen/Jahr", "Abfüllanlagen"),
        DemoChainFlow("builder", "food", "services", "", "Inbetriebnahme, Fernwartung"),
        DemoChainFlow("food", "builder", "money"),
        DemoChainFlow("food", "us", "information", "", "Ersatzteilanfragen bei Stillstand"),
        DemoChainFlow("food", "retail", "goods", "", "Molkerei- und Fleischprodukte"),
        DemoChainFlow("retail", "food", "money"),
        DemoChainFlow("retail", "food", "information", "", "Spezifikationen, IFS-Audits"),
        DemoChainFlow("retail", "consumer", "goods"),
        DemoChainFlow("consumer", "retail", "money"),
    ]
    if food is not None:
        actors.append(
            _linked(
                picker,
                food,
                DemoChainActor(
                    "food_customer",
                    "Lebensmittelhersteller",
                    "customer",
                    "manufacturer",
                    importance=3,
                    competitive_position="average",
                    success_factors="Stillstände vermeiden, Arbeitssicherheit",
                    notes="kauft bei uns auch direkt Arbeitsschutz und C-Teile",
                ),
                people=1,
            )
        )
        flows += [
            DemoChainFlow("builder", "food_customer", "goods", "2 Linien seit 2023"),
            DemoChainFlow("us", "food_customer", "goods", "", "Arbeitsschutz, C-Teile"),
            DemoChainFlow("food_customer", "us", "money"),
        ]
    return DemoChain(
        name="Verpackungsanlagen für die Lebensmittelindustrie",
        scope="customer",
        customer_number=builder.number,
        description=(
            "Unser Kunde baut Abfüll- und Verpackungsanlagen für Molkereien und "
            "Fleischverarbeiter. Sein Erfolg hängt an der Verfügbarkeit der Anlagen beim "
            "Lebensmittelhersteller; den Takt gibt der Handel vor. Wer dort für Produktion "
            "und Qualität entscheidet, kennen wir noch nicht."
        ),
        stages=stages,
        actors=tuple(actors),
        flows=tuple(flows),
    )


def _building_materials(picker: _Picker) -> DemoChain:
    """Fastening products through the building-material trade to craftsmen and house
    owners, with planners who specify the products in a parallel branch."""
    trade = picker.pick(("46",))
    craft = picker.pick(("43",), ("41",))
    dealer = DemoChainActor(
        "dealer",
        "Baustoff-Fachhandel",
        "company",
        "trade",
        name="Baustoffunion Nord GmbH & Co. KG",
        size="42 Standorte",
        importance=4,
        competitive_position="leader",
        relationship="customer",
        success_factors="Sortimentsbreite, Lieferung auf die Baustelle am nächsten Morgen",
        people=(
            DemoChainPerson("Kategoriemanagement Befestigung", "Katrin Lange"),
            DemoChainPerson("Niederlassungsleitung", in_contact=False),
        ),
    )
    if trade is not None:
        dealer = _linked(picker, trade, replace(dealer, people=dealer.people[1:]), people=1)
    stages = (
        DemoChainStage("Rohstofflieferanten", (), "Walzdraht, Kunststoffgranulat"),
        DemoChainStage("Baustoffhersteller (wir)", ("Rohstofflieferanten",)),
        DemoChainStage("Baustoff-Fachhandel", ("Baustoffhersteller (wir)",)),
        DemoChainStage(
            "Architekten und Planer",
            ("Baustoffhersteller (wir)",),
            "schreiben Produkte in Leistungsverzeichnissen vor",
        ),
        DemoChainStage("Handwerksbetriebe", ("Baustoff-Fachhandel", "Architekten und Planer")),
        DemoChainStage("Bauherren und Hausbesitzer", ("Handwerksbetriebe",)),
    )
    actors = [
        DemoChainActor(
            "wire",
            "Rohstofflieferanten",
            "company",
            "supplier",
            name="Westfälische Drahtwerke GmbH",
            size="ca. 1.300 Mitarbeitende",
            importance=3,
            competitive_position="strong",
            relationship="partner",
            success_factors="Auslastung, langfristige Mengenkontrakte",
            people=(DemoChainPerson("Vertrieb Draht", "Michael Engel"),),
        ),
        DemoChainActor(
            "granulate",
            "Rohstofflieferanten",
            "group",
            "supplier",
            name="Kunststoffgranulat-Hersteller",
            importance=2,
            competitive_position="average",
            number=3,
            relationship="partner",
        ),
        DemoChainActor(
            "us",
            "Baustoffhersteller (wir)",
            "ourselves",
            "manufacturer",
            importance=4,
            competitive_position="strong",
            success_factors=(
                "Zulassungen (ETA, abZ), Sortimentsbreite, Schulungen für Verarbeiter, "
                "Präsenz in den Leistungsverzeichnissen"
            ),
        ),
        dealer,
        DemoChainActor(
            "other_dealers",
            "Baustoff-Fachhandel",
            "group",
            "trade",
            name="weitere Baustoff-Fachhändler",
            importance=3,
            competitive_position="average",
            number=35,
            relationship="customer",
        ),
        DemoChainActor(
            "planners",
            "Architekten und Planer",
            "group",
            "planner",
            name="ca. 120 Architektur- und Planungsbüros",
            importance=4,
            number=120,
            relationship="indirect",
            success_factors="Planungssicherheit, Ausschreibungstexte, BIM-Daten",
            people=(DemoChainPerson("Ausschreibung und LV-Erstellung", in_contact=False),),
        ),
        DemoChainActor(
            "craft",
            "Handwerksbetriebe",
            "group",
            "craft",
            name="ca. 400 Handwerksbetriebe",
            size="meist 5 bis 20 Mitarbeitende",
            importance=5,
            competitive_position="average",
            number=400,
            relationship="indirect",
            success_factors="schnelle Montage, sichere Verarbeitung, Material pünktlich am Bau",
            people=(
                DemoChainPerson("Inhaber und Meister", note="über unsere Verarbeiterschulungen"),
                DemoChainPerson("Bauleitung und Vorarbeiter", in_contact=False),
            ),
        ),
        DemoChainActor(
            "owners",
            "Bauherren und Hausbesitzer",
            "group",
            "user",
            name="Bauherren und Hausbesitzer",
            size="ca. 5.000 Bauvorhaben/Jahr im Vertriebsgebiet",
            importance=3,
            success_factors="Kosten, Termintreue, Sicherheit, Energieeffizienz",
        ),
    ]
    flows = [
        DemoChainFlow("wire", "us", "goods", "ca. 2.400 t/Jahr", "Walzdraht"),
        DemoChainFlow("us", "wire", "money"),
        DemoChainFlow("granulate", "us", "goods", "ca. 600 t/Jahr"),
        DemoChainFlow("us", "granulate", "money"),
        DemoChainFlow(
            "us", "dealer", "goods", "ca. 3.500 Paletten/Jahr", "Dübel, Anker, Schrauben"
        ),
        DemoChainFlow("dealer", "us", "money"),
        DemoChainFlow("us", "dealer", "information", "", "Produktdaten, Aktionen, Schulungen"),
        DemoChainFlow("us", "other_dealers", "goods", "ca. 6.000 Paletten/Jahr"),
        DemoChainFlow("other_dealers", "us", "money"),
        DemoChainFlow("dealer", "craft", "goods", "", "Baustellenbelieferung"),
        DemoChainFlow("other_dealers", "craft", "goods"),
        DemoChainFlow("craft", "dealer", "money"),
        DemoChainFlow("us", "craft", "services", "ca. 60 Schulungen/Jahr", "Anwendungstechnik"),
        DemoChainFlow("us", "planners", "information", "", "Ausschreibungstexte, BIM-Daten"),
        DemoChainFlow("planners", "craft", "information", "", "Leistungsverzeichnis"),
        DemoChainFlow("planners", "owners", "services", "", "Planung, Bauüberwachung"),
        DemoChainFlow("owners", "planners", "money", "", "Honorar nach HOAI"),
        DemoChainFlow("craft", "owners", "services", "", "Montage, Ausbau, Sanierung"),
        DemoChainFlow("owners", "craft", "money"),
    ]
    if craft is not None:
        actors.append(
            _linked(
                picker,
                craft,
                DemoChainActor(
                    "craft_customer",
                    "Handwerksbetriebe",
                    "customer",
                    "craft",
                    importance=3,
                    competitive_position="strong",
                    success_factors="Termintreue, gut ausgebildete Monteure",
                    notes="kauft Werkzeuge und Arbeitsschutz direkt bei uns",
                ),
                people=1,
            )
        )
        flows += [
            DemoChainFlow("dealer", "craft_customer", "goods"),
            DemoChainFlow("us", "craft_customer", "goods", "", "Werkzeuge, Arbeitsschutz"),
            DemoChainFlow("craft_customer", "us", "money"),
            DemoChainFlow("craft_customer", "owners", "services"),
        ]
    return DemoChain(
        name="Befestigungstechnik im Wohnungsbau",
        scope="offering_group",
        offering_group="Verbindungstechnik",
        description=(
            "Dübel, Anker und Schrauben erreichen den Bau über den Fachhandel; welches Produkt "
            "verbaut wird, entscheiden aber Handwerker und Planer. Sie gewinnen wir mit "
            "Schulungen und Ausschreibungstexten, nicht über den Preis."
        ),
        stages=stages,
        actors=tuple(actors),
        flows=tuple(flows),
    )


def _automotive_segment(picker: _Picker) -> DemoChain:
    """Parts makers in the automotive segment, up to the car owner: the OEM's quality
    rules reach down to our C-parts."""
    tier2 = picker.pick(("29",), ("25", "22", "24"), anyone=True)
    stages = (
        DemoChainStage("Normteilehersteller"),
        DemoChainStage("Wir", ("Normteilehersteller",)),
        DemoChainStage("Teilefertiger (Tier 2)", ("Wir",)),
        DemoChainStage("Systemlieferanten (Tier 1)", ("Teilefertiger (Tier 2)",)),
        DemoChainStage("Fahrzeughersteller", ("Systemlieferanten (Tier 1)",)),
        DemoChainStage("Autohandel", ("Fahrzeughersteller",)),
        DemoChainStage("Fahrzeughalter", ("Autohandel",)),
    )
    actors = [
        DemoChainActor(
            "norm",
            "Normteilehersteller",
            "group",
            "supplier",
            name="Schrauben- und Normteilehersteller",
            importance=2,
            competitive_position="average",
            number=8,
            relationship="partner",
            success_factors="Auslastung, Rohstoffpreise weitergeben",
        ),
        DemoChainActor(
            "us",
            "Wir",
            "ourselves",
            "trade",
            importance=3,
            competitive_position="strong",
            success_factors="Null-Fehler-Lieferung, Kanban, lückenlose Chargenrückverfolgung",
        ),
        DemoChainActor(
            "tier2",
            "Teilefertiger (Tier 2)",
            "group",
            "manufacturer",
            name="ca. 25 Stanz- und Kunststoffteilefertiger",
            size="100 bis 600 Mitarbeitende",
            importance=4,
            competitive_position="average",
            number=25,
            relationship="prospect",
            success_factors="Preisdruck auffangen, IATF 16949, Liefertreue",
            people=(DemoChainPerson("Produktionsleitung", in_contact=False),),
        ),
        DemoChainActor(
            "tier1",
            "Systemlieferanten (Tier 1)",
            "group",
            "manufacturer",
            name="Systemlieferanten für Sitze, Türen, Rohbau",
            importance=4,
            competitive_position="leader",
            number=6,
            relationship="none",
            success_factors="Kosten je Baugruppe, Qualität ab dem ersten Teil",
            people=(
                DemoChainPerson("Lieferantenentwicklung", in_contact=False),
                DemoChainPerson("Einkauf Rohbau und Interieur", in_contact=False),
            ),
        ),
        DemoChainActor(
            "oem",
            "Fahrzeughersteller",
            "group",
            "manufacturer",
            name="Fahrzeughersteller (OEM)",
            importance=5,
            competitive_position="leader",
            number=4,
            success_factors="Stückkosten, Anlaufqualität, Elektrifizierung",
            people=(
                DemoChainPerson(
                    "Qualitätssicherung",
                    in_contact=False,
                    note="PPAP und 8D-Berichte bis zum Tier 2",
                ),
            ),
        ),
        DemoChainActor(
            "dealer",
            "Autohandel",
            "group",
            "trade",
            name="Autohäuser und Werkstätten",
            importance=2,
            number=300,
            success_factors="Liefertermine, Werkstattauslastung",
        ),
        DemoChainActor(
            "owner",
            "Fahrzeughalter",
            "group",
            "user",
            name="Fahrzeughalter",
            size="ca. 1,2 Mio. Neuzulassungen/Jahr",
            importance=3,
            success_factors="Preis, Zuverlässigkeit, Reichweite",
        ),
    ]
    flows = [
        DemoChainFlow("norm", "us", "goods", "ca. 180 Mio. Teile/Jahr"),
        DemoChainFlow("us", "norm", "money"),
        DemoChainFlow("us", "tier2", "goods", "", "C-Teile per Kanban"),
        DemoChainFlow("tier2", "us", "money"),
        DemoChainFlow("tier2", "tier1", "goods", "", "Stanz- und Spritzgussteile"),
        DemoChainFlow("tier1", "tier2", "money"),
        DemoChainFlow("tier1", "tier2", "information", "", "Lieferabrufe, 8D-Berichte"),
        DemoChainFlow("tier1", "oem", "goods", "", "Module just in sequence"),
        DemoChainFlow("oem", "tier1", "money"),
        DemoChainFlow("oem", "tier1", "information", "", "Lastenhefte, EDI-Abrufe"),
        DemoChainFlow("oem", "dealer", "goods", "ca. 1,2 Mio. Fahrzeuge/Jahr"),
        DemoChainFlow("dealer", "oem", "money"),
        DemoChainFlow("dealer", "owner", "goods"),
        DemoChainFlow("dealer", "owner", "services", "", "Wartung, Garantie"),
        DemoChainFlow("owner", "dealer", "money"),
    ]
    if tier2 is not None:
        actors.append(
            _linked(
                picker,
                tier2,
                DemoChainActor(
                    "tier2_customer",
                    "Teilefertiger (Tier 2)",
                    "customer",
                    "manufacturer",
                    importance=3,
                    competitive_position="strong",
                    success_factors="Null-Fehler-Audits bestehen, Rüstzeiten senken",
                    people=(DemoChainPerson("Qualitätssicherung", in_contact=False),),
                ),
                people=1,
            )
        )
        flows += [
            DemoChainFlow("us", "tier2_customer", "goods", "ca. 2.000 Kanban-Behälter/Jahr"),
            DemoChainFlow("tier2_customer", "us", "money"),
            DemoChainFlow("tier2_customer", "tier1", "goods"),
        ]
    return DemoChain(
        name="Fahrzeugteile vom Normteil bis zum Fahrzeughalter",
        scope="segment",
        industry="29",
        description=(
            "In der Automobilzulieferung bestimmen Fahrzeughersteller und Systemlieferanten, "
            "was ein Teilefertiger von uns verlangt: Kanban, Chargenrückverfolgung, "
            "Null-Fehler. Ihre Qualitätssicherung erreichen wir bisher nicht."
        ),
        stages=stages,
        actors=tuple(actors),
        flows=tuple(flows),
    )


def _hydraulic_service(picker: _Picker) -> DemoChain:
    """Our hydraulics maintenance contract at waste and recycling plants, with a service
    partner covering nights and weekends."""
    operator = picker.pick(("38",), ("35",))
    stages = (
        DemoChainStage("Komponentenhersteller"),
        DemoChainStage("Wir (Service)", ("Komponentenhersteller",)),
        DemoChainStage("Servicepartner", ("Wir (Service)",), "Notdienst nachts und am Wochenende"),
        DemoChainStage("Anlagenbetreiber", ("Wir (Service)", "Servicepartner")),
        DemoChainStage("Auftraggeber", ("Anlagenbetreiber",)),
        DemoChainStage("Bürger", ("Auftraggeber",)),
    )
    actors = [
        DemoChainActor(
            "maker",
            "Komponentenhersteller",
            "company",
            "supplier",
            name="Neckar Hydraulik GmbH",
            size="ca. 400 Mitarbeitende",
            importance=3,
            competitive_position="strong",
            relationship="partner",
            success_factors="Marktanteil bei Pressen, Originalersatzteile",
            people=(DemoChainPerson("Serviceleitung", "Sabine Kessler"),),
        ),
        DemoChainActor(
            "us",
            "Wir (Service)",
            "ourselves",
            "service_partner",
            importance=4,
            competitive_position="strong",
            success_factors="Reaktionszeit unter 4 Stunden, Ersatzteile im Servicefahrzeug",
        ),
        DemoChainActor(
            "partner",
            "Servicepartner",
            "company",
            "service_partner",
            name="Hydraulik-Notdienst Weber e.K.",
            size="12 Monteure",
            importance=2,
            competitive_position="niche",
            relationship="partner",
            success_factors="Auslastung, kurze Anfahrt",
            people=(DemoChainPerson("Inhaber", "Uwe Weber"),),
        ),
        DemoChainActor(
            "operators",
            "Anlagenbetreiber",
            "group",
            "user",
            name="ca. 80 Entsorgungs- und Recyclingbetriebe",
            size="Pressen, Schredder, Sortieranlagen",
            importance=5,
            competitive_position="average",
            number=80,
            relationship="prospect",
            success_factors="Anlagenverfügbarkeit, Brandschutz, Arbeitssicherheit",
            people=(
                DemoChainPerson("Betriebsleitung Sortieranlage", in_contact=False),
                DemoChainPerson("Instandhaltung", in_contact=False),
            ),
        ),
        DemoChainActor(
            "clients",
            "Auftraggeber",
            "group",
            "user",
            name="Kommunen und Gewerbebetriebe",
            importance=3,
            number=150,
            success_factors="Entsorgungssicherheit, Gebührenstabilität, Recyclingquoten",
        ),
        DemoChainActor(
            "citizens",
            "Bürger",
            "group",
            "user",
            name="Bürgerinnen und Bürger",
            importance=1,
            success_factors="verlässliche Abholung, niedrige Gebühren",
        ),
    ]
    flows = [
        DemoChainFlow("maker", "us", "goods", "", "Pumpen, Zylinder, Dichtungssätze"),
        DemoChainFlow("us", "maker", "money"),
        DemoChainFlow("maker", "us", "information", "", "Schulungen, Serviceunterlagen"),
        DemoChainFlow("us", "operators", "services", "ca. 1.100 Einsätze/Jahr", "Wartung"),
        DemoChainFlow("operators", "us", "money", "", "Monatspauschale"),
        DemoChainFlow("operators", "us", "information", "", "Störmeldungen, Betriebsstunden"),
        DemoChainFlow("us", "partner", "information", "", "Einsatzaufträge"),
        DemoChainFlow("us", "partner", "money"),
        DemoChainFlow("partner", "operators", "services", "ca. 150 Einsätze/Jahr", "Notdienst"),
        DemoChainFlow("operators", "clients", "services", "ca. 250.000 t/Jahr", "Verwertung"),
        DemoChainFlow("clients", "operators", "money"),
        DemoChainFlow("clients", "citizens", "services", "", "Abfallabholung"),
        DemoChainFlow("citizens", "clients", "money", "", "Abfallgebühren"),
    ]
    if operator is not None:
        actors.append(
            _linked(
                picker,
                operator,
                DemoChainActor(
                    "operator_customer",
                    "Anlagenbetreiber",
                    "customer",
                    "user",
                    importance=4,
                    competitive_position="strong",
                    success_factors="Ballenpresse läuft im Dreischichtbetrieb",
                ),
                people=1,
            )
        )
        flows += [
            DemoChainFlow("us", "operator_customer", "services", "2 Wartungsverträge"),
            DemoChainFlow("operator_customer", "us", "money"),
            DemoChainFlow("operator_customer", "clients", "services"),
        ]
    return DemoChain(
        name="Hydraulik-Wartung für Entsorger und Recycler",
        scope="offering",
        offering_number="S-60010",
        description=(
            "Fällt die Presse eines Entsorgers aus, stauen sich die Abfälle der Kommunen. "
            "Unser Wartungsvertrag verkauft Verfügbarkeit; den Notdienst nachts deckt ein "
            "Partner ab. Die Betriebsleitungen der Anlagen kennen wir kaum."
        ),
        stages=stages,
        actors=tuple(actors),
        flows=tuple(flows),
    )
