// turnus planner page: a client of the public /v1 API (no state on the server beyond the API's own jobs).
// Load a unit, solve with live progress (server-sent events read through fetch, so the API key goes in a header),
// see the roster grid, explain a cell from the analysis justifications, edit and re-score, ask who can cover a
// shift, re-plan with the fewest changes, export. The API key is asked once and kept in sessionStorage.
import { ABSENCE, WEEKDAYS, absenceKind, lang, setLang, t } from "./i18n.js";

const $ = (sel) => document.querySelector(sel);
const el = (tag, attrs = {}, ...kids) => {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (k === "dataset") Object.assign(node.dataset, v);
    else node.setAttribute(k, v === true ? "" : v);
  }
  for (const kid of kids.flat()) if (kid !== null && kid !== undefined) node.append(kid);
  return node;
};
const SVG = "http://www.w3.org/2000/svg";
const svg = (tag, attrs = {}) => {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
};

const state = {
  inst: null, // the unit as JSON, with the planner's edits (absences, pins) folded in
  jobId: null, // the job whose roster is shown (solve, score or replan)
  roster: null,
  analysis: null,
  asg: new Map(), // "staff|date" -> {shift, pinned}
  holidays: new Map(), // date -> name
  selected: null, // {staff, date} or {shift, date} (staffing row)
  moving: null, // {staff, date, shift} while a move waits for its target cell
  progress: [],
  busy: false,
};

// ------------------------------------------------------------------ API
function apiKey() {
  return sessionStorage.getItem("turnus-api-key") || "";
}

class ApiError extends Error {}

async function api(path, { method = "GET", body, raw = false } = {}) {
  const key = apiKey();
  if (!key) {
    $("#api-key").focus();
    throw new ApiError(t("key_missing"));
  }
  const headers = { "X-API-Key": key };
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  if (!res.ok) {
    let msg = `HTTP ${res.status}`;
    try {
      const p = await res.json();
      msg = `${p.code || res.status}: ${p.detail || ""}`;
      for (const e of p.errors || []) msg += `\n  ${e.code} at ${e.loc}: ${e.message}`;
    } catch (_) { /* not a problem document */ }
    throw new ApiError(msg);
  }
  if (raw) return res;
  return res.status === 204 ? null : res.json();
}

function showError(err) {
  const box = $("#error");
  if (!err) {
    box.hidden = true;
    box.textContent = "";
    return;
  }
  box.hidden = false;
  box.textContent = String(err.message || err);
}

async function guarded(fn) {
  showError(null);
  try {
    await fn();
  } catch (err) {
    showError(err);
    if (!(err instanceof ApiError)) console.error(err);
  }
}

// Server-sent events over fetch (EventSource cannot send the X-API-Key header).
async function streamEvents(jobId, onEvent) {
  const res = await api(`/v1/rosters/${jobId}/events`, { raw: true });
  const reader = res.body.getReader();
  const decoder = new TextDecoder();
  let buf = "";
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += decoder.decode(value, { stream: true });
    let cut;
    while ((cut = buf.indexOf("\n\n")) >= 0) {
      const block = buf.slice(0, cut);
      buf = buf.slice(cut + 2);
      let event = "message";
      const data = [];
      for (const line of block.split("\n")) {
        if (line.startsWith("event:")) event = line.slice(6).trim();
        else if (line.startsWith("data:")) data.push(line.slice(5).trim());
      }
      if (data.length) onEvent(event, JSON.parse(data.join("\n")));
    }
  }
}

// ------------------------------------------------------------------ unit helpers
const toMin = (v) => (typeof v === "number" ? v : Number(v.slice(0, 2)) * 60 + Number(v.slice(3, 5)));
const hhmm = (m) => `${String(Math.floor((m % 1440) / 60)).padStart(2, "0")}:${String(m % 60).padStart(2, "0")}`;
const parseDate = (s) => new Date(`${s}T00:00:00Z`);
const iso = (d) => d.toISOString().slice(0, 10);
const addDays = (s, n) => iso(new Date(parseDate(s).getTime() + n * 86400000));
const weekday = (s) => (parseDate(s).getUTCDay() + 6) % 7; // mon = 0
const WD = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

function dates(inst) {
  const out = [];
  for (let i = 0; i < inst.period.weeks * 7; i++) out.push(addDays(inst.period.start, i));
  return out;
}

function nightOverlap(start, duration) {
  let total = 0;
  for (const day of [-1, 0, 1]) {
    const a = day * 1440 + 21 * 60;
    const b = day * 1440 + 1440 + 6 * 60;
    total += Math.max(0, Math.min(start + duration, b) - Math.max(start, a));
  }
  return total;
}

// the colour family of a shift type, as models/shifts.py derives tags: night, long, evening, day
function shiftInfo(st) {
  const start = toMin(st.start);
  const end = toMin(st.end);
  const duration = (((end - start) % 1440) + 1440) % 1440;
  const work = duration - (st.unpaid_break_min || 0);
  const tags = st.tags || [];
  let kind;
  if (tags.length) {
    kind = ["night", "long", "evening"].find((k) => tags.includes(k)) || "day";
  } else if (nightOverlap(start, duration) > 180) kind = "night";
  else if (duration > 600) kind = "long";
  else if (start + duration > 18 * 60 && start >= 12 * 60) kind = "evening";
  else kind = "day";
  return { code: st.code, name: st.name || "", start, end, work, kind };
}

