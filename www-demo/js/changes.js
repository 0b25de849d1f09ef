// Screen 4: changes since the last sync. The streaming sync (`customers().sync(previous)`)
// reads every customer of the picked CRM and compares it with the snapshot of the previous
// sync; that snapshot is kept in IndexedDB (one per base URL, data owner and CRM type), so a
// reload keeps it. Simulated Cube users' edits then show up as field-level changes.

import { $, busy, cellText, el, fmt, setStatus, showError } from './ui.js';
import { note, waitingFor } from './activity.js';
import { state, on, setView } from './state.js';
import { customFieldColumns, customerColumns, selectedCrm } from './customers.js';
import { forgetSnapshot, loadSnapshot, saveSnapshot } from './snapshots.js';
import { offerUpdateFiles, withdrawUpdateFiles } from './update-files.js';

const KEY = 'crm__customer_id';

/** The running sync: { controller, kind, superseded }, or null. */
let running = null;
/** The stored snapshot of the CRM picked in section 2: { baseUrl, crm, entry|null }, or null. */
let shown = null;
let refreshes = 0;

/** True when this build of the package has the streaming sync (`Pager.prototype.sync`). */
export function hasStreamingSync() {
  return typeof state.cube?.Pager?.prototype?.sync === 'function';
}

const crmText = (crm) => `${crm.crmType}, data owner ${crm.dataOwnerId}`;
const timeText = (date) => date.toLocaleTimeString('en-GB');
const dateText = (date) => date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'medium' });
const oneDecimal = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

/** 850 bytes, 312.4 kB, 1.2 MB (SI units, as the browser's own storage figures). */
export function sizeText(bytes) {
  if (bytes < 1000) return `${fmt.format(bytes)} bytes`;
  if (bytes < 1e6) return `${oneDecimal.format(bytes / 1e3)} kB`;
  return `${oneDecimal.format(bytes / 1e6)} MB`;
}

/** 85 ms, 1.4 s, 2 min 5 s. */
export function durationText(ms) {
  if (ms < 1000) return `${fmt.format(Math.max(1, Math.round(ms)))} ms`;
  if (ms < 60_000) return `${oneDecimal.format(ms / 1000)} s`;
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
}

function updateButtons() {
  const busyNow = running !== null;
  const entry = shown?.entry ?? null;
  $('snapshot-btn').disabled = busyNow || !shown;
  $('sync-btn').disabled = busyNow || !entry;
  $('forget-btn').disabled = busyNow || !entry;
}

let storedShown = null; // what the line says now: a live region is only rewritten when that changes

function renderStored() {
  updateButtons();
  const info = $('stored-info');
  const entry = shown?.entry ?? null;
  const says = JSON.stringify([shown?.baseUrl, shown?.crm, entry && [new Date(entry.takenAt).getTime(), entry.size, entry.where]]);
  if (says === storedShown) return;
  storedShown = says;
  info.classList.remove('memory');
  if (!shown) {
    info.textContent = 'Connect and pick a data owner in section 2.';
  } else if (!entry) {
    info.textContent = `No snapshot of the ${crmText(shown.crm)} customers stored in this browser for this server: take one.`;
  } else {
    const taken = new Date(entry.takenAt);
    const memory = entry.where === 'memory';
    info.replaceChildren(
      el('strong', {}, memory ? 'Kept in this page only' : 'Stored in this browser'),
      `: the snapshot of ${fmt.format(entry.records)} customers (${crmText(shown.crm)}) taken `,
      el('time', { dateTime: taken.toISOString() }, dateText(taken)),
      `, ${sizeText(entry.size)}.`,
      memory ? ` IndexedDB refused it (${entry.error?.name ?? 'error'}): a reload loses it.` : '',
    );
    if (memory) info.classList.add('memory');
  }
}

/** Show the stored snapshot of the CRM picked in section 2. */
async function refreshStored() {
  const mine = ++refreshes;
  const client = state.client;
  const crm = selectedCrm();
  if (!client || crm.dataOwnerId === null) {
    shown = null;
    renderStored();
    return;
  }
  const entry = await loadSnapshot(client.baseUrl, crm);
  if (mine !== refreshes) return; // another pick came first
  shown = { baseUrl: client.baseUrl, crm, entry };
  renderStored();
}

function showProgress(kind) {
  const bar = $('sync-progress-bar');
  bar.removeAttribute('value'); // indeterminate until the first page tells the total
  bar.max = 1;
  $('sync-progress-label').textContent = kind === 'sync' ? 'Syncing customers' : 'Taking the snapshot';
  setStatus($('sync-progress-text'), 'Starting…');
  $('sync-cancel').disabled = false;
  $('sync-progress').hidden = false;
  $('sync-cancel').focus();
}

