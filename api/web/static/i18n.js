// Labels of the planner page: Norwegian bokmål (default) and English. api/export/labels.py has the same words
// for the exports, so the screen and a printed roster read alike.
export const WEEKDAYS = {
  nb: ["ma", "ti", "on", "to", "fr", "lø", "sø"],
  en: ["Mo", "Tu", "We", "Th", "Fr", "Sa", "Su"],
};

export const ABSENCE = {
  nb: { ferie: ["Fe", "ferie"], sick: ["Sy", "sykefravær"], course: ["Ku", "kurs"], leave: ["Pe", "permisjon"],
        absence: ["Fr", "annet fravær"] },
  en: { ferie: ["Ho", "holiday (ferie)"], sick: ["Si", "sick leave"], course: ["Co", "course"], leave: ["Le", "leave"],
        absence: ["Ab", "other absence"] },
};

const ALIASES = { ferie: "ferie", vacation: "ferie", holiday: "ferie", sick: "sick", syk: "sick", sykdom: "sick",
  "sykefravær": "sick", egenmelding: "sick", sykemelding: "sick", course: "course", kurs: "course",
  training: "course", leave: "leave", permisjon: "leave", perm: "leave" };

export function absenceKind(kind) {
  return ALIASES[String(kind || "").trim().toLowerCase()] || "absence";
}

