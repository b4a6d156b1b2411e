"""Measures: an instrument library held as data, scheduled administrations, item answers, one-time
survey links, safety alerts and follow-up reminders.

Shipped instruments (PHQ-9, GAD-7, K10, QPR-15, SWEMWBS) have no organisation; an organisation's own
instruments (built without code by an admin) carry its id. Scores are computed by the pure-Python
engine in ``scoring.py`` from ``Instrument.spec()``.

Each area keeps its models in ``<area>/models.py``; they are imported here so Django registers them
under the one ``measures`` app label (moving a model between areas needs no migration).
"""

from peerpath.measures.administrations.models import Administration, ItemAnswer, MeasureReminder, SafetyAlert
from peerpath.measures.instruments.models import Instrument, InstrumentItem, ItemTextOverride, ResponseOption
from peerpath.measures.links.models import SurveyLink
from peerpath.measures.schedules.models import Enrolment, MeasureSchedule, ScheduleInstrument, ScheduleTimepoint

__all__ = [
    "Administration", "Enrolment", "Instrument", "InstrumentItem", "ItemAnswer", "ItemTextOverride",
    "MeasureReminder", "MeasureSchedule", "ResponseOption", "SafetyAlert", "ScheduleInstrument",
    "ScheduleTimepoint", "SurveyLink",
]
