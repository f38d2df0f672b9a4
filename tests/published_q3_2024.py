"""A landing zone whose national figures are the published Q3 2024 figures.

The national report for Q3 2024 (``/work/shared/seeds/002_7c81e055ad987593.txt``,
summarised in ``indicators.md`` → "Published reference figures") is the only
ground truth we have outside our own code. This module writes CSV submissions
that, computed by the definitions in ``indicators.md``, give those figures, so
an end-to-end test can assert that ``marts.quarterly_indicators`` reproduces
the publication. ``tests/oracle.py`` (an independent implementation of the
definitions) proves the data does what this module claims.

How the data is built: every trajectory comes from a *profile* below (a
count plus the dates, exit reason, jobs and flags all its rows share). The
comment on each profile says what it contributes (``paid`` = a job overlapping
the active window, ``sust`` = sustainable, ``ever`` = ever paid in the
trajectory, ``js`` = job started, ``jt`` = job stopped, band = days from the
trajectory start to the first job), so the published totals can be audited by
adding up counts. Rows are then spread over the organisations (weighted,
deterministic), the financing is spread within a *pool* of profiles (so the
IPS ``GEMEENTE`` paid-work share can be pinned), and regions come from the
organisation register in ``seeds/``.

The data avoids the cases the spec leaves open, so any faithful reading of it
gives the same numbers: no job ends before its trajectory starts (so "first
job in the trajectory" is unambiguous), every jobcoaching client has at most
one job on the last day of the window and no employment duration is exactly
6 or 12 months. It does contain the edges the spec decides: 90 and 91 days to
the first job, exactly 271 days, a job ending on 2024-07-01 (overlaps Q3) or on
2024-06-30 (does not), a job ending on the trajectory's end date, boundary
values of the sustainable-work norm (12 hours, 35% wage value, 3 months), a
job that started before the trajectory (days to first job clipped to 0),
orientation rows with jobs (must not count anywhere), an IPS organisation with
0 FTE (left out of clients per FTE) and submissions with empty optional values.

Which published figures hold, and which cannot:

* Reproduced exactly (count and printed share): everything per trajectory type
  in ``PUBLISHED_Q3_2024``, and for all types together running 4.763 (IPS
  85,3%), started 685, paid work 1.786 (37,5%), sustainable 1.413 (29,7%),
  43 organisations.
* IPS ended: the report prints both 646 and 642; we use 642 (the split
  263 + 71 + 308 adds up to 642 and gives the printed 15,8% and 52,0%).
* All types, ever paid work: the report's 2.108 is below what its own
  per-type figures allow. Paid work (1.786) minus IPS, WABZ and Overig paid
  (1.524 + 26 + 86) leaves 150 for jobcoaching + Werkfit + Naar Werk, but ever
  (2.108) minus their ever (1.848 + 27 + 87) leaves only 146, while paid work
  is a subset of ever paid work. We keep paid work exact and give those three
  types no "worked before" clients, so ever = 2.112, which still prints as
  44,3%.
* All types, ended: with 642 IPS the total is 642 + 18 + 5 + 46 + 54 + 9 =
  774 (published 778 = with 646). Intended result: IPS 334 + jobcoaching 16 +
  WABZ 2 + Overig 15 + Werkfit 34 + Naar Werk 5 = 406 (52,5%); published 410
  (52,7%) = the same with 4 more successful IPS endings. The WABZ value 2 is
  the one that makes the published 410/778 consistent (its 3 clients who never
  worked had no unpaid work either).
* IPS education: 341 as published; the printed 8,6% is not 341 / 4.062
  (8,4%), so only the count is asserted.

These deviations are in ``DEVIATIONS_Q3_2024`` (published → built), and
figures the report does not print but this data fixes (orientation, split
of Werkfit/Naar Werk, IPS financing) in ``BUILT_Q3_2024``.
"""

from __future__ import annotations

import csv
import hashlib
import random
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import NamedTuple

from werkmonitor import reference
from werkmonitor.quarters import Quarter

QUARTER = Quarter.parse("2024Q3")


class Expected(NamedTuple):
    """A published figure: the count and/or the value as printed.

    ``display`` is the value as the report prints it without ``%``: shares
    ×100 with one decimal and a decimal comma (``37,5``), clients per FTE with
    one decimal (``16,0``). ``None`` = not asserted.
    """

    numerator: int | None = None
    denominator: int | None = None
    display: str | None = None