const T = {
  nb: {
    status_QUEUED: "i kø", status_SOLVING: "løser", status_COMPLETED: "ferdig", status_STOPPED: "stoppet",
    status_FAILED: "feilet", status_idle: "–",
    subtitle: "planlegger", api_key: "API-nøkkel", save: "Lagre", language: "Språk", unit: "Enhet",
    demo_ward: "Demo: sykehjemsavdeling (35 ansatte, 6 uker)", demo_tasks: "Demo med oppgaver (brukere og oppgaveliste)",
    load_demo: "Last demo", upload: "Last opp JSON", no_unit: "Ingen enhet lastet.", time_limit: "Tidsgrense (s)",
    workers: "Tråder", solve: "Lag turnus", stop: "Stopp", score: "Poeng", rule: "Regel", level: "Nivå",
    violations: "Brudd", penalty: "Straff", exports: "Eksport", export_ics: "Kalender (.ics)",
    export_hint: "Kalender: for valgt ansatt, ellers alle.", replan: "Planlegg på nytt",
    freeze_before: "Lås alt før", replan_btn: "Færrest mulig endringer", roster: "Turnus", details: "Detaljer",
    click_cell: "Klikk en celle, en ansatt eller en regel.", shift: "Vakt", apply: "Bruk", pin: "Lås",
    unpin: "Lås opp", move: "Flytt …", sick: "Syk denne dagen", who_can: "Hvem kan ta vakta?",
    move_hint: "Klikk cellen vakta skal flyttes til.", staff: "Ansatt", lawful: "Lovlig", delta: "Endring",
    why: "Hvorfor", kpis: "Nøkkeltall (Tørn)", hours_plot: "Timer mot mål per ansatt", tasks: "Oppgaver",
    date: "Dato", start: "Start", task: "Oppgave", user: "Bruker", staff_shift: "Ansatt (vakt)", needs: "Krever", scenarios: "Scenarioer",
    open_report: "Åpne scenariorapport (report.html)", week: "uke", hours: "timer", target: "mål",
    staffing: "Bemanning", legend_weekend: "helg", legend_holiday: "helligdag",
    legend_unfilled: "ubemannet (under minimum)", legend_pinned: "låst", legend_cost: "koster poeng",
    off: "fri", day: "dagvakt", evening: "aftenvakt", night: "nattvakt", long: "langvakt",
    hard: "hardt", unfilled: "ubemannet", soft: "mykt", total: "sum", is_lawful: "lovlig",
    not_lawful: "ikke lovlig", key_saved: "nøkkel lagret for økta", key_missing: "oppgi API-nøkkelen",
    unit_loaded: "{name}: {staff} ansatte, {weeks} uker fra {start}", solving: "løser",
    progress: "{phase} {elapsed} s · mål {objective} · grense {bound} · løsninger {solutions}",
    nothing_here: "Ingen regel koster noe her.", rules_here: "Regler som koster her", person_rules: "Regler for {staff}",
    rule_rows: "{rule}: {n} brudd", unfilled_here: "Ubemannet", no_roster: "Ingen turnus ennå.",
    rescored: "Ny poengsum: {total} ({delta})", better: "bedre", worse: "verre", same: "uendret",
    recommend_none: "Ingen kan ta vakta.", take: "Sett inn", yes: "ja", no: "nei", move_done: "Flyttet",
    pinned_note: "låst", sick_added: "Sykefravær lagt inn", already_absent: "Har allerede fravær denne dagen",
    shift_of: "{code} {name} {start}–{end}", holiday: "helligdag", week_total: "sum", period_total: "periode",
    conflicts: "Motstridende krav", no_tasks: "Ingen oppgaver denne dagen.", replanning: "planlegger på nytt",
    changes: "{changed} endret ({added} lagt til, {removed} fjernet)", person_hours: "{hours} t av mål {target} t",
  },
  en: {
    status_QUEUED: "queued", status_SOLVING: "solving", status_COMPLETED: "completed", status_STOPPED: "stopped",
    status_FAILED: "failed", status_idle: "–",
    subtitle: "planner", api_key: "API key", save: "Save", language: "Language", unit: "Unit",
    demo_ward: "Demo: nursing-home ward (35 staff, 6 weeks)", demo_tasks: "Demo with tasks (users and task list)",
    load_demo: "Load demo", upload: "Upload JSON", no_unit: "No unit loaded.", time_limit: "Time limit (s)",
    workers: "Threads", solve: "Make roster", stop: "Stop", score: "Score", rule: "Rule", level: "Level",
    violations: "Violations", penalty: "Penalty", exports: "Export", export_ics: "Calendar (.ics)",
    export_hint: "Calendar: for the selected person, else everyone.", replan: "Re-plan",
    freeze_before: "Freeze before", replan_btn: "Fewest changes", roster: "Roster", details: "Details",
    click_cell: "Click a cell, a person or a rule.", shift: "Shift", apply: "Apply", pin: "Pin", unpin: "Unpin",
    move: "Move …", sick: "Sick this day", who_can: "Who can cover?", move_hint: "Click the cell to move the shift to.",
    staff: "Staff", lawful: "Lawful", delta: "Change", why: "Why", kpis: "KPIs (Tørn)",
    hours_plot: "Hours against target per person", tasks: "Tasks", date: "Date", start: "Start", task: "Task",
    user: "User", staff_shift: "Staff (shift)", needs: "Needs", scenarios: "Scenarios", open_report: "Open a scenario report (report.html)",
    week: "week", hours: "hours", target: "target", staffing: "Staffing", legend_weekend: "weekend",
    legend_holiday: "public holiday", legend_unfilled: "unfilled (below minimum)", legend_pinned: "pinned",
    legend_cost: "costs points", off: "off", day: "day shift", evening: "evening shift", night: "night shift",
    long: "long shift", hard: "hard", unfilled: "unfilled", soft: "soft", total: "total", is_lawful: "lawful",
    not_lawful: "not lawful", key_saved: "key kept for this session", key_missing: "enter the API key",
    unit_loaded: "{name}: {staff} staff, {weeks} weeks from {start}", solving: "solving",
    progress: "{phase} {elapsed} s · objective {objective} · bound {bound} · solutions {solutions}",
    nothing_here: "No rule costs anything here.", rules_here: "Rules that cost here", person_rules: "Rules for {staff}",
    rule_rows: "{rule}: {n} violations", unfilled_here: "Unfilled", no_roster: "No roster yet.",
    rescored: "New score: {total} ({delta})", better: "better", worse: "worse", same: "unchanged",
    recommend_none: "Nobody can take the shift.", take: "Assign", yes: "yes", no: "no", move_done: "Moved",
    pinned_note: "pinned", sick_added: "Sick leave added", already_absent: "Already absent that day",
    shift_of: "{code} {name} {start}–{end}", holiday: "public holiday", week_total: "total", period_total: "period",
    conflicts: "Conflicting requirements", no_tasks: "No tasks that day.", replanning: "re-planning",
    changes: "{changed} changed ({added} added, {removed} removed)", person_hours: "{hours} h of target {target} h",
  },
};

let current = "nb";

export function setLang(lang) {
  current = T[lang] ? lang : "nb";
  document.documentElement.lang = current;
  for (const el of document.querySelectorAll("[data-i18n]")) {
    const text = T[current][el.dataset.i18n];
    if (text !== undefined) el.textContent = text;
  }
}

export function lang() {
  return current;
}

export function t(key, vars = {}) {
  const text = T[current][key] ?? T.nb[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, k) => (vars[k] ?? ""));
}
