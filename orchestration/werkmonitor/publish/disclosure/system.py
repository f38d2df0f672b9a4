"""The linear system a reader can set up from the published indicator rows.

One variable per row (its numerator) plus one per implied total (the shared
denominator of the employment bands). Every relation of the catalogue becomes
a homogeneous sparse row: equalities ``A x = 0`` and inequalities ``G x <= 0``;
each share row has a denominator expression ``D x`` (printed when the row is
shown). Built once per table, vectorised over breakdowns, and shared by the
audit and by secondary suppression.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import scipy.sparse as sp

from werkmonitor.catalogue.relations import Relations, load_relations
from werkmonitor.publish.breakdowns import breakdown_of, members_mask
from werkmonitor.publish.disclosure.labels import DIMENSIONS, KEY

GEO = ("level", "region_code", "organisation_code")
NOT_ADDITIVE = ("clients_per_fte",)


@dataclass
class System:
    keys: pd.DataFrame  # KEY per variable ('' for null); rows first, then pseudo variables
    n_rows: int  # variables 0..n_rows-1 are rows of the input frame
    truth: np.ndarray  # true numerator per variable
    den_truth: np.ndarray  # true denominator per variable (nan for counts)
    eq: sp.csr_matrix  # A x = 0
    eq_names: list[tuple[str, int]]  # (relation, the variable it is named after)
    ineq: sp.csr_matrix  # G x <= 0
    ineq_names: list[tuple[str, int]]
    den: sp.csr_matrix  # per variable: its denominator expression (empty row for counts)
    members: list[tuple[np.ndarray, int, tuple[str, int]]]  # (member vars, total var, name)

    @property
    def n(self) -> int:
        return len(self.truth)

    def describe(self, var: int) -> str:
        """``2024Q3 AM18 IPS/UWV/ALL/ALL started``: quarter, region, breakdown, indicator."""
        return _short(self.keys, var)

    def member_pairs(self) -> tuple[np.ndarray, np.ndarray]:
        """(total, member) per membership of an additive group (cached)."""
        cached = getattr(self, "_pairs", None)
        if cached is None:
            tot = [np.full(m.size, t) for m, t, _ in self.members]
            mem = [m for m, _, _ in self.members]
            cached = (np.concatenate(tot), np.concatenate(mem)) if mem else (np.zeros(0, int),) * 2
            self._pairs = cached
        return cached

    def relation(self, label: tuple[str, int]) -> str:
        return f"{label[0]} ({_short(self.keys, label[1])})"


class _Rows:
    """Accumulates sparse relation rows (COO) with a name per row."""

    def __init__(self, n: int):
        self.n, self.r, self.c, self.v, self.names = n, [], [], [], []

    def add(self, ids: np.ndarray, cols: np.ndarray, coefs: np.ndarray, names: list[str]):
        base = len(self.names)
        self.r.append(ids + base)
        self.c.append(cols)
        self.v.append(coefs)
        self.names.extend(names)

    def matrix(self) -> sp.csr_matrix:
        if not self.r:
            return sp.csr_matrix((0, self.n))
        m = sp.coo_matrix(
            (np.concatenate(self.v), (np.concatenate(self.r), np.concatenate(self.c))),
            shape=(len(self.names), self.n),
        )
        return m.tocsr()


def _with_pseudo(frame: pd.DataFrame, rel: Relations) -> pd.DataFrame:
    """Rows plus one pseudo row per breakdown for every implied total."""
    parts = [frame]
    for total, group in rel.implied_totals.items():
        hit = frame[frame["indicator"].isin(group.members)]
        if hit.empty:
            continue
        pseudo = hit.drop_duplicates(DIMENSIONS).assign(
            indicator=total, numerator=hit.drop_duplicates(DIMENSIONS)["denominator"].to_numpy()
        )
        pseudo["denominator"] = np.nan
        parts.append(pseudo)
    return pd.concat(parts, ignore_index=True)


def build_system(frame: pd.DataFrame, relations: Relations | None = None, published=None) -> System:
    """The relations of ``frame`` (KEY columns, numerator, denominator).

    ``published(level, trajectory_type, breakdown[, indicator])``: whether the
    public tier publishes that breakdown, and that indicator at that level
    (``Policy.is_published``; None: everything). A group whose members belong
    to an unpublished breakdown or (level, indicator) is no relation: its
    rows are not in the table, and an absent row means 0 only inside a
    published breakdown of a published indicator (national IPS x EPA is not
    the sum of the regions' when region x IPS x scheme is not published; a
    region's ``ended`` is not the sum of its outflow categories when the
    outflow family is national only, nor an identity over an unpublished
    right-hand side a relation)."""
    rel = relations or load_relations()
    n_rows = len(frame)
    full = _with_pseudo(frame[[*KEY, "numerator", "denominator"]].reset_index(drop=True), rel)
    keys = full[KEY].astype("string").fillna("").astype(object)
    n = len(full)
    ind = keys["indicator"].to_numpy()
    bd = keys.groupby(DIMENSIONS, sort=False).ngroup().to_numpy()
    codes, uniques = pd.factorize(ind)
    code_of = {str(u): i for i, u in enumerate(uniques)}
    pos = np.full((bd.max() + 1 if n else 0, len(uniques)), -1, dtype=np.int64)
    pos[bd, codes] = np.arange(n)
    eq, ineq, members = _Rows(n), _Rows(n), []

    # A breakdown combination the mart never produces (IPS x financing x
    # scheme) is not "0": a group only counts absent members as 0 when rows of
    # the members' shape exist for that indicator somewhere in the table.
    breakdown = ["trajectory_type", "financing", "ips_scheme", "ips_phase"]
    shape = (keys[breakdown].to_numpy() == "ALL") @ (1 << np.arange(4))
    ttype = keys["trajectory_type"].to_numpy()
    present = set(zip(ind, ttype, shape, strict=True))
    present_any_type = set(zip(ind, shape, strict=True))
    level = keys["level"].to_numpy()
    row_bd = breakdown_of(keys)

    def members_published(member_level, member_types, member_bd, member_ind=ind) -> np.ndarray:
        """Per variable (as a total): every member's breakdown and indicator is published."""
        return members_mask(published, member_level, member_types, member_bd, member_ind)

    def group_rows(mask, by, is_total, name, member_shape=None, same_type=True, valid=None):
        if valid is not None:
            mask = mask & (~is_total | valid)
        if member_shape is not None:
            if same_type:
                it = zip(ind, ttype, member_shape, strict=True)
                ok = np.fromiter((t in present for t in it), bool, n)
            else:
                it = zip(ind, member_shape, strict=True)
                ok = np.fromiter((t in present_any_type for t in it), bool, n)
            mask = mask & (~is_total | ok)
        rows = np.flatnonzero(mask)
        if rows.size == 0:
            return
        gid = keys.iloc[rows].groupby(by, sort=False).ngroup().to_numpy()
        n_g = gid.max() + 1
        total = np.full(n_g, -1)
        total[gid[is_total[rows]]] = rows[is_total[rows]]
        keep = total[gid] >= 0
        rows, gid = rows[keep], gid[keep]
        if rows.size == 0:
            return
        _, gid = np.unique(gid, return_inverse=True)
        coef = np.where(is_total[rows], -1.0, 1.0)
        totals = np.zeros(gid.max() + 1, dtype=np.int64)
        totals[gid[is_total[rows]]] = rows[is_total[rows]]
        labels = [(name, int(t)) for t in totals]
        eq.add(gid, rows, coef, labels)
        order = np.argsort(gid, kind="stable")
        splits = np.split(rows[order], np.flatnonzero(np.diff(gid[order])) + 1)
        for g, part in enumerate(splits):
            members.append((part[part != totals[g]], int(totals[g]), labels[g]))

    additive = ~np.isin(ind, NOT_ADDITIVE)
    for dim, g in rel.dimensions.items():
        values = keys[dim].to_numpy()
        mask = additive & np.isin(values, [*g.members, g.total])
        bit = 1 << breakdown.index(dim)
        member_shape = shape & ~bit  # the members' shape: this dimension not ALL
        if dim == "trajectory_type":  # ALL = the types, each in the total's breakdown
            member_types = np.full(n, "|".join(g.members), dtype=object)
            valid = members_published(level, member_types, row_bd)
        else:  # the type's own rows = its parts in this dimension
            valid = members_published(level, ttype, np.full(n, dim, dtype=object))
        group_rows(
            mask,
            [c for c in KEY if c != dim],
            values == g.total,
            f"{dim} adds up",
            member_shape,
            same_type=dim != "trajectory_type",
            valid=valid,
        )
    for member, g in rel.levels.items():
        mask = additive & np.isin(level, [member, g.total])
        # (only indicators the member level has rows of: a table without
        # region rows says nothing about the regions)
        mask &= np.isin(ind, np.unique(ind[level == member]))
        valid = members_published(np.full(n, member, dtype=object), ttype, row_bd)
        group_rows(
            mask,
            [c for c in KEY if c not in GEO],
            level == g.total,
            f"{member}s add up",
            valid=valid,
        )
    for g in rel.indicator_groups:
        if not set(g.members) <= set(code_of):
            continue  # a member the table does not publish at all: no relation for the reader
        mask = np.isin(ind, [*g.members, g.total])
        valid = members_published(level, ttype, row_bd, np.full(n, "|".join(g.members), object))
        group_rows(mask, DIMENSIONS, ind == g.total, g.name, valid=valid)

    for ident in rel.identities:
        if ident.lhs not in code_of:
            continue
        lhs = np.flatnonzero(ind == ident.lhs)
        if ident.trajectory_types:
            lhs = lhs[np.isin(ttype[lhs], ident.trajectory_types)]
        rhs_names = "|".join(other for other, _ in ident.rhs)  # unpublished: no relation
        rhs_names = np.full(lhs.size, rhs_names, object)
        lhs = lhs[members_mask(published, level[lhs], ttype[lhs], row_bd[lhs], rhs_names)]
        if lhs.size == 0:
            continue
        sign = -1.0 if ident.op == ">=" else 1.0
        ids, cols, coefs = [np.arange(lhs.size)], [lhs], [np.full(lhs.size, sign)]
        for other, c in ident.rhs:
            if other not in code_of:
                continue
            rhs = pos[bd[lhs], code_of[other]]
            ok = rhs >= 0
            ids.append(np.flatnonzero(ok))
            cols.append(rhs[ok])
            coefs.append(np.full(ok.sum(), -sign * c))
        names = [(ident.name, int(v)) for v in lhs]
        target = eq if ident.op == "=" else ineq
        target.add(np.concatenate(ids), np.concatenate(cols), np.concatenate(coefs), names)

    den = _Rows(n)
    den_ids, den_cols, den_coefs = [], [], []
    for share, expr in rel.denominators.items():
        if share not in code_of:
            continue
        rows = np.flatnonzero(ind == share)
        for other, c in expr:
            if other not in code_of:
                continue
            cols = pos[bd[rows], code_of[other]]
            ok = cols >= 0
            den_ids.append(rows[ok])
            den_cols.append(cols[ok])
            den_coefs.append(np.full(ok.sum(), c))
    if den_ids:
        den.r, den.c, den.v = (
            [np.concatenate(den_ids)],
            [np.concatenate(den_cols)],
            [np.concatenate(den_coefs)],
        )
        den.names = [""] * n
    den_matrix = den.matrix() if den_ids else sp.csr_matrix((n, n))
    # numerator <= denominator for every share row with a denominator expression
    # (only where the denominator is one numerator: job_started's numerator
    # is part of paid work, not of running - paid work)
    has_den = np.flatnonzero(np.diff(den_matrix.indptr) == 1)
    if has_den.size:
        sub = den_matrix[has_den].tocoo()
        ids = np.concatenate([np.arange(has_den.size), sub.row])
        cols = np.concatenate([has_den, sub.col])
        coefs = np.concatenate([np.ones(has_den.size), -sub.data])
        labels = [("share within its denominator", int(v)) for v in has_den]
        ineq.add(ids, cols, coefs, labels)
    return System(
        keys=keys,
        n_rows=n_rows,
        truth=full["numerator"].to_numpy(dtype=float),
        den_truth=full["denominator"].to_numpy(dtype=float),
        eq=eq.matrix(),
        eq_names=eq.names,
        ineq=ineq.matrix(),
        ineq_names=ineq.names,
        den=den_matrix,
        members=members,
    )


def _short(keys: pd.DataFrame, var: int) -> str:
    k = keys.iloc[var]
    where = k["region_code"] or k["organisation_code"] or "national"
    breakdown = "/".join(k[c] for c in ("trajectory_type", "financing", "ips_scheme", "ips_phase"))
    return f"{k['quarter']} {where} {breakdown} {k['indicator']}"