function shiftTypes() {
  return new Map(state.inst.shift_types.map((st) => [st.code, shiftInfo(st)]));
}

// whole absence days per person: "staff|date" -> kind
function absenceDays(inst) {
  const out = new Map();
  const days = new Set(dates(inst));
  for (const s of inst.staff) {
    for (const ab of s.absences || []) {
      let first, last;
      if (ab.start_date) {
        first = ab.start_date;
        last = ab.end_date || ab.start_date;
      } else {
        first = ab.start.slice(0, 10);
        last = iso(new Date(new Date(ab.end).getTime() - 1));
      }
      for (let d = first; d <= last; d = addDays(d, 1)) if (days.has(d)) out.set(`${s.id}|${d}`, absenceKind(ab.kind));
    }
  }
  return out;
}

function demandMinimum(inst, day, shift) {
  let total = 0;
  for (const d of inst.demand || []) {
    if (d.shift !== shift) continue;
    if (d.dates && !d.dates.includes(day)) continue;
    if (d.weekdays && !d.weekdays.includes(WD[weekday(day)])) continue;
    total += Math.max(...d.slots.map((s) => (s.min ?? 1)));
  }
  return total;
}

// contract hours over the period as the contract_hours rule counts them (position % of full time, whole absence
// days pro rata; tredelt: the 35.5 h actual-hours ceiling)
function targetHours(inst, staff, absent) {
  const ch = (inst.rules && inst.rules.contract_hours) || {};
  const weekly = ch.mode === "tredelt" ? 35.5 : (ch.weekly_hours ?? 35.5);
  const days = dates(inst);
  const avail = days.filter((d) => !absent.has(`${staff.id}|${d}`)).length;
  return (staff.position_pct / 100) * weekly * avail / 7;
}

function fmt(n, digits = 1) {
  return Number(n).toLocaleString(lang() === "nb" ? "nb-NO" : "en-GB", {
    minimumFractionDigits: digits, maximumFractionDigits: digits });
}

function fmtInt(n) {
  return Number(n).toLocaleString(lang() === "nb" ? "nb-NO" : "en-GB");
}

// ------------------------------------------------------------------ loading a unit
async function setInstance(inst) {
  state.inst = inst;
  state.jobId = null;
  delete document.body.dataset.job;
  state.roster = null;
  state.analysis = null;
  state.selected = null;
  state.asg = new Map();
  for (const a of inst.assignments || []) state.asg.set(`${a.staff}|${a.date}`, { shift: a.shift, pinned: !!a.pinned });
  for (const p of inst.pinned || []) state.asg.set(`${p.staff}|${p.date}`, { shift: p.shift, pinned: true });
  const days = dates(inst);
  $("#unit-info").textContent = t("unit_loaded", {
    name: inst.name || inst.id || "unit", staff: inst.staff.length, weeks: inst.period.weeks, start: days[0] });
  $("#solve-btn").disabled = false;
  $("#freeze-before").value = "";
  $("#freeze-before").min = days[0];
  $("#freeze-before").max = days[days.length - 1];
  state.holidays = new Map();
  try {
    const hol = await api(`/v1/calendar/holidays?start=${days[0]}&end=${days[days.length - 1]}&lang=${lang()}`);
    for (const h of hol) state.holidays.set(h.date, h.name);
  } finally {
    renderAll();
  }
  if (inst.assignments && inst.assignments.length) await rescore();
}

async function loadDemo() {
  const name = $("#demo-pick").value;
  const res = await fetch(`/ui/demo/${encodeURIComponent(name)}.json`);
  if (!res.ok) throw new ApiError(`demo ${name}: HTTP ${res.status}`);
  await setInstance(await res.json());
}

async function uploadUnit(file) {
  const text = await file.text();
  let data;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ApiError(`malformed_json: ${file.name}: ${err.message}`);
  }
  const unit = data.input && data.input.period ? data.input : data; // a job request body works too
  const check = await api("/v1/validate", { method: "POST", body: { input: unit } });
  if (!check.valid) {
    throw new ApiError(check.errors.map((e) => `${e.code} at ${e.loc}: ${e.message}`).join("\n"));
  }
  await setInstance(unit);
}

// ------------------------------------------------------------------ solving
function runConfig() {
  return {
    name: (state.inst.name || state.inst.id || "unit").slice(0, 200).replace(/[\x00-\x1f]/g, " "),
    time_limit_s: Number($("#time-limit").value) || 20,
    workers: Number($("#workers").value) || 1,
    seed: 0,
  };
}

function submitInput() {
  const input = structuredClone(state.inst);
  delete input.assignments;
  input.pinned = pinnedList();
  return input;
}

function pinnedList() {
  const out = [];
  for (const [k, v] of state.asg) {
    if (!v.pinned) continue;
    const [staff, date] = k.split("|");
    out.push({ staff, date, shift: v.shift });
  }
  return out;
}

function assignmentsList() {
  const out = [];
  for (const [k, v] of state.asg) {
    const [staff, date] = k.split("|");
    out.push({ staff, date, shift: v.shift, pinned: v.pinned || undefined });
  }
  return out.sort((a, b) => (a.date + a.staff).localeCompare(b.date + b.staff));
}

function setStatus(status, text = "") {
  const s = $("#status");
  s.textContent = t(`status_${status}`);
  s.dataset.state = status;
  $("#progress-text").textContent = text;
}

