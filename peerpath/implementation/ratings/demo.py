"""Demo CFIR 2.0 ratings (main organisation): two organisation-wide rating rounds six months apart, by the
implementation team, with evidence notes. Between them the service defined the peer role with peers and
staff, invited peers to team meetings, gave them record access and trained non-peer staff, so culture,
compatibility, access to knowledge and the Innovation Deliverers' capability and opportunity improve.
Constructs nobody discussed stay close to where they were (drawn with ``ctx.rng``)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db.models import Q

from peerpath.demo.context import DemoContext
from peerpath.implementation.models import CfirRatingRound
from peerpath.implementation.ratings import services
from peerpath.implementation.reference import selectors as reference
from peerpath.implementation.reference.models import ConstructKind

SPRING_DAYS_AGO, AUTUMN_DAYS_AGO = 190, 10

# code: ((spring rating, evidence), (autumn rating, evidence)); a rating is −2..+2, "mixed" or "missing".
STORY: dict[str, tuple[tuple[Any, str], tuple[Any, str]]] = {
    "I.B": ((1, "Leadership quoted the Chinman 2014 review at the launch; front-line staff had not read it."),
            (1, "Same: staff accept 'moderate evidence' but ask for local results.")),
    "I.C": (("mixed", "Clinicians on the ACT team value peers for engagement; the inpatient unit sees no advantage."),
            (1, "Both teams now name examples of clients who re-engaged through a peer worker.")),
    "I.D": ((1, "Peers adapt groups to each ward; the model itself is not written down."),
            (2, "Role description lets each team tailor tasks; peers chose which groups to run.")),
    "I.F": ((-1, "Staff unsure how peer work fits care plans; documentation rules unclear."),
            (-1, "Still seen as complex on the inpatient unit: shift work and short stays.")),
    "I.H": ((-1, "Peer posts funded from a one-year grant; managers worry about cost after it ends."),
            (0, "Contract line from next year agreed in August; managers less worried about cost.")),
    "II.A": (("missing", "Not discussed in the interviews."), (0, "No critical incidents involving peer work this period.")),
    "II.B": ((1, "Local recovery college and family association support peer work."),
             (1, "Same partners; the family association co-hosted a session.")),
    "II.D": ((0, "Few links with other peer services."), (1, "Joined the regional peer network; monthly calls.")),
    "II.E": ((0, "No regulation specific to peer workers; certification optional."),
             (0, "No change in policy or law.")),
    "II.F": ((-2, "No billing route for peer contacts; posts depend on a grant (finance meeting, January)."),
             (0, "Commissioner agreed a contract line for peer support from next year (August); the grant covers "
                  "this year. No billing route for individual contacts.")),
    "II.G": (("missing", "Not enough data."), (0, "No external pressure either way.")),
    "III.A.2": ((-2, "Peers have no access to the electronic record; they keep paper notes (IT ticket 4471)."),
                (1, "Record access agreed and set up in August; peers read and write the records of their own clients on "
                      "the ACT team, inpatient accounts still pending.")),
    "III.A": ((-1, "Peers share one desk and have no access to the record system."),
              (0, "Record access since August; desks on the ACT team, none yet on the inpatient ward.")),
    "III.A.3": ((-2, "No written job description for peers; duties differ by team and by manager."),
                (1, "Job description co-written with peers and staff (October); the inpatient unit is still adapting.")),
    "III.B": ((-1, "Peers rarely consulted by other staff; two of six peers say they work 'next to' the team."),
              (1, "Clinicians now ask peers to join reviews; peers name a colleague they go to on each team.")),
    "III.C": ((-1, "Peers learn about changes last; not on the team e-mail list."),
              (0, "Peers on the ACT team's lists and meetings; the inpatient unit still leaves them out of handover.")),
    "III.D": ((-1, "Staff survey free text: 'peers are not qualified', 'nice but not treatment'; peers called "
                   "'helpers' at handover."),
              (1, "Language changed after the training; managers challenge 'helper'. Inpatient unit still mixed.")),
    "III.D.1": ((-1, "Peers eat apart and are not introduced at ward rounds (observation, March)."),
                (1, "Peers introduced by name and role at ward rounds; share the staff room.")),
    "III.D.2": ((1, "Services say they are person-centred; recovery goals in 40% of care plans."),
                (1, "Recovery goals in most ACT care plans audited in September; the inpatient unit lags behind.")),
    "III.D.3": ((-1, "Peers say their lived experience is treated as a risk, not a skill."),
                (0, "Monthly supervision since September, given by clinicians; peers still ask for a supervisor with "
                      "peer experience.")),
    "III.D.4": ((0, "Occasional case reviews; no learning from peer work."),
                (1, "Monthly reflective practice includes peers and clinicians.")),
    "III.E": ((1, "Re-admissions and disengagement worry managers; they want something to change."),
              (1, "Still a felt need; less urgency since engagement improved.")),
    "III.F": ((-2, "Peers were asked to do case management and escorts; role unclear to everyone "
                   "(peer team meeting, March)."),
              (1, "Role description written with peers and staff (October); peers do peer work, escorts shared.")),
    "III.G": ((-1, "Peer support is one of eleven priorities; not on management team agenda."),
              (1, "Standing item on the management team agenda every month.")),
    "III.H": ((-2, "Peer pay one band below support workers with similar duties (HR review, April)."),
              (-1, "Pay review agreed; regrading not yet implemented.")),
    "III.I": ((1, "Mission statement names recovery; peers fit it."), (2, "Board report links peer support to the mission.")),
    "III.J.1": ((-1, "Grant funding only."), (0, "Contract line from next year; this year still on the grant.")),
    "III.J.2": ((-1, "No room for peers to meet clients privately."), (0, "Shared interview room booked for peers twice a week.")),
    "III.J.3": ((0, "Phones and laptops available."), (0, "No change.")),
    "III.J": ((-1, "No budget line for peer training or supervision time."),
              (0, "Training paid from the grant extension; supervision time protected on paper.")),
    "III.K": ((-2, "No training on peer support for non-peer staff in two years (training records)."),
              (1, "Information sessions on peer support for all staff in September (48 of 60 attended); structured "
                    "training for non-peer staff not started yet.")),
    "V.A": ((0, "Implementation team meets irregularly; no peer on it."),
            (2, "Team of leader, supervisor, two peers and a clinician meets every month.")),
    "V.B.1": ((-1, "Peers' needs not asked."), (1, "Peer survey and team meeting in May.")),
    "V.B.2": (("missing", "Clients not asked yet."), (1, "Client feedback cards collected on both teams.")),
    "V.D": ((-1, "No written plan."), (2, "Implementation plan with owners and dates; half done.")),
    "V.F.1": ((-1, "Peers told about decisions after they are made."),
              (2, "Peers co-wrote the role description and sit on the implementation team.")),
    "V.F.2": ((0, "Clients hear about peer support by chance."), (1, "Leaflet and introduction at admission.")),
    "V.H": ((-1, "Nobody looks at how peer support is going."),
            (1, "Readiness survey and CFIR ratings repeated; integration figures reviewed monthly.")),
    "V.H.1": ((-1, "No review of how implementation goes."), (1, "Readiness survey repeated; ratings repeated now.")),
    "V.H.2": ((0, "Encounters counted, no outcomes."), (1, "Measures scheduled for clients with a peer.")),
}

# (role, characteristic): spring and autumn ratings for the roles the team discussed.
ROLES: dict[tuple[str, str], tuple[tuple[Any, str], tuple[Any, str]]] = {
    ("IV.A.8", "IV.B.1"): ((2, "Peers want a clear role and to be part of the team."), (2, "Unchanged.")),
    ("IV.A.8", "IV.B.2"): ((-1, "Two of six peers without certification or training in documentation."),
                           (1, "All peers completed the certification course; record training done.")),
    ("IV.A.8", "IV.B.3"): ((-2, "Excluded from team meetings and records; no time for peer work."),
                           (1, "Attend ACT team meetings, record access, escorts shared; the inpatient unit still leaves them out of "
                            "handover.")),
    ("IV.A.8", "IV.B.4"): ((1, "Motivated but tired of doing generic tasks."), (2, "Peers say the role is now theirs.")),
    ("IV.A.9", "IV.B.1"): ((2, "Clients ask for someone who has been there."), (2, "Waiting list for a peer worker.")),
    ("IV.A.9", "IV.B.3"): ((-1, "Clients meet peers by chance."), (1, "Every new client is offered a peer.")),
    ("IV.A.9", "IV.B.4"): (("missing", "Not asked."), (1, "Feedback cards: clients want to keep seeing their peer.")),
    ("IV.A.1", "IV.B.4"): ((1, "Director supports the programme publicly."), (2, "Director reports to the board.")),
    ("IV.A.2", "IV.B.2"): ((-1, "Team managers unsure how to supervise peers."), (1, "Managers trained with the peer supervisor.")),
    ("IV.A.2", "IV.B.4"): (("mixed", "ACT manager keen; inpatient manager doubtful."), ("mixed", "Still different by team.")),
}


def _drift(rng: Any) -> int:
    return rng.choice([-1, 0, 0, 0, 1])


def seed(ctx: DemoContext) -> None:
    org = ctx.organisations[0]
    leader = ctx.staff["leader"]
    if CfirRatingRound.objects.filter(organisation=org).exists():
        return
    constructs = list(reference.cfir_constructs().filter(Q(ratable=True) & ~Q(kind=ConstructKind.ROLE)))
    if not constructs:
        return
    rng = ctx.rng
    spring, autumn = [], []
    for construct in constructs:
        if construct.rated_per_role:
            continue
        if construct.code in STORY:
            (s, s_note), (a, a_note) = STORY[construct.code]
        else:
            s = rng.choice([-1, 0, 0, 1])
            a = max(-2, min(2, s + _drift(rng)))
            s_note = "Discussed at the implementation team meeting; no strong view either way."
            a_note = "Same picture as in the spring." if a == s else "Informants describe a small change since spring."
        spring.append(_entry(construct.code, None, s, s_note))
        autumn.append(_entry(construct.code, None, a, a_note))
    for (role, characteristic), ((s, s_note), (a, a_note)) in ROLES.items():
        spring.append(_entry(characteristic, role, s, s_note))
        autumn.append(_entry(characteristic, role, a, a_note))
    for title, days_ago, entries, notes in (
        ("CFIR rating — spring", SPRING_DAYS_AGO, spring,
         "Rated by the implementation team from 12 staff interviews, the peer team meeting and the staff survey."),
        ("CFIR rating — autumn", AUTUMN_DAYS_AGO, autumn,
         "Re-rated with the same sources six months on, plus the plan's progress and ward observations."),
    ):
        rating_round = services.cfir_round_create(actor=leader, title=title, rated_on=ctx.today - timedelta(days=days_ago),
                                                  notes=notes)
        services.cfir_ratings_save(actor=leader, rating_round=rating_round, ratings=entries)


def _entry(code: str, role: str | None, rating: Any, evidence: str) -> dict[str, Any]:
    if isinstance(rating, str):
        return {"construct": code, "role": role, "value": rating, "score": None, "evidence": evidence}
    return {"construct": code, "role": role, "value": "rated", "score": rating, "evidence": evidence}
