"""The demonstration data set, as plain Python structures; `build.py` turns it into rows.

What is real and what is invented (see ../shared/DOMAIN.md, sections 1, 2, 3 and 6):
- Real: Suffolk's organisations and their dates (three CCGs to 30 June 2022, two ICBs from 1 July 2022), the
  LA code E10000029, the December 2016 inspection with its four areas of significant weakness and the letter
  published in mid-February 2017, the January 2019 revisit and its verdicts (one sufficient, three not), the
  accelerated progress plan, the 13-17 November 2023 inspection with widespread or systemic failings published
  on 30 January 2024 (two areas for priority action, paraphrased; three areas for improvement), the priority
  action plan due on 7 March 2024 (recorded as submitted that day) and approved by Ofsted and CQC, the
  board meetings of 1 March, 3 May, 7 June and 5 July 2024, the phase-transfer figures for 2022 and 2023, and
  the England 20-week timeliness figures for 2023 and 2024.
- Approximate: the exact on-site days of the 2016 inspection and the 2019 revisit, and the publication days of
  both reports (the months are real).
- Invented: every person, every action and its history, the wording of the three 2023 areas for improvement,
  the submission and acceptance dates of the written statement and the accelerated progress plan (and the
  accelerated progress plan being superseded when the priority action plan was submitted), board
  meetings after July 2024, every KPI value marked "Demonstration figures", and the whole of Westmere (flagged
  `is_invented`).
- The date of Suffolk's improvement notice is not known, so it is not recorded anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

# --- Organisations ------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Org:
    key: str
    name: str
    kind: str
    active_from: date | None = None
    active_to: date | None = None


CCG_END = date(2022, 6, 30)
ICB_START = date(2022, 7, 1)

ORGANISATIONS = [
    Org("scc", "Suffolk County Council", "local_authority"),
    Org("ies_ccg", "NHS Ipswich and East Suffolk CCG", "ccg", date(2013, 4, 1), CCG_END),
    Org("ws_ccg", "NHS West Suffolk CCG", "ccg", date(2013, 4, 1), CCG_END),
    Org("gyw_ccg", "NHS Great Yarmouth and Waveney CCG", "ccg", date(2013, 4, 1), CCG_END),
    Org("snee_icb", "NHS Suffolk and North East Essex ICB", "icb", ICB_START),
    Org("nw_icb", "NHS Norfolk and Waveney ICB", "icb", ICB_START),
    Org("spcf", "Suffolk Parent Carer Forum", "parent_carer_forum"),
    Org("nsft", "Norfolk and Suffolk NHS Foundation Trust", "provider"),
    Org("esneft", "East Suffolk and North Essex NHS Foundation Trust", "provider"),
    Org("dfe", "Department for Education", "dfe"),
    Org("nhse", "NHS England", "nhs_england"),
    Org("chairs", "Independent board chairs", "other"),
    Org("service", "SEND Tracker service team", "other"),
    # Invented.
    Org("wmc", "Westmere Council", "local_authority"),
    Org("wm_icb", "NHS Westmere ICB", "icb", ICB_START),
    Org("wm_pcf", "Westmere Parent Carer Forum", "parent_carer_forum"),
]


# --- Areas and their partnerships ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Area:
    key: str
    name: str
    slug: str
    la_code: str
    council: str
    partners: tuple[tuple[str, date | None, date | None], ...]
    is_invented: bool = False


AREAS = [
    Area(
        "suffolk",
        "Suffolk",
        "suffolk",
        "E10000029",
        "scc",
        partners=(
            ("ies_ccg", None, CCG_END),
            ("ws_ccg", None, CCG_END),
            ("gyw_ccg", None, CCG_END),
            ("snee_icb", ICB_START, None),
            ("nw_icb", ICB_START, None),
            ("spcf", None, None),
            ("nsft", None, None),
            ("esneft", None, None),
        ),
    ),
    # E06 codes are unitary authorities; the real ones stop far below 999.
    Area(
        "westmere",
        "Westmere",
        "westmere",
        "E06000999",
        "wmc",
        partners=(("wm_icb", ICB_START, None), ("wm_pcf", None, None)),
        is_invented=True,
    ),
]


# --- People -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    organisation: str
    role: str
    job_title: str
    login: bool = True  # False: named officers who lead actions but have no password
    chair: bool = False
    pcf: bool = False
    areas: tuple[str, ...] = ()
    superuser: bool = False

    @property
    def email(self) -> str:
        domains = {
            "scc": "suffolk.example",
            "snee_icb": "snee-icb.example",
            "nw_icb": "nw-icb.example",
            "ies_ccg": "ies-ccg.example",
            "ws_ccg": "ws-ccg.example",
            "gyw_ccg": "gyw-ccg.example",
            "spcf": "suffolkpcf.example",
            "chairs": "independent-chair.example",
            "dfe": "dfe.example",
            "nhse": "nhse.example",
            "service": "sendtracker.example",
            "wmc": "westmere.example",
            "wm_icb": "westmere-icb.example",
        }
        return f"{self.first_name.lower()}.{self.last_name.lower()}@{domains[self.organisation]}"


OFFICER = "action_officer"
MANAGER = "plan_manager"
BOARD = "board_member"
ADVISER = "adviser"
ADMINISTRATOR = "administrator"

# The demo logins, one per role, as listed in ../shared/DESIGN.md.
DEMO_USERS = [
    Person("officer.suffolk", "Rachel", "Adeyemi", "scc", OFFICER, "SEND Service Manager (statutory casework)"),
    Person("health.suffolk", "Nadia", "Clarke", "snee_icb", OFFICER, "Designated Clinical Officer for SEND"),
    Person("manager.suffolk", "Tom", "Hadley", "scc", MANAGER, "SEND Improvement Programme Manager"),
    Person(
        "chair.suffolk",
        "Margaret",
        "Osei",
        "chairs",
        BOARD,
        "Independent Chair, SEND Improvement Board",
        chair=True,
        areas=("suffolk",),
    ),
    Person(
        "pcf.suffolk",
        "Helen",
        "Garrard",
        "spcf",
        BOARD,
        "Parent carer representative",
        pcf=True,
        areas=("suffolk",),
    ),
    Person("officer.westmere", "Daniel", "Kerr", "wmc", OFFICER, "Head of SEND Services"),
    Person("adviser.dfe", "James", "Whitfield", "dfe", ADVISER, "SEND Adviser", areas=("suffolk", "westmere")),
    Person(
        "adviser.nhse",
        "Catherine",
        "Moss",
        "nhse",
        ADVISER,
        "Regional SEND Lead",
        areas=("suffolk", "westmere"),
    ),
    Person("admin", "Alex", "Morgan", "service", ADMINISTRATOR, "Service administrator", superuser=True),
]

# Named officers who lead or sign off actions but do not sign in.
OTHER_PEOPLE = [
    Person("joanne.pryke", "Joanne", "Pryke", "scc", OFFICER, "Head of SEND Assessment", login=False),
    Person("mark.ellison", "Mark", "Ellison", "scc", OFFICER, "Local Offer and Engagement Lead", login=False),
    Person("aisha.rahman", "Aisha", "Rahman", "scc", OFFICER, "Inclusion and SENCO Support Manager", login=False),
    Person("gareth.lowe", "Gareth", "Lowe", "scc", OFFICER, "SEND Commissioning Manager", login=False),
    Person("fiona.marsh", "Fiona", "Marsh", "scc", OFFICER, "Principal Educational Psychologist", login=False),
    Person(
        "andrew.pennington",
        "Andrew",
        "Pennington",
        "scc",
        BOARD,
        "Director of Children's Services",
        login=False,
        areas=("suffolk",),
    ),
    Person(
        "simon.ruddock",
        "Simon",
        "Ruddock",
        "snee_icb",
        OFFICER,
        "Head of Children's Commissioning",
        login=False,
    ),
    Person("lucy.barker", "Lucy", "Barker", "nw_icb", OFFICER, "Designated Clinical Officer", login=False),
    Person(
        "karen.bloomfield",
        "Karen",
        "Bloomfield",
        "ies_ccg",
        OFFICER,
        "Designated Clinical Officer",
        login=False,
    ),
    Person("peter.okafor", "Peter", "Okafor", "ws_ccg", OFFICER, "Children's Commissioning Lead", login=False),
    Person("julie.thrower", "Julie", "Thrower", "gyw_ccg", OFFICER, "Children's Commissioning Lead", login=False),
    Person("sophie.hartley", "Sophie", "Hartley", "wmc", MANAGER, "SEND Improvement Lead", login=False),
    Person("emma.lister", "Emma", "Lister", "wm_icb", OFFICER, "Designated Clinical Officer", login=False),
    Person(
        "robert.nwosu",
        "Robert",
        "Nwosu",
        "chairs",
        BOARD,
        "Chair, Westmere SEND Partnership Board",
        login=False,
        chair=True,
        areas=("westmere",),
    ),
]

PEOPLE = DEMO_USERS + OTHER_PEOPLE


# --- Inspections and findings -------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingSpec:
    reference: str
    kind: str
    title: str
    text: str = ""
    judges: str = ""  # reference of the earlier finding (in the inspection followed) that this one judges
    judgement: str = ""


@dataclass(frozen=True)
class InspectionSpec:
    key: str
    area: str
    framework: str
    kind: str
    onsite_start: date
    onsite_end: date
    published_on: date
    outcome: str
    findings: tuple[FindingSpec, ...]
    follows: str = ""


WEAKNESS = "significant_weakness"
PRIORITY = "priority_action"
IMPROVEMENT = "improvement"
STRENGTH = "strength"

SUFFOLK_WEAKNESSES = (
    "Governance and leadership of the strategic planning and delivery of the 2014 reforms",
    "Timeliness, integration and quality of statutory assessments and plans, and of the support that follows them",
    "Parents' understanding of the support on offer, and the quality of the Local Offer, including access to CAMHS",
    "Joint working to monitor, quality-assure and maximise the impact of improvement work on outcomes",
)
APPROXIMATE = "The on-site days and the publication day are approximate; the month is as reported."
INVENTED_AFI = "Invented wording for demonstration: the report's own wording for this area was not checked."

INSPECTIONS = [
    InspectionSpec(
        "suffolk_2016",
        "suffolk",
        "2016",
        "full",
        date(2016, 12, 5),
        date(2016, 12, 9),
        date(2017, 2, 15),
        "wsoa_required",
        findings=tuple(
            FindingSpec(str(number), WEAKNESS, title, f"Worded as at the 2019 revisit. {APPROXIMATE}")
            for number, title in enumerate(SUFFOLK_WEAKNESSES, start=1)
        ),
    ),
    InspectionSpec(
        "suffolk_2019",
        "suffolk",
        "2016",
        "revisit",
        date(2019, 1, 21),
        date(2019, 1, 24),
        date(2019, 2, 25),
        "",
        follows="suffolk_2016",
        findings=tuple(
            FindingSpec(
                str(number),
                WEAKNESS,
                title,
                APPROXIMATE,
                judges=str(number),
                judgement="sufficient" if number == 1 else "not_sufficient",
            )
            for number, title in enumerate(SUFFOLK_WEAKNESSES, start=1)
        ),
    ),
    InspectionSpec(
        "suffolk_2023",
        "suffolk",
        "2023",
        "full",
        date(2023, 11, 13),
        date(2023, 11, 17),
        date(2024, 1, 30),
        "systemic",
        findings=(
            FindingSpec(
                "PA1",
                PRIORITY,
                "The partnership should work more collaboratively and effectively on strategic planning, "
                "with measurable impact on children's experiences and outcomes",
                "Paraphrased from the report published on 30 January 2024.",
            ),
            FindingSpec(
                "PA2",
                PRIORITY,
                "Leaders should act urgently together to improve the timeliness and quality of EHC needs "
                "assessments, EHC plans and annual reviews, so that plans capture children's views and "
                "aspirations",
                "Paraphrased from the report published on 30 January 2024.",
            ),
            FindingSpec(
                "AFI1",
                IMPROVEMENT,
                "Identification of needs early, in the early years and at SEN support in mainstream schools",
                INVENTED_AFI,
            ),
            FindingSpec(
                "AFI2",
                IMPROVEMENT,
                "Waiting times for neurodevelopmental assessment, therapies and CAMHS, and support while waiting",
                INVENTED_AFI,
            ),
            FindingSpec(
                "AFI3",
                IMPROVEMENT,
                "Preparation for adulthood, post-16 pathways and the timeliness of phase transfers",
                INVENTED_AFI,
            ),
        ),
    ),
    # Westmere is invented throughout.
    InspectionSpec(
        "westmere_2017",
        "westmere",
        "2016",
        "full",
        date(2017, 10, 2),
        date(2017, 10, 6),
        date(2017, 11, 28),
        "no_wsoa",
        findings=(FindingSpec("S1", STRENGTH, "Early years settings identify needs quickly", "Invented."),),
    ),
    InspectionSpec(
        "westmere_2024",
        "westmere",
        "2023",
        "full",
        date(2024, 5, 13),
        date(2024, 5, 17),
        date(2024, 7, 10),
        "inconsistent",
        findings=(
            FindingSpec("AFI1", IMPROVEMENT, "Timeliness and quality of EHC needs assessments and plans", "Invented."),
            FindingSpec(
                "AFI2",
                IMPROVEMENT,
                "Consistency of SEN support in mainstream schools, so that needs are met without an EHC plan",
                "Invented.",
            ),
            FindingSpec(
                "AFI3",
                IMPROVEMENT,
                "Co-production with families, and the quality of the Local Offer",
                "Invented.",
            ),
            FindingSpec(
                "S1",
                STRENGTH,
                "Children and young people's voices shape the design of short breaks",
                "Invented.",
            ),
        ),
    ),
]


# --- Plans and actions --------------------------------------------------------------------------------------

SIGNED_OFF = "signed_off"
COMPLETED = "completed"
REOPENED = "reopened"
CANCELLED = "cancelled"
IN_PROGRESS = "in_progress"
NOT_STARTED = "not_started"


@dataclass(frozen=True)
class ActionSpec:
    reference: str
    title: str
    lead: str  # organisation key
    officer: str  # username
    status: str
    # A date for historic actions; for current ones, days from the day the demo is first loaded.
    due: date | int
    success: str
    rags: str = ""  # progress updates in order: G, A or R each
    support: tuple[str, ...] = ()
    revised_from: date | int | None = None  # the original due date when the due date was revised
    revision_reason: str = ""
    note: str = ""  # why it was cancelled or sent back


@dataclass(frozen=True)
class PlanSpec:
    key: str
    area: str
    kind: str
    title: str
    inspection: str
    status: str
    start: date  # when work on the plan began
    submitted_on: date | None
    accepted_on: date | None
    # The first part of an action reference ("2" of "2.3") -> the findings it answers.
    findings_by_section: dict[str, tuple[str, ...]]
    actions: tuple[ActionSpec, ...]
    superseded_on: date | None = None
    signer: str = ""  # the board member who signs off and sends back
    author: str = ""  # plan manager who builds the plan, revises dates and cancels
    published_url: str = ""
    extra: dict = field(default_factory=dict)


S, C, R, X, P, N = SIGNED_OFF, COMPLETED, REOPENED, CANCELLED, IN_PROGRESS, NOT_STARTED
A = ActionSpec

WSOA_ACTIONS = (
    A(
        "1.1",
        "Establish a SEND Strategic Partnership Board with terms of reference and parent carer forum membership",
        "scc",
        "manager.suffolk",
        S,
        date(2017, 9, 29),
        "Board meets every six weeks with council, all three CCGs, schools and the forum represented.",
        support=("ies_ccg", "ws_ccg", "gyw_ccg", "spcf"),
    ),
    A(
        "1.2",
        "Agree and publish a SEND Strategy 2017-20 co-produced with families",
        "scc",
        "manager.suffolk",
        S,
        date(2017, 12, 15),
        "Strategy published on the Local Offer and endorsed by cabinet and the CCG governing bodies.",
        support=("spcf",),
    ),
    A(
        "1.3",
        "Appoint a Designated Clinical Officer for SEND across the three CCGs",
        "ies_ccg",
        "karen.bloomfield",
        S,
        date(2017, 10, 31),
        "Designated Clinical Officer in post with a job description agreed by all three CCGs.",
        support=("ws_ccg", "gyw_ccg"),
    ),
    A(
        "1.4",
        "Report progress on the written statement to cabinet and the CCG governing bodies each quarter",
        "scc",
        "manager.suffolk",
        S,
        date(2018, 3, 30),
        "Four quarterly reports received and minuted.",
    ),
    A(
        "1.5",
        "Produce a joint SEND needs analysis for the Joint Strategic Needs Assessment",
        "scc",
        "gareth.lowe",
        S,
        date(2018, 1, 31),
        "SEND chapter of the JSNA published and used in commissioning decisions.",
        support=("ies_ccg", "ws_ccg"),
    ),
    A(
        "2.1",
        "Clear the backlog of statements awaiting transfer to EHC plans",
        "scc",
        "joanne.pryke",
        S,
        date(2018, 7, 31),
        "Every statement transferred to an EHC plan.",
        rags="AR",
        revised_from=date(2018, 3, 30),
        revision_reason="The backlog was not cleared by the March 2018 deadline; extra casework officers "
        "were recruited and a new date agreed with the DfE adviser.",
    ),
    A(
        "2.2",
        "Recruit additional EHC coordinators and bring caseloads down",
        "scc",
        "joanne.pryke",
        S,
        date(2017, 12, 22),
        "Six coordinators recruited; average caseload below 150.",
    ),
    A(
        "2.3",
        "Introduce a weekly multi-agency EHC panel with education, health and social care decision makers",
        "scc",
        "joanne.pryke",
        S,
        date(2017, 11, 30),
        "Panel meets weekly; decisions recorded within six weeks of the request.",
        support=("ies_ccg",),
    ),
    A(
        "2.4",
        "Agree timescales with health providers so that advice is returned within six weeks",
        "ws_ccg",
        "peter.okafor",
        S,
        date(2018, 4, 30),
        "90% of health advice returned within six weeks.",
        support=("esneft", "nsft"),
    ),
    A(
        "2.5",
        "Introduce a quality standard for EHC plans and train plan writers against it",
        "scc",
        "fiona.marsh",
        S,
        date(2018, 6, 29),
        "Every plan writer trained; audits show 70% of plans meet the standard.",
    ),
    A(
        "3.1",
        "Relaunch the Local Offer website with content tested by parents",
        "scc",
        "mark.ellison",
        S,
        date(2018, 3, 30),
        "New site live; parents tested every section before launch.",
        support=("spcf",),
    ),
    A(
        "3.2",
        "Publish a family guide to SEN support and the EHC process, co-produced with the forum",
        "scc",
        "mark.ellison",
        S,
        date(2017, 12, 15),
        "Guide published online and in print; forum endorsement recorded.",
        support=("spcf",),
    ),
    A(
        "3.3",
        "Publish CAMHS access routes and waiting times on the Local Offer",
        "ies_ccg",
        "karen.bloomfield",
        S,
        date(2018, 2, 28),
        "Routes and waits published and refreshed each quarter.",
        support=("nsft",),
    ),
    A(
        "3.4",
        "Commission a single point of access for emotional wellbeing referrals",
        "ies_ccg",
        "karen.bloomfield",
        X,
        date(2018, 6, 29),
        "Single point of access open to families and schools.",
        note="Replaced by the emotional wellbeing hub commissioned through the CAMHS transformation plan, "
        "which tracks it.",
    ),
    A(
        "3.5",
        "Hold termly SEND roadshows with families in each locality",
        "scc",
        "mark.ellison",
        S,
        date(2018, 7, 20),
        "Three roadshows held in each locality; feedback published.",
        support=("spcf",),
    ),
    A(
        "4.1",
        "Build a joint SEND performance dashboard shared by the council and the CCGs",
        "scc",
        "officer.suffolk",
        S,
        date(2018, 1, 31),
        "Dashboard reported to every partnership board meeting.",
        support=("ies_ccg", "ws_ccg", "gyw_ccg"),
    ),
    A(
        "4.2",
        "Introduce multi-agency audits of EHC plans each term",
        "scc",
        "fiona.marsh",
        S,
        date(2018, 4, 30),
        "Three audit rounds completed with health and social care auditors.",
        support=("ies_ccg", "ws_ccg"),
    ),
    A(
        "4.3",
        "Agree a joint commissioning framework for SEND across the council and the three CCGs",
        "scc",
        "gareth.lowe",
        S,
        date(2018, 9, 28),
        "Framework signed by the council and all three CCGs.",
        support=("ies_ccg", "ws_ccg", "gyw_ccg"),
    ),
    A(
        "4.4",
        "Gather and report children's and families' feedback on the impact of support",
        "scc",
        "officer.suffolk",
        S,
        date(2018, 6, 29),
        "Feedback summary reported to the board each term.",
        support=("spcf",),
    ),
    A(
        "4.5",
        "Align Great Yarmouth and Waveney CCG reporting with the Suffolk SEND dashboard",
        "gyw_ccg",
        "julie.thrower",
        X,
        date(2018, 3, 30),
        "Waveney data included in the dashboard.",
        note="Merged into action 4.1 once the shared dashboard included Waveney data.",
    ),
)

APP_ACTIONS = (
    A(
        "2.1",
        "Recover 20-week timeliness for new EHC plans with a weekly tracker of every open assessment",
        "scc",
        "joanne.pryke",
        S,
        date(2019, 12, 20),
        "60% of new plans issued within 20 weeks for three months running.",
    ),
    A(
        "2.2",
        "Create a dedicated annual review team and clear overdue annual reviews",
        "scc",
        "officer.suffolk",
        S,
        date(2020, 9, 30),
        "No annual review more than three months overdue.",
        rags="AA",
        revised_from=date(2020, 3, 31),
        revision_reason="Schools closed to most pupils from March 2020; reviews rescheduled.",
    ),
    A(
        "2.3",
        "Triage every request for an EHC needs assessment within two weeks through an EHC hub",
        "scc",
        "joanne.pryke",
        S,
        date(2019, 10, 31),
        "95% of requests triaged within ten working days.",
    ),
    A(
        "2.4",
        "Commission additional educational psychology capacity to return advice within six weeks",
        "scc",
        "fiona.marsh",
        S,
        date(2020, 1, 31),
        "90% of psychology advice returned within six weeks.",
    ),
    A(
        "2.5",
        "Agree a health advice service level with community paediatrics and therapy providers",
        "ies_ccg",
        "karen.bloomfield",
        S,
        date(2019, 11, 29),
        "Service level signed; 90% of health advice on time.",
        support=("esneft", "ws_ccg"),
    ),
    A(
        "2.6",
        "Roll out an EHC plan quality assurance framework with multi-agency moderation",
        "scc",
        "fiona.marsh",
        S,
        date(2020, 3, 31),
        "Framework in use; moderation held every term.",
    ),
    A(
        "2.7",
        "Train EHC coordinators to write outcomes that are specific and measurable",
        "scc",
        "fiona.marsh",
        S,
        date(2019, 12, 13),
        "Every coordinator trained; audits show improved outcomes sections.",
    ),
    A(
        "2.8",
        "Start phase-transfer planning at the Year 5 and Year 10 annual reviews",
        "scc",
        "joanne.pryke",
        S,
        date(2020, 7, 17),
        "Phase-transfer reviews held a year ahead for every child moving school.",
    ),
    A(
        "2.9",
        "Agree standards for social care advice to EHC needs assessments",
        "scc",
        "officer.suffolk",
        S,
        date(2020, 2, 28),
        "Social care advice returned in six weeks for 85% of assessments.",
    ),
    A(
        "2.10",
        "Move EHC casework onto an online portal for families and professionals",
        "scc",
        "manager.suffolk",
        S,
        date(2023, 4, 28),
        "Families can follow their child's assessment online.",
        rags="AA",
        revised_from=date(2021, 9, 30),
        revision_reason="Portal moved into the council's case management replacement programme.",
    ),
    A(
        "2.11",
        "Reduce the use of interim placements while plans are being finalised",
        "scc",
        "joanne.pryke",
        X,
        date(2021, 3, 31),
        "Fewer children in interim placements at the end of each term.",
        note="Superseded by the specialist place sufficiency work in the joint commissioning strategy.",
    ),
    A(
        "2.12",
        "Publish monthly EHC timeliness figures to the partnership board",
        "scc",
        "officer.suffolk",
        S,
        date(2019, 9, 30),
        "Figures reported at every board meeting.",
    ),
    A(
        "3.1",
        "Rebuild the Local Offer website with the parent carer forum, testing each section with families",
        "scc",
        "mark.ellison",
        S,
        date(2020, 6, 30),
        "Rebuilt site live; 70% of surveyed parents find what they need.",
        support=("spcf",),
    ),
    A(
        "3.2",
        "Launch a SEND family helpline with a named officer for every EHC case",
        "scc",
        "joanne.pryke",
        S,
        date(2019, 11, 29),
        "Helpline open; every family told who their named officer is.",
    ),
    A(
        "3.3",
        "Produce a plain-English guide to SEN support for every school to share with parents",
        "scc",
        "aisha.rahman",
        S,
        date(2020, 1, 31),
        "Guide sent to every school and published on the Local Offer.",
        support=("spcf",),
    ),
    A(
        "3.4",
        "Reduce CAMHS waits through additional commissioned capacity",
        "ies_ccg",
        "karen.bloomfield",
        S,
        date(2020, 12, 18),
        "Median wait for a first appointment under 12 weeks.",
        support=("nsft", "ws_ccg"),
        rags="AR",
    ),
    A(
        "3.5",
        "Extend the emotional wellbeing hub's hours and publish its referral routes",
        "ws_ccg",
        "peter.okafor",
        S,
        date(2019, 12, 20),
        "Hub open until 8pm on weekdays; routes published.",
        support=("nsft",),
    ),
    A(
        "3.6",
        "Publish CAMHS waiting times on the Local Offer every quarter",
        "ws_ccg",
        "peter.okafor",
        S,
        date(2019, 10, 31),
        "Waiting times published each quarter.",
        support=("nsft", "ies_ccg"),
    ),
    A(
        "3.7",
        "Publish a 'you said, we did' newsletter with the parent carer forum each term",
        "scc",
        "mark.ellison",
        S,
        date(2020, 4, 3),
        "Three newsletters published.",
        support=("spcf",),
    ),
    A(
        "3.8",
        "Train front-door staff in the graduated response so that families get consistent advice",
        "scc",
        "aisha.rahman",
        S,
        date(2020, 2, 28),
        "All front-door staff trained.",
    ),
    A(
        "3.9",
        "Run SENDIASS drop-in sessions in each locality",
        "scc",
        "mark.ellison",
        X,
        date(2020, 6, 30),
        "A drop-in every month in each locality.",
        note="Stopped under COVID-19 restrictions; replaced by the online sessions in action 3.7.",
    ),
    A(
        "3.10",
        "Agree one neurodevelopmental assessment pathway across Ipswich and East Suffolk and West Suffolk",
        "ws_ccg",
        "peter.okafor",
        S,
        date(2021, 3, 31),
        "Single pathway published and in use.",
        support=("ies_ccg", "nsft", "esneft"),
    ),
    A(
        "3.11",
        "Offer waiting-well support to families on the neurodevelopmental pathway",
        "snee_icb",
        "health.suffolk",
        X,
        date(2023, 3, 31),
        "Every family waiting offered support within four weeks.",
        note="Carried into the priority action plan (action 4.2).",
    ),
    A(
        "3.12",
        "Publish a complaints and feedback route for SEND services on the Local Offer",
        "scc",
        "mark.ellison",
        S,
        date(2019, 9, 30),
        "Route published; complaints reported to the board.",
    ),
    A(
        "4.1",
        "Set up a joint SEND quality assurance group chaired by the Designated Clinical Officer",
        "ies_ccg",
        "karen.bloomfield",
        S,
        date(2019, 9, 30),
        "Group meets monthly with education, health and care members.",
        support=("scc",),
    ),
    A(
        "4.2",
        "Agree a shared outcomes framework for children and young people with SEND",
        "scc",
        "manager.suffolk",
        S,
        date(2020, 3, 31),
        "Framework agreed by the board and used in reports.",
        support=("ies_ccg", "ws_ccg", "gyw_ccg", "spcf"),
    ),
    A(
        "4.3",
        "Review the impact of the plan with the parent carer forum every six months",
        "scc",
        "manager.suffolk",
        S,
        date(2021, 7, 30),
        "Joint reviews held and reported.",
        support=("spcf",),
    ),
    A(
        "4.4",
        "Audit a sample of EHC plans every quarter across education, health and care",
        "scc",
        "fiona.marsh",
        S,
        date(2020, 12, 18),
        "Four audit rounds completed; findings acted on.",
    ),
    A(
        "4.5",
        "Produce a joint commissioning strategy for SEND 2020-23",
        "scc",
        "gareth.lowe",
        S,
        date(2020, 10, 30),
        "Strategy signed by the council and the CCGs.",
        support=("ies_ccg", "ws_ccg"),
    ),
    A(
        "4.6",
        "Commission an independent review of SEND services",
        "scc",
        "manager.suffolk",
        S,
        date(2021, 9, 30),
        "Review reported with recommendations.",
    ),
    A(
        "4.7",
        "Implement the nine recommendations of the independent review",
        "scc",
        "manager.suffolk",
        S,
        date(2022, 9, 30),
        "Each recommendation delivered and evidenced to the board.",
        rags="GA",
    ),
    A(
        "4.8",
        "Bring health and education waiting data into one partnership dashboard",
        "scc",
        "officer.suffolk",
        S,
        date(2021, 3, 31),
        "Dashboard reported to every board.",
        support=("ies_ccg", "ws_ccg"),
    ),
    A(
        "4.9",
        "Commission alternative provision against agreed quality standards",
        "scc",
        "gareth.lowe",
        X,
        date(2022, 12, 16),
        "Every AP placement commissioned against the standards.",
        note="Superseded: alternative provision commissioning moved into the 2024 priority action plan.",
    ),
    A(
        "4.10",
        "Report progress to the six-monthly DfE and NHS England reviews",
        "scc",
        "manager.suffolk",
        S,
        date(2022, 3, 31),
        "Evidence packs submitted two weeks before each review.",
    ),
    A(
        "4.11",
        "Report on SEND outcomes to the ICB board",
        "snee_icb",
        "health.suffolk",
        S,
        date(2023, 1, 31),
        "Report received by the ICB board.",
        support=("nw_icb",),
    ),
)

PAP_ACTIONS = (
    # Priority action 1: strategic planning together.
    A(
        "1.1",
        "Appoint an independent chair and set up the SEND Improvement Board with published terms of reference",
        "scc",
        "manager.suffolk",
        S,
        date(2024, 4, 30),
        "Board meets bi-monthly; terms of reference and minutes on the Local Offer.",
        support=("snee_icb", "nw_icb", "spcf"),
    ),
    A(
        "1.2",
        "Publish a SEND Strategy 2024-28 co-produced with families and young people",
        "scc",
        "manager.suffolk",
        S,
        date(2024, 6, 28),
        "Strategy published and endorsed by cabinet and both ICB boards.",
        support=("snee_icb", "nw_icb", "spcf"),
    ),
    A(
        "1.3",
        "Agree a partnership outcomes framework with measures reported at every board",
        "scc",
        "officer.suffolk",
        C,
        -10,
        "Framework agreed; every board receives the measures with targets.",
        rags="GAG",
        support=("snee_icb", "nw_icb"),
    ),
    A(
        "1.4",
        "Set up a monthly SEND operational delivery group reporting to the board",
        "scc",
        "manager.suffolk",
        S,
        date(2024, 4, 26),
        "Group meets monthly; highlight report to each board.",
    ),
    A(
        "1.5",
        "Agree a joint commissioning plan for therapies and specialist equipment",
        "snee_icb",
        "simon.ruddock",
        P,
        -45,
        "Plan signed by the council and both ICBs, with pooled budget arrangements.",
        rags="AAR",
        support=("scc", "nw_icb"),
    ),
    A(
        "1.6",
        "Publish a sufficiency plan for specialist places and resourced provision",
        "scc",
        "gareth.lowe",
        P,
        90,
        "Plan published; places commissioned in line with forecast demand.",
        rags="GGA",
    ),
    A(
        "1.7",
        "Commission alternative provision against a quality framework with termly visits",
        "scc",
        "gareth.lowe",
        P,
        6,
        "Every AP placement quality-assured each term.",
        rags="AAG",
    ),
    A(
        "1.8",
        "Co-produce a participation strategy with the parent carer forum and the youth forum",
        "scc",
        "mark.ellison",
        S,
        date(2024, 11, 29),
        "Strategy endorsed by the forum and young people.",
        support=("spcf",),
    ),
    A(
        "1.9",
        "Publish a 'you said, we did' report after every board meeting",
        "scc",
        "mark.ellison",
        R,
        40,
        "Report published within two weeks of each board.",
        rags="GG",
        support=("spcf",),
        note="Reports after two boards were not published; show the schedule working before sign-off.",
    ),
    A(
        "1.10",
        "Report SEND performance every quarter to cabinet and both ICB boards",
        "scc",
        "manager.suffolk",
        S,
        date(2025, 3, 31),
        "Quarterly reports received and minuted.",
        support=("snee_icb", "nw_icb"),
    ),
    A(
        "1.11",
        "Agree a SEND data-sharing agreement between the council and both ICBs",
        "snee_icb",
        "health.suffolk",
        P,
        -25,
        "Agreement signed; shared data used in the outcomes framework.",
        rags="GAA",
        support=("scc", "nw_icb"),
    ),
    A(
        "1.12",
        "Bring Norfolk and Waveney ICB data on Waveney children into the Suffolk dashboard",
        "nw_icb",
        "lucy.barker",
        N,
        60,
        "Waveney children counted in every board measure.",
        support=("scc",),
    ),
    # Priority action 2: EHC needs assessments, plans and annual reviews.
    A(
        "2.1",
        "Recruit and retain EHC coordinators to bring caseloads to no more than 120",
        "scc",
        "joanne.pryke",
        S,
        date(2024, 9, 30),
        "Establishment filled; average caseload 120 or fewer.",
    ),
    A(
        "2.2",
        "Clear the backlog of EHC needs assessments open for more than 20 weeks",
        "scc",
        "joanne.pryke",
        P,
        -60,
        "No assessment open for more than 20 weeks without an agreed exception.",
        rags="ARR",
        revised_from=-150,
        revision_reason="Requests for assessment rose sharply in the autumn term; the recovery trajectory "
        "was reset with the DfE adviser.",
    ),
    A(
        "2.3",
        "Clear overdue annual reviews, oldest first, with a weekly tracker",
        "scc",
        "officer.suffolk",
        P,
        -40,
        "Fewer than 5% of annual reviews overdue.",
        rags="AAR",
        revised_from=-100,
        revision_reason="Two annual review officer posts stayed vacant; agency cover started late.",
    ),
    A(
        "2.4",
        "Complete phase-transfer reviews for next year's school moves on time",
        "scc",
        "officer.suffolk",
        P,
        8,
        "Every phase-transfer plan amended by the statutory deadline.",
        rags="GA",
    ),
    A(
        "2.5",
        "Introduce a quality assurance framework for EHC plans with monthly multi-agency audits",
        "scc",
        "fiona.marsh",
        S,
        date(2024, 7, 31),
        "Monthly audits held; 75% of audited plans good or better.",
        support=("snee_icb",),
    ),
    A(
        "2.6",
        "Train every EHC coordinator to write outcomes that capture the child's views and aspirations",
        "scc",
        "fiona.marsh",
        C,
        -5,
        "Every coordinator trained; audits show the child's voice in 80% of plans.",
        rags="GG",
    ),
    A(
        "2.7",
        "Return health advice for EHC needs assessments within six weeks",
        "snee_icb",
        "health.suffolk",
        P,
        -18,
        "90% of health advice returned within six weeks.",
        rags="AAA",
        support=("esneft", "nsft"),
    ),
    A(
        "2.8",
        "Check the health sections of every draft plan through the Designated Clinical Officer team",
        "snee_icb",
        "health.suffolk",
        P,
        4,
        "Every draft plan's health section checked before issue.",
        rags="GGA",
        support=("nw_icb",),
    ),
    A(
        "2.9",
        "Return educational psychology advice within six weeks using commissioned associate capacity",
        "scc",
        "fiona.marsh",
        P,
        45,
        "90% of psychology advice returned within six weeks.",
        rags="RAA",
    ),
    A(
        "2.10",
        "Return social care advice within six weeks for every assessment",
        "scc",
        "officer.suffolk",
        N,
        -8,
        "90% of social care advice returned within six weeks.",
    ),
    A(
        "2.11",
        "Give families a named contact and a timeline within five working days of a request",
        "scc",
        "joanne.pryke",
        S,
        date(2024, 6, 28),
        "Every family contacted within five working days.",
    ),
    A(
        "2.12",
        "Publish monthly EHC timeliness figures on the Local Offer",
        "scc",
        "officer.suffolk",
        S,
        date(2024, 5, 31),
        "Figures published each month.",
    ),
    A(
        "2.13",
        "Move annual review paperwork onto the EHC portal so that schools submit it online",
        "scc",
        "manager.suffolk",
        P,
        120,
        "90% of annual review paperwork submitted through the portal.",
        rags="GG",
    ),
    A(
        "2.14",
        "Feed learning from tribunal appeals and mediation back into plan quality",
        "scc",
        "fiona.marsh",
        N,
        75,
        "Quarterly learning report; themes addressed in training.",
    ),
    A(
        "2.15",
        "Reduce reliance on agency EHC coordinators through permanent recruitment",
        "scc",
        "joanne.pryke",
        X,
        date(2024, 12, 20),
        "Agency staff below 10% of the team.",
        note="Merged into action 2.1 (recruitment and retention).",
    ),
    A(
        "2.16",
        "Survey families after every final plan and report their ratings to the board",
        "scc",
        "mark.ellison",
        R,
        20,
        "A term of survey results reported to the board.",
        rags="AG",
        support=("spcf",),
        note="Response rate too low to show impact; reopened until a term's results are reported.",
    ),
    # Area for improvement 1: identifying needs early.
    A(
        "3.1",
        "Run a SENCO training programme on the graduated approach for every mainstream school",
        "scc",
        "aisha.rahman",
        P,
        100,
        "A SENCO from every mainstream school trained.",
        rags="GG",
    ),
    A(
        "3.2",
        "Introduce an early years SEND inclusion fund with clear criteria",
        "scc",
        "aisha.rahman",
        S,
        date(2025, 1, 31),
        "Fund open; decisions within four weeks.",
    ),
    A(
        "3.3",
        "Train health visitors to identify speech and language needs at the two-year review",
        "snee_icb",
        "health.suffolk",
        P,
        10,
        "Every health visitor trained.",
        rags="AG",
        support=("esneft",),
    ),
    A(
        "3.4",
        "Publish an ordinarily available provision guide for schools",
        "scc",
        "aisha.rahman",
        C,
        -15,
        "Guide published; schools use it in SEN support plans.",
        rags="GG",
        support=("spcf",),
    ),
    A(
        "3.5",
        "Set up locality inclusion panels where schools ask for support without an EHC plan",
        "scc",
        "aisha.rahman",
        P,
        -12,
        "Panels meet fortnightly in each locality.",
        rags="AA",
    ),
    A(
        "3.6",
        "Extend the speech and language therapy advice line to SENCOs",
        "snee_icb",
        "simon.ruddock",
        N,
        50,
        "Advice line open to every SENCO.",
        support=("esneft",),
    ),
    A(
        "3.7",
        "Start an outreach offer from special schools to mainstream schools",
        "scc",
        "gareth.lowe",
        N,
        12,
        "Outreach available in every locality.",
    ),
    # Area for improvement 2: waiting times.
    A(
        "4.1",
        "Reduce waits for neurodevelopmental assessment with additional assessment capacity",
        "snee_icb",
        "health.suffolk",
        P,
        -35,
        "No child waits more than 52 weeks for assessment.",
        rags="ARR",
        support=("nsft", "esneft"),
        revised_from=-90,
        revision_reason="Provider recruitment was delayed; a new trajectory was agreed with the NHS England adviser.",
    ),
    A(
        "4.2",
        "Offer waiting-well support to every family on the neurodevelopmental pathway",
        "snee_icb",
        "health.suffolk",
        P,
        30,
        "Every waiting family offered support within four weeks.",
        rags="AAG",
        support=("spcf",),
    ),
    A(
        "4.3",
        "Bring CAMHS waits for a first appointment under 18 weeks",
        "snee_icb",
        "simon.ruddock",
        P,
        150,
        "Median wait under 18 weeks.",
        rags="RAA",
        support=("nsft",),
    ),
    A(
        "4.4",
        "Publish health waiting times on the Local Offer every month",
        "snee_icb",
        "health.suffolk",
        S,
        date(2024, 10, 31),
        "Waits published monthly.",
        support=("scc",),
    ),
    A(
        "4.5",
        "Commission additional speech and language therapy for children with EHC plans",
        "snee_icb",
        "simon.ruddock",
        P,
        5,
        "Therapy provision in plans delivered for 90% of children.",
        rags="GA",
        support=("esneft",),
    ),
    A(
        "4.6",
        "Agree a Waveney pathway with Norfolk and Waveney ICB so families get the same offer",
        "nw_icb",
        "lucy.barker",
        P,
        -22,
        "One pathway for Waveney families.",
        rags="AA",
        support=("snee_icb",),
    ),
    A(
        "4.7",
        "Grow the Designated Clinical Officer team to cover both ICBs",
        "snee_icb",
        "health.suffolk",
        S,
        date(2024, 12, 20),
        "Team in post with cover across both ICBs.",
        support=("nw_icb",),
    ),
    A(
        "4.8",
        "Review the wheelchair and equipment pathway for children",
        "snee_icb",
        "simon.ruddock",
        X,
        date(2025, 3, 31),
        "Waits for equipment under 18 weeks.",
        note="Outside the inspection findings; moved to the ICB's community services plan.",
    ),
    # Area for improvement 3: preparing for adulthood.
    A(
        "5.1",
        "Hold preparing-for-adulthood reviews from Year 9 in every EHC plan",
        "scc",
        "officer.suffolk",
        C,
        -3,
        "Every Year 9 review covers the four preparing-for-adulthood outcomes.",
        rags="AG",
    ),
    A(
        "5.2",
        "Issue post-16 phase-transfer plans by 31 March",
        "scc",
        "joanne.pryke",
        P,
        110,
        "90% of post-16 plans issued by 31 March.",
        rags="AG",
    ),
    A(
        "5.3",
        "Develop supported internships with local employers",
        "scc",
        "gareth.lowe",
        P,
        80,
        "Forty supported internship places a year.",
        rags="GG",
    ),
    A(
        "5.4",
        "Agree a transition protocol from children's to adult health services",
        "snee_icb",
        "health.suffolk",
        N,
        95,
        "Protocol agreed by every health provider.",
        support=("nsft", "esneft"),
    ),
    A(
        "5.5",
        "Reduce the number of young people with EHC plans who are not in education, employment or training",
        "scc",
        "officer.suffolk",
        P,
        140,
        "NEET rate for young people with plans at or below the England rate.",
        rags="AAA",
    ),
    A(
        "5.6",
        "Publish a preparing-for-adulthood guide written with young people",
        "scc",
        "mark.ellison",
        C,
        25,
        "Guide published and promoted through schools and colleges.",
        rags="G",
        support=("spcf",),
    ),
    A(
        "5.7",
        "Expand the post-16 specialist college offer within Suffolk",
        "scc",
        "gareth.lowe",
        R,
        9,
        "Fewer young people travelling out of county for post-16 provision.",
        rags="AG",
        note="Places agreed but not yet commissioned; reopened until contracts are signed.",
    ),
)

WESTMERE_ACTIONS = (
    A(
        "1.1",
        "Triage every request for an EHC needs assessment at a weekly multi-agency panel",
        "wmc",
        "officer.westmere",
        S,
        date(2025, 1, 31),
        "Decisions within six weeks for 95% of requests.",
    ),
    A(
        "1.2",
        "Recruit two additional EHC coordinators",
        "wmc",
        "officer.westmere",
        S,
        date(2025, 3, 28),
        "Both posts filled; caseloads within target.",
    ),
    A(
        "1.3",
        "Return health advice within six weeks, tracked by the Designated Clinical Officer",
        "wm_icb",
        "emma.lister",
        P,
        -30,
        "90% of health advice returned within six weeks.",
        rags="AR",
    ),
    A(
        "1.4",
        "Issue draft plans by week 14 so that families have time to comment",
        "wmc",
        "officer.westmere",
        P,
        4,
        "80% of draft plans issued by week 14.",
        rags="AA",
    ),
    A(
        "1.5",
        "Audit ten EHC plans a month against the Westmere quality standard",
        "wmc",
        "officer.westmere",
        C,
        -10,
        "Monthly audits; findings reported to the partnership board.",
        rags="GG",
    ),
    A(
        "2.1",
        "Publish ordinarily available provision guidance for Westmere schools",
        "wmc",
        "officer.westmere",
        C,
        15,
        "Guidance published and used by schools.",
        rags="G",
    ),
    A(
        "2.2",
        "Run termly SENCO network meetings with training on the graduated approach",
        "wmc",
        "officer.westmere",
        P,
        60,
        "Every mainstream school represented at least twice a year.",
        rags="GG",
    ),
    A(
        "2.3",
        "Set up an inclusion outreach team from Westmere's special schools",
        "wmc",
        "officer.westmere",
        N,
        120,
        "Outreach available to every mainstream school.",
    ),
    A(
        "2.4",
        "Offer speech and language therapy advice sessions to primary schools",
        "wm_icb",
        "emma.lister",
        P,
        -14,
        "Sessions offered every half term.",
        rags="GA",
    ),
    A(
        "2.5",
        "Introduce school-led moderation of SEN support plans",
        "wmc",
        "officer.westmere",
        X,
        date(2025, 6, 30),
        "Moderation held each term.",
        note="Schools asked to fold this into the SENCO network (action 2.2).",
    ),
    A(
        "3.1",
        "Agree a co-production charter with Westmere Parent Carer Forum",
        "wmc",
        "officer.westmere",
        R,
        11,
        "Charter signed by the partnership and the forum.",
        rags="AG",
        support=("wm_pcf",),
        note="The forum has not yet endorsed the final charter.",
    ),
    A(
        "3.2",
        "Redesign the Local Offer website with families testing each page",
        "wmc",
        "officer.westmere",
        P,
        45,
        "New site live; 70% of surveyed families find what they need.",
        rags="AG",
        support=("wm_pcf",),
    ),
    A(
        "3.3",
        "Publish a termly 'you said, we did' update for families",
        "wmc",
        "officer.westmere",
        N,
        -5,
        "Update published every term.",
    ),
    A(
        "3.4",
        "Train frontline staff to explain the SEND system consistently to families",
        "wmc",
        "officer.westmere",
        P,
        75,
        "Every frontline officer trained.",
        rags="G",
    ),
    A(
        "3.5",
        "Survey families every term about their experience of SEND services",
        "wmc",
        "officer.westmere",
        N,
        90,
        "Survey results reported each term.",
        support=("wm_pcf",),
    ),
)

PLANS = [
    PlanSpec(
        "suffolk_wsoa",
        "suffolk",
        "wsoa",
        "Written statement of action 2017",
        "suffolk_2016",
        "accepted",
        start=date(2017, 6, 1),
        submitted_on=date(2017, 5, 26),
        accepted_on=date(2017, 7, 14),
        findings_by_section={"1": ("1",), "2": ("2",), "3": ("3",), "4": ("4",)},
        actions=WSOA_ACTIONS,
        signer="andrew.pennington",
        author="manager.suffolk",
    ),
    PlanSpec(
        "suffolk_app",
        "suffolk",
        "app",
        "Accelerated progress plan 2019",
        "suffolk_2019",
        "superseded",
        start=date(2019, 5, 1),
        submitted_on=date(2019, 4, 5),
        accepted_on=date(2019, 5, 24),
        superseded_on=date(2024, 3, 7),
        findings_by_section={"2": ("2",), "3": ("3",), "4": ("4",)},
        actions=APP_ACTIONS,
        signer="andrew.pennington",
        author="manager.suffolk",
    ),
    PlanSpec(
        "suffolk_pap",
        "suffolk",
        "pap",
        "Priority action plan 2024",
        "suffolk_2023",
        # Approved by Ofsted and CQC; the approval date was not found, so it is left blank.
        "accepted",
        start=date(2024, 3, 7),
        submitted_on=date(2024, 3, 7),
        accepted_on=None,
        findings_by_section={"1": ("PA1",), "2": ("PA2",), "3": ("AFI1",), "4": ("AFI2",), "5": ("AFI3",)},
        actions=PAP_ACTIONS,
        signer="chair.suffolk",
        author="manager.suffolk",
    ),
    PlanSpec(
        "westmere_improvement",
        "westmere",
        "improvement",
        "SEND improvement plan 2024-26",
        "westmere_2024",
        "accepted",
        start=date(2024, 9, 2),
        submitted_on=date(2024, 8, 21),
        accepted_on=date(2024, 9, 2),
        findings_by_section={"1": ("AFI1",), "2": ("AFI2",), "3": ("AFI3",)},
        actions=WESTMERE_ACTIONS,
        signer="robert.nwosu",
        author="sophie.hartley",
    ),
]


# --- Board meetings -----------------------------------------------------------------------------------------

# Suffolk's SEND Improvement Board: the published 2024 dates; later meetings are invented, every two months.
SUFFOLK_BOARD_DATES = [date(2024, 3, 1), date(2024, 5, 3), date(2024, 6, 7), date(2024, 7, 5)]
SUFFOLK_BOARD_TITLE = "SEND Improvement Board"
INVENTED_BOARD_SUFFIX = " (invented date)"
WESTMERE_BOARD_TITLE = "SEND Partnership Board (invented)"
WESTMERE_BOARD_FIRST = date(2024, 9, 18)


# --- Progress update wording --------------------------------------------------------------------------------

UPDATE_TEXT = {
    "G": (
        "On track. Task and finish group met; actions from the last meeting are complete.",
        "Milestone met on time and reported to the operational delivery group.",
        "Good progress: early data shows the intended change; evidence collected for the board.",
        "Plan agreed with partners and the parent carer forum; delivery under way as scheduled.",
        "On track. Feedback from families gathered and reflected in the next steps.",
    ),
    "A": (
        "Some slippage: staffing gaps have slowed delivery; mitigation agreed with the service lead.",
        "Partly on track. Data quality issues delay the baseline; working with the performance team.",
        "Progress slower than planned while partners agree funding; escalated to the delivery group.",
        "At risk: the first milestone was met late; recovery plan in place.",
        "Dependencies on another workstream are holding up the next step; raised at the delivery group.",
    ),
    "R": (
        "Off track: the milestone was missed. Escalated to the board with a recovery plan.",
        "Not on track. Demand has outstripped capacity; additional resource requested.",
        "Off track: recruitment to key posts has failed twice. Options paper going to the board.",
    ),
}
COMPLETION_STATEMENT = (
    "Delivered. The success measure is met and the evidence is attached to the latest update for the board."
)
SIGN_OFF_NOTE = "Evidence reviewed at the board; signed off."


# --- Measures (KPIs) ----------------------------------------------------------------------------------------

DEMO_SOURCE = "Demonstration figures (invented)"


@dataclass(frozen=True)
class MeasureSpec:
    area: str
    name: str
    unit: str
    direction: str
    findings: tuple[tuple[str, str], ...]  # (inspection key, finding reference)
    start: float  # the invented value twelve months ago
    end: float  # and last month
    target: float | None = None
    england_by_year: dict[int, float] | None = None  # England comparator, by calendar year
    england_note: str = ""
    months: int = 12
    # Annual figures, published once a year: (year, period start, value or None when invented, source)
    annual: tuple[tuple[int, float | None, str], ...] = ()
    annual_period: tuple[int, int] = (1, 1)  # month and day the annual period is labelled from


HIGHER = "higher"
LOWER = "lower"

MEASURES = [
    MeasureSpec(
        "suffolk",
        "New EHC plans issued within 20 weeks (excluding exceptions)",
        "%",
        HIGHER,
        (("suffolk_2023", "PA2"), ("suffolk_2019", "2")),
        start=22.0,
        end=41.0,
        target=60.0,
        england_by_year={2023: 50.3, 2024: 46.4},
        england_note="England: 50.3% in 2023 and 46.4% in 2024 (SEN2); later months compared with 2024",
    ),
    MeasureSpec(
        "suffolk",
        "Decisions on requests for assessment made within 6 weeks",
        "%",
        HIGHER,
        (("suffolk_2023", "PA2"),),
        start=58.0,
        end=81.0,
        target=95.0,
    ),
    MeasureSpec(
        "suffolk",
        "Annual reviews overdue",
        "reviews",
        LOWER,
        (("suffolk_2023", "PA2"),),
        start=2140.0,
        end=1310.0,
        target=300.0,
    ),
    MeasureSpec(
        "suffolk",
        "Children waiting more than 52 weeks for neurodevelopmental assessment",
        "children",
        LOWER,
        (("suffolk_2023", "AFI2"),),
        start=1480.0,
        end=1720.0,
        target=0.0,
    ),
    MeasureSpec(
        "suffolk",
        "Median wait from referral to first CAMHS appointment",
        "weeks",
        LOWER,
        (("suffolk_2023", "AFI2"), ("suffolk_2019", "3")),
        start=21.0,
        end=16.5,
        target=12.0,
    ),
    MeasureSpec(
        "suffolk",
        "Parents rating their experience of SEND services as good (forum survey)",
        "%",
        HIGHER,
        (("suffolk_2023", "PA1"),),
        start=18.0,
        end=34.0,
        target=60.0,
    ),
    MeasureSpec(
        "suffolk",
        "Mainstream schools with a SENCO trained in the graduated approach",
        "%",
        HIGHER,
        (("suffolk_2023", "AFI1"),),
        start=12.0,
        end=63.0,
        target=100.0,
    ),
    MeasureSpec(
        "suffolk",
        "Phase-transfer EHC plans amended by 15 February (school moves)",
        "%",
        HIGHER,
        (("suffolk_2023", "AFI3"),),
        start=0,
        end=0,
        target=100.0,
        annual=(
            (2023, 93.0, "Suffolk Local Offer, open letter of April 2023"),
            (2024, 95.0, DEMO_SOURCE),
            (2025, 96.5, DEMO_SOURCE),
            (2026, 97.0, DEMO_SOURCE),
        ),
        annual_period=(2, 15),
    ),
    MeasureSpec(
        "suffolk",
        "Post-16 phase-transfer EHC plans issued by 31 March",
        "%",
        HIGHER,
        (("suffolk_2023", "AFI3"),),
        start=0,
        end=0,
        target=100.0,
        annual=(
            (2022, 32.0, "Suffolk Local Offer, open letter of April 2023"),
            (2023, 53.5, "Suffolk Local Offer, open letter of April 2023"),
            (2024, 61.0, DEMO_SOURCE),
            (2025, 72.0, DEMO_SOURCE),
            (2026, 78.5, DEMO_SOURCE),
        ),
        annual_period=(3, 31),
    ),
    MeasureSpec(
        "westmere",
        "New EHC plans issued within 20 weeks (excluding exceptions)",
        "%",
        HIGHER,
        (("westmere_2024", "AFI1"),),
        start=38.0,
        end=52.0,
        target=70.0,
        months=6,
        england_by_year={2023: 50.3, 2024: 46.4},
        england_note="England: 50.3% in 2023 and 46.4% in 2024 (SEN2); later months compared with 2024",
    ),
    MeasureSpec(
        "westmere",
        "Families rating co-production as good (forum survey)",
        "%",
        HIGHER,
        (("westmere_2024", "AFI3"),),
        start=31.0,
        end=44.0,
        target=70.0,
        months=6,
    ),
    MeasureSpec(
        "westmere",
        "SEN support plans reviewed each term",
        "%",
        HIGHER,
        (("westmere_2024", "AFI2"),),
        start=55.0,
        end=68.0,
        target=90.0,
        months=6,
    ),
]