function setBusy(busy, jobId = null) {
  state.busy = busy;
  state.running = busy ? jobId : null;
  $("#stop-btn").disabled = !busy;
  $("#solve-btn").disabled = busy || !state.inst;
  $("#replan-btn").disabled = busy || !state.jobId;
}

function plotProgress() {
  const plot = $("#progress-plot");
  plot.replaceChildren();
  const pts = state.progress.filter((p) => p.objective !== null && p.objective !== undefined);
  if (pts.length < 2) return;
  const w = 220, h = 36;
  const t0 = pts[0].elapsed_s, t1 = pts[pts.length - 1].elapsed_s || 1;
  const lo = Math.min(...pts.map((p) => p.objective)), hi = Math.max(...pts.map((p) => p.objective));
  const x = (p) => ((p.elapsed_s - t0) / Math.max(1e-9, t1 - t0)) * (w - 4) + 2;
  const y = (p) => (hi === lo ? h / 2 : 2 + ((p.objective - lo) / (hi - lo)) * (h - 4));
  plot.append(svg("polyline", { points: pts.map((p) => `${x(p)},${h - y(p)}`).join(" ") }));
}

async function follow(jobId) {
  state.progress = [];
  plotProgress();
  setBusy(true, jobId);
  setStatus("QUEUED");
  let final = null;
  try {
    await streamEvents(jobId, (event, data) => {
      if (event === "status") setStatus(data.status);
      else if (event === "progress") {
        state.progress.push(data);
        plotProgress();
        setStatus("SOLVING", t("progress", {
          phase: data.phase || "", elapsed: fmt(data.elapsed_s || 0), objective: fmtInt(data.objective ?? 0),
          bound: fmtInt(data.bound ?? 0), solutions: data.solutions ?? 0 }));
      } else if (event === "done") final = data;
    });
  } finally {
    setBusy(false);
  }
  const status = final ? final.status : (await api(`/v1/rosters/${jobId}/status`)).status;
  setStatus(status, final && final.error ? `${final.error.code}: ${final.error.detail || ""}` : "");
  await loadJob(jobId);
}

async function solve() {
  const created = await api("/v1/rosters", { method: "POST", body: { config: { run: runConfig() }, input: submitInput() } });
  await follow(created.id);
}

async function stop() {
  if (!state.running) return;
  const st = await api(`/v1/rosters/${state.running}`, { method: "DELETE" });
  setStatus(st.status);
}

async function loadJob(jobId, previousScore = null) {
  const job = await api(`/v1/rosters/${jobId}`);
  if (!job.roster) {
    renderAll();
    return;
  }
  state.jobId = jobId;
  state.roster = job.roster;
  state.asg = new Map();
  for (const a of job.roster.assignments) state.asg.set(`${a.staff}|${a.date}`, { shift: a.shift, pinned: !!a.pinned });
  for (const p of state.inst.pinned || []) {
    const got = state.asg.get(`${p.staff}|${p.date}`);
    if (got && got.shift === p.shift) got.pinned = true;
  }
  state.analysis = await api(`/v1/rosters/${jobId}/analysis`);
  if (job.changes) {
    $("#progress-text").textContent = t("changes", job.changes);
  }
  renderAll();
  if (previousScore) showDelta(previousScore, state.analysis.score);
  document.body.dataset.job = jobId; // last: for scripts and tests, the job whose roster is now fully shown
}

// ------------------------------------------------------------------ edits
// Every edit re-scores at once through the score operation (the checker on the server), and the answer becomes the
// shown roster, so the analysis, the recommendations and a re-plan all start from the edited roster.
async function rescore() {
  const before = state.analysis ? state.analysis.score : null;
  const input = submitInput();
  input.assignments = assignmentsList();
  const created = await api("/v1/rosters?operation=score", {
    method: "POST", body: { config: { run: { name: runConfig().name } }, input } });
  setStatus(created.status);
  await loadJob(created.id, before);
}

function showDelta(before, after) {
  const box = $("#score-delta");
  const d = after.total - before.total;
  const sign = d > 0 ? "+" : "";
  box.className = `delta ${d < 0 ? "better" : d > 0 ? "worse" : ""}`;
  const parts = ["hard", "unfilled", "soft"].map((k) => `${t(k)} ${after[k] - before[k] > 0 ? "+" : ""}${fmtInt(after[k] - before[k])}`);
  box.textContent = `Δ ${sign}${fmtInt(d)} (${d < 0 ? t("better") : d > 0 ? t("worse") : t("same")}; ${parts.join(", ")})`;
  box.dataset.delta = String(d);
}

async function applyShift() {
  const sel = state.selected;
  if (!sel || !sel.staff) return;
  const code = $("#edit-shift").value;
  const key = `${sel.staff}|${sel.date}`;
  if (code) state.asg.set(key, { shift: code, pinned: state.asg.get(key)?.pinned || false });
  else state.asg.delete(key);
  await rescore();
}

async function togglePin() {
  const sel = state.selected;
  if (!sel || !sel.staff) return;
  const got = state.asg.get(`${sel.staff}|${sel.date}`);
  if (!got) return;
  got.pinned = !got.pinned;
  await rescore();
}

async function markSick() {
  const sel = state.selected;
  if (!sel || !sel.staff) return;
  if (absenceDays(state.inst).has(`${sel.staff}|${sel.date}`)) throw new ApiError(t("already_absent"));
  const person = state.inst.staff.find((s) => s.id === sel.staff);
  person.absences = [...(person.absences || []), { start_date: sel.date, end_date: sel.date, kind: "sick" }];
  state.asg.delete(`${sel.staff}|${sel.date}`);
  await rescore();
}

