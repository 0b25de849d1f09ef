// Screen 2b: customers of a data owner's CRM, with custom-field labels as column headers,
// page-by-page browsing and "load all" with a progress bar and Cancel.

import { $, busy, fmt, labelFor, renderTable, setStatus, showError } from './ui.js';
import { note } from './activity.js';
import { state, on, setView } from './state.js';

export const STANDARD_COLUMNS = [
  { key: 'crm__customer_id', label: 'Customer id' },
  { key: 'crm__standard_info__name', label: 'Name' },
  { key: 'crm__standard_info__phone_1', label: 'Phone 1' },
  { key: 'crm__standard_info__phone_2', label: 'Phone 2' },
  { key: 'crm__standard_info__phone_3', label: 'Phone 3' },
  { key: 'crm__standard_info__email', label: 'E-mail' },
  { key: 'crm__change_log__updated', label: 'Updated' },
  { key: 'crm__change_log__updated_by', label: 'Updated by' },
  { key: 'crm__change_log__update_method', label: 'Update method' },
];

/** The CRM picked in the customers form. */
export function selectedCrm() {
  const owner = $('owner').value;
  return { dataOwnerId: owner === '' ? null : Number(owner), crmType: $('crm-type').value };
}

/** The custom fields of a CRM, as `customFields()` returns them, cached per CRM. */
const fieldCache = new Map();
export async function customFieldsOf(crm, options = {}) {
  const id = `${crm.dataOwnerId}/${crm.crmType}`;
  if (!fieldCache.has(id)) fieldCache.set(id, await state.client.customFields({ ...crm, ...options }));
  return fieldCache.get(id);
}
on('connected', () => fieldCache.clear());

/** Custom fields of a CRM as columns (`lookup__id` → `key`). */
export async function customFieldColumns(crm, options = {}) {
  return (await customFieldsOf(crm, options))
    .filter((f) => f && typeof f.lookup__id === 'string')
    .map((f) => ({ key: f.lookup__id, label: f.key || f.lookup__id }));
}

/** Standard columns, then the custom fields, then anything else the records carry. */
export function customerColumns(fieldColumns, records = []) {
  const columns = [...STANDARD_COLUMNS, ...fieldColumns];
  const known = new Set(columns.map((c) => c.key));
  for (const r of records) {
    for (const key of Object.keys(r)) {
      if (!known.has(key)) {
        known.add(key);
        columns.push({ key, label: labelFor(key) });
      }
    }
  }
  return columns;
}

function crmLabel(crm) {
  const owner = state.owners.find((o) => o.id === crm.dataOwnerId);
  return `${owner?.name ?? `Data owner ${crm.dataOwnerId}`} · ${crm.crmType}`;
}

/**
 * Every customer of a CRM, page by page; onProgress({loaded, total, page}).
 * Rejects with a CubeError `aborted` when `signal` fires.
 */
export async function loadAllCustomers(crm, { signal, onProgress } = {}) {
  const records = [];
  let pageSize = 0;
  for await (const page of state.client.customers({ ...crm, signal, onProgress }).pages()) {
    if (page.page === 1) pageSize = page.records.length;
    for (const r of page.records) records.push(r);
  }
  return { records, pageSize };
}

// The browsing session: pages come from the server (mode "remote", one `pages()` generator
// read on demand and cached for "Previous") or from memory after "load all" (mode "loaded").
let session = null;

function closeSession() {
  if (session?.pages) session.pages.return().catch(() => {});
  session = null;
}

function pageCount() {
  if (!session) return 0;
  if (session.mode === 'loaded') return Math.max(1, Math.ceil(session.records.length / session.pageSize));
  if (session.total === null || !session.pageSize) return null;
  return Math.max(1, Math.ceil(session.total / session.pageSize));
}

function currentRecords() {
  if (session.mode === 'loaded') {
    const start = session.index * session.pageSize;
    return session.records.slice(start, start + session.pageSize);
  }
  return session.cache[session.index]?.records ?? [];
}

function render() {
  const records = currentRecords();
  const columns = customerColumns(session.fieldColumns, records);
  session.columns = columns;
  const m = pageCount();
  const n = session.index + 1;
  const pageText = m ? `Page ${n} of ${m}` : `Page ${n}`;
  const totalText = session.mode === 'loaded'
    ? `all ${fmt.format(session.records.length)} customers loaded`
    : session.total !== null ? `${fmt.format(session.total)} customers` : '';
  $('page-info').textContent = totalText ? `${pageText} · ${totalText}` : pageText;
  $('pager').hidden = false;
  $('page-prev').disabled = session.index === 0;
  $('page-next').disabled = m !== null ? n >= m : session.done && n >= session.cache.length;
  renderTable($('customers-table'), records, columns, {
    caption: `Customers of ${crmLabel(session.crm)} — ${pageText.toLowerCase()}`,
    empty: 'No customers.',
  });
  if (session.mode === 'loaded') {
    setView('customers', {
      title: `Customers of ${crmLabel(session.crm)} (all ${fmt.format(session.records.length)})`,
      fileName: `customers-${session.crm.dataOwnerId}-${session.crm.crmType}`,
      records: session.records,
      columns: customerColumns(session.fieldColumns, session.records),
    });
  } else {
    setView('customers', {
      title: `Customers of ${crmLabel(session.crm)} (${pageText.toLowerCase()})`,
      fileName: `customers-${session.crm.dataOwnerId}-${session.crm.crmType}-page-${n}`,
      records,
      columns,
    });
  }
}