# (indicator, trajectory_type, financing) → published figure, national level,
# ips_scheme / ips_phase = ALL. The end-to-end test compares these with
# marts.quarterly_indicators (level = 'national', quarter = '2024Q3').
PUBLISHED_Q3_2024: dict[tuple[str, str, str], Expected] = {
    # All trajectory types together.
    ("running", "ALL", "ALL"): Expected(4763),
    ("started", "ALL", "ALL"): Expected(685),
    ("paid_work", "ALL", "ALL"): Expected(1786, 4763, "37,5"),
    ("sustainable_paid_work", "ALL", "ALL"): Expected(1413, 4763, "29,7"),
    ("ever_paid_work", "ALL", "ALL"): Expected(None, 4763, "44,3"),
    ("avg_per_organisation", "ALL", "ALL"): Expected(4763, 43),
    # IPS.
    ("running", "IPS", "ALL"): Expected(4062),
    ("started", "IPS", "ALL"): Expected(506),
    ("paid_work", "IPS", "ALL"): Expected(1524, 4062, "37,5"),
    ("sustainable_paid_work", "IPS", "ALL"): Expected(1218, 4062, "30,0"),
    ("ever_paid_work", "IPS", "ALL"): Expected(1848, 4062, "45,5"),
    ("job_started", "IPS", "ALL"): Expected(257, 4062 - 1524),
    ("job_stopped", "IPS", "ALL"): Expected(84, 1524),
    ("ended", "IPS", "ALL"): Expected(642),
    ("outflow", "IPS", "ALL"): Expected(642, 4062, "15,8"),
    ("ended_with_paid_work", "IPS", "ALL"): Expected(263, 642),
    ("ended_worked_before", "IPS", "ALL"): Expected(71, 642),
    ("ended_never_worked", "IPS", "ALL"): Expected(308, 642),
    ("ended_intended_result", "IPS", "ALL"): Expected(334, 642, "52,0"),
    ("first_job_within_3_months", "IPS", "ALL"): Expected(451, 1524, "29,6"),
    ("first_job_after_9_months", "IPS", "ALL"): Expected(689, 1524, "45,2"),
    ("education", "IPS", "ALL"): Expected(341, 4062),
    ("trial_placement", "IPS", "ALL"): Expected(131, 4062),
    ("volunteer_work", "IPS", "ALL"): Expected(541, 4062),
    ("day_activity", "IPS", "ALL"): Expected(131, 4062),
    ("clients_per_fte", "IPS", "ALL"): Expected(display="16,0"),
    ("paid_work", "IPS", "GEMEENTE"): Expected(display="32,8"),
    # Jobcoaching.
    ("running", "JOBCOACHING", "ALL"): Expected(138),
    ("started", "JOBCOACHING", "ALL"): Expected(24),
    ("ended", "JOBCOACHING", "ALL"): Expected(18),
    ("ended_with_paid_work", "JOBCOACHING", "ALL"): Expected(16, 18),
    ("running", "JOBCOACHING", "UWV"): Expected(60),
    ("running", "JOBCOACHING", "GEMEENTE"): Expected(64),
    ("running", "JOBCOACHING", "OVERIG"): Expected(14),
    ("employment_lt_6_months", "JOBCOACHING", "ALL"): Expected(36, 131, "27,5"),
    ("employment_6_12_months", "JOBCOACHING", "ALL"): Expected(18, 131, "13,7"),
    ("employment_gt_12_months", "JOBCOACHING", "ALL"): Expected(77, 131, "58,8"),
    # WABZ.
    ("running", "WABZ", "ALL"): Expected(155),
    ("running", "WABZ", "UWV"): Expected(56),
    ("running", "WABZ", "GEMEENTE"): Expected(97),
    ("started", "WABZ", "ALL"): Expected(21),
    ("ended", "WABZ", "ALL"): Expected(5),
    ("ended_with_paid_work", "WABZ", "ALL"): Expected(2, 5),
    ("ended_never_worked", "WABZ", "ALL"): Expected(3, 5),
    ("paid_work", "WABZ", "ALL"): Expected(26, 155, "16,8"),
    ("sustainable_paid_work", "WABZ", "ALL"): Expected(24, 155, "15,5"),
    ("ever_paid_work", "WABZ", "ALL"): Expected(27, 155, "17,4"),
    ("volunteer_work", "WABZ", "ALL"): Expected(29, 155, "18,7"),
    ("day_activity", "WABZ", "ALL"): Expected(5, 155, "3,2"),
    ("trial_placement", "WABZ", "ALL"): Expected(6, 155, "3,9"),
    # Overige trajecten.
    ("running", "OVERIG", "ALL"): Expected(234),
    ("running", "OVERIG", "UWV"): Expected(31),
    ("running", "OVERIG", "GEMEENTE"): Expected(84),
    ("running", "OVERIG", "OVERIG"): Expected(119),
    ("started", "OVERIG", "ALL"): Expected(65),
    ("ended", "OVERIG", "ALL"): Expected(46),
    ("ended_with_paid_work", "OVERIG", "ALL"): Expected(15, 46),
    ("ended_never_worked", "OVERIG", "ALL"): Expected(31, 46),
    ("paid_work", "OVERIG", "ALL"): Expected(86, 234, "36,8"),
    ("sustainable_paid_work", "OVERIG", "ALL"): Expected(54, 234, "23,1"),
    ("ever_paid_work", "OVERIG", "ALL"): Expected(87, 234, "37,2"),
    ("trial_placement", "OVERIG", "ALL"): Expected(10, 234, "4,3"),
    ("volunteer_work", "OVERIG", "ALL"): Expected(39, 234, "16,7"),
    ("day_activity", "OVERIG", "ALL"): Expected(119, 234, "50,9"),
    # UWV Werkfit and Naar Werk.
    ("ended", "WERKFIT", "ALL"): Expected(54),
    ("ended_intended_result", "WERKFIT", "ALL"): Expected(34, 54, "63,0"),
    ("ended", "NAAR_WERK", "ALL"): Expected(9),
    ("ended_intended_result", "NAAR_WERK", "ALL"): Expected(5, 9, "55,6"),
}

# Shares the report prints that are not an indicator value but a ratio of two
# mart numerators: name → (numerator key, denominator key, printed value).
PUBLISHED_RATIOS_Q3_2024: dict[str, tuple[tuple[str, str, str], tuple[str, str, str], str]] = {
    "ips_share_of_running": (("running", "IPS", "ALL"), ("running", "ALL", "ALL"), "85,3"),
    "jobcoaching_uwv": (
        ("running", "JOBCOACHING", "UWV"),
        ("running", "JOBCOACHING", "ALL"),
        "43,5",
    ),
    "jobcoaching_gemeente": (
        ("running", "JOBCOACHING", "GEMEENTE"),
        ("running", "JOBCOACHING", "ALL"),
        "46,4",
    ),
    "jobcoaching_overig": (
        ("running", "JOBCOACHING", "OVERIG"),
        ("running", "JOBCOACHING", "ALL"),
        "10,1",
    ),
}