async function moveTo(staff, date) {
  const from = state.moving;
  state.moving = null;
  $("#move-hint").hidden = true;
  if (!from || (from.staff === staff && from.date === date)) return;
  state.asg.delete(`${from.staff}|${from.date}`);
  state.asg.set(`${staff}|${date}`, { shift: from.shift, pinned: false });
  state.selected = { staff, date };
  await rescore();
}

async function recommend(shift, date) {
  const body = {
    input: submitInput(), roster: { assignments: assignmentsList() }, shift, date, max: 8, include_ineligible: false };
  const res = await api("/v1/recommendations", { method: "POST", body });
  const table = $("#recommendations");
  const tbody = table.querySelector("tbody");
  tbody.replaceChildren();
  table.hidden = false;
  if (!res.recommendations.length) {
    tbody.append(el("tr", {}, el("td", { colspan: 6, text: t("recommend_none") })));
    return;
  }
  for (const r of res.recommendations) {
    const why = r.rules.filter((x) => x.delta !== 0).map((x) => `${x.rule} ${x.delta > 0 ? "+" : ""}${fmtInt(x.delta)}`);
    tbody.append(el("tr", { dataset: { staff: r.staff } },
      el("td", { text: r.rank }), el("td", { text: r.staff }),
      el("td", { class: r.lawful ? "lawful" : "unlawful", text: r.lawful ? t("yes") : t("no") }),
      el("td", { class: "num", text: `${r.delta.total > 0 ? "+" : ""}${fmtInt(r.delta.total)}` }),
      el("td", { text: why.join(", ") }),
      el("td", {}, el("button", { type: "button", class: "take", text: t("take"),
        onclick: () => guarded(async () => {
          state.asg.set(`${r.staff}|${date}`, { shift, pinned: false });
          state.selected = { staff: r.staff, date };
          await rescore();
        }) }))));
  }
}

async function replan() {
  if (!state.jobId) return;
  const body = { changes: [], config: { run: runConfig() } };
  const freeze = $("#freeze-before").value;
  if (freeze) body.freeze_before = freeze;
  const created = await api(`/v1/rosters/${state.jobId}/replan`, { method: "POST", body });
  await follow(created.id);
}

async function exportFile(format) {
  if (!state.jobId) return;
  const params = new URLSearchParams({ format, lang: lang() });
  if (format === "ics" && state.selected && state.selected.staff) params.set("staff", state.selected.staff);
  const res = await api(`/v1/rosters/${state.jobId}/export?${params}`, { raw: true });
  const blob = await res.blob();
  const disp = res.headers.get("Content-Disposition") || "";
  const name = (disp.match(/filename="([^"]+)"/) || [])[1] || `roster.${format}`;
  const url = URL.createObjectURL(blob);
  const a = el("a", { href: url, download: name });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10000);
}

// ------------------------------------------------------------------ rendering
function justificationsAt(staff, date) {
  const out = [];
  for (const r of state.analysis?.rules || []) {
    for (const j of r.justifications) {
      if (j.staff !== staff) continue;
      if (date && j.dates.length && !j.dates.includes(date)) continue;
      if (date && !j.dates.length && r.level !== "REQUIRED") continue; // period-wide (e.g. hours): on the person
      out.push({ rule: r.rule, level: r.level, ...j });
    }
  }
  return out;
}

function costCells() {
  const out = new Set();
  for (const r of state.analysis?.rules || []) {
    for (const j of r.justifications) if (j.staff && j.penalty > 0) for (const d of j.dates) out.add(`${j.staff}|${d}`);
  }
  return out;
}

function renderLegend(types, absencesSeen) {
  const box = $("#legend");
  box.replaceChildren();
  for (const st of types.values()) {
    box.append(el("span", { class: "item" }, el("span", { class: `sw swatch-${st.kind}`, text: st.code }),
      `${st.name || t(st.kind)} ${hhmm(st.start)}–${hhmm(st.end)}`));
  }
  for (const kind of ["ferie", "sick", "course", "leave", "absence"]) {
    if (!absencesSeen.has(kind)) continue;
    const [label, name] = ABSENCE[lang()][kind];
    box.append(el("span", { class: "item" }, el("span", { class: `sw swatch-${kind}`, text: label }), name));
  }
  for (const [cls, key] of [["weekend", "legend_weekend"], ["holiday", "legend_holiday"],
    ["unfilled", "legend_unfilled"], ["pinned", "legend_pinned"], ["cost", "legend_cost"]]) {
    box.append(el("span", { class: `item legend-${cls}` }, el("span", { class: `sw swatch-${cls}`, text: "\u00a0" }), t(key)));
  }
}

function dayClass(d) {
  if (state.holidays.has(d)) return "hol";
  return weekday(d) >= 5 ? "we" : "";
}

