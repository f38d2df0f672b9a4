"""The hand-made data set of the dbt tests, with the reason for every row.

Quarter under test: 2024Q3 (1 Jul - 30 Sep 2024); 2024Q2 is its previous
quarter. Every expected figure in test_dbt_indicators.py is counted by hand
from the comments here (docs/indicators.md gives the readings).
"""

from __future__ import annotations

from datetime import timedelta

from dbt_fixtures import Submission, d


def ips(traject_id: str, start: str, phase: str = "GOEDGEKEURD", scheme: str = "EPA", **row):
    return {"traject_id": traject_id, "trajecttype": "IPS", "fase": phase,
            "ips_regeling": scheme, "startdatum": d(start), **row}


def other(traject_id: str, kind: str, start: str, **row):
    return {"traject_id": traject_id, "trajecttype": kind, "startdatum": d(start), **row}


def ended(end: str, reason: str) -> dict:
    return {"einddatum": d(end), "uitstroomreden": reason}


def job(traject_id: str, start: str, end: str | None = None, number: int = 1, **row):
    return {"traject_id": traject_id, "baan_nr": number, "startdatum": d(start),
            "einddatum": d(end) if end else None, **row}


# Day-band boundaries: first job on 1 Aug 2024, trajectory started `days` before.
BAND_DAYS = [30, 31, 60, 61, 90, 91, 150, 151, 270, 271]
BAND_JOB_START = d("2024-08-01")


def band_rows():
    trajectories, jobs = [], []
    for days in BAND_DAYS:
        start = (BAND_JOB_START - timedelta(days=days)).isoformat()
        trajectories.append(ips(f"B{days}", start))
        jobs.append(job(f"B{days}", BAND_JOB_START.isoformat()))  # 20 h, empty = 100% / indefinite
    return trajectories, jobs