# Published figures this data cannot reproduce (see the module docstring):
# key → (published numerator, numerator this data gives).
DEVIATIONS_Q3_2024: dict[tuple[str, str, str], tuple[int, int]] = {
    ("ended", "IPS", "ALL"): (646, 642),
    ("ever_paid_work", "ALL", "ALL"): (2108, 2112),
    ("ended", "ALL", "ALL"): (778, 774),
    ("ended_intended_result", "ALL", "ALL"): (410, 406),
}

# Figures the report does not print but this data fixes (choices of ours).
BUILT_Q3_2024: dict[tuple[str, str, str], Expected] = {
    ("orientation", "IPS", "ALL"): Expected(300),
    ("orientation_ended", "IPS", "ALL"): Expected(45),
    ("running", "WERKFIT", "ALL"): Expected(128),
    ("started", "WERKFIT", "ALL"): Expected(50),
    ("running", "NAAR_WERK", "ALL"): Expected(46),
    ("started", "NAAR_WERK", "ALL"): Expected(19),
    ("paid_work", "JOBCOACHING", "ALL"): Expected(134, 138),
    ("sustainable_paid_work", "JOBCOACHING", "ALL"): Expected(105, 138),
    ("ever_paid_work", "JOBCOACHING", "ALL"): Expected(134, 138),
    ("ended_intended_result", "JOBCOACHING", "ALL"): Expected(16, 18),
    ("ended_intended_result", "WABZ", "ALL"): Expected(2, 5),
    ("ended_intended_result", "OVERIG", "ALL"): Expected(15, 46),
    ("running", "IPS", "UWV"): Expected(1910),
    ("running", "IPS", "GEMEENTE"): Expected(1340),
    ("running", "IPS", "OVERIG"): Expected(812),
    ("paid_work", "IPS", "GEMEENTE"): Expected(440, 1340, "32,8"),
    ("ended", "ALL", "ALL"): Expected(774),
    ("ended_intended_result", "ALL", "ALL"): Expected(406, 774, "52,5"),
    ("ever_paid_work", "ALL", "ALL"): Expected(2112, 4763, "44,3"),
}

ORGANISATION_COUNT = 43
# How many organisations deliver a type (the report: 14 deliver jobcoaching,
# 2 of the 4 WABZ organisations delivered); None = every registered one.
ORGANISATIONS_PER_TYPE: dict[str, int | None] = {
    "IPS": None,
    "JOBCOACHING": 14,
    "WABZ": 2,
    "WERKFIT": None,
    "NAAR_WERK": None,
    "OVERIG": None,
}

TRAJECTEN_COLUMNS = [
    "traject_id", "arbeidsmarktregio", "trajecttype", "ips_regeling", "fase",
    "financiering", "financiering_detail", "startdatum", "einddatum",
    "uitstroomreden", "opleiding", "proefplaatsing", "vrijwilligerswerk", "dagbesteding",
]  # fmt: skip
BANEN_COLUMNS = [
    "traject_id", "baan_nr", "startdatum", "einddatum", "uren_per_week",
    "loonwaarde_pct", "contractduur_maanden", "contractsoort",
]  # fmt: skip
ORGANISATIE_COLUMNS = ["organisatie_code", "kwartaal", "fte_trajectbegeleiding"]


@dataclass(frozen=True)
class Job:
    start: str
    end: str | None = None
    hours: float = 24
    wage_pct: int | None = None  # None = empty = 100
    contract_months: int | None = None  # None = empty = indefinite
    kind: str = "LOONDIENST"


@dataclass(frozen=True)
class Profile:
    name: str
    trajectory_type: str
    count: int
    start: str
    end: str | None = None
    reason: str | None = None
    jobs: tuple[Job, ...] = ()
    fase: str | None = None  # IPS only; default GOEDGEKEURD
    flags: dict[str, int] = field(default_factory=dict)  # flag → first n rows get ja
    pool: str = ""  # financing pool; default = trajectory type
    spread: int = 1  # row i moves every date back by i % spread days


def _j(start: str, end: str | None = None, **kw) -> tuple[Job, ...]:
    return (Job(start, end, **kw),)