function renderGrid() {
  const table = $("#grid");
  table.replaceChildren();
  if (!state.inst) return;
  const inst = state.inst;
  const days = dates(inst);
  const types = shiftTypes();
  const absent = absenceDays(inst);
  const costs = costCells();
  const unfilled = new Map();
  for (const u of state.roster?.unfilled || []) {
    const k = `${u.shift}|${u.date}`;
    unfilled.set(k, [...(unfilled.get(k) || []), u]);
  }
  const seen = new Set([...absent.values()]);
  renderLegend(types, seen);
  const wd = WEEKDAYS[lang()];
  const thead = el("thead");
  const weeks = el("tr", {}, el("th", { class: "who", text: "" }), el("th", { text: "" }), el("th", { text: "%" }));
  for (let w = 0; w < inst.period.weeks; w++) weeks.append(el("th", { colspan: 7, text: `${t("week")} ${w + 1}` }));
  weeks.append(el("th", { colspan: 1, text: t("hours") }));
  const wdays = el("tr", {}, el("th", { class: "who", text: t("staff") }), el("th", {}), el("th", {}));
  const dnums = el("tr", {}, el("th", { class: "who" }), el("th", {}), el("th", {}));
  for (const d of days) {
    const cls = dayClass(d);
    const title = state.holidays.get(d);
    wdays.append(el("th", { class: cls, title, text: wd[weekday(d)] }));
    dnums.append(el("th", { class: cls, title, dataset: { date: d }, text: `${d.slice(8, 10)}.${d.slice(5, 7)}` }));
  }
  wdays.append(el("th", { text: `/${t("target")}` }));
  dnums.append(el("th"));
  thead.append(weeks, wdays, dnums);
  const tbody = el("tbody");
  const tol = inst.rules?.contract_hours?.tolerance_hours ?? 8;
  for (const s of inst.staff) {
    const tr = el("tr", { dataset: { staff: s.id } });
    tr.append(el("td", { class: "who", title: s.name || "", text: s.id,
      onclick: () => select({ staff: s.id, date: null }) }));
    tr.append(el("td", { class: "grp", text: s.group.slice(0, 4) }), el("td", { class: "grp", text: s.position_pct }));
    let minutes = 0;
    for (const d of days) {
      const key = `${s.id}|${d}`;
      const got = state.asg.get(key);
      const classes = ["cell"];
      let text = "";
      if (got && types.has(got.shift)) {
        const st = types.get(got.shift);
        classes.push(`k-${st.kind}`);
        text = got.shift;
        minutes += st.work;
        if (got.pinned) classes.push("pinned");
      } else if (absent.has(key)) {
        const kind = absent.get(key);
        classes.push(`k-${kind}`);
        text = ABSENCE[lang()][kind][0];
      } else {
        const dc = dayClass(d);
        if (dc) classes.push(dc);
      }
      if (costs.has(key)) classes.push("cost");
      if (state.selected && state.selected.staff === s.id && state.selected.date === d) classes.push("sel");
      tr.append(el("td", { class: classes.join(" "), dataset: { date: d, staff: s.id }, text,
        onclick: () => (state.moving ? guarded(() => moveTo(s.id, d)) : select({ staff: s.id, date: d })) }));
    }
    const target = targetHours(inst, s, absent);
    const hours = minutes / 60;
    tr.append(el("td", { class: `hours${Math.abs(hours - target) > tol ? " off" : ""}`,
      title: t("person_hours", { hours: fmt(hours), target: fmt(target) }), text: `${fmt(hours)}/${fmt(target)}` }));
    tbody.append(tr);
  }
  tbody.append(el("tr", { class: "sep" }, el("td", { colspan: days.length + 4 })));
  const count = new Map();
  for (const [k, v] of state.asg) {
    const date = k.split("|")[1];
    count.set(`${v.shift}|${date}`, (count.get(`${v.shift}|${date}`) || 0) + 1);
  }
  for (const st of types.values()) {
    const mins = days.map((d) => demandMinimum(inst, d, st.code));
    const counts = days.map((d) => count.get(`${st.code}|${d}`) || 0);
    if (!mins.some((m) => m) && !counts.some((c) => c)) continue;
    const tr = el("tr", { class: "staffing", dataset: { shift: st.code } },
      el("td", { class: "who", text: `${t("staffing")} ${st.code}` }), el("td"), el("td"));
    days.forEach((d, i) => {
      const gaps = unfilled.get(`${st.code}|${d}`);
      const title = gaps ? gaps.map((u) => `${u.slot}: ${u.assigned}/${u.required}`).join("\n") : undefined;
      tr.append(el("td", { class: gaps ? "unfilled" : "", title, dataset: { date: d, shift: st.code },
        text: `${counts[i]}/${mins[i]}`, onclick: () => select({ shift: st.code, date: d }) }));
    });
    const weekTotals = [];
    for (let w = 0; w < inst.period.weeks; w++) weekTotals.push(counts.slice(w * 7, w * 7 + 7).reduce((a, b) => a + b, 0));
    tr.append(el("td", { class: "hours", title: weekTotals.map((n, w) => `${t("week")} ${w + 1}: ${n}`).join("\n"),
      text: String(counts.reduce((a, b) => a + b, 0)) }));
    tbody.append(tr);
  }
  // week totals of shifts per week (all shift types), the period total at the end
  const totals = el("tr", { class: "total" }, el("td", { class: "who", text: `${t("week_total")} (${t("hours")})` }),
    el("td"), el("td"));
  for (let w = 0; w < inst.period.weeks; w++) {
    let m = 0;
    for (const [k, v] of state.asg) {
      const date = k.split("|")[1];
      const i = days.indexOf(date);
      if (i >= w * 7 && i < w * 7 + 7 && types.has(v.shift)) m += types.get(v.shift).work;
    }
    totals.append(el("td", { colspan: 7, text: fmt(m / 60) }));
  }
  let all = 0;
  for (const v of state.asg.values()) if (types.has(v.shift)) all += types.get(v.shift).work;
  totals.append(el("td", { class: "hours", text: fmt(all / 60) }));
  tbody.append(totals);
  table.append(thead, tbody);
}

