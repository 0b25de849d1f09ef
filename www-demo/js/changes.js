// Screen 4: changes since the last sync. Take a snapshot of every customer of the picked
// CRM, let (simulated) Cube users edit customers, sync again: field-level changes.

import { $, busy, cellText, el, fmt, setStatus, showError } from './ui.js';
import { note } from './activity.js';
import { state, on, setView, feature } from './state.js';
import { customFieldColumns, customerColumns, loadAllCustomers, selectedCrm } from './customers.js';

const KEY = 'crm__customer_id';

/** The last sync: { crm, snapshot, count, at }. */
let last = null;

function crmId(crm) {
  return `${crm.dataOwnerId}/${crm.crmType}`;
}

function progressTo(node, verb) {
  return ({ loaded, total }) => setStatus(node, total !== null
    ? `${verb} ${fmt.format(loaded)} of ${fmt.format(total)} customers…`
    : `${verb} ${fmt.format(loaded)} customers…`);
}

function needSync() {
  const syncFn = feature('sync');
  if (!syncFn) {
    throw new Error('This build of the package has no sync() yet: update the package to see changes.');
  }
  return syncFn;
}

async function takeSnapshot() {
  const errorBox = $('changes-error');
  showError(errorBox, null);
  const crm = selectedCrm();
  if (crm.dataOwnerId === null) return;
  const status = $('snapshot-status');
  try {
    const sync = needSync();
    const { records } = await loadAllCustomers(crm, { onProgress: progressTo(status, 'Reading') });
    const result = await sync(null, records, { key: KEY });
    last = { crm, snapshot: result.snapshot, count: records.length, at: new Date() };
    setStatus(status, `Snapshot of ${fmt.format(records.length)} customers (${crm.crmType}, data owner ${crm.dataOwnerId}) taken at ${last.at.toLocaleTimeString('en-GB')}.`);
    $('sync-btn').disabled = false;
    $('changes-summary').hidden = true;
    clearChanges();
    note(`Snapshot taken: ${fmt.format(records.length)} customers`);
  } catch (err) {
    setStatus(status, '');
    showError(errorBox, err, 'Could not take the snapshot');
  }
}

async function simulateEdits() {
  const errorBox = $('changes-error');
  showError(errorBox, null);
  // Edit the CRM of the snapshot, so that the next sync sees the edits.
  const crm = last?.crm ?? selectedCrm();
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

async function syncAgain() {
  const errorBox = $('changes-error');
  showError(errorBox, null);
  if (!last) return;
  const status = $('sync-status');
  const crm = last.crm;
  if (crmId(crm) !== crmId(selectedCrm())) {
    note(`Syncing data owner ${crm.dataOwnerId} ${crm.crmType}, the CRM of the snapshot`);
  }
  try {
    const sync = needSync();
    const [{ records }, fields] = await Promise.all([
      loadAllCustomers(crm, { onProgress: progressTo(status, 'Reading') }),
      customFieldColumns(crm),
    ]);
    const result = await sync(last.snapshot, records, { key: KEY });
    const labels = new Map(customerColumns(fields).map((c) => [c.key, c.label]));
    const changes = result.changes;
    last = { crm, snapshot: result.snapshot, count: records.length, at: new Date() };
    setStatus(status, `Synced ${fmt.format(records.length)} customers at ${last.at.toLocaleTimeString('en-GB')}: ${fmt.format(count(changes.changed))} changed, ${fmt.format(count(changes.added))} added, ${fmt.format(count(changes.removed))} removed.`);
    renderChanges(changes, labels, crm);
    note(`Sync: ${count(changes.changed)} changed customers`);
  } catch (err) {
    setStatus(status, '');
    showError(errorBox, err, 'Could not sync');
  }
}

export function initChanges() {
  $('snapshot-btn').addEventListener('click', (e) => busy(e.currentTarget, takeSnapshot));
  $('edits-btn').addEventListener('click', (e) => busy(e.currentTarget, simulateEdits));
  $('sync-btn').addEventListener('click', (e) => busy(e.currentTarget, syncAgain));
  on('connected', () => {
    last = null;
    $('sync-btn').disabled = true;
    $('changes-summary').hidden = true;
    for (const id of ['snapshot-status', 'edits-status', 'sync-status']) setStatus($(id), '');
    clearChanges();
  });
}