P = Profile
# fmt: off
PROFILES: tuple[Profile, ...] = (
    # ---------------- IPS: ended in Q3 (642) ----------------
    # ended with a job at the end date (263): paid, ever, ended_with_paid_work
    P("ips_end_job_long", "IPS", 95, "2023-04-03", "2024-08-16", "BAAN",
      _j("2024-01-08"), pool="ips_paid", spread=14),                      # sust, 280 d (>=271)
    P("ips_end_job_271", "IPS", 5, "2023-04-03", "2024-08-16", "BAAN",
      _j("2023-12-30"), pool="ips_paid"),                                 # sust, exactly 271 d
    P("ips_end_job_same_day", "IPS", 10, "2023-06-05", "2024-08-30", "OVERIG",
      _j("2024-03-04", "2024-08-30"), pool="ips_paid"),                   # sust, 273 d, not jt
    P("ips_end_job_early", "IPS", 70, "2024-02-05", "2024-09-13", "BAAN",
      _j("2024-03-18", hours=12), pool="ips_paid", spread=14),            # sust (12 h), 42 d
    P("ips_end_job_mid_parttime", "IPS", 38, "2024-01-08", "2024-07-26", "BAAN",
      _j("2024-05-13", hours=8), pool="ips_paid", spread=14),             # not sust, 126 d
    P("ips_end_job_started_in_q", "IPS", 45, "2024-03-04", "2024-09-20", "BAAN",
      _j("2024-07-15", kind="UITZEND"), pool="ips_paid", spread=14),      # sust, js, 133 d
    # ended, worked before (71)
    P("ips_end_worked_before", "IPS", 35, "2023-05-01", "2024-08-09", "DOEL_NIET_BEREIKT",
      _j("2023-09-04", "2024-04-30"), pool="ips_unpaid", spread=14),      # ever only
    P("ips_end_worked_before_0630", "IPS", 5, "2023-05-01", "2024-08-09", "DOEL_NIET_BEREIKT",
      _j("2023-09-04", "2024-06-30"), pool="ips_unpaid"),                 # ever only (06-30)
    P("ips_end_job_stopped", "IPS", 17, "2023-10-02", "2024-09-06", "OVERIG",
      _j("2024-01-15", "2024-07-19"), pool="ips_paid", spread=14),        # sust, jt, 105 d
    P("ips_end_job_stopped_0701", "IPS", 4, "2023-10-02", "2024-09-06", "OVERIG",
      _j("2024-01-15", "2024-07-01"), pool="ips_paid"),                   # sust, jt (07-01)
    P("ips_end_education", "IPS", 10, "2023-08-07", "2024-07-31", "OPLEIDING",
      _j("2023-11-06", "2024-02-29"), pool="ips_unpaid",
      flags={"opleiding": 10}),                                           # ever only
    # ended, never worked (308)
    P("ips_end_never", "IPS", 190, "2023-11-06", "2024-08-23", "DOEL_NIET_BEREIKT",
      pool="ips_unpaid", spread=21),
    P("ips_end_never_moved", "IPS", 70, "2024-04-08", "2024-07-12", "OVERIG",
      pool="ips_unpaid", spread=10),
    P("ips_start_end_never", "IPS", 48, "2024-07-08", "2024-09-16", "DOEL_NIET_BEREIKT",
      fase="AANGEVRAAGD", pool="ips_unpaid", spread=7),                   # started
    # ---------------- IPS: running on, started before Q3 ----------------
    P("ips_job_long", "IPS", 339, "2022-09-05", jobs=_j("2023-06-05"),
      pool="ips_paid", spread=28),                                        # sust, 273 d
    P("ips_job_long_12h", "IPS", 20, "2022-09-05", jobs=_j("2023-06-05", hours=12),
      pool="ips_paid"),                                                   # sust (12 h)
    P("ips_job_long_wage35", "IPS", 20, "2022-09-05", jobs=_j("2023-06-05", wage_pct=35),
      pool="ips_paid"),                                                   # sust (35 %)
    P("ips_job_long_3months", "IPS", 20, "2022-09-05",
      jobs=_j("2023-06-05", contract_months=3), pool="ips_paid"),         # sust (3 months)
    P("ips_job_long_parttime", "IPS", 108, "2023-02-06", jobs=_j("2023-11-13", hours=10),
      pool="ips_paid", spread=28),                                        # not sust, 280 d
    P("ips_job_long_11_5h", "IPS", 20, "2023-02-06", jobs=_j("2023-11-13", hours=11.5),
      pool="ips_paid"),                                                   # not sust, 280 d
    P("ips_job_early", "IPS", 179, "2023-10-09", jobs=_j("2023-11-20", contract_months=12),
      pool="ips_paid", spread=28),                                        # sust, 42 d
    P("ips_job_90_days", "IPS", 10, "2023-10-09", jobs=_j("2024-01-07"),
      pool="ips_paid"),                                                   # sust, exactly 90 d
    P("ips_job_91_days", "IPS", 10, "2023-10-09", jobs=_j("2024-01-08"),
      pool="ips_paid"),                                                   # sust, 91 d
    P("ips_job_before_trajectory", "IPS", 12, "2024-03-11", jobs=_j("2023-10-02", hours=16),
      pool="ips_paid"),                                                   # sust, clipped to 0 d
    P("ips_job_mid", "IPS", 127, "2023-11-06", jobs=_j("2024-04-02", contract_months=12),
      pool="ips_paid", spread=28),                                        # sust, 148 d
    P("ips_job_mid_two_jobs", "IPS", 10, "2023-11-06",
      jobs=(Job("2024-04-02", hours=8), Job("2024-06-03", hours=20)),
      pool="ips_paid"),                                                   # sust (2nd job), 148 d
    P("ips_job_mid_parttime", "IPS", 30, "2024-01-15", jobs=_j("2024-05-06", hours=8),
      pool="ips_paid", spread=28),                                        # not sust, 112 d
    P("ips_job_mid_low_wage", "IPS", 30, "2024-01-15", jobs=_j("2024-05-06", wage_pct=30),
      pool="ips_paid", spread=28),                                        # not sust, 112 d
    P("ips_job_mid_short_contract", "IPS", 30, "2024-01-15",
      jobs=_j("2024-05-06", hours=32, contract_months=2, kind="UITZEND"),
      pool="ips_paid", spread=28),                                        # not sust, 112 d
    P("ips_job_started_in_q_early", "IPS", 50, "2024-05-21", jobs=_j("2024-07-22"),
      pool="ips_paid", spread=14),                                        # sust, js, 62 d
    P("ips_job_started_in_q_late", "IPS", 32, "2023-09-04", jobs=_j("2024-08-05"),
      pool="ips_paid", spread=28),                                        # sust, js, 336 d
    P("ips_job_switch", "IPS", 30, "2023-03-06",
      jobs=(Job("2023-05-01", "2024-07-31", kind="UITZEND", contract_months=6),
            Job("2024-08-12", hours=28)),
      pool="ips_paid", spread=7),                                         # sust, js, not jt, 56 d
    P("ips_job_stopped", "IPS", 43, "2023-07-03", jobs=_j("2024-02-05", "2024-08-30"),
      pool="ips_paid", spread=28),                                        # sust, jt, 217 d
    P("ips_job_stopped_parttime", "IPS", 20, "2022-11-07",
      jobs=_j("2023-09-04", "2024-07-12", hours=8), pool="ips_paid"),     # not sust, jt, 301 d
    P("ips_worked_before", "IPS", 274, "2023-01-09", jobs=_j("2023-04-03", "2024-05-31"),
      pool="ips_unpaid", spread=28),                                      # ever only
    P("ips_searching", "IPS", 1300, "2024-02-12", pool="ips_unpaid", spread=28,
      flags={"opleiding": 331, "proefplaatsing": 131, "vrijwilligerswerk": 541,
             "dagbesteding": 131}),
    P("ips_requested", "IPS", 248, "2024-06-17", fase="AANGEVRAAGD",
      pool="ips_unpaid", spread=14),
    # ---------------- IPS: started in Q3, running on ----------------
    P("ips_new_job", "IPS", 70, "2024-07-08", jobs=_j("2024-08-19"),
      pool="ips_paid", spread=7),                                         # sust, js, 42 d
    P("ips_new_job_parttime", "IPS", 30, "2024-07-15",
      jobs=_j("2024-09-02", hours=6, kind="UITZEND"), pool="ips_paid", spread=7),  # js, 49 d
    P("ips_new_searching", "IPS", 300, "2024-08-05", pool="ips_unpaid", spread=28),
    P("ips_new_requested", "IPS", 58, "2024-09-23", fase="AANGEVRAAGD",
      pool="ips_unpaid", spread=7),
    # ---------------- IPS orientation: never running ----------------
    P("ips_orientation", "IPS", 240, "2024-06-10", fase="ORIENTATIE",
      pool="ips_orientation", spread=28),
    P("ips_orientation_left", "IPS", 45, "2024-05-13", "2024-08-09", "DOEL_NIET_BEREIKT",
      fase="ORIENTATIE", pool="ips_orientation", spread=14),
    P("ips_orientation_with_job", "IPS", 15, "2024-04-15", jobs=_j("2024-06-03", hours=20),
      fase="ORIENTATIE", pool="ips_orientation"),
    # ---------------- Jobcoaching (138) ----------------
    P("jc_end_kept_gt12", "JOBCOACHING", 10, "2023-10-02", "2024-08-30", "BAAN",
      _j("2022-02-07"), spread=7),                                        # 30 months
    P("jc_end_kept_6_12", "JOBCOACHING", 4, "2024-01-08", "2024-08-23", "BAAN",
      _j("2023-11-06")),                                                  # 9 months
    P("jc_end_kept_lt6", "JOBCOACHING", 2, "2024-04-08", "2024-09-13", "BAAN",
      _j("2024-04-15")),                                                  # 4 months
    P("jc_end_no_job", "JOBCOACHING", 2, "2024-05-06", "2024-08-02", "DOEL_NIET_BEREIKT"),
    P("jc_new_lt6", "JOBCOACHING", 10, "2024-07-15", jobs=_j("2024-05-06"), spread=7),
    P("jc_new_job_in_q", "JOBCOACHING", 6, "2024-07-22", jobs=_j("2024-08-05", hours=16)),
    P("jc_new_gt12_parttime", "JOBCOACHING", 6, "2024-08-12",
      jobs=_j("2022-09-05", hours=10)),                                   # not sust, 24 months
    P("jc_new_no_job_yet", "JOBCOACHING", 2, "2024-09-09"),
    P("jc_job_lost", "JOBCOACHING", 3, "2024-01-15", jobs=_j("2023-06-05", "2024-08-16")),
    P("jc_gt12", "JOBCOACHING", 38, "2023-05-08", jobs=_j("2021-03-01"), spread=14),
    P("jc_gt12_parttime", "JOBCOACHING", 23, "2023-05-08",
      jobs=_j("2021-03-01", hours=8), spread=14),                         # not sust
    P("jc_6_12", "JOBCOACHING", 14, "2023-12-04", jobs=_j("2023-12-04"), spread=14),
    P("jc_lt6", "JOBCOACHING", 18, "2024-04-15", jobs=_j("2024-05-13"), spread=7),
    # ---------------- WABZ (155) ----------------
    P("wabz_job", "WABZ", 18, "2023-09-04", jobs=_j("2024-01-08"), spread=14),
    P("wabz_job_parttime", "WABZ", 2, "2024-01-15", jobs=_j("2024-04-02", hours=8)),
    P("wabz_job_started_in_q", "WABZ", 4, "2024-03-04", jobs=_j("2024-08-05")),
    P("wabz_end_job", "WABZ", 2, "2023-11-06", "2024-09-13", "BAAN", _j("2024-05-06")),
    P("wabz_worked_before", "WABZ", 1, "2023-05-01", jobs=_j("2023-08-07", "2024-03-29")),
    P("wabz_end_never", "WABZ", 3, "2024-02-05", "2024-08-16", "DOEL_NIET_BEREIKT"),
    P("wabz_new", "WABZ", 21, "2024-07-15", spread=14,
      flags={"vrijwilligerswerk": 5, "proefplaatsing": 2}),
    P("wabz_searching", "WABZ", 104, "2024-01-22", spread=21,
      flags={"vrijwilligerswerk": 24, "dagbesteding": 5, "proefplaatsing": 4}),
    # ---------------- Overige trajecten (234) ----------------
    P("ov_end_job", "OVERIG", 15, "2023-09-11", "2024-08-30", "BAAN", _j("2024-02-05"), spread=7),
    P("ov_end_never", "OVERIG", 31, "2024-01-15", "2024-08-09", "DOEL_NIET_BEREIKT", spread=7,
      flags={"vrijwilligerswerk": 20, "dagbesteding": 3}),
    P("ov_new_job", "OVERIG", 10, "2024-07-08", jobs=_j("2024-08-12"), spread=7),
    P("ov_new", "OVERIG", 55, "2024-08-05", spread=28,
      flags={"dagbesteding": 55, "proefplaatsing": 10}),
    P("ov_job", "OVERIG", 29, "2023-06-12", jobs=_j("2023-10-02"), spread=28),
    P("ov_job_parttime", "OVERIG", 32, "2023-06-12", jobs=_j("2023-10-02", hours=6), spread=28,
      flags={"vrijwilligerswerk": 19}),                                   # not sust
    P("ov_worked_before", "OVERIG", 1, "2023-02-13", jobs=_j("2023-05-01", "2024-01-31")),
    P("ov_day_activity", "OVERIG", 61, "2023-04-03", spread=28, flags={"dagbesteding": 61}),
    # ---------------- UWV Werkfit (128) ----------------
    P("wf_end_werkfit", "WERKFIT", 26, "2024-02-12", "2024-08-16", "WERKFIT", spread=14),
    P("wf_end_job", "WERKFIT", 4, "2024-01-15", "2024-09-06", "BAAN", _j("2024-07-08")),
    P("wf_end_job_parttime", "WERKFIT", 1, "2024-01-15", "2024-09-06", "BAAN",
      _j("2024-07-08", hours=8)),
    P("wf_end_other_with_job", "WERKFIT", 1, "2024-01-22", "2024-08-23", "OVERIG",
      _j("2024-06-03", hours=10)),                                        # intended via the job
    P("wf_end_baan_no_job_listed", "WERKFIT", 2, "2024-03-04", "2024-09-20", "BAAN"),
    P("wf_end_failed", "WERKFIT", 16, "2024-03-11", "2024-08-02", "DOEL_NIET_BEREIKT", spread=7),
    P("wf_end_other", "WERKFIT", 4, "2024-04-08", "2024-07-19", "OVERIG"),
    P("wf_new", "WERKFIT", 50, "2024-08-12", spread=28),
    P("wf_running", "WERKFIT", 24, "2024-05-13", spread=14),
    # ---------------- UWV Naar Werk (46) ----------------
    P("nw_end_placed", "NAAR_WERK", 5, "2024-03-04", "2024-09-13", "BAAN",
      _j("2024-08-05", contract_months=6)),
    P("nw_end_placed_short", "NAAR_WERK", 1, "2024-02-05", "2024-08-30", "BAAN",
      _j("2024-07-15", hours=32, contract_months=2)),                     # not sustainable
    P("nw_end_failed", "NAAR_WERK", 3, "2024-01-08", "2024-08-16", "DOEL_NIET_BEREIKT"),
    P("nw_job", "NAAR_WERK", 3, "2024-04-15", jobs=_j("2024-08-26")),
    P("nw_job_parttime", "NAAR_WERK", 1, "2024-04-15", jobs=_j("2024-08-26", hours=10)),
    P("nw_new", "NAAR_WERK", 19, "2024-08-19", spread=14),
    P("nw_running", "NAAR_WERK", 14, "2024-05-06", spread=14),
)
# fmt: on