function renderScore() {
  const box = $("#score-summary");
  const tbody = $("#rules-table tbody");
  tbody.replaceChildren();
  const a = state.analysis;
  if (!a) {
    box.textContent = t("no_roster");
    $("#score-delta").textContent = "";
    return;
  }
  const s = a.score;
  box.replaceChildren(
    el("span", { class: a.lawful ? "lawful" : "unlawful", text: a.lawful ? t("is_lawful") : t("not_lawful") }),
    " · ", `${t("hard")} ${fmtInt(s.hard)} · ${t("unfilled")} ${fmtInt(s.unfilled)} (${a.unfilled_total}) · `,
    `${t("soft")} ${fmtInt(s.soft)} = `, el("b", { id: "score-total", text: fmtInt(s.total) }));
  box.dataset.total = String(s.total);
  for (const r of a.rules) {
    if (!r.violations && !r.penalty) continue;
    tbody.append(el("tr", { dataset: { rule: r.rule }, onclick: () => select({ rule: r.rule }) },
      el("td", { text: r.rule }), el("td", { class: `lvl-${r.level}`, text: r.level }),
      el("td", { class: "num", text: fmtInt(r.violations) }), el("td", { class: "num", text: fmtInt(r.penalty) })));
  }
}

function justList(items, withStaff = false) {
  if (!items.length) return el("p", { class: "muted", text: t("nothing_here") });
  return el("ul", {}, items.slice(0, 60).map((j) => el("li", {},
    el("b", { text: j.rule || "" }), j.level === "REQUIRED" ? el("span", { class: "lvl-REQUIRED", text: " (REQUIRED)" }) : "",
    withStaff && j.staff ? ` ${j.staff}` : "", j.dates && j.dates.length ? ` ${j.dates.slice(0, 4).join(", ")}${j.dates.length > 4 ? " …" : ""}` : "",
    `: ${j.detail} `, el("span", { class: "just-penalty", text: `−${fmtInt(j.penalty)}` }))));
}

function renderExplain() {
  const box = $("#explain");
  const edit = $("#edit");
  const sel = state.selected;
  box.replaceChildren();
  $("#recommendations").hidden = true;
  for (const tr of document.querySelectorAll("#rules-table tr.sel")) tr.classList.remove("sel");
  for (const td of document.querySelectorAll("#grid td.hl")) td.classList.remove("hl");
  if (!sel) {
    edit.hidden = true;
    box.append(el("p", { class: "muted", text: t("click_cell") }));
    return;
  }
  const types = shiftTypes();
  if (sel.rule) {
    edit.hidden = true;
    const r = (state.analysis?.rules || []).find((x) => x.rule === sel.rule);
    document.querySelector(`#rules-table tr[data-rule="${CSS.escape(sel.rule)}"]`)?.classList.add("sel");
    if (!r) return;
    box.append(el("h3", { text: t("rule_rows", { rule: r.rule, n: r.violations }) }),
      justList(r.justifications.map((j) => ({ rule: r.rule, level: r.level, ...j })), true));
    for (const j of r.justifications) {
      for (const d of j.dates) {
        if (j.staff) document.querySelector(`#grid td.cell[data-staff="${CSS.escape(j.staff)}"][data-date="${d}"]`)?.classList.add("hl");
      }
    }
    return;
  }
  if (sel.shift && !sel.staff) {
    edit.hidden = false;
    fillShiftSelect(sel.shift, false);
    const st = types.get(sel.shift);
    box.append(el("h3", { text: `${sel.date} · ${t("shift_of", { code: st.code, name: st.name, start: hhmm(st.start), end: hhmm(st.end) })}` }));
    const gaps = (state.roster?.unfilled || []).filter((u) => u.date === sel.date && u.shift === sel.shift);
    if (gaps.length) {
      box.append(el("b", { text: t("unfilled_here") }),
        el("ul", {}, gaps.map((u) => el("li", { text: `${u.slot}: ${u.assigned}/${u.required} (−${u.missing})` }))));
    }
    const j = [];
    for (const r of state.analysis?.rules || []) {
      for (const x of r.justifications) if (!x.staff && x.dates.includes(sel.date) && x.detail.startsWith(`${sel.shift} `)) j.push({ rule: r.rule, level: r.level, ...x });
    }
    box.append(justList(j));
    return;
  }
  if (!sel.date) {
    edit.hidden = true;
    const s = state.inst.staff.find((x) => x.id === sel.staff);
    box.append(el("h3", { text: t("person_rules", { staff: sel.staff }) }),
      el("p", { class: "muted", text: `${s.group} · ${s.position_pct} %` }), justList(justificationsAt(sel.staff, null)));
    return;
  }
  edit.hidden = false;
  const got = state.asg.get(`${sel.staff}|${sel.date}`);
  const st = got ? types.get(got.shift) : null;
  const absent = absenceDays(state.inst).get(`${sel.staff}|${sel.date}`);
  const what = st ? t("shift_of", { code: st.code, name: st.name, start: hhmm(st.start), end: hhmm(st.end) })
    : absent ? ABSENCE[lang()][absent][1] : t("off");
  const hol = state.holidays.get(sel.date);
  box.append(el("h3", { text: `${sel.staff} · ${sel.date} (${WEEKDAYS[lang()][weekday(sel.date)]}${hol ? `, ${hol}` : ""}) · ${what}${got?.pinned ? ` · ${t("pinned_note")}` : ""}` }),
    el("b", { text: t("rules_here") }), justList(justificationsAt(sel.staff, sel.date)));
  fillShiftSelect(got ? got.shift : "", true);
  $("#edit-pin").textContent = got?.pinned ? t("unpin") : t("pin");
  $("#edit-pin").disabled = !got;
  $("#edit-move").disabled = !got;
  $("#edit-sick").disabled = !!absent;
}