def org01_2024q3() -> Submission:
    band_trajectories, band_jobs = band_rows()
    trajectories = [
        # P1: job ends on the quarter's first day -> paid work, job stopped; first job 151 days
        ips("P1", "2023-01-01"),
        # P2: job starts on the quarter's last day -> paid work, job started; 182 days
        ips("P2", "2024-04-01", phase="AANGEVRAAGD"),
        # P3: job ended the day before the quarter -> not paid now, but ever paid work
        ips("P3", "2024-02-01", scheme="CMD"),
        # P4: an old job before the trajectory (not "in" it) and a 10-hour job from 15 Aug
        ips("P4", "2024-05-01", scheme="CMD", financiering="GEMEENTE"),
        # P5: started in Q3 holding a job since January (30% wage value: not sustainable)
        ips("P5", "2024-07-15", scheme="GEEN"),
        *band_trajectories,
        # X1: its only job is quarantined -> no paid work
        ips("X1", "2024-01-01"),
        # Q1: quarantined trajectory (its job row is not flagged): counts nowhere
        ips("Q1", "2024-01-01", is_quarantined=True),
        # orientation: not running, a job does not make it paid work
        ips("O1", "2024-06-01", phase="ORIENTATIE"),
        ips("O2", "2024-07-10", phase="ORIENTATIE", **ended("2024-09-01", "OVERIG")),
        # ended IPS
        ips("E1", "2023-10-01", **ended("2024-08-31", "BAAN")),          # job on end date
        ips("E2", "2024-01-15", opleiding=True, **ended("2024-09-15", "OPLEIDING")),
        ips("E3", "2023-12-01", **ended("2024-07-20", "DOEL_NIET_BEREIKT")),  # worked before
        ips("E4", "2024-07-05", **ended("2024-08-10", "DOEL_NIET_BEREIKT")),  # never worked
        # WABZ (gemeente)
        other("W1", "WABZ", "2024-03-01", financiering="GEMEENTE", vrijwilligerswerk=True),
        other("W2", "WABZ", "2024-01-01", financiering="GEMEENTE", dagbesteding=True,
              **ended("2024-08-01", "DOEL_NIET_BEREIKT")),
        other("W3", "WABZ", "2024-02-01", financiering="GEMEENTE",
              **ended("2024-09-30", "DOEL_NIET_BEREIKT")),
        # Jobcoaching: employment months at 30 Sep 2024
        other("K1", "JOBCOACHING", "2024-01-01"),  # job 1 Apr 2024: 5 months
        other("K2", "JOBCOACHING", "2024-01-01"),  # job 31 Mar 2024: 6 months
        other("K4", "JOBCOACHING", "2024-01-01"),  # job 30 Sep 2023: 12 months
        other("K5", "JOBCOACHING", "2024-01-01"),  # job 31 Aug 2023: 13 months
        other("K6", "JOBCOACHING", "2024-01-01"),  # jobs 1 Jun 2024 and 1 Jan 2021: 44
        other("J1", "JOBCOACHING", "2023-06-01", **ended("2024-09-10", "OVERIG")),  # kept job
        other("J2", "JOBCOACHING", "2023-06-01", **ended("2024-09-10", "DOEL_NIET_BEREIKT")),
        # Werkfit
        other("F1", "WERKFIT", "2024-01-01", **ended("2024-08-01", "WERKFIT")),
        other("F2", "WERKFIT", "2024-01-01", **ended("2024-08-01", "DOEL_NIET_BEREIKT")),
        other("F3", "WERKFIT", "2024-01-01", **ended("2024-08-01", "DOEL_NIET_BEREIKT")),
        # Naar Werk (financing OVERIG)
        other("N1", "NAAR_WERK", "2024-01-01", financiering="OVERIG",
              financiering_detail="WERKGEVER", **ended("2024-09-01", "BAAN")),
        other("N2", "NAAR_WERK", "2024-01-01", financiering="OVERIG",
              financiering_detail="WERKGEVER", **ended("2024-09-01", "BAAN")),
        # Overig type; V1 in AM13, a region the register does not list ORG01 for
        other("V1", "OVERIG", "2024-01-01", financiering="OVERIG", arbeidsmarktregio="AM13",
              **ended("2024-08-01", "DOEL_NIET_BEREIKT")),
        other("V2", "OVERIG", "2024-01-01", financiering="OVERIG",
              **ended("2024-08-01", "OVERIG")),
    ]
    jobs = [
        job("P1", "2023-06-01", "2024-07-01"),
        job("P2", "2024-09-30"),
        job("P3", "2024-03-01", "2024-06-30"),
        job("P4", "2020-01-01", "2021-12-31", number=1),
        job("P4", "2024-08-15", number=2, uren_per_week=10.0),
        job("P5", "2024-01-01", loonwaarde_pct=30),
        *band_jobs,
        job("X1", "2024-08-01", is_quarantined=True),
        job("Q1", "2024-08-01"),
        job("O1", "2024-08-01"),
        job("E1", "2024-08-01"),
        job("E3", "2024-01-01", "2024-03-31"),
        job("K1", "2024-04-01"),
        job("K2", "2024-03-31"),
        job("K4", "2023-09-30"),
        job("K5", "2023-08-31"),
        job("K6", "2024-06-01", number=1),
        job("K6", "2021-01-01", number=2),
        job("J1", "2022-01-01"),
        job("J2", "2022-01-01", "2024-09-09"),
        job("F2", "2024-07-01"),
        job("N1", "2024-06-01", contractduur_maanden=6),
        job("N2", "2024-06-01", contractduur_maanden=2),
        job("V1", "2024-02-01", "2024-03-01"),
    ]
    return Submission("ORG01", "2024Q3", trajectories, jobs, fte=2.0)


def org01_2024q2(extra_running: int = 0) -> Submission:
    trajectories = [
        ips("R1", "2024-01-01"),
        ips("R2", "2024-01-01"),
        ips("R3", "2024-04-10"),  # started in Q2
        *[ips(f"R{9 + n}", "2024-01-01") for n in range(extra_running)],
    ]
    jobs = [job("R1", "2024-02-01")]
    return Submission("ORG01", "2024Q2", trajectories, jobs, fte=1.0,
                      version="b" if extra_running else "a")


def base_submissions() -> list[Submission]:
    return [
        org01_2024q2(),
        Submission("ORG04", "2024Q2", [
            other("S1", "WABZ", "2024-01-01", financiering="GEMEENTE", arbeidsmarktregio="AM13"),
            other("S2", "WABZ", "2024-01-01", financiering="GEMEENTE", arbeidsmarktregio="AM13"),
        ], fte=None),
        org01_2024q3(),
        # ORG02: the first version was replaced; only version b counts
        Submission("ORG02", "2024Q3", [ips(f"OLD{n}", "2024-01-01", arbeidsmarktregio="AM22")
                                       for n in range(5)],
                   fte=9.0, status="superseded", version="a"),
        Submission("ORG02", "2024Q3", [ips("G1", "2024-01-01", arbeidsmarktregio="AM22")],
                   fte=1.5, version="b"),
        # ORG03: rejected; nothing of it reaches raw.*
        Submission("ORG03", "2024Q3", [], status="rejected"),
    ]
