/* Werkmonitor dashboard: reads window.WERKMONITOR_DATA (the public figures,
   formatted in Python) and window.WERKMONITOR_SPECS (Vega-Lite templates from
   werkmonitor.charts), renders the view chosen in the form and keeps it in the
   URL hash. No number is formatted here: every text comes from the data; the
   numbers drawn are read back from those texts. */
(function () {
  "use strict";
  const D = window.WERKMONITOR_DATA;
  const S = window.WERKMONITOR_SPECS;
  const NL = "NL";
  const PP = " procentpunt";
  const DIMS = ["trajectory_type", "financing", "ips_scheme", "ips_phase"];
  const HASH = { level: "niveau", region: "regio", type: "type", fin: "financiering",
    scheme: "regeling", phase: "fase", indicator: "indicator", quarter: "kwartaal",
    compare: "vergelijk", cOutcome: "cohortuitkomst", cStart: "cohortstart",
    cCompare: "cohortvergelijk" };
  const $ = (id) => document.getElementById(id);
  const COHORT_COMPARE = ["none", "financing", "ips_scheme"]; // options of "vergelijk" the curves have

  const indicators = Object.fromEntries(D.indicators.map((i) => [i.code, i]));
  const breakdownIndex = new Map(D.breakdowns.map((b, i) => [b.join("|"), String(i)]));
  const regionName = Object.fromEntries(D.regions);
  // Breakdowns the file does not publish at a level (published_breakdowns): "type|breakdown".
  const unpublished = Object.fromEntries(Object.entries(D.unpublished || {})
    .map(([lv, pairs]) => [lv, new Set(pairs.map((x) => x.join("|")))]));
  // Indicators the file does not publish at a level (published_indicators): their codes.
  const unpublishedIndicators = Object.fromEntries(Object.entries(D.unpublished_indicators || {})
    .map(([lv, codes]) => [lv, new Set(codes)]));
  const label = {};
  for (const d of DIMS) label[d] = Object.fromEntries(D.dimensions[d]);
  const views = {};
  let state = defaults();

  function defaults() {
    const hasIps = D.breakdowns.some((b) => b[0] === "IPS");
    return {
      level: "landelijk", region: D.regions.length ? D.regions[0][0] : "",
      type: hasIps ? "IPS" : "ALL", fin: "ALL", scheme: "ALL", phase: "ALL",
      indicator: indicators.paid_work ? "paid_work" : D.indicators[0].code,
      quarter: D.quarters[D.quarters.length - 1], compare: "none",
      cOutcome: D.cohorts ? D.cohorts.outcomes[0][0] : "paid_work", cStart: "ALL", cCompare: "none",
    };
  }

  /* ---------- data access ---------- */
  function place() { return state.level === "regio" ? state.region : NL; }
  function placeLabel(p) { return p === NL ? "Landelijk" : regionName[p] || p; }
  function breakdown() { return [state.type, state.fin, state.scheme, state.phase]; }

  function breakdownKind(bd) {
    return bd[1] !== "ALL" ? "financing" : bd[2] !== "ALL" ? "ips_scheme" : bd[3] !== "ALL" ? "ips_phase" : "trajectory_type";
  }
  function unpublishedText(p, bd) {
    const lv = p === NL ? "national" : "region";
    const set = unpublished[lv];
    return set && set.has(bd[0] + "|" + breakdownKind(bd)) ? D.unpublished_text[lv] : null;
  }
  function indicatorUnpublished(p, code) {
    const set = unpublishedIndicators[p === NL ? "national" : "region"];
    return Boolean(set && set.has(code));
  }

  function cell(p, bd, code, qi) {
    if (indicatorUnpublished(p, code)) {
      const lv = p === NL ? "national" : "region";
      return { unpublished: true, what: "indicator", display: D.unpublished_text[lv], value: null };
    }
    const text = unpublishedText(p, bd);
    if (text) return { unpublished: true, what: "uitsplitsing", display: text, value: null };
    const b = breakdownIndex.get(bd.join("|"));
    const series = b === undefined ? null : (((D.cells[code] || {})[p]) || {})[b];
    const c = series ? series[qi] : null;
    if (c === null || c === undefined) return { absent: true, display: "–", value: null };
    if (typeof c === "number") {
      const h = D.hidden[c];
      return { hidden: true, display: h[0], reason: h[1], reasonText: h[2], value: null };
    }
    const kind = indicators[code].kind;
    const unit = (t) => (t && kind === "share" ? t + PP : t || "");
    return {
      display: c[0], value: toNumber(c[0]), numerator: c[1] || "", denominator: c[2] || "",
      previous: c[3] || "", change: unit(c[4]), lfl: c[5] || "", lflPrevious: c[6] || "",
      lflChange: unit(c[7]), lflOrganisations: c[8] === undefined ? "" : String(c[8]),
    };
  }

  function toNumber(text) {
    if (!text) return null;
    let t = String(text).replace(/\./g, "").replace(",", ".");
    const pct = t.endsWith("%");
    if (pct) t = t.slice(0, -1);
    const v = Number(t);
    if (t === "" || !Number.isFinite(v)) return null;
    return pct ? v / 100 : v;
  }

  function completeness(region, quarter) {
    return ((D.completeness[quarter] || {})[region]) || ["", "", 0, 0, []];
  }

  /* ---------- DOM helpers ---------- */
  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === undefined || v === null || v === false) continue;
      if (k === "text") e.textContent = v; else e.setAttribute(k, v === true ? "" : v);
    }
    for (const c of children) if (c !== null && c !== undefined) e.append(c);
    return e;
  }
  function valueNode(c) {
    if (c.hidden) return el("span", { class: "mask value", title: c.reasonText, tabindex: "0", text: c.display });
    if (c.unpublished) return el("span", { class: "value unpublished", text: c.display });
    if (c.absent) return el("span", { class: "value", title: "Geen trajecten in deze uitsplitsing", text: "–" });
    return el("span", { class: "value", text: c.display });
  }
  function fillSelect(select, options, value) {
    select.replaceChildren(...options.map(([v, t, disabled]) =>
      el("option", { value: v, text: t, disabled: disabled || undefined })));
    select.value = value;
  }
  function table(id, caption, headers, rows) {
    const t = $(id);
    const head = el("tr", {}, ...headers.map((h, i) => el("th", { scope: "col", class: i === 0 ? "text" : null, text: h })));
    const body = rows.map((r) => el("tr", { "data-key": r.key },
      ...r.cells.map((c, i) => (i === 0 ? el("th", { scope: "row", class: "text" }, c) : el("td", {}, c)))));
    t.replaceChildren(el("caption", { text: caption }), el("thead", {}, head), el("tbody", {}, ...body));
    t.dataset.csv = JSON.stringify([headers, ...rows.map((r) => r.cells.map(csvText))]);
  }
  function csvText(node) { return typeof node === "string" ? node : node.textContent; }
  function download(id) {
    const rows = JSON.parse($(id).dataset.csv || "[]");
    const quote = (v) => (/[";\n]/.test(v) ? '"' + v.replace(/"/g, '""') + '"' : v);
    const text = "\ufeff" + rows.map((r) => r.map(quote).join(";")).join("\r\n") + "\r\n";
    const a = el("a", { href: URL.createObjectURL(new Blob([text], { type: "text/csv" })),
      download: `werkmonitor_${id.replace("-table", "")}_${state.indicator}_${place()}_${state.quarter}.csv` });
    document.body.append(a); a.click(); a.remove();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  }

  async function draw(id, name, datasets, description, width) {
    const spec = JSON.parse(JSON.stringify(S[name]));
    Object.assign(spec.datasets, datasets);
    spec.description = description;
    if (width && spec.width !== undefined) spec.width = width;
    const target = $(id);
    if (views[id]) { views[id].finalize(); delete views[id]; }
    const result = await window.vegaEmbed(target, spec, { actions: false, renderer: "svg" });
    views[id] = result;
    performance.mark("drawn:" + id);
    // vega-embed marks the container as a graphics document; its label is the
    // chart's text alternative (the figures, as in the table beside it).
    if (!target.getAttribute("role")) target.setAttribute("role", "img");
    target.setAttribute("aria-label", description);
  }
  function clear(id, ...content) {
    if (views[id]) { views[id].finalize(); delete views[id]; }
    $(id).replaceChildren(...content);
    $(id).removeAttribute("aria-label");
  }
  function chartWidth(id, min) { return Math.max(min || 280, Math.min(900, $(id).clientWidth - 110)); }

  /* ---------- controls ---------- */
  function setupControls() {
    fillSelect($("region"), D.regions.map(([c, n]) => [c, n]), state.region);
    fillSelect($("quarter"), D.quarters.slice().reverse().map((q) => [q, q]), state.quarter);
    // The curves' comparisons are the figure's, with their labels: written once, in index.html.
    fillSelect($("cohort-compare"), [...$("compare").options].filter((o) => COHORT_COMPARE.includes(o.value))
      .map((o) => [o.value, o.textContent]), state.cCompare);
    const groups = new Map();
    for (const i of D.indicators) {
      if (!groups.has(i.family_label)) groups.set(i.family_label, []);
      groups.get(i.family_label).push(i);
    }
    $("indicator").replaceChildren(...[...groups].map(([g, items]) =>
      el("optgroup", { label: g }, ...items.map((i) => el("option", { value: i.code, text: i.label })))));
    for (const [id, key] of [["level", "level"], ["region", "region"], ["type", "type"], ["fin", "fin"],
      ["scheme", "scheme"], ["phase", "phase"], ["indicator", "indicator"], ["quarter", "quarter"],
      ["compare", "compare"], ["cohort-outcome", "cOutcome"], ["cohort-start", "cStart"],
      ["cohort-compare", "cCompare"]]) {
      $(id).addEventListener("change", (e) => { update(key, e.target.value); });
    }
    $("show-definition").addEventListener("click", () => {
      const d = $("definition"); d.open = true; d.querySelector("summary").focus();
      d.scrollIntoView({ block: "nearest" });
    });
    for (const b of document.querySelectorAll("button.csv")) {
      b.addEventListener("click", () => download(b.dataset.table));
    }
    window.addEventListener("hashchange", () => { state = fromHash(); render(); });
  }

  function update(key, value) {
    state[key] = value;
    if (key === "fin" && value !== "ALL") { state.scheme = "ALL"; state.phase = "ALL"; }
    if (key === "scheme" && value !== "ALL") { state.fin = "ALL"; state.phase = "ALL"; }
    if (key === "phase" && value !== "ALL") { state.fin = "ALL"; state.scheme = "ALL"; }
    if (key === "type" && value !== "IPS") { state.scheme = "ALL"; state.phase = "ALL"; }
    render();
  }

  function syncControls() {
    const q = state.quarter;
    $("level").value = state.level;
    const regionSelect = $("region");
    for (const o of regionSelect.options) {
      const mark = completeness(o.value, q)[0];
      o.textContent = regionName[o.value] + (mark ? " " + mark : "");
    }
    regionSelect.value = state.region;
    regionSelect.disabled = state.level !== "regio";
    const exists = (bd) => breakdownIndex.has(bd.join("|"));
    fillSelect($("type"), D.dimensions.trajectory_type.filter(([c]) => exists([c, "ALL", "ALL", "ALL"])), state.type);
    fillSelect($("fin"), D.dimensions.financing.filter(([c]) => exists([state.type, c, "ALL", "ALL"])), state.fin);
    fillSelect($("scheme"), D.dimensions.ips_scheme.filter(([c]) => exists([state.type, "ALL", c, "ALL"])), state.scheme);
    fillSelect($("phase"), D.dimensions.ips_phase.filter(([c]) => exists([state.type, "ALL", "ALL", c])), state.phase);
    $("scheme").disabled = state.type !== "IPS";
    $("phase").disabled = state.type !== "IPS";
    for (const o of $("indicator").options) {
      const types = indicators[o.value].applies_to;
      o.disabled = Boolean(types && types.length && !types.includes(state.type)) && o.value !== state.indicator;
    }
    $("indicator").value = state.indicator;
    $("quarter").value = q;
    $("compare").value = state.compare;
    for (const o of $("compare").options) {
      o.disabled = (o.value === "ips_scheme" || o.value === "ips_phase") && state.type !== "IPS";
    }
  }

  /* ---------- URL hash ---------- */
  function toHash() {
    const p = new URLSearchParams();
    for (const [k, name] of Object.entries(HASH)) if (state[k]) p.set(name, state[k]);
    return "#" + p.toString();
  }
  function fromHash() {
    const s = defaults();
    const p = new URLSearchParams(location.hash.slice(1));
    for (const [k, name] of Object.entries(HASH)) if (p.has(name)) s[k] = p.get(name);
    if (!["landelijk", "regio"].includes(s.level)) s.level = "landelijk";
    if (!regionName[s.region]) s.region = defaults().region;
    if (!indicators[s.indicator]) s.indicator = defaults().indicator;
    if (!D.quarters.includes(s.quarter)) s.quarter = defaults().quarter;
    if (!["none", ...DIMS].includes(s.compare)) s.compare = "none";
    if (!COHORT_COMPARE.includes(s.cCompare)) s.cCompare = "none";
    if (D.cohorts && !D.cohorts.outcomes.some(([o]) => o === s.cOutcome)) s.cOutcome = D.cohorts.outcomes[0][0];
    if (D.cohorts && !D.cohorts.starts.includes(s.cStart)) s.cStart = "ALL";
    if (!breakdownIndex.has([s.type, s.fin, s.scheme, s.phase].join("|"))) {
      Object.assign(s, { fin: "ALL", scheme: "ALL", phase: "ALL" });
      if (!breakdownIndex.has([s.type, "ALL", "ALL", "ALL"].join("|"))) s.type = "ALL";
    }
    return s;
  }

  /* ---------- sections ---------- */
  function breakdownText() {
    const parts = [label.trajectory_type[state.type] || state.type];
    if (state.fin !== "ALL") parts.push("financiering " + label.financing[state.fin]);
    if (state.scheme !== "ALL") parts.push(label.ips_scheme[state.scheme]);
    if (state.phase !== "ALL") parts.push("fase " + label.ips_phase[state.phase]);
    return state.type === "ALL" && parts.length === 1 ? "alle trajecten" : parts.join(", ");
  }

  function applies(ind) {
    return !ind.applies_to || !ind.applies_to.length || ind.applies_to.includes(state.type);
  }

  function renderFigure() {
    const ind = indicators[state.indicator];
    const qi = D.quarters.indexOf(state.quarter);
    const c = cell(place(), breakdown(), state.indicator, qi);
    $("figure-title").textContent = `${ind.label} — ${breakdownText()} — ${placeLabel(place())} — ${state.quarter}`;
    $("figure-value").replaceChildren(valueNode(c));
    const mark = state.level === "regio" ? completeness(state.region, state.quarter)[0] : "";
    $("figure-mark").textContent = mark;
    const reason = $("figure-reason");
    reason.hidden = !(c.hidden || c.absent || c.unpublished);
    reason.textContent = c.unpublished ? `Deze ${c.what} is ${c.display}; alleen het landelijke cijfer wordt gepubliceerd` +
        (c.what === "indicator" && place() !== NL ? ` (landelijk: ${cell(NL, breakdown(), state.indicator, qi).display}).` : ".")
      : c.hidden ? c.reasonText
      : c.absent ? (applies(ind) ? "Geen trajecten in deze uitsplitsing in dit kwartaal."
        : `${ind.label} geldt niet voor ${label.trajectory_type[state.type] || state.type}.`) : "";
    $("figure-numerator").textContent = ind.kind === "count" ? (c.hidden || c.absent || c.unpublished ? "–" : c.display) : c.numerator || "–";
    $("figure-denominator").textContent = ind.kind === "count" ? "–" : c.denominator || "–";
    $("figure-previous").textContent = c.previous || "–";
    $("figure-change").textContent = c.change || "–";
    const lfl = c.lfl || c.lflPrevious
      ? `${c.lfl || "x"} tegen ${c.lflPrevious || "x"}${c.lflChange ? " (" + c.lflChange + ")" : ""}` +
        (c.lflOrganisations ? `, ${c.lflOrganisations} organisaties` : "")
      : "–";
    $("figure-lfl").textContent = lfl;
    const nationalRow = $("figure-national-row");
    nationalRow.hidden = state.level !== "regio";
    if (state.level === "regio") {
      $("figure-national").replaceChildren(valueNode(cell(NL, breakdown(), state.indicator, qi)));
    }
    const note = $("completeness-note");
    const comp = completeness(state.region, state.quarter);
    note.hidden = state.level !== "regio" || !comp[0];
    note.textContent = comp[0] === "**" ? "** Geen aanbieder in deze regio in dit kwartaal."
      : comp[0] === "*" ? `* ${comp[1]}: ${comp[3]} van ${comp[2]} organisaties hebben aangeleverd; ontbrekend: ${comp[4].join(", ") || "–"}.`
        : "";
    $("definition-label").textContent = ind.label;
    $("definition-numerator").textContent = ind.numerator || "–";
    $("definition-denominator").textContent = ind.denominator || "– (een aantal)";
    $("definition-text").textContent = ind.definition || "–";
  }

  function seriesSpecs() {
    const bd = breakdown();
    if (state.compare === "none") return [{ name: placeLabel(place()), bd }];
    const dim = DIMS.indexOf(state.compare);
    const out = [];
    for (const [code, text] of D.dimensions[state.compare]) {
      if (code === "ALL") continue;
      const b = state.compare === "trajectory_type" ? [code, "ALL", "ALL", "ALL"]
        : state.compare === "financing" ? [state.type, code, "ALL", "ALL"]
          : ["IPS", "ALL", "ALL", "ALL"];
      if (dim >= 2) b[dim] = code;
      if (breakdownIndex.has(b.join("|"))) out.push({ name: text, bd: b });
    }
    return out;
  }

  function lineRows(p, spec) {
    return D.quarters.map((q, qi) => {
      const c = cell(p, spec.bd, state.indicator, qi);
      return { quarter: q, series: spec.name, value: c.value, label: c.hidden ? c.display : c.absent || c.unpublished ? "" : c.display,
        reason: c.hidden ? c.reasonText : null, cell: c };
    });
  }

  async function renderSeries() {
    const ind = indicators[state.indicator];
    const p = place();
    const specs = seriesSpecs();
    const series = specs.map((s) => lineRows(p, s));
    const withRef = state.level === "regio" && state.compare === "none";
    const ref = withRef ? lineRows(NL, { name: "Landelijk", bd: breakdown() }) : [];
    const main = series.flat().map((r, i) => ({ quarter: r.quarter, series: r.series, value: r.value,
      label: r.label, reason: r.reason, series_order: Math.floor(i / D.quarters.length) }));
    const datasets = { main };
    if (withRef) datasets.reference = ref.map((r) => ({ quarter: r.quarter, series: r.series, value: r.value, label: r.label }));
    const describeRows = (rows) => rows.map((r) => `${r.quarter} ${r.label || "geen gegevens"}${r.cell.hidden ? " (niet getoond)" : ""}`).join(", ");
    let text = `Lijndiagram per kwartaal: ${ind.label}, ${breakdownText()}, ${placeLabel(p)}. ` +
      series.map((rows) => `${rows[0].series}: ${describeRows(rows)}.`).join(" ");
    if (withRef) text += ` Referentielijn Landelijk: ${describeRows(ref)}.`;
    $("series-title").textContent = `Verloop per kwartaal: ${ind.label}`;
    const name = (withRef ? "line_ref_" : "line_") + ind.kind;
    const notPublished = series.length && series.every((rows) => rows.every((r) => r.cell.unpublished));
    const drawing = notPublished
      ? clear("series-chart", el("p", { class: "note", text: `Niet getoond: deze ${series[0][0].cell.what} is ${series[0][0].cell.display}.` }))
      : main.some((r) => r.label) || ref.some((r) => r.label)
      ? draw("series-chart", name, datasets, text, chartWidth("series-chart"))
      : clear("series-chart", el("p", { class: "note", text: "Geen cijfers voor deze keuze in de gepubliceerde kwartalen." }));
    if (state.compare === "none") {
      const headers = ["Kwartaal", "Waarde", "Teller", "Noemer", "Vorig kwartaal", "Verandering",
        "Zelfde organisaties", "Zelfde org., vorig kwartaal", "Verandering zelfde org.", "Aantal organisaties"];
      if (withRef) headers.push("Landelijk");
      const rows = series[0].slice().reverse().map((r, i) => {
        const c = r.cell;
        const cells = [r.quarter, valueNode(c), ind.kind === "count" ? "" : c.numerator || "",
          ind.kind === "count" ? "" : c.denominator || "", c.previous || "", c.change || "", c.lfl || "",
          c.lflPrevious || "", c.lflChange || "", c.lflOrganisations || ""];
        if (withRef) cells.push(valueNode(ref[ref.length - 1 - i].cell));
        return { key: r.quarter, cells };
      });
      table("series-table", `${ind.label}, ${breakdownText()}, ${placeLabel(p)}`, headers, rows);
    } else {
      const headers = ["Kwartaal", ...series.map((s) => s[0].series)];
      const rows = D.quarters.slice().reverse().map((q, i) => ({ key: q,
        cells: [q, ...series.map((s) => valueNode(s[s.length - 1 - i].cell))] }));
      table("series-table", `${ind.label} per ${$("compare").selectedOptions[0].textContent.toLowerCase()}, ${placeLabel(p)}`, headers, rows);
    }
    return drawing;
  }

  async function renderRegions() {
    const ind = indicators[state.indicator];
    const qi = D.quarters.indexOf(state.quarter);
    const rows = D.regions.map(([code, name]) => {
      const c = cell(code, breakdown(), state.indicator, qi);
      const comp = completeness(code, state.quarter);
      return { code, name, c, comp };
    });
    const main = rows.map((r) => ({ region_code: r.code, region_name: r.name, value: r.c.value,
      label: r.c.absent ? "–" : r.c.display, mark: r.comp[0], reason: r.c.hidden ? r.c.reasonText : null,
      status: r.comp[1] }));
    const text = `Regiokaart (tegels per arbeidsmarktregio): ${ind.label}, ${breakdownText()}, ${state.quarter}. ` +
      rows.map((r) => `${r.name}${r.comp[0] ? " " + r.comp[0] : ""}: ${r.c.absent ? "geen gegevens" : r.c.display}${r.c.hidden ? " (niet getoond)" : ""}.`).join(" ");
    $("regions-title").textContent = `Per arbeidsmarktregio: ${ind.label}, ${state.quarter}`;
    table("regions-table", `${ind.label}, ${breakdownText()}, ${state.quarter}`,
      ["Regio", "Markering", "Waarde", "Aanlevering", "Organisaties aangeleverd", "Ontbrekende organisaties"],
      rows.map((r) => ({ key: r.code, cells: [r.name, r.comp[0], valueNode(r.c), r.comp[1],
        r.comp[2] ? `${r.comp[3]} van ${r.comp[2]}` : "", r.comp[4].join(", ")] })));
    if (rows.length && rows.every((r) => r.c.unpublished)) {
      return clear("tiles-chart", el("p", { class: "note", text: `Niet getoond: deze ${rows[0].c.what} is ${rows[0].c.display}.` }));
    }
    return draw("tiles-chart", "tiles_" + ind.kind, { main }, text);
  }

  async function renderAmbition() {
    const rows = Object.entries(D.ambition[state.quarter] || {}).map(([code, a]) => ({ code, a }))
      .sort((x, y) => (regionName[x.code] || "").localeCompare(regionName[y.code] || "", "nl"));
    const year = rows.length ? rows[0].a[5] : state.quarter.slice(0, 4);
    $("ambition-title").textContent = `Regionale ambitie ${year}: gestarte IPS-trajecten tot en met ${state.quarter}`;
    $("ambition-note").textContent = "Gestart dit jaar tegen het jaardoel van de divisie van de regio.";
    table("ambition-table", `Regionale ambitie tot en met ${state.quarter}`,
      ["Regio", "Divisie", "Jaardoel", "Gestart dit jaar", "Aandeel van het doel"],
      rows.map(({ code, a }) => ({ key: code, cells: [regionName[code] || code, D.divisions[a[3]] || a[3], a[1] || "–",
        a[4] ? el("span", { class: "mask value", title: a[4], tabindex: "0", text: a[0] }) : el("span", { class: "value", text: a[0] }),
        a[4] ? "x" : a[2] || "–"] })));
    if (!rows.length) { clear("ambition-chart"); return null; }
    const main = rows.map(({ code, a }, i) => ({ category: regionName[code] || code, series: "Aandeel van het doel",
      value: a[4] ? null : toNumber(a[2]), label: a[4] ? a[0] : a[2] || "–", reason: a[4] || null,
      category_order: i, series_order: 0 }));
    const text = "Staafdiagram: aandeel van het jaardoel per regio. " +
      main.map((r) => `${r.category}: ${r.label}${r.reason ? " (niet getoond)" : ""}.`).join(" ");
    return draw("ambition-chart", "ambition", { main }, text, chartWidth("ambition-chart", 240) - 120);
  }

  let cohortsLoading = null;
  function loadCohorts() {
    if (D.cohorts || !D.has_cohorts) return Promise.resolve();
    if (!cohortsLoading) {
      cohortsLoading = new Promise((resolve, reject) => {
        const s = el("script", { src: "data/cohorts.js" });
        s.onload = () => { D.cohorts = window.WERKMONITOR_COHORTS; resolve(); };
        s.onerror = () => { cohortsLoading = null; reject(new Error("Cohortcijfers niet gevonden")); };
        document.head.append(s);
      });
    }
    return cohortsLoading;
  }

  async function renderCohorts() {
    $("cohorts").hidden = !D.has_cohorts;
    if (!D.has_cohorts) return null;
    await loadCohorts();
    const C = D.cohorts;
    if (!C.outcomes.some(([o]) => o === state.cOutcome)) state.cOutcome = C.outcomes[0][0];
    if (!C.starts.includes(state.cStart)) state.cStart = "ALL";
    fillSelect($("cohort-outcome"), C.outcomes, state.cOutcome);
    fillSelect($("cohort-start"), C.starts.map((s) => [s, s === "ALL" ? "Alle starts" : s]), state.cStart);
    $("cohort-compare").value = state.cCompare;
    const p = place();
    const type = state.type;
    const groups = state.cCompare === "financing"
      ? D.dimensions.financing.filter(([c]) => c !== "ALL").map(([c, t]) => [type, c, "ALL", t])
      : state.cCompare === "ips_scheme"
        ? D.dimensions.ips_scheme.filter(([c]) => c !== "ALL").map(([c, t]) => ["IPS", "ALL", c, t])
        : [[type, "ALL", "ALL", `${label.trajectory_type[type] || type}, ${placeLabel(p)}`]];
    const series = [];
    for (const [t, f, s, name] of groups) {
      const rows = C.curves[[p, t, f, s, state.cStart, state.cOutcome].join("|")];
      if (rows) series.push({ name, rows });
    }
    $("cohort-note").textContent = `Stand per ${C.as_of}. Aandeel van de trajecten met een eerste baan, per maand sinds de start; ` +
      "het vlak is het 95%-betrouwbaarheidsinterval, onder de grafiek het (afgeronde) aantal trajecten dat nog in beeld is.";
    if (!series.length) {
      clear("cohort-chart", el("p", { class: "note", text: "Geen cohortcijfers voor deze keuze (te weinig trajecten)." }));
      table("cohort-table", "Cohortcurve", ["Maand"], []);
      return null;
    }
    const main = series.flatMap((s, order) => s.rows.map((r) => ({ series: s.name, month: r[0],
      cumulative_share: toNumber(r[1]), ci_lower: toNumber(r[2]), ci_upper: toNumber(r[3]),
      at_risk: toNumber(r[4]), label: r[1], band_label: `${r[2]} – ${r[3]}`, at_risk_label: r[4],
      series_order: order })));
    const text = "Cohortcurve (cumulatief aandeel per maand sinds de start): " + series.map((s) => `${s.name}: ` +
      s.rows.filter((r) => r[0] % 6 === 0).map((r) => `maand ${r[0]} ${r[1]} (95%-interval ${r[2]} – ${r[3]}, ${r[4]} nog in beeld)`).join(", ") + ".").join(" ");
    const months = [...new Set(main.map((r) => r.month))].sort((a, b) => a - b);
    const headers = ["Maand", ...series.flatMap((s) => [`${s.name}: aandeel`, "95%-interval", "nog in beeld"])];
    table("cohort-table", "Cohortcurve", headers, months.map((m) => ({ key: String(m), cells: [String(m),
      ...series.flatMap((s) => { const r = s.rows.find((x) => x[0] === m); return r ? [r[1], `${r[2]} – ${r[3]}`, r[4]] : ["", "", ""]; })] })));
    return draw("cohort-chart", "cohort", { main }, text);
  }

  function renderDefinitions() {
    table("definitions-table", "Definities van de indicatoren", ["Indicator", "Soort", "Teller", "Noemer", "Toelichting"],
      D.indicators.map((i) => ({ key: i.code, cells: [i.label, { count: "aantal", share: "aandeel", ratio: "verhouding" }[i.kind] || i.kind,
        i.numerator || "–", i.denominator || "–", i.definition || ""] })));
  }

  const loading = {};
  function loadIndicator(code) {
    if (D.cells[code]) return Promise.resolve();
    if (!loading[code]) {
      loading[code] = new Promise((resolve, reject) => {
        const s = el("script", { src: `data/indicators/${code}.js` });
        s.onload = () => { D.cells[code] = (window.WERKMONITOR_CELLS || {})[code] || {}; resolve(); };
        s.onerror = () => { delete loading[code]; reject(new Error(`Cijfers van ${code} niet gevonden`)); };
        document.head.append(s);
      });
    }
    return loading[code];
  }

  let renderSeq = 0;
  async function render() {
    const seq = ++renderSeq;
    document.body.dataset.ready = "false";
    syncControls();
    const hash = toHash();
    if (location.hash !== hash) history.replaceState(null, "", hash);
    $("share-link").href = hash;
    try {
      await loadIndicator(state.indicator);
      if (seq !== renderSeq) return;
      renderFigure();
      performance.mark("figure");
      // The figure and its series first (the first view), then what lies below.
      await renderSeries();
      performance.mark("first-view");
      await new Promise((resolve) => requestAnimationFrame(() => resolve()));
      await Promise.all([renderRegions(), renderAmbition(), renderCohorts()]);
    } catch (err) {
      console.error(err);
      document.body.dataset.error = String(err);
    }
    if (seq === renderSeq) {
      document.body.dataset.state = hash;
      document.body.dataset.ready = "true";
    }
  }

  // A table with its CSV button, written once here for every section that has one
  // (<div data-csv-table="id"> in index.html): the button above, the table in a scroll box.
  for (const slot of document.querySelectorAll("[data-csv-table]")) {
    const id = slot.dataset.csvTable;
    slot.replaceWith(
      el("div", { class: "table-head" },
        el("button", { type: "button", class: "csv", "data-table": id, text: "Download CSV" })),
      el("div", { class: "scroll" }, el("table", { id })));
  }
  $("publication").textContent = `publicatie ${D.publication.id} (${D.publication.published_at.replace("T", " ")} UTC), ` +
    `kwartalen ${D.quarters[0]} tot en met ${D.quarters[D.quarters.length - 1]}`;
  setupControls();
  renderDefinitions();
  state = fromHash();
  render();
}());