function fillShiftSelect(value, withOff) {
  const sel = $("#edit-shift");
  sel.replaceChildren();
  if (withOff) sel.append(el("option", { value: "", text: `— ${t("off")} —` }));
  for (const st of shiftTypes().values()) sel.append(el("option", { value: st.code, text: `${st.code} ${st.name}` }));
  sel.value = value;
  $("#edit-apply").disabled = !withOff;
}

function renderKpis() {
  const box = $("#kpi-plot");
  box.replaceChildren();
  const hours = $("#hours-plot");
  hours.replaceChildren();
  const k = state.analysis?.kpis;
  if (!k) return;
  const entries = Object.entries(k);
  // shares (heltidsandel, competence and hours shares) as bars; counts, means and spreads as numbers
  const isShare = (name, v) => (name.endsWith("_share") || name.includes("andel")) && v >= 0 && v <= 1;
  const share = entries.filter(([name, v]) => isShare(name, v));
  const other = entries.filter(([name, v]) => !isShare(name, v));
  const row = 18, labelW = 210, barW = 180;
  const plot = svg("svg", { width: labelW + barW + 60, height: share.length * row + 4, role: "img" });
  share.forEach(([name, v], i) => {
    const y = i * row + 2;
    const label = svg("text", { x: 0, y: y + 12, "font-size": 11 });
    label.textContent = name;
    const bg = svg("rect", { x: labelW, y, width: barW, height: row - 5, fill: "#eef2f6" });
    const bar = svg("rect", { x: labelW, y, width: Math.max(0, v * barW), height: row - 5, class: "bar" });
    const val = svg("text", { x: labelW + barW + 6, y: y + 12, "font-size": 11 });
    val.textContent = `${fmt(v * 100)} %`;
    plot.append(label, bg, bar, val);
  });
  box.append(plot);
  if (other.length) {
    box.append(el("table", { class: "kpi-table" }, other.map(([name, v]) => el("tr", {},
      el("td", { text: name }), el("td", { class: "num", text: Number.isInteger(v) ? fmtInt(v) : fmt(v, 2) })))));
  }
  // hours against target: a bar per person from the target line (left: under, right: over)
  const inst = state.inst;
  const types = shiftTypes();
  const absent = absenceDays(inst);
  const tol = inst.rules?.contract_hours?.tolerance_hours ?? 8;
  const devs = inst.staff.map((s) => {
    let m = 0;
    for (const [key, v] of state.asg) if (key.startsWith(`${s.id}|`) && types.has(v.shift)) m += types.get(v.shift).work;
    return [s.id, m / 60 - targetHours(inst, s, absent)];
  });
  const span = Math.max(tol * 1.5, ...devs.map(([, d]) => Math.abs(d)));
  const w = 300, mid = 90 + w / 2, h = devs.length * 14 + 20;
  const hp = svg("svg", { width: 90 + w + 50, height: h, role: "img" });
  for (const x of [-tol, tol]) {
    hp.append(svg("line", { x1: mid + (x / span) * (w / 2), x2: mid + (x / span) * (w / 2), y1: 0, y2: h - 14,
      stroke: "#f79009", "stroke-dasharray": "3 2" }));
  }
  hp.append(svg("line", { x1: mid, x2: mid, y1: 0, y2: h - 14, stroke: "#667085" }));
  devs.forEach(([id, d], i) => {
    const y = i * 14 + 2;
    const label = svg("text", { x: 0, y: y + 10, "font-size": 10 });
    label.textContent = id;
    const len = (Math.abs(d) / span) * (w / 2);
    const bar = svg("rect", { x: d < 0 ? mid - len : mid, y, width: len, height: 10,
      class: `bar ${Math.abs(d) > tol ? "neg" : "ok"}` });
    const val = svg("text", { x: 90 + w + 4, y: y + 10, "font-size": 10 });
    val.textContent = `${d > 0 ? "+" : ""}${fmt(d)}`;
    hp.append(label, bar, val);
  });
  const axis = svg("text", { x: mid - 60, y: h - 2, "font-size": 10 });
  axis.textContent = `± ${fmt(tol)} ${t("hours")} (${t("target")})`;
  hp.append(axis);
  hours.append(hp);
}