# Financing per pool (UWV, GEMEENTE, OVERIG); each pool's profile counts must
# add up to its total. IPS is split into paid / not paid so that GEMEENTE's
# paid-work share is the published 32,8% (440 / 1.340).
FINANCING_POOLS: dict[str, dict[str, int]] = {
    "ips_paid": {"UWV": 760, "GEMEENTE": 440, "OVERIG": 324},
    "ips_unpaid": {"UWV": 1150, "GEMEENTE": 900, "OVERIG": 488},
    "ips_orientation": {"UWV": 130, "GEMEENTE": 110, "OVERIG": 60},
    "JOBCOACHING": {"UWV": 60, "GEMEENTE": 64, "OVERIG": 14},
    "WABZ": {"UWV": 56, "GEMEENTE": 97, "OVERIG": 2},
    "OVERIG": {"UWV": 31, "GEMEENTE": 84, "OVERIG": 119},
    "WERKFIT": {"UWV": 128},
    "NAAR_WERK": {"UWV": 46},
}
FINANCING_DETAILS = ("ZPM", "WERKGEVER", "WMO", "EIGEN_MIDDELEN", "HOOFDZAAK_WERK", "ANDERS")
IPS_SCHEMES = {"EPA": 55, "CMD": 20, "GEEN": 25}
# Relative organisation sizes, cycled over the organisations of a type.
ORG_WEIGHTS = (5, 2, 3, 8, 1, 4, 2, 6, 3, 2, 1, 4)
SEED = 20240930


