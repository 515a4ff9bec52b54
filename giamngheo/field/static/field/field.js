/* giamngheo field app (issue 13): download the assignment, fill Phiếu A/B offline, sync through the API.
   No inline script anywhere (CSP 'self'): the pages carry their words and URLs as JSON blocks. */
(function () {
  "use strict";
  const S = window.GNStore;
  const score = window.GNScoring;
  const T = JSON.parse(document.getElementById("field-texts").textContent);
  const U = JSON.parse(document.getElementById("field-urls").textContent);
  const LANG = document.documentElement.lang === "en" ? "en" : "vi";
  const PAGE = document.body.dataset.page;

  const $ = (selector) => document.querySelector(selector);
  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === null || value === undefined || value === false) continue;
      if (key === "text") node.textContent = value;
      else node.setAttribute(key, value === true ? "" : value);
    }
    for (const child of children) if (child !== null && child !== undefined) node.append(child);
    return node;
  }
  function local(text) {
    return text ? (LANG === "en" ? text.en : text.vi) : "";
  }
  function number(value) {
    // 1.500.000 on a Vietnamese page, 1,500,000 in English: by hand, whatever the browser's locale data.
    const digits = String(Math.round(value)).replace(/\B(?=(\d{3})+(?!\d))/g, LANG === "en" ? "," : ".");
    return digits;
  }
  function size(bytes) {
    if (bytes < 1024) return number(bytes) + " B";
    const kb = bytes / 1024;
    if (kb < 1024) return number(kb) + " kB";
    return (Math.round((kb / 1024) * 10) / 10).toString().replace(".", LANG === "en" ? "." : ",") + " MB";
  }
  function pad(n) {
    return String(n).padStart(2, "0");
  }
  function dateText(iso) {
    if (!iso) return "";
    const d = new Date(iso);
    return pad(d.getDate()) + "/" + pad(d.getMonth() + 1) + "/" + d.getFullYear() + " " + pad(d.getHours()) + ":" + pad(d.getMinutes());
  }
  function today() {
    const d = new Date();
    return d.getFullYear() + "-" + pad(d.getMonth() + 1) + "-" + pad(d.getDate());
  }
  function toDisplayDate(iso) {
    return iso ? iso.slice(8, 10) + "/" + iso.slice(5, 7) + "/" + iso.slice(0, 4) : "";
  }
  function fromDisplayDate(text) {
    const m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim());
    if (m) return m[3] + "-" + pad(m[2]) + "-" + pad(m[1]);
    return /^\d{4}-\d{2}-\d{2}$/.test(text.trim()) ? text.trim() : null;
  }
  function newKey() {
    if (self.crypto && crypto.randomUUID) return crypto.randomUUID();
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }
  function csrfToken() {
    // Django's CSRF cookie (readable by the page's script, as htmx reads it on the other pages).
    const match = /(?:^|;\s*)csrftoken=([^;]+)/.exec(document.cookie);
    return match ? decodeURIComponent(match[1]) : "";
  }
  function say(text, kind) {
    const box = $("#field-message");
    if (!box) return;
    box.textContent = text || "";
    box.className = "field-message" + (kind ? " " + kind : "");
    box.hidden = !text;
  }
  function entryParam() {
    const value = new URLSearchParams(location.search).get("e");
    return value ? Number(value) : null;
  }

  // --- the device's data: own assignment only, deleted when it expires -------------------------------------

  async function assignment() {
    const meta = await S.get("meta", "assignment");
    if (meta && new Date(meta.expires_at) < new Date()) {
      await expire();
      say(T.expired, "warn");
      return null;
    }
    return meta || null;
  }

  async function expire() {
    // The assignment goes; surveys not yet sent stay so no work is lost, and are sent at the next sync.
    await S.clear("households");
    await S.remove("meta", "assignment");
    const finished = (await S.all("outbox")).filter((r) => !["draft", "queued", "sending"].includes(r.state));
    await S.remove("outbox", ...finished.map((r) => r.key));
  }

  // --- download -------------------------------------------------------------------------------------------

  async function fetchJson(url) {
    const response = await fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } });
    const text = await response.text();
    if (response.status === 401 || response.status === 403) throw Object.assign(new Error("login"), { login: true });
    if (!response.ok) throw new Error(text);
    return { data: JSON.parse(text), bytes: Number(response.headers.get("Content-Length")) || new Blob([text]).size };
  }

  async function download() {
    const button = $("#download");
    const bar = $("#download-progress");
    const status = $("#download-status");
    button.disabled = true;
    bar.hidden = false;
    bar.value = 0;
    status.textContent = T.downloading;
    const started = performance.now();
    try {
      const first = await fetchJson(U.assignment);
      const meta = first.data;
      const previous = await S.get("meta", "assignment");
      const owner = await S.get("meta", "owner");
      if (owner && owner.user_id !== meta.user_id) {
        await S.clear(); // another user's data never stays beside this one's
        say(T.other_user, "warn");
      }
      let bytes = first.bytes;
      bar.max = Math.max(meta.households, 1);
      const seen = new Set();
      let cursor = null;
      do {
        const url = U.households + "?limit=200" + (cursor ? "&cursor=" + encodeURIComponent(cursor) : "");
        const page = await fetchJson(url);
        bytes += page.bytes;
        for (const item of page.data.items) seen.add(item.entry_id);
        await S.put("households", ...page.data.items);
        cursor = page.data.next_cursor;
        bar.value = seen.size;
        status.textContent = number(seen.size) + " / " + number(meta.households) + " " + T.households + " · " + size(bytes);
      } while (cursor);
      const stale = (await S.all("households")).filter((h) => !seen.has(h.entry_id)).map((h) => h.entry_id);
      await S.remove("households", ...stale);
      meta.key = "assignment";
      meta.bytes = bytes;
      meta.millis = Math.round(performance.now() - started);
      await S.put("meta", meta, { key: "owner", user_id: meta.user_id, username: meta.username });
      status.textContent = T.downloaded + ": " + number(seen.size) + " " + T.households + " · " + size(bytes);
      document.body.dataset.downloaded = String(seen.size);
      void previous;
      await showHome();
    } catch (error) {
      status.textContent = "";
      say(error.login ? T.login : navigator.onLine ? String(error.message || error) : T.offline, "error");
    } finally {
      button.disabled = false;
    }
  }

  // --- the outbox and the sync ----------------------------------------------------------------------------

  async function recordFor(entryId, form) {
    const open = (await S.byEntry(entryId)).filter((r) => r.form === form && r.state !== "accepted");
    open.sort((a, b) => (a.updated < b.updated ? 1 : -1));
    return open[0] || null;
  }

  // Saves run one after another, in the order they were asked for: the draft saved on the last keystroke
  // must not land after the "queued" save of the submit that followed it (the survey would stay a draft).
  let saving = Promise.resolve();
  function saveRecord(household, form, payload, state) {
    const done = saving.then(() => writeRecord(household, form, payload, state));
    saving = done.catch(() => undefined);
    return done;
  }

  async function writeRecord(household, form, payload, state) {
    let record = await recordFor(household.entry_id, form);
    const now = new Date().toISOString();
    if (record && (record.attempted || ["conflict", "refused"].includes(record.state)) && state !== "draft") {
      // Sent before (perhaps received): a changed survey gets a key of its own, never the old one's.
      if (JSON.stringify(record.payload) !== JSON.stringify(payload)) record = null;
    }
    if (!record) {
      record = { key: newKey(), entry_id: household.entry_id, form: form, created: now, attempted: false };
    }
    Object.assign(record, {
      household_code: household.household_code,
      head_name: household.head_name,
      payload: payload,
      state: state,
      message_vi: "",
      message_en: "",
      updated: now,
    });
    await S.put("outbox", record);
    return record;
  }

  function problemText(body) {
    if (!body) return "";
    const main = LANG === "en" ? body.message_en : body.message_vi;
    const details = (body.problems || []).map((p) => (LANG === "en" ? p.message_en : p.message_vi)).filter(Boolean);
    return [main].concat(details.filter((d) => d !== main)).join(" — ");
  }

  // Surveys go up in batches (POST /api/surveys/batch, up to the server's 25 a request), each recorded by
  // the server on its own with its own key, version check and outcome. A batch cut off halfway is sent
  // again as it was: the surveys already recorded answer "replayed". A lone survey, or a server that does
  // not answer the batch as a batch (an older one, a refused batch), goes through POST /api/surveys one by
  // one. The batch is marked "sending" in one IndexedDB transaction before the request and its outcomes
  // are stored in one after it: a closed tab in between leaves them "sending", queued again at the start.
  const BATCH = 25;

  async function post(url, body) {
    // The answer (status, parsed JSON or null), or null when the request never got an answer.
    for (;;) {
      let response;
      try {
        response = await fetch(url, {
          method: "POST",
          credentials: "same-origin",
          headers: { "Content-Type": "application/json", Accept: "application/json", "X-CSRFToken": csrfToken() },
          body: JSON.stringify(body),
        });
      } catch (error) {
        return null;
      }
      let answer = null;
      try {
        answer = await response.json();
      } catch (error) {
        answer = null;
      }
      if (response.status !== 429) return { status: response.status, answer: answer };
      const wait = Number(response.headers.get("Retry-After")) || 5;
      await new Promise((resolve) => setTimeout(resolve, wait * 1000));
    }
  }

  function settle(record, status, answer) {
    // One survey's outcome, as POST /api/surveys answers it (or one result of a batch).
    if (status === 200 || status === 201) {
      record.state = "accepted";
      record.result = answer;
      record.message_vi = answer ? answer.explanation_vi : "";
      record.message_en = answer ? answer.explanation_en : "";
      record.sent = new Date().toISOString();
    } else {
      record.state = status === 409 ? "conflict" : "refused";
      record.message_vi = answer ? answer.message_vi + problemDetails(answer, "vi") : String(status);
      record.message_en = answer ? answer.message_en + problemDetails(answer, "en") : String(status);
    }
    record.updated = new Date().toISOString();
  }

  async function send(records) {
    const batch = records.length > 1 && U.surveys_batch;
    for (const record of records) {
      record.state = "sending";
      record.attempted = true;
    }
    await S.put("outbox", ...records);
    const bodies = records.map((r) => Object.assign({ idempotency_key: r.key }, r.payload));
    const reply = await post(batch ? U.surveys_batch : U.surveys, batch ? { surveys: bodies } : bodies[0]);
    const login = reply && (reply.status === 401 || (reply.status === 403 && reply.answer && reply.answer.code === "csrf"));
    if (!reply || login) {
      // Cut off: the server may or may not have them. The same keys are sent again next time, so either
      // way each survey ends up recorded once.
      for (const record of records) {
        record.state = "queued";
        record.message_vi = record.message_en = login ? T.login : T.offline;
      }
      await S.put("outbox", ...records);
      return login ? "login" : "network";
    }
    if (batch && (reply.status !== 200 || !reply.answer || !Array.isArray(reply.answer.results))) {
      let last = "accepted";
      for (const record of records) {
        last = await send([record]);
        if (last === "network" || last === "login") break;
      }
      return last;
    }
    if (batch) {
      const byKey = {};
      for (const result of reply.answer.results) byKey[result.idempotency_key] = result;
      for (const record of records) {
        const result = byKey[record.key];
        if (result) settle(record, result.status, result.survey || result.error);
        else record.state = "queued";
      }
    } else {
      settle(records[0], reply.status, reply.answer);
    }
    await S.put("outbox", ...records);
    return batch ? "batch" : records[0].state;
  }

  function problemDetails(answer, lang) {
    const lines = (answer.problems || [])
      .map((p) => (lang === "en" ? p.message_en : p.message_vi))
      .filter((m) => m && m !== (lang === "en" ? answer.message_en : answer.message_vi));
    return lines.length ? ": " + lines.join("; ") : "";
  }

  let syncing = null;
  function sync() {
    if (!syncing) syncing = runSync().finally(() => { syncing = null; });
    return syncing;
  }

  async function runSync() {
    const meta = await S.get("meta", "assignment");
    const waiting = (await S.all("outbox")).filter((r) => r.state === "queued" || r.state === "sending");
    if (!waiting.length) {
      if (PAGE === "outbox") say(T.nothing_to_send, "");
      return { sent: 0 };
    }
    say(T.syncing, "");
    const outcomes = [];
    let stop = null;
    // Batches in flight at once (the server says how many, FIELD_PARALLEL_UPLOADS): one travels while another
    // is recorded.
    const senders = Math.max(1, (meta && meta.parallel_uploads) || 1);
    async function worker() {
      while (waiting.length && !stop) {
        const records = waiting.splice(0, BATCH);
        const outcome = await send(records);
        outcomes.push(...records.map(() => outcome));
        if (outcome === "network" || outcome === "login") stop = outcome;
        if (PAGE === "outbox") await showOutbox();
      }
    }
    await Promise.all(Array.from({ length: senders }, worker));
    if (!stop) {
      await S.put("meta", { key: "sync", at: new Date().toISOString() });
      say(T.sync_done, "ok");
    } else {
      say(stop === "login" ? T.login : T.offline, "error");
    }
    await refreshPage();
    document.body.dataset.synced = String((Number(document.body.dataset.synced) || 0) + 1);
    return { sent: outcomes.length, stop: stop };
  }

  // --- pages -----------------------------------------------------------------------------------------------

  function stepLabel(record) {
    return T["state_" + (record.state === "sending" ? "queued" : record.state)] || record.state;
  }

  async function showHome() {
    const meta = await assignment();
    const list = $("#households");
    const info = $("#assignment-info");
    if (!meta) {
      list.replaceChildren();
      info.textContent = T.no_assignment;
      document.body.dataset.ready = "1";
      return;
    }
    info.textContent = meta.username + " · " + number(meta.households) + " " + T.households + " · " + size(meta.bytes || 0) + " · " + T.expires + " " + dateText(meta.expires_at);
    const households = await S.all("households");
    households.sort((a, b) => (a.village + a.household_code).localeCompare(b.village + b.household_code, "vi"));
    const outbox = await S.all("outbox");
    const byEntry = {};
    for (const r of outbox) (byEntry[r.entry_id] = byEntry[r.entry_id] || []).push(r);
    // The list is drawn in one step after every read: a redraw never shows an empty list in between.
    const items = households.map((h) => {
      const records = (byEntry[h.entry_id] || []).map((r) => r.form + ": " + stepLabel(r)).join(" · ");
      return el("li", { class: "field-household", "data-entry": h.entry_id, "data-code": h.household_code },
          el("div", { class: "who" },
            el("strong", { text: h.household_code + " — " + h.head_name }),
            el("span", { class: "muted", text: " " + [h.village, h.head_citizen_id].filter(Boolean).join(" · ") })),
          records ? el("div", { class: "records", text: records }) : null,
          el("div", { class: "actions" },
            el("a", { class: "button", href: U.form_a + "?e=" + h.entry_id, text: T.form_a }),
            el("a", { class: "button primary", href: U.form_b + "?e=" + h.entry_id, text: T.form_b })));
    });
    list.replaceChildren(...items);
    document.body.dataset.ready = "1";
  }

  async function showOutbox() {
    const list = $("#outbox");
    const records = await S.all("outbox");
    records.sort((a, b) => (a.updated < b.updated ? 1 : -1));
    list.replaceChildren();
    for (const r of records) {
      const message = LANG === "en" ? r.message_en : r.message_vi;
      const status = r.result && r.result.status ? " → " + (T[r.result.status] || r.result.status) : "";
      const item = el("li", { class: "outbox-item " + r.state, "data-key": r.key, "data-state": r.state, "data-code": r.household_code },
        el("div", {},
          el("strong", { text: r.household_code + " · " + (r.form === "A" ? T.form_a : T.form_b) }),
          el("span", { class: "badge " + r.state, text: " " + stepLabel(r) + status })),
        message ? el("div", { class: "outcome", text: message }) : null,
        el("div", { class: "muted", text: dateText(r.updated) }));
      if (["conflict", "refused", "accepted"].includes(r.state)) {
        const drop = el("button", { type: "button", class: "drop", "data-key": r.key, text: "✕" });
        drop.addEventListener("click", async () => {
          await S.remove("outbox", r.key);
          await showOutbox();
        });
        item.append(drop);
      }
      list.append(item);
    }
    const last = await S.get("meta", "sync");
    $("#last-sync").textContent = T.last_sync + ": " + (last ? dateText(last.at) : T.never);
    const pending = records.filter((r) => ["queued", "sending", "draft"].includes(r.state)).length;
    $("#pending-count").textContent = number(pending);
    document.body.dataset.ready = "1";
  }

  async function household() {
    const entry = entryParam();
    // the assignment's description and the household, read at once
    const [meta, found] = await Promise.all([assignment(), entry ? S.get("households", entry) : null]);
    const h = meta ? found : null;
    if (!h) {
      say(T.not_found, "error");
      return null;
    }
    const round = meta.rounds.find((r) => r.id === h.round_id);
    $("#household-title").textContent = h.household_code + " — " + h.head_name;
    $("#household-info").textContent = [h.village, h.head_citizen_id, h.address].filter(Boolean).join(" · ");
    return { meta, h, round, standard: meta.standards[round.standard_id], phieuA: meta.phieu_a[round.standard_id] };
  }

  function radio(name, value, label, checked) {
    const id = name + "_" + value;
    return el("label", { for: id, class: "choice" },
      el("input", { type: "radio", name: name, id: id, value: value, checked: checked }), " " + label);
  }

  function fillCommon(form, record, defaults) {
    const payload = record ? record.payload : defaults;
    form.elements.surveyed_on.value = toDisplayDate(payload.surveyed_on || today());
    form.elements.interviewer.value = payload.interviewer || "";
  }

  async function formA() {
    const ctx = await household();
    if (!ctx) return;
    const { h, phieuA } = ctx;
    const form = $("#form-a");
    const box = $("#questions");
    const record = await recordFor(h.entry_id, "A");
    const answers = record ? record.payload.answers : (h.phieu_a ? h.phieu_a.answers : {});
    for (const q of phieuA.questions) {
      const known = answers[q.code];
      box.append(el("fieldset", { class: "question" }, el("legend", { text: local(q.text) }),
        radio("q_" + q.code, "1", LANG === "en" ? "Yes" : "Có", known === true),
        radio("q_" + q.code, "0", LANG === "en" ? "No" : "Không", known === false)));
    }
    fillCommon(form, record, {});
    function read() {
      const out = {};
      for (const q of phieuA.questions) {
        const v = form.elements["q_" + q.code].value;
        if (v) out[q.code] = v === "1";
      }
      return out;
    }
    function live() {
      const outcome = score.screenA(phieuA, h.area, read());
      const verdict = $("#live");
      verdict.dataset.yes = outcome.yes;
      verdict.dataset.screenedOut = outcome.screened_out ? "1" : "0";
      verdict.textContent = T.yes_count + ": " + outcome.yes + " / " + outcome.limit + " → " + (outcome.screened_out ? T.screened_out : T.screened_in);
    }
    function payload() {
      return {
        entry_id: h.entry_id,
        household_version: h.household_version,
        form: "A",
        surveyed_on: fromDisplayDate(form.elements.surveyed_on.value) || today(),
        interviewer: form.elements.interviewer.value.trim(),
        answers: read(),
      };
    }
    form.addEventListener("input", async () => {
      live();
      await saveRecord(h, "A", payload(), "draft");
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const p = payload();
      if (Object.keys(p.answers).length !== phieuA.questions.length) return say(T.need_answers, "error");
      await saveRecord(h, "A", p, "queued");
      say(T.saved, "ok");
      document.body.dataset.saved = "1";
      if (navigator.onLine) sync();
    });
    live();
    ready();
  }

  async function formB() {
    const ctx = await household();
    if (!ctx) return;
    const { h, standard } = ctx;
    const form = $("#form-b");
    const box = $("#indicators");
    const record = await recordFor(h.entry_id, "B");
    const prefill = h.phieu_b || {};
    const answers = record ? record.payload.answers : prefill.answers || h.facts_deprived || {};
    for (const indicator of standard.indicators) {
      const known = answers[indicator.code];
      box.append(el("fieldset", { class: "indicator", "data-code": indicator.code },
        el("legend", { text: local(indicator.name) }),
        el("p", { class: "help", text: local(indicator.deprived_when) }),
        radio("ind_" + indicator.code, "1", LANG === "en" ? "Deprived" : "Thiếu hụt", known === true),
        radio("ind_" + indicator.code, "0", LANG === "en" ? "Not deprived" : "Không thiếu hụt", known === false)));
    }
    const source = record ? record.payload : prefill;
    fillCommon(form, record, prefill);
    for (const name of ["b1_score", "income_per_capita", "respondent", "note"]) {
      const value = source[name];
      form.elements[name].value = value === null || value === undefined ? "" : value;
    }
    function integer(name) {
      const raw = form.elements[name].value.replace(/[.,\s]/g, "");
      return /^\d+$/.test(raw) ? Number(raw) : null;
    }
    function read() {
      const out = {};
      for (const indicator of standard.indicators) {
        const v = form.elements["ind_" + indicator.code].value;
        if (v) out[indicator.code] = v === "1";
      }
      return out;
    }
    function payload() {
      return {
        entry_id: h.entry_id,
        household_version: h.household_version,
        form: "B",
        surveyed_on: fromDisplayDate(form.elements.surveyed_on.value) || today(),
        interviewer: form.elements.interviewer.value.trim(),
        respondent: form.elements.respondent.value.trim(),
        note: form.elements.note.value.trim(),
        b1_score: integer("b1_score"),
        income_per_capita: integer("income_per_capita"),
        answers: read(),
      };
    }
    function live() {
      const p = payload();
      const result = score.classifyB(standard, { area: h.area, income_per_capita: p.income_per_capita, b1_score: p.b1_score, answers: p.answers, facts_deprived: h.facts_deprived });
      const verdict = $("#live");
      if (result.error) {
        verdict.dataset.status = "";
        verdict.textContent = T.need_income;
        return;
      }
      verdict.dataset.status = result.status;
      verdict.dataset.b2 = result.b2_score;
      verdict.replaceChildren(
        el("span", { class: "badge " + result.status, text: T[result.status] }),
        " " + T.deprivations + ": " + result.deprivation_count + " · " + T.b2_score + ": " + result.b2_score);
    }
    form.addEventListener("input", async () => {
      live();
      await saveRecord(h, "B", payload(), "draft");
    });
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const p = payload();
      if (p.b1_score === null && p.income_per_capita === null) return say(T.need_income, "error");
      // An indicator left blank counts as the register's facts say (as on the server), else not deprived.
      await saveRecord(h, "B", p, "queued");
      say(T.saved, "ok");
      document.body.dataset.saved = "1";
      if (navigator.onLine) sync();
    });
    live();
    ready();
  }

  function ready() {
    // Milliseconds from the start of the navigation to a usable form (the offline benchmark reads it).
    document.body.dataset.readyMs = String(Math.round(performance.now()));
    document.body.dataset.ready = "1";
  }

  async function refreshPage() {
    if (PAGE === "home") await showHome();
    if (PAGE === "outbox") await showOutbox();
    const pending = (await S.all("outbox")).filter((r) => ["queued", "sending"].includes(r.state)).length;
    const badge = $("#outbox-count");
    if (badge) badge.textContent = pending ? "(" + number(pending) + ")" : "";
  }

  function connection() {
    const flag = $("#connection");
    if (flag) {
      flag.textContent = navigator.onLine ? "● online" : "○ offline";
      flag.className = navigator.onLine ? "online" : "offline";
    }
  }

  async function start() {
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.register(U.sw, { scope: U.home }).catch(() => undefined);
    }
    connection();
    window.addEventListener("online", () => { connection(); sync(); });
    window.addEventListener("offline", connection);
    const syncButton = $("#sync");
    if (syncButton) syncButton.addEventListener("click", () => sync());
    const downloadButton = $("#download");
    if (downloadButton) downloadButton.addEventListener("click", download);
    if (navigator.storage && navigator.storage.persist) navigator.storage.persist().catch(() => undefined);
    // A survey left "sending" by a closed browser or a dead battery goes back to the queue (same key): before
    // the lists are shown, but after a form is usable (a form opens without reading the whole outbox first).
    async function requeue() {
      const stale = (await S.all("outbox")).filter((r) => r.state === "sending");
      for (const r of stale) r.state = "queued";
      if (stale.length) await S.put("outbox", ...stale);
    }
    if (PAGE === "form_a") await formA();
    else if (PAGE === "form_b") await formB();
    await requeue();
    await refreshPage();
    if (navigator.onLine && PAGE !== "form_a" && PAGE !== "form_b") sync();
  }

  window.GNField = { sync: sync, download: download };
  start();
})();