function renderTasks() {
  const panel = $("#tasks-panel");
  const inst = state.inst;
  if (!inst || !(inst.tasks || []).length) {
    panel.hidden = true;
    return;
  }
  panel.hidden = false;
  const pick = $("#tasks-date");
  const days = dates(inst);
  if (pick.options.length !== days.length) {
    pick.replaceChildren(...days.map((d) => el("option", { value: d, text: `${WEEKDAYS[lang()][weekday(d)]} ${d}` })));
  }
  if (state.selected?.date) pick.value = state.selected.date;
  const day = pick.value || days[0];
  const tasks = new Map(inst.tasks.map((x) => [x.id, x]));
  const tbody = $("#tasks-table tbody");
  tbody.replaceChildren();
  const rows = (state.roster?.task_assignments || []).filter((a) => a.date === day);
  const missing = (state.roster?.unassigned_tasks || []).filter((u) => u.date === day);
  if (!rows.length && !missing.length) {
    tbody.append(el("tr", {}, el("td", { colspan: 5, class: "muted", text: t("no_tasks") })));
    return;
  }
  rows.sort((a, b) => a.start.localeCompare(b.start));
  for (const a of rows) {
    const task = tasks.get(a.task) || {};
    const needs = [task.group ? `${task.group}${task.or_better === false ? "" : "+"}` : "", ...(task.competences || [])]
      .filter(Boolean).join(", ");
    // each person with the shift they work that day (the task lies inside it)
    const who = a.staff.map((sid) => `${sid} (${state.asg.get(`${sid}|${day}`)?.shift || "?"})`).join(", ");
    tbody.append(el("tr", {}, el("td", { text: a.start }), el("td", { text: task.name || a.task }),
      el("td", { text: task.user || "" }), el("td", { text: who }), el("td", { text: needs })));
  }
  for (const u of missing) {
    tbody.append(el("tr", { class: "unlawful" }, el("td", { text: u.start || "" }), el("td", { text: u.task }),
      el("td", { text: "" }), el("td", { text: `− ${u.missing} (${u.code})` }), el("td", { text: u.reason })));
  }
}

function renderAll() {
  renderScore();
  renderGrid();
  renderExplain();
  renderKpis();
  renderTasks();
  const has = !!state.jobId;
  for (const id of ["#export-xlsx", "#export-csv", "#export-ics"]) $(id).disabled = !has;
  $("#replan-btn").disabled = !has || state.busy;
  $("#solve-btn").disabled = !state.inst || state.busy;
}

function select(sel) {
  state.selected = sel;
  for (const td of document.querySelectorAll("#grid td.sel")) td.classList.remove("sel");
  if (sel.staff && sel.date) {
    document.querySelector(`#grid td.cell[data-staff="${CSS.escape(sel.staff)}"][data-date="${sel.date}"]`)?.classList.add("sel");
  }
  renderExplain();
  if (sel.date && state.inst?.tasks?.length) renderTasks();
}

// ------------------------------------------------------------------ wiring
function init() {
  const saved = sessionStorage.getItem("turnus-lang") || "nb";
  $("#lang").value = saved;
  setLang(saved);
  if (apiKey()) $("#key-state").textContent = t("key_saved");
  $("#key-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    const key = $("#api-key").value.trim();
    if (!key) return;
    sessionStorage.setItem("turnus-api-key", key);
    $("#api-key").value = "";
    $("#key-state").textContent = t("key_saved");
  });
  $("#lang").addEventListener("change", () => guarded(async () => {
    sessionStorage.setItem("turnus-lang", $("#lang").value);
    setLang($("#lang").value);
    if (apiKey()) $("#key-state").textContent = t("key_saved");
    const status = $("#status");
    status.textContent = t(`status_${status.dataset.state}`);
    if (state.inst) {
      const days = dates(state.inst);
      const hol = await api(`/v1/calendar/holidays?start=${days[0]}&end=${days[days.length - 1]}&lang=${lang()}`);
      state.holidays = new Map(hol.map((h) => [h.date, h.name]));
      $("#unit-info").textContent = t("unit_loaded", { name: state.inst.name || state.inst.id || "unit",
        staff: state.inst.staff.length, weeks: state.inst.period.weeks, start: days[0] });
    }
    renderAll();
  }));
  $("#demo-btn").addEventListener("click", () => guarded(loadDemo));
  $("#upload").addEventListener("change", (ev) => {
    const file = ev.target.files[0];
    if (file) guarded(() => uploadUnit(file));
  });
  $("#solve-btn").addEventListener("click", () => guarded(solve));
  $("#stop-btn").addEventListener("click", () => guarded(stop));
  $("#replan-btn").addEventListener("click", () => guarded(replan));
  $("#edit-apply").addEventListener("click", () => guarded(applyShift));
  $("#edit-pin").addEventListener("click", () => guarded(togglePin));
  $("#edit-sick").addEventListener("click", () => guarded(markSick));
  $("#edit-move").addEventListener("click", () => {
    const sel = state.selected;
    const got = sel && sel.staff ? state.asg.get(`${sel.staff}|${sel.date}`) : null;
    if (!got) return;
    state.moving = { staff: sel.staff, date: sel.date, shift: got.shift };
    $("#move-hint").hidden = false;
  });
  $("#recommend-btn").addEventListener("click", () => guarded(async () => {
    const sel = state.selected;
    if (!sel || !sel.date) return;
    await recommend($("#edit-shift").value || state.inst.shift_types[0].code, sel.date);
  }));
  $("#tasks-date").addEventListener("change", renderTasks);
  for (const fmtName of ["xlsx", "csv", "ics"]) {
    $(`#export-${fmtName}`).addEventListener("click", () => guarded(() => exportFile(fmtName)));
  }
  $("#scenario-file").addEventListener("change", async (ev) => {
    const file = ev.target.files[0];
    if (!file) return;
    const frame = $("#scenario-frame");
    frame.srcdoc = await file.text(); // sandboxed: no scripts, no access to this page or its key
    frame.hidden = false;
  });
  renderAll();
  document.body.dataset.ready = "1";
}

init();