def _smooth(targets: dict[str, int] | dict[str, float], n: int) -> list[str]:
    """``n`` labels in proportion to ``targets``, evenly interleaved.

    Each step takes the label furthest behind its share, so any run of rows
    gets a mix and exact integer targets are met exactly.
    """
    total = float(sum(targets.values()))
    given = dict.fromkeys(targets, 0)
    out = []
    for i in range(1, n + 1):
        label = max(targets, key=lambda k: targets[k] * i / total - given[k])
        given[label] += 1
        out.append(label)
    return out


def _day(text: str | None, shift: int) -> date | None:
    return None if text is None else date.fromisoformat(text) - timedelta(days=shift)


def _fmt(value: date | float | int | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _select_organisations(quarter: Quarter) -> list[str]:
    """43 organisations active in the quarter; the newest one(s) left out.

    The report notes that some organisations had not started registering yet;
    dropping the most recently joined is the realistic choice.
    """
    active = [o for o in reference.organisations().values() if o.is_active(quarter)]
    if len(active) < ORGANISATION_COUNT:
        raise RuntimeError(
            f"seeds/organisations.csv has {len(active)} organisations active in {quarter}, "
            f"{ORGANISATION_COUNT} needed"
        )
    active.sort(key=lambda o: (o.active_from, o.code))
    return sorted(o.code for o in active[:ORGANISATION_COUNT])


def _register(quarter: Quarter) -> dict[str, dict[str, list[str]]]:
    """organisation → trajectory type → regions, valid in the quarter."""
    out: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for entry in reference.organisation_regions():
        if entry.is_valid(quarter):
            regions = out[entry.organisation_code][entry.trajectory_type]
            if entry.region_code not in regions:
                regions.append(entry.region_code)
    return out


def _organisations_per_type(orgs: list[str], register) -> dict[str, list[str]]:
    per_type: dict[str, list[str]] = {}
    for ttype, limit in ORGANISATIONS_PER_TYPE.items():
        chosen = [o for o in orgs if ttype in register.get(o, {})]
        if not chosen:  # register without this type: use the first organisations
            chosen = orgs[: limit or 3]
        per_type[ttype] = chosen[:limit] if limit else chosen
    covered = {o for chosen in per_type.values() for o in chosen}
    # Every delivering organisation must have rows; one without any type gets
    # "overige trajecten".
    per_type["OVERIG"] += [o for o in orgs if o not in covered]
    return per_type


def _regions_for(org: str, ttype: str, register) -> list[str]:
    by_type = register.get(org, {})
    if by_type.get(ttype):
        return by_type[ttype]
    regions = sorted({r for rs in by_type.values() for r in rs})
    if not regions:
        raise RuntimeError(f"{org} has no region in seeds/organisation_regions.csv for {QUARTER}")
    return regions


def _traject_id(profile: str, index: int) -> str:
    digest = hashlib.sha1(f"{profile}/{index}".encode()).hexdigest()[:10].upper()
    return f"T-{digest}"


def build_landing_zone(raw_dir: Path) -> dict:
    """Write ``raw_dir/2024Q3/<ORG>_2024Q3/`` CSV folders for 43 organisations.

    Returns a summary: quarter, organisation codes, organisations per type,
    FTE per organisation, and row counts (trajecten, banen).
    """
    raw_dir = Path(raw_dir)
    quarter = QUARTER
    orgs = _select_organisations(quarter)
    register = _register(quarter)
    per_type = _organisations_per_type(orgs, register)

    # 1. Expand profiles into rows (dates, reason, jobs, flags).
    rows: list[dict] = []
    for profile in PROFILES:
        for i in range(profile.count):
            shift = i % profile.spread
            row = {
                "profile": profile,
                "traject_id": _traject_id(profile.name, i),
                "trajecttype": profile.trajectory_type,
                "fase": (profile.fase or "GOEDGEKEURD")
                if profile.trajectory_type == "IPS"
                else None,
                "startdatum": _day(profile.start, shift),
                "einddatum": _day(profile.end, shift),
                "uitstroomreden": profile.reason,
                "jobs": [
                    (
                        _day(job.start, shift),
                        _day(job.end, shift),
                        job.hours,
                        job.wage_pct,
                        job.contract_months,
                        job.kind,
                    )
                    for job in profile.jobs
                ],
            }
            for flag in ("opleiding", "proefplaatsing", "vrijwilligerswerk", "dagbesteding"):
                row[flag] = "ja" if i < profile.flags.get(flag, 0) else "nee"
            rows.append(row)

    # 2. Financing within pools.
    pools: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        pools[row["profile"].pool or row["trajecttype"]].append(row)
    if set(pools) != set(FINANCING_POOLS):
        raise AssertionError(f"pools {sorted(pools)} != {sorted(FINANCING_POOLS)}")
    for name, members in pools.items():
        targets = FINANCING_POOLS[name]
        if len(members) != sum(targets.values()):
            raise AssertionError(f"pool {name}: {len(members)} rows, financing for {targets}")
        for row, financing in zip(members, _smooth(targets, len(members)), strict=True):
            row["financiering"] = financing
    detail_cycle = 0
    for row in rows:
        row["financiering_detail"] = None
        if row["financiering"] == "OVERIG":
            row["financiering_detail"] = FINANCING_DETAILS[detail_cycle % len(FINANCING_DETAILS)]
            detail_cycle += 1

    # 3. IPS scheme, organisation and region, per type over shuffled rows so
    # each organisation gets a mix of profiles.
    rng = random.Random(SEED)
    by_type: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_type[row["trajecttype"]].append(row)
    for ttype, members in by_type.items():
        rng.shuffle(members)
        type_orgs = per_type[ttype]
        weights = {o: ORG_WEIGHTS[k % len(ORG_WEIGHTS)] for k, o in enumerate(type_orgs)}
        assigned = _smooth(weights, len(members))
        schemes = _smooth(IPS_SCHEMES, len(members)) if ttype == "IPS" else [None] * len(members)
        seen: dict[str, int] = defaultdict(int)
        for row, org, scheme in zip(members, assigned, schemes, strict=True):
            regions = _regions_for(org, ttype, register)
            row["organisation"] = org
            row["arbeidsmarktregio"] = regions[seen[org] % len(regions)]
            row["ips_regeling"] = scheme
            seen[org] += 1

    # 4. FTE: running IPS per organisation / 16, one IPS organisation with 0
    # FTE (left out of clients per FTE), total tuned so the ratio prints 16,0.
    ips_running: dict[str, int] = defaultdict(int)
    for row in by_type["IPS"]:
        if row["fase"] != "ORIENTATIE":
            ips_running[row["organisation"]] += 1
    ips_orgs = sorted(ips_running)
    zero_fte_org = min(ips_orgs, key=lambda o: (ips_running[o], o))
    fte = {o: round(ips_running[o] / 16, 1) for o in ips_orgs}
    fte[zero_fte_org] = 0.0
    counted = sum(n for o, n in ips_running.items() if o != zero_fte_org)
    target = round(counted / 16, 1)
    largest = max(ips_orgs, key=lambda o: ips_running[o])
    fte[largest] = round(fte[largest] + target - sum(fte.values()), 1)
    if round(counted / sum(fte.values()), 1) != 16.0:
        raise AssertionError(f"clients per FTE {counted / sum(fte.values())} does not print 16,0")

    # 5. Write the folders.
    quarter_dir = raw_dir / str(quarter)
    by_org: dict[str, list[dict]] = defaultdict(list)
    for row in rows:
        by_org[row["organisation"]].append(row)
    if sorted(by_org) != orgs:
        raise AssertionError(f"organisations without rows: {sorted(set(orgs) - set(by_org))}")
    n_jobs = 0
    for org in orgs:
        folder = quarter_dir / f"{org}_{quarter}"
        folder.mkdir(parents=True, exist_ok=True)
        org_rows = sorted(by_org[org], key=lambda r: r["traject_id"])
        with open(folder / "trajecten.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(TRAJECTEN_COLUMNS)
            for row in org_rows:
                writer.writerow([_fmt(row.get(col)) for col in TRAJECTEN_COLUMNS])
        with open(folder / "banen.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(BANEN_COLUMNS)
            for row in org_rows:
                for nr, (start, end, hours, wage, months, kind) in enumerate(row["jobs"], 1):
                    writer.writerow(
                        [row["traject_id"], nr, _fmt(start), _fmt(end), _fmt(float(hours)),
                         _fmt(wage), _fmt(months), kind]
                    )  # fmt: skip
                    n_jobs += 1
        with open(folder / "organisatie.csv", "w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, delimiter=";")
            writer.writerow(ORGANISATIE_COLUMNS)
            writer.writerow([org, str(quarter), _fmt(fte.get(org))])

    return {
        "quarter": str(quarter),
        "quarter_dir": quarter_dir,
        "organisations": orgs,
        "organisations_per_type": {t: sorted({r["organisation"] for r in rs})
                                   for t, rs in by_type.items()},
        "fte": fte,
        "zero_fte_organisation": zero_fte_org,
        "trajecten": len(rows),
        "banen": n_jobs,
    }  # fmt: skip


def format_share(value: float) -> str:
    """A share as the report prints it, without ``%``: ``0.375`` → ``37,5``."""
    return f"{value * 100:.1f}".replace(".", ",")


def format_ratio(value: float) -> str:
    """A ratio (clients per FTE) as printed: ``16.0`` → ``16,0``."""
    return f"{value:.1f}".replace(".", ",")


def format_value(indicator: str, numerator: float, denominator: float | None) -> str:
    value = numerator / denominator
    return format_ratio(value) if indicator == "clients_per_fte" else format_share(value)


def mismatches(figures: dict[tuple[str, str, str], tuple[float, float | None]]) -> list[str]:
    """Every published, derived or documented Q3 2024 figure that ``figures`` misses.

    ``figures`` maps (indicator, trajectory_type, financing) to (numerator,
    denominator) at national level, as the oracle returns it or as read from
    ``marts.quarterly_indicators`` (level 'national', ips_scheme and ips_phase
    'ALL'), so one call checks a warehouse against the publication.
    """
    problems = []

    def check(key, expected: Expected, source: str) -> None:
        if key not in figures:
            problems.append(f"{source} {key}: missing")
            return
        numerator, denominator = figures[key]
        if expected.numerator is not None and numerator != expected.numerator:
            problems.append(f"{source} {key}: numerator {numerator} != {expected.numerator}")
        if expected.denominator is not None and denominator != expected.denominator:
            problems.append(f"{source} {key}: denominator {denominator} != {expected.denominator}")
        if expected.display is not None:
            shown = format_value(key[0], numerator, denominator) if denominator else None
            if shown != expected.display:
                problems.append(f"{source} {key}: prints {shown} != {expected.display}")

    for key, expected in PUBLISHED_Q3_2024.items():
        check(key, expected, "published")
    for key, expected in BUILT_Q3_2024.items():
        check(key, expected, "built")
    for key, (_, built) in DEVIATIONS_Q3_2024.items():
        check(key, Expected(built), "deviation")
    for name, (num_key, den_key, printed) in PUBLISHED_RATIOS_Q3_2024.items():
        if num_key in figures and den_key in figures:
            shown = format_share(figures[num_key][0] / figures[den_key][0])
            if shown != printed:
                problems.append(f"ratio {name}: prints {shown} != {printed}")
        else:
            problems.append(f"ratio {name}: {num_key} or {den_key} missing")
    return problems