function progressed({ loaded, total }) {
  const bar = $('sync-progress-bar');
  if (total) {
    bar.max = total;
    bar.value = Math.min(loaded, total);
  }
  setStatus($('sync-progress-text'), total !== null && total !== undefined
    ? `${fmt.format(loaded)} of ${fmt.format(total)} customers (${Math.floor((100 * loaded) / Math.max(total, 1))} %)`
    : `${fmt.format(loaded)} customers`);
}

/**
 * Run the streaming sync of the picked CRM: `baseline` compares with nothing (Take snapshot),
 * `sync` with the stored snapshot (Sync again). The new snapshot replaces the stored one; a
 * failed or cancelled sync returns none, and the stored one stays.
 */
async function runSync(kind, button) {
  const client = state.client;
  const crm = selectedCrm();
  if (running || !client || crm.dataOwnerId === null) return;
  const errorBox = $('changes-error');
  showError(errorBox, null);
  const baseUrl = client.baseUrl;
  const status = $(kind === 'sync' ? 'sync-status' : 'snapshot-status');
  setStatus($(kind === 'sync' ? 'snapshot-status' : 'sync-status'), '');
  setStatus(status, '');
  const mine = { controller: new AbortController(), kind, superseded: false };
  running = mine;
  button.setAttribute('aria-busy', 'true');
  updateButtons();
  let progress = { loaded: 0, total: null };
  let previous = null;
  try {
    previous = await loadSnapshot(baseUrl, crm);
    if (kind === 'sync' && !previous) {
      setStatus(status, `No stored snapshot of the ${crmText(crm)} customers: take a snapshot first.`);
      return;
    }
    if (!hasStreamingSync()) {
      throw new Error('This build of the package has no streaming sync (customers().sync()) yet: update the package to see changes.');
    }
    const { signal } = mine.controller;
    showProgress(kind);
    // The labels of the custom fields, for the Field column (the keys if they fail).
    const labelsOf = kind === 'sync' ? customFieldColumns(crm, { signal }).catch(() => []) : null;
    const started = performance.now();
    const result = await waitingFor($('sync-progress-text'), 'Starting…', () => client
      .customers({
        ...crm,
        signal,
        onProgress(p) {
          progress = p;
          progressed(p);
        },
      })
      .sync(kind === 'sync' ? new Uint8Array(previous.bytes) : null, { key: KEY }));
    await synced(kind, { baseUrl, crm, result, durationMs: performance.now() - started, labelsOf, status });
  } catch (err) {
    if (mine.superseded) return; // a new connection: this sync's client is gone
    failed(kind, err, { previous, progress, status, errorBox });
  } finally {
    await ended(mine, button);
  }
}

/** A sync or snapshot done: its snapshot stored, what it found shown. */
async function synced(kind, { baseUrl, crm, result, durationMs, labelsOf, status }) {
  const takenAt = new Date();
  const snapshot = result.snapshot;
  const saved = await saveSnapshot({
    baseUrl, ...crm, bytes: snapshot, size: snapshot.byteLength,
    records: result.records, pages: result.pages, takenAt, durationMs,
  });
  if (saved.where !== 'indexeddb') {
    console.warn('IndexedDB: the snapshot could not be stored; it is kept in this page only', saved.error);
  }
  const took = durationText(durationMs);
  if (kind === 'sync') {
    const changes = result.changes;
    const columns = customerColumns(await labelsOf);
    const labels = new Map(columns.map((c) => [c.key, c.label]));
    setStatus(status, `Synced ${fmt.format(result.records)} customers in ${took} at ${timeText(takenAt)}: ${fmt.format(count(changes.changed))} changed, ${fmt.format(count(changes.added))} added, ${fmt.format(count(changes.removed))} removed.`);
    renderChanges(changes, labels, crm);
    offerUpdateFiles(changes, crm);
    note(`Sync: ${fmt.format(result.records)} customers, ${fmt.format(result.pages)} pages in ${took}; ${count(changes.changed)} changed customers`);
  } else {
    setStatus(status, `Snapshot of ${fmt.format(result.records)} customers (${crmText(crm)}) taken at ${timeText(takenAt)} in ${took}.`);
    $('changes-summary').hidden = true;
    clearChanges();
    note(`Snapshot taken: ${fmt.format(result.records)} customers, ${fmt.format(result.pages)} pages in ${took}, ${sizeText(snapshot.byteLength)}`);
  }
}

