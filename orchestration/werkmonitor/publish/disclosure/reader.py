"""What a reader knows: the published table turned into LP constraints.

Shown rows fix their variable; a shown share row also prints its denominator
(one more equation); a hidden row keeps the bounds its label gives away
(``<5``: 1..4; small denominator: a denominator of 1..9). Known values are
substituted, so the system left is over the hidden variables only, and it
falls apart into small connected blocks (a block never crosses a quarter: no
relation does).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from werkmonitor.catalogue.relations import load_relations
from werkmonitor.publish.disclosure.labels import SMALL_COUNT, SMALL_PART_LABEL
from werkmonitor.publish.disclosure.system import System

SMALL_DENOMINATOR = "small_denominator"
WITHHELD = "withheld"


@dataclass
class Reader:
    """Constraints over the unknown variables ``unknown`` (indices into System)."""

    determined: dict[int, tuple[float, tuple[str, int]]]  # var -> (value, the relation giving it)
    via: dict[int, np.ndarray]  # var -> every variable of that relation (for the repair)
    unknown: np.ndarray
    a: sp.csr_matrix  # rows over unknown columns
    lo: np.ndarray  # row bounds lo <= a x <= hi
    hi: np.ndarray
    names: list[tuple[str, int]]
    col_lo: np.ndarray
    col_hi: np.ndarray
    blocks: np.ndarray = field(default_factory=lambda: np.zeros(0, int))  # block id per unknown
    row_block: np.ndarray = field(default_factory=lambda: np.zeros(0, int))
    crossing: int = 0
    source: np.ndarray = field(default_factory=lambda: np.zeros((0, 2), int))
    # per row: (0 equality / 1 inequality / 2 denominator of a share var, index)

    def system_vars(self, system: System, row: int) -> np.ndarray:
        """Every variable (shown or not) of reader row ``row``, in the system."""
        kind, idx = self.source[row]
        matrix = (system.eq, system.ineq, system.den)[int(kind)]
        cols = matrix.indices[matrix.indptr[idx] : matrix.indptr[idx + 1]]
        return np.append(cols, idx) if kind == 2 else cols


def reader_system(
    system: System,
    shown: np.ndarray,
    reason: np.ndarray,
    min_count: int,
    min_denominator: int,
    known_extra: dict[int, float] | None = None,
    blocks: bool = True,
) -> Reader:
    """The reader's constraints. ``shown`` / ``reason`` per row variable;
    pseudo variables are never shown. ``known_extra``: values the reader knows
    from elsewhere (an earlier publication, its own figures). ``blocks=False``
    skips the split into LP blocks, for a caller that reads only what is
    determined (an organisation's exact view: a quarter of the publish time)."""
    n = system.n
    known = np.zeros(n, bool)
    known[: system.n_rows] = shown
    value = np.where(known, system.truth, 0.0)
    for var, v in (known_extra or {}).items():
        known[var], value[var] = True, v
    determined, via = _peel(system, known, value, shown, reason, min_denominator)
    unknown = np.flatnonzero(~known)

    blocks_a, los, his, names, srcs = [], [], [], [], []

    def add(matrix, lo, hi, labels, kind=0, src_rows=None):
        if matrix.shape[0] == 0:
            return
        src = np.arange(matrix.shape[0]) if src_rows is None else np.asarray(src_rows)
        rhs = matrix[:, known] @ value[known]
        part = matrix[:, unknown]
        keep = np.diff(part.indptr) > 0
        blocks_a.append(part[keep])
        los.append((lo - rhs)[keep])
        his.append((hi - rhs)[keep])
        names.extend(lab for lab, k in zip(labels, keep, strict=True) if k)
        srcs.append(np.stack([np.full(int(keep.sum()), kind), src[keep]], axis=1))

    eq, ineq = system.eq, system.ineq
    add(eq, np.zeros(eq.shape[0]), np.zeros(eq.shape[0]), system.eq_names)
    add(ineq, np.full(ineq.shape[0], -np.inf), np.zeros(ineq.shape[0]), system.ineq_names, 1)
    rows_reason = np.full(n, "", dtype=object)
    rows_reason[: system.n_rows] = reason
    has_den = np.diff(system.den.indptr) > 0
    shown_rows = np.zeros(n, bool)
    shown_rows[: system.n_rows] = shown
    shown_share = np.flatnonzero(has_den & shown_rows)
    if shown_share.size:
        d = system.den_truth[shown_share]
        add(
            system.den[shown_share],
            d,
            d,
            [("denominator printed on the share row", int(v)) for v in shown_share],
            2,
            shown_share,
        )
    small_den = np.flatnonzero(has_den & (rows_reason == SMALL_DENOMINATOR))
    if small_den.size:
        add(
            system.den[small_den],
            np.ones(small_den.size),
            np.full(small_den.size, min_denominator - 1.0),
            [("small denominator (1 to 9)", int(v)) for v in small_den],
            2,
            small_den,
        )
    m = unknown.size
    a = sp.vstack(blocks_a).tocsr() if blocks_a else sp.csr_matrix((0, m))
    col_lo = np.zeros(m)
    col_hi = np.full(m, np.inf)
    small = rows_reason[unknown] == SMALL_COUNT
    col_lo[small], col_hi[small] = 1.0, min_count - 1.0
    col_hi[rows_reason[unknown] == SMALL_PART_LABEL] = min_count - 1.0
    col_lo = np.maximum(col_lo, withheld_floor(system, rows_reason, min_count)[unknown])
    reader = Reader(
        determined=determined,
        via=via,
        unknown=unknown,
        a=a,
        lo=np.concatenate(los) if los else np.zeros(0),
        hi=np.concatenate(his) if his else np.zeros(0),
        names=names,
        col_lo=col_lo,
        col_hi=col_hi,
        source=np.concatenate(srcs) if srcs else np.zeros((0, 2), int),
    )
    _bound_determined(reader)
    if blocks:
        _split_blocks(reader)
    return reader


def withheld_floor(system: System, reason: np.ndarray, min_count: int) -> np.ndarray:
    """What ``x`` on a count gives away to a reader who knows the policy.

    A count shown as ``x`` is a partner, a linked or an organisation-view
    cell: partners are never 0 and every one of them would read ``<5`` if it
    were 1-4, so it is at least ``min_count``. The exception is a small
    member of a group whose total is itself small (``published_labels``
    writes ``x`` there): a count ``x`` in a group whose total may be small
    (``<5``, or ``x`` of that kind itself, followed up) is only known to be
    at least 1. Shares (rows with a denominator) get no floor: a linked share
    may have numerator 0."""
    n = system.n
    floor = np.zeros(n)
    is_count = np.zeros(n, bool)
    shares = list(load_relations().denominators)  # what is a share is a fact of the catalogue
    is_count[: system.n_rows] = ~np.isin(
        system.keys["indicator"].to_numpy()[: system.n_rows], shares
    )
    withheld = (reason == WITHHELD) & is_count
    if not withheld.any():
        return floor
    pairs = system.member_pairs()
    maybe_small = (reason == SMALL_COUNT) | (reason == SMALL_PART_LABEL)
    for _ in range(20):
        hit = pairs[1][maybe_small[pairs[0]] & withheld[pairs[1]] & ~maybe_small[pairs[1]]]
        if hit.size == 0:
            break
        maybe_small[hit] = True
    floor[withheld] = np.where(maybe_small[withheld], 1.0, float(min_count))
    return floor


def _bound_determined(reader: Reader) -> None:
    """Rows whose known sum leaves no slack: every unknown sits at its bound.

    ``a + b = 2`` with both ``<5`` (so >= 1) gives a = b = 1: the hidden
    members of a group must all be 1 because their sum equals their number.
    """
    a = reader.a.tocsr()
    if a.shape[0] == 0:
        return
    is_eq = np.isfinite(reader.lo) & (np.abs(reader.hi - reader.lo) < 1e-9)
    pos, neg = a.maximum(0), (-a).maximum(0)
    lo_c = reader.col_lo
    hi_c = np.where(np.isinf(reader.col_hi), 1e18, reader.col_hi)
    low = pos @ lo_c - neg @ hi_c
    high = pos @ hi_c - neg @ lo_c
    tight_low = is_eq & (np.abs(reader.lo - low) < 1e-9)
    tight_high = is_eq & (np.abs(reader.lo - high) < 1e-9) & (high < 1e17)
    for rows, at_low in ((np.flatnonzero(tight_low), True), (np.flatnonzero(tight_high), False)):
        for r in rows:
            cols = a.indices[a.indptr[r] : a.indptr[r + 1]]
            coefs = a.data[a.indptr[r] : a.indptr[r + 1]]
            for c, k in zip(cols, coefs, strict=True):
                value = lo_c[c] if (k > 0) == at_low else hi_c[c]
                var = int(reader.unknown[c])
                reader.determined.setdefault(var, (float(value), reader.names[r]))


def _peel(system: System, known, value, shown, reason, min_denominator) -> dict:
    """Plain subtraction first: an equality with one unknown gives it away.

    Repeated until nothing changes (each value found can open another row),
    so exact recovery along any chain of groups is found without an LP.
    ``known`` and ``value`` are updated in place.
    """
    n = system.n
    parts = [system.eq]
    rhs_parts = [np.zeros(system.eq.shape[0])]
    labels = list(system.eq_names)
    shown_rows = np.zeros(n, bool)
    shown_rows[: system.n_rows] = shown
    shown_share = np.flatnonzero((np.diff(system.den.indptr) > 0) & shown_rows)
    if shown_share.size:
        parts.append(system.den[shown_share])
        rhs_parts.append(system.den_truth[shown_share])
        labels += [("denominator printed on the share row", int(v)) for v in shown_share]
    a = sp.vstack(parts).tocsr()
    rhs = np.concatenate(rhs_parts)
    nz = (a != 0).astype(np.int8).tocsr()
    determined: dict[int, tuple[float, tuple[str, int]]] = {}
    via: dict[int, np.ndarray] = {}
    for _ in range(200):
        unknown_count = nz @ (~known).astype(np.int8)
        rows = np.flatnonzero(unknown_count == 1)
        if rows.size == 0:
            break
        sub = a[rows].multiply((~known).astype(float)[None, :]).tocsr()
        sub.eliminate_zeros()
        var = sub.indices  # one unknown per row
        coef = sub.data
        rest = a[rows] @ np.where(known, value, 0.0)
        vals = (rhs[rows] - rest) / coef
        first = np.unique(var, return_index=True)[1]
        for i in first:
            v = int(var[i])
            determined[v] = (float(vals[i]), labels[rows[i]])
            via[v] = a.indices[a.indptr[rows[i]] : a.indptr[rows[i] + 1]]
        known[var[first]] = True
        value[var[first]] = vals[first]
    return determined, via


def _split_blocks(reader: Reader) -> None:
    """Blocks = connected components of the unknowns under the equalities.

    An inequality row belongs to a block when all its unknowns do; one that
    spans blocks (``paid_work <= running`` with both sides hidden in different
    families) is left out of the LPs and reported in ``crossing`` (a known
    relaxation: those bounds bind only where a share is near 0% or 100%).
    """
    a = reader.a
    m = a.shape[1]
    if m == 0:
        reader.blocks = np.zeros(0, int)
        reader.row_block = np.zeros(a.shape[0], int)
        return
    incidence = (a != 0).astype(np.int8).tocsr()
    is_eq = np.isfinite(reader.lo) & np.isfinite(reader.hi) & (reader.hi - reader.lo < 1e-9)
    eq_inc = incidence[np.flatnonzero(is_eq)]
    graph = (eq_inc.T @ eq_inc).tocsr() + sp.identity(m, format="csr", dtype=np.int8)
    _, labels = connected_components(graph, directed=False)
    reader.blocks = labels
    coo = incidence.tocoo()
    lab = labels[coo.col]
    lo_lab = np.full(a.shape[0], np.iinfo(np.int64).max)
    hi_lab = np.full(a.shape[0], -1)
    np.minimum.at(lo_lab, coo.row, lab)
    np.maximum.at(hi_lab, coo.row, lab)
    reader.row_block = np.where(lo_lab == hi_lab, hi_lab, -1)
    reader.crossing = int((reader.row_block < 0).sum())


def withhold_hidden_denominators(system: System, reason, labels: np.ndarray) -> np.ndarray:
    """``small_denominator`` -> ``withheld`` where the share's denominator is hidden.

    The label says the denominator is 1..9: for a hidden ``x`` total (>= 5 to the reader)
    that is 5..9, and its parts narrow with it (demo, 2024Q3 AM35 IPS paid work: a ``<5``
    beside an ``x`` sibling capped at 3). A shown denominator the reader has anyway."""
    n = system.n_rows
    hidden = np.ones(system.n, bool)
    hidden[:n] = np.asarray(reason) != ""
    den = system.den.tocsr()
    users = den[:n].tocsc()
    for var in range(n, system.n):  # an implied total is shown iff a shown share prints it
        rows = users.indices[users.indptr[var] : users.indptr[var + 1]]
        hidden[var] = bool(hidden[rows].all()) if rows.size else True
    out = np.asarray(labels, dtype=object).copy()
    for var in np.flatnonzero(out == SMALL_DENOMINATOR):
        cols = den.indices[den.indptr[var] : den.indptr[var + 1]]
        if hidden[cols].any():
            out[var] = WITHHELD
    return out
