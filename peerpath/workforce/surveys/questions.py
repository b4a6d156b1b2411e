"""The pulse survey's questions (from the seeds: the seven drivers of peer job satisfaction, stigma,
burnout and stress, invitation to team meetings). Agreement items are scored 1 (strongly disagree) to 5."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

SCALE = [(1, _("Strongly disagree")), (2, _("Disagree")), (3, _("Neither")), (4, _("Agree")), (5, _("Strongly agree"))]

# key, text, group
AGREEMENT_ITEMS = [
    ("responsibility", _("My responsibilities reflect my training and lived experience."), "drivers"),
    ("respected_colleagues", _("I feel respected by my supervisor and colleagues."), "drivers"),
    ("respected_served", _("I feel respected by the people I serve."), "drivers"),
    ("enough_training", _("I have enough training to do my job."), "drivers"),
    ("setting", _("I work in a community setting or peer-run program that suits peer work."), "drivers"),
    ("training_hours", _("I have been able to take the training hours I need to qualify."), "drivers"),
    ("skills_used", _("My peer support skills are used."), "drivers"),
    ("burnout", _("I feel burned out by my work."), "wellbeing"),
    ("stress", _("My job is very stressful."), "wellbeing"),
    ("invited_meetings", _("I am invited to team meetings."), "integration"),
]
AGREEMENT_KEYS = [key for key, _text, _group in AGREEMENT_ITEMS]

STIGMA_SOURCES = [
    ("stigma_coworkers", _("Non-peer coworkers")),
    ("stigma_leadership", _("Leadership")),
    ("stigma_served", _("People served")),
]
STIGMA_FORMS = [
    ("form_pay", _("Pay")),
    ("form_advancement", _("Advancement")),
    ("form_hiring", _("Hiring")),
]
YES_NO_KEYS = [key for key, _label in STIGMA_SOURCES + STIGMA_FORMS]
ALL_KEYS = AGREEMENT_KEYS + YES_NO_KEYS