/** A sync or snapshot cancelled or failed: what was read, and that the stored one stays. */
function failed(kind, err, { previous, progress, status, errorBox }) {
  const what = kind === 'sync' ? 'Sync' : 'Snapshot';
  const kept = previous
    ? `the stored snapshot (taken ${dateText(new Date(previous.takenAt))}) is kept`
    : 'nothing was stored';
  if (err?.code === 'aborted') {
    const of = progress.total !== null && progress.total !== undefined ? ` of ${fmt.format(progress.total)}` : '';
    setStatus(status, `${what} cancelled after ${fmt.format(progress.loaded)}${of} customers: ${kept}.`);
    note(`${what} cancelled; ${kept}`);
  } else {
    const stale = kind === 'sync' && err?.code === 'invalid_argument'
      ? ' If it was made by another version of the package, forget it and take a new snapshot.'
      : '';
    setStatus(status, `${what} failed: ${kept}.${stale}`);
    showError(errorBox, err, kind === 'sync' ? 'Could not sync' : 'Could not take the snapshot');
  }
}

/** The run `mine` over: its progress hidden, the buttons and the focus back. */
async function ended(mine, button) {
  if (running === mine) running = null;
  const hadFocus = document.activeElement === $('sync-cancel');
  $('sync-cancel').disabled = true;
  $('sync-progress').hidden = true;
  button.removeAttribute('aria-busy');
  if (!mine.superseded) await refreshStored();
  else updateButtons();
  if (hadFocus) (button.disabled ? $('snapshot-btn') : button).focus();
}

async function forget() {
  const errorBox = $('changes-error');
  showError(errorBox, null);
  if (!shown?.entry || running) return;
  const { baseUrl, crm } = shown;
  const button = $('forget-btn');
  button.setAttribute('aria-busy', 'true');
  try {
    await forgetSnapshot(baseUrl, crm);
    for (const id of ['snapshot-status', 'sync-status']) setStatus($(id), '');
    note(`Forgot the stored snapshot of the ${crmText(crm)} customers`);
  } catch (err) {
    showError(errorBox, err, 'Could not forget the stored snapshot');
  } finally {
    button.removeAttribute('aria-busy');
    await refreshStored();
    if (button.disabled) $('snapshot-btn').focus();
  }
}

async function simulateEdits() {
  const errorBox = $('changes-error');
  showError(errorBox, null);
  // Edit the CRM picked in section 2: the one the next sync reads.
  const crm = selectedCrm();
  if (crm.dataOwnerId === null) return;
  const status = $('edits-status');
  const count = Math.max(1, Math.min(500, Number($('edit-count').value) || 1));
  setStatus(status, 'Editing…');
  try {
    // The sandbox's control API, not part of Cube's: plain fetch, no credentials.
    const res = await fetch(new URL('/_sandbox/edits', state.client.baseUrl), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ count, dataOwnerId: crm.dataOwnerId, crmType: crm.crmType }),
    });
    if (!res.ok) throw new Error(`The sandbox answered HTTP ${res.status} to POST /_sandbox/edits (is this server the sandbox?)`);
    const body = await res.json().catch(() => null);
    const edits = Array.isArray(body?.edited) ? body.edited : Array.isArray(body) ? body : [];
    const ids = edits.map((e) => e.customerId).filter(Boolean);
    setStatus(status, `${fmt.format(edits.length || count)} customers edited by Cube users${ids.length ? `: ${ids.slice(0, 8).join(', ')}${ids.length > 8 ? ', …' : ''}` : ''}.`);
    note(`Sandbox: ${edits.length || count} customer edits simulated`);
  } catch (err) {
    setStatus(status, '');
    showError(errorBox, err.name === 'TypeError' ? new Error(`Could not reach the sandbox: ${err.message}`) : err, 'Could not simulate edits');
  }
}

function clearChanges() {
  const table = $('changes-table');
  table.tHead.replaceChildren();
  table.tBodies[0].replaceChildren();
  setView('changes', null);
  withdrawUpdateFiles();
}

function nameOf(record) {
  return record?.crm__standard_info__name ?? '';
}

/** One row per changed field (what the table shows and the export downloads). */
function flatten(changes, labels) {
  const rows = [];
  for (const c of changes.changed ?? []) {
    for (const f of c.fields ?? []) {
      rows.push({
        change: 'changed', [KEY]: c.key, name: nameOf(c.after) || nameOf(c.before),
        field: labels.get(f.field) ?? f.field, field_key: f.field, before: cellText(f.before), after: cellText(f.after),
      });
    }
  }
  for (const r of changes.added ?? []) {
    rows.push({ change: 'added', [KEY]: r[KEY] ?? '', name: nameOf(r), field: '(new customer)', field_key: '', before: '', after: '' });
  }
  for (const r of changes.removed ?? []) {
    rows.push({ change: 'removed', [KEY]: r[KEY] ?? '', name: nameOf(r), field: '(customer gone)', field_key: '', before: '', after: '' });
  }
  return rows;
}

