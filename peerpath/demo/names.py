"""Word lists for synthetic demo data. Every name is invented."""

from __future__ import annotations

from typing import Any

PEER_STAFF = [
    ("Carlos", "Mendoza", "man", "en,es"),
    ("Dana", "Whitehorse", "woman", "en"),
    ("Eli", "Brooks", "non_binary", "en"),
    ("Fatima", "Haddad", "woman", "en,ar"),
    ("Gabriel", "Santos", "man", "en,es,pt"),
    ("Hannah", "Kowalski", "woman", "en,pl"),
    ("Isaac", "Mensah", "man", "en"),
]

FIRST_NAMES = [
    "Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Rowan", "Luis", "María",
    "José", "Ana", "Kwame", "Amara", "Wei", "Mei", "Ravi", "Anika", "Tomás", "Lucía", "Omar", "Layla", "Sean",
    "Niamh", "Dmitri", "Olga", "Kofi", "Ama", "Hugo", "Inés", "Noah", "Emma", "Liam", "Olivia", "Ethan", "Sofía",
    "Mateo", "Valentina", "Darnell", "Keisha", "Tyrone", "Shanice", "Bill", "Linda", "Frank", "Rosa", "Yusuf", "Zara",
]
LAST_NAMES = [
    "Garcia", "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Rodriguez", "Martinez", "Hernandez",
    "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson",
    "White", "Harris", "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Nguyen",
    "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall", "Rivera", "Campbell", "Mitchell", "Carter", "Roberts",
]


def client_name(rng: Any, index: int) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)


REFERRAL_REASONS = [
    "Discharged from the inpatient unit last week after a second admission this year; says nobody understands what it is like.",
    "Frequent emergency department visits; would like support to connect with outpatient care.",
    "Early recovery from alcohol use; lonely since moving to the area and looking for a recovery community.",
    "Hearing voices for many years, feels hopeless about work; asked to talk to someone who has been through it.",
    "Recently housed after two years of homelessness; needs help building a routine and links to local groups.",
    "Young parent in recovery from opioid use, on medication; wants someone to walk alongside through custody hearings.",
    "Disengaging from the ACT team; the team hopes a peer can rebuild trust.",
    "Released from prison three weeks ago; wants a peer with justice experience.",
]
DECLINE_REASONS = [
    "Client did not want peer support at this time.",
    "Needs specialist eating-disorder service first; re-refer after assessment.",
    "Client moved out of the service area.",
]
CLOSE_REASONS = [
    "Goals achieved; client now attends a community recovery group on their own.",
    "Client chose to end peer support after 4 months.",
    "Lost contact after several attempts by phone and letter.",
]
VISIONS = [
    "A place of my own and a routine that keeps me well.",
    "Being a good dad again and getting back to work.",
    "Feeling part of something, not just a patient.",
    "Staying out of hospital and finishing my course.",
    "Waking up and wanting the day.",
]
GOALS = [
    ("I want to get my own flat by the summer.", "housing", "empowerment"),
    ("I'd like to go back to volunteering at the food bank.", "work", "meaning"),
    ("See my kids every weekend.", "relationships", "connectedness"),
    ("Walk to the park three times a week.", "physical_health", "hope"),
    ("Stay sober through the holidays.", "substance_use", "hope"),
    ("Join the Tuesday recovery choir.", "leisure", "connectedness"),
    ("Stop feeling like my diagnosis is all I am.", "mental_health", "identity"),
    ("Sort out my benefits so I'm not scared of letters.", "money", "empowerment"),
    ("Finish the college course I started.", "education", "meaning"),
    ("Go to the mosque again on Fridays.", "spirituality", "meaning"),
]
STEPS = {
    "housing": ["Call the housing office", "Fill in the housing application with Maya", "Visit the open-house on Elm Street"],
    "work": ["Ask the food bank about volunteer shifts", "Update my CV", "Go to the employment drop-in"],
    "relationships": ["Write to the family court", "Plan a Saturday outing with the kids"],
    "substance_use": ["Go to two meetings this week", "Make a holiday plan with my sponsor", "Pick up medication on Friday"],
    "default": ["Try it once this week and talk about how it went", "Find out times and place", "Ask a friend to come along"],
}
MEETING_TOPICS = ["Weekly caseload review", "New referrals and allocations", "Risk and safety huddle", "Discharge planning"]

NOTES = {
    "sharing_experience": "I shared a little of how I rebuilt a routine after hospital, which {name} said made it feel possible.",
    "advocacy": "Went with {name} to the benefits office and helped them say what they needed.",
    "community_connection": "Looked at local groups together; {name} picked the Tuesday walking club to try.",
    "hope_goals": "Reviewed {name}'s goals; {name} felt proud of the steps taken this week.",
    "transport": "Drove {name} to the clinic appointment.",
    "paperwork": "Helped {name} complete the housing form.",
    "appointment_reminder": "Reminded {name} of Thursday's appointment.",
}


def encounter_note(rng: Any, first_name: str, activities: list[str]) -> str:
    sentences = [NOTES[a].format(name=first_name) for a in activities if a in NOTES]
    sentences.append(rng.choice([
        "Next time: check in about sleep.", "Agreed to meet at the library next week.",
        f"{first_name} will call if things get hard before then.", "Will follow up on the plan step next visit.",
    ]))
    return " ".join(sentences)


# Baseline characteristics of demo clients (optional fields: some are "not recorded"). Shares are typical of
# community and acute adult mental-health services; the evaluation's balance table and adjusted comparison use them.
SEX_SHARES = {"female": 0.45, "male": 0.50, "other": 0.01, "": 0.04}
DIAGNOSIS_SHARES = {"psychosis": 0.28, "bipolar": 0.14, "depression": 0.22, "anxiety": 0.10, "substance": 0.10,
                    "personality": 0.06, "other": 0.03, "": 0.07}


def draw(rng: Any, shares: dict[str, float]) -> str:
    """One value with the given shares (which add up to 1)."""
    point, total = rng.random(), 0.0
    for value, share in shares.items():
        total += share
        if point < total:
            return value
    return next(iter(shares))