/** Read the session's next page into its cache; false at the end. */
async function fetchNextPage(s) {
  const step = await s.pages.next();
  if (step.done) {
    s.done = true;
    return false;
  }
  const page = step.value;
  if (s.cache.length === 0) {
    s.pageSize = page.records.length;
    s.total = page.total;
  }
  s.cache.push(page);
  return true;
}

/** A failed read ends its generator: start a new one at the page that failed. */
function resumePages(s, err) {
  s.pages.return().catch(() => {});
  const page = s.cache.length + 1; // pages are read in order: the first one not shown
  s.pages = state.client.customers({ ...s.crm, page }).pages();
}

async function showCustomers(event) {
  event?.preventDefault();
  const crm = selectedCrm();
  if (crm.dataOwnerId === null) return;
  showError($('customers-error'), null);
  closeSession();
  await busy($('customers-show'), async () => {
    const table = $('customers-table');
    table.setAttribute('aria-busy', 'true');
    try {
      const fieldColumns = await customFieldColumns(crm);
      const pages = state.client.customers({ ...crm }).pages();
      session = { mode: 'remote', crm, fieldColumns, pages, cache: [], index: 0, total: null, pageSize: 0, done: false };
      const mine = session;
      const got = await fetchNextPage(mine);
      if (session !== mine) return;
      if (!got) session.cache.push({ records: [], page: 1, total: 0 });
      render();
    } catch (err) {
      closeSession();
      $('pager').hidden = true;
      setView('customers', null);
      showError($('customers-error'), err, 'Could not load customers');
    } finally {
      table.removeAttribute('aria-busy');
    }
  });
}

async function go(delta) {
  if (!session) return;
  const target = session.index + delta;
  if (target < 0) return;
  showError($('customers-error'), null);
  if (session.mode === 'remote' && target >= session.cache.length) {
    const button = delta > 0 ? $('page-next') : $('page-prev');
    const mine = session;
    try {
      await busy(button, async () => {
        while (!mine.done && target >= mine.cache.length) await fetchNextPage(mine);
      });
    } catch (err) {
      if (session !== mine) return;
      resumePages(mine, err);
      showError($('customers-error'), err, 'Could not load the next page (Next tries again)');
      return;
    }
    if (session !== mine || target >= mine.cache.length) {
      if (session === mine) render();
      return;
    }
  }
  if (session.mode === 'loaded' && target >= pageCount()) return;
  session.index = target;
  render();
}

let loading = null; // the AbortController of a running "load all"

async function loadAll() {
  const crm = selectedCrm();
  if (crm.dataOwnerId === null || loading) return;
  showError($('customers-error'), null);
  const controller = new AbortController();
  loading = controller;
  const bar = $('load-all-progress');
  const text = $('load-all-text');
  bar.removeAttribute('value'); // indeterminate until the first page tells the total
  bar.max = 1;
  setStatus(text, 'Starting…');
  $('load-all').hidden = false;
  $('load-all-cancel').disabled = false;
  $('load-all-cancel').focus();
  $('customers-load-all').disabled = true;
  $('customers-show').disabled = true;
  let progress = { loaded: 0, total: null };
  try {
    const fieldColumns = await customFieldColumns(crm, { signal: controller.signal });
    const { records, pageSize } = await loadAllCustomers(crm, {
      signal: controller.signal,
      onProgress(p) {
        progress = p;
        if (p.total) {
          bar.max = p.total;
          bar.value = p.loaded;
        }
        setStatus(text, p.total !== null
          ? `${fmt.format(p.loaded)} of ${fmt.format(p.total)} customers (${Math.floor((100 * p.loaded) / Math.max(p.total, 1))} %)`
          : `${fmt.format(p.loaded)} customers`);
      },
    });
    closeSession();
    session = { mode: 'loaded', crm, fieldColumns, records, pageSize: pageSize || 500, index: 0 };
    bar.max = Math.max(records.length, 1);
    bar.value = records.length;
    setStatus(text, `Done: all ${fmt.format(records.length)} customers loaded.`);
    note(`Loaded all ${fmt.format(records.length)} customers of ${crmLabel(crm)}`);
    render();
  } catch (err) {
    if (err?.code === 'aborted') {
      const of = progress.total !== null ? ` of ${fmt.format(progress.total)}` : '';
      setStatus(text, `Cancelled after ${fmt.format(progress.loaded)}${of} customers. No more pages are requested.`);
      note('Load all cancelled');
    } else {
      setStatus(text, 'Failed.');
      showError($('customers-error'), err, 'Could not load all customers');
    }
  } finally {
    loading = null;
    const hadFocus = document.activeElement === $('load-all-cancel');
    $('load-all-cancel').disabled = true;
    $('customers-load-all').disabled = false;
    $('customers-show').disabled = false;
    if (hadFocus) $('customers-load-all').focus();
  }
}

export function initCustomers() {
  $('customers-form').addEventListener('submit', showCustomers);
  $('customers-load-all').addEventListener('click', loadAll);
  $('load-all-cancel').addEventListener('click', () => loading?.abort());
  $('page-prev').addEventListener('click', () => go(-1));
  $('page-next').addEventListener('click', () => go(1));
  on('connected', () => {
    closeSession();
    $('pager').hidden = true;
    $('load-all').hidden = true;
  });
  on('campaigns', () => {
    if (state.owners.length && !session) showCustomers();
  });
}