const CHANGE_COLUMNS = [
  { key: 'change', label: 'Change' },
  // The key keeps its Cube name: the xlsx writer keeps customer ids as text (leading zeros).
  { key: KEY, label: 'Customer id' },
  { key: 'name', label: 'Name' },
  { key: 'field', label: 'Field' },
  { key: 'before', label: 'Before' },
  { key: 'after', label: 'After' },
];

function count(list) {
  if (Array.isArray(list)) return list.length;
  if (typeof list === 'number') return list;
  return 0;
}

function renderChanges(changes, labels, crm) {
  const summary = $('changes-summary');
  const parts = [
    ['changed', count(changes.changed)],
    ['added', count(changes.added)],
    ['removed', count(changes.removed)],
    ['unchanged', count(changes.unchanged)],
    ['anonymized', count(changes.anonymized)],
  ];
  summary.replaceChildren(...parts.map(([label, n]) =>
    el('span', { className: `pill pill-${label}` }, el('strong', {}, fmt.format(n)), ` ${label}`)));
  const dupes = count(changes.duplicateKeys);
  if (dupes) summary.append(el('span', { className: 'pill pill-warn' }, el('strong', {}, fmt.format(dupes)), ' duplicate ids'));
  summary.hidden = false;

  const rows = flatten(changes, labels);
  const table = $('changes-table');
  table.caption.textContent = rows.length
    ? `Changed fields since the last sync (${fmt.format(count(changes.changed))} customers)`
    : 'No changes since the last sync';
  table.tHead.replaceChildren(el('tr', {}, CHANGE_COLUMNS.slice(1).map((c) => el('th', { scope: 'col' }, c.label))));
  const body = document.createDocumentFragment();
  // Group a customer's fields: the id and name cells span its rows.
  let i = 0;
  while (i < rows.length) {
    let j = i;
    while (j < rows.length && rows[j][KEY] === rows[i][KEY] && rows[j].change === rows[i].change) j++;
    for (let k = i; k < j; k++) {
      const r = rows[k];
      const tr = el('tr', { className: `change-${r.change}`, dataset: { customer: r[KEY], field: r.field_key } });
      if (k === i) {
        tr.append(
          el('th', { scope: 'rowgroup', rowSpan: j - i, className: 'id' }, r[KEY] || '—'),
          el('td', { rowSpan: j - i }, r.name),
        );
      }
      tr.append(el('td', { className: 'field' }, r.field));
      if (r.change === 'changed') {
        tr.append(
          el('td', { className: 'before' }, el('del', {}, r.before || '(empty)')),
          el('td', { className: 'after' }, el('ins', {}, r.after || '(empty)')),
        );
      } else {
        tr.append(el('td', { colSpan: 2, className: 'whole' }, r.change === 'added' ? 'New in Cube' : 'No longer in Cube'));
      }
      body.append(tr);
    }
    i = j;
  }
  if (!rows.length) body.append(el('tr', {}, el('td', { colSpan: 5, className: 'empty' }, 'Nothing changed.')));
  table.tBodies[0].replaceChildren(body);
  setView('changes', {
    title: `Changes since the last sync (data owner ${crm.dataOwnerId}, ${crm.crmType})`,
    fileName: `changes-${crm.dataOwnerId}-${crm.crmType}`,
    records: rows.map(({ field_key, ...r }) => r),
    columns: CHANGE_COLUMNS,
  });
}

export function initChanges() {
  $('snapshot-btn').addEventListener('click', (e) => runSync('baseline', e.currentTarget));
  $('sync-btn').addEventListener('click', (e) => runSync('sync', e.currentTarget));
  $('sync-cancel').addEventListener('click', () => running?.controller.abort());
  $('forget-btn').addEventListener('click', forget);
  $('edits-btn').addEventListener('click', (e) => busy(e.currentTarget, simulateEdits));
  // The stored snapshot shown is the picked CRM's.
  $('owner').addEventListener('change', refreshStored);
  $('crm-type').addEventListener('change', refreshStored);
  on('campaigns', refreshStored);
  const stop = () => {
    if (running) {
      running.superseded = true;
      running.controller.abort();
    }
  };
  on('disconnected', stop);
  on('connected', () => {
    stop();
    $('changes-summary').hidden = true;
    for (const id of ['snapshot-status', 'edits-status', 'sync-status']) setStatus($(id), '');
    showError($('changes-error'), null);
    clearChanges();
    refreshStored();
  });
  renderStored();
}
