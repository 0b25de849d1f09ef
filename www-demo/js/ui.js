// Small DOM helpers shared by the screens: tables, errors, status lines, busy buttons.

export const $ = (id) => {
  const node = document.getElementById(id);
  if (!node) throw new Error(`#${id} is missing from index.html`);
  return node;
};

/** Create an element: el('td', {className: 'x'}, 'text', childNode). */
export function el(tag, props = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(props)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'className') node.className = v;
    else if (k === 'dataset') Object.assign(node.dataset, v);
    else if (k in node && typeof v !== 'string') node[k] = v;
    else node.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat()) {
    if (c === undefined || c === null || c === false) continue;
    node.append(c instanceof Node ? c : String(c));
  }
  return node;
}

/** How a loose Cube value reads in a cell. */
export function cellText(value) {
  if (value === undefined || value === null) return '';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Fill a <table> (with <caption>, <thead>, <tbody>) from records.
 * columns: [{ key, label, className? , render?(record) → Node|string }]
 */
export function renderTable(table, records, columns, { caption, empty = 'Nothing to show.' } = {}) {
  if (caption !== undefined) table.caption.textContent = caption;
  const head = el('tr', {}, columns.map((c) => el('th', { scope: 'col', title: c.key }, c.label)));
  table.tHead.replaceChildren(head);
  const body = table.tBodies[0];
  if (records.length === 0) {
    body.replaceChildren(el('tr', {}, el('td', { colSpan: Math.max(columns.length, 1), className: 'empty' }, empty)));
    return;
  }
  const frag = document.createDocumentFragment();
  for (const r of records) {
    frag.append(el('tr', {}, columns.map((c) => {
      const content = c.render ? c.render(r) : cellText(r[c.key]);
      return el('td', { className: c.className }, content);
    })));
  }
  body.replaceChildren(frag);
}

export function clearTable(table, caption) {
  if (caption !== undefined) table.caption.textContent = caption;
  table.tHead.replaceChildren();
  table.tBodies[0].replaceChildren();
}

const FRIENDLY = {
  unauthorized: 'Wrong e-mail/password or token: the server did not accept the credentials.',
  forbidden: 'This user is not allowed to see that.',
  not_found: 'Not found on the server (check the base URL and the ids).',
  bad_request: 'The server rejected the request.',
  rate_limited: 'The server asks us to slow down (rate limited).',
  server: 'The server had an error.',
  timeout: 'The server took too long to answer.',
  aborted: 'Cancelled.',
  network: 'Could not reach the server. Check the base URL and that the server is running.',
  invalid_response: 'The server answered something that is not a Cube API response.',
  invalid_argument: 'Invalid input.',
};

/** A readable one-paragraph message for any error, with the CubeError code. */
export function describeError(err) {
  if (err && err.name === 'CubeError') {
    const parts = [FRIENDLY[err.code] ?? 'Request failed.'];
    if (err.code === 'invalid_argument' || err.code === 'invalid_response') parts.push(err.message);
    else if (err.detail) parts.push(`Server said: “${err.detail}”`);
    const facts = [`code: ${err.code}`];
    if (err.status) facts.push(`HTTP ${err.status}`);
    if (err.retries) facts.push(`${err.retries} ${err.retries === 1 ? 'retry' : 'retries'}`);
    if (err.param) facts.push(`parameter: ${err.param}`);
    return { text: parts.join(' '), facts: facts.join(', ') };
  }
  return { text: String(err?.message ?? err), facts: err?.name ? `error: ${err.name}` : '' };
}

export function showError(box, err, prefix) {
  if (!err) {
    box.hidden = true;
    box.replaceChildren();
    return;
  }
  const { text, facts } = describeError(err);
  box.replaceChildren(
    el('strong', {}, prefix ? `${prefix}: ` : 'Error: '),
    text,
    facts ? el('span', { className: 'code' }, ` (${facts})`) : null,
  );
  box.hidden = false;
}

export function setStatus(node, text) {
  node.textContent = text ?? '';
}

/** Run fn with the button disabled and aria-busy on; returns fn's result. */
export async function busy(button, fn) {
  const was = button.disabled;
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  try {
    return await fn();
  } finally {
    button.disabled = was;
    button.removeAttribute('aria-busy');
  }
}

export const fmt = new Intl.NumberFormat('en-GB');

/** A column label from a Cube field name: `call_outcome__report_as__submitted_by` → `Submitted by`. */
export function labelFor(key, known = {}) {
  if (known[key]) return known[key];
  const last = key.split('__').pop() || key;
  const words = last.replace(/_/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

/** Columns for records of unknown shape: known keys first (in that order), then the rest. */
export function columnsFor(records, known = {}, { only } = {}) {
  const keys = [];
  const seen = new Set();
  const add = (k) => {
    if (!seen.has(k)) {
      seen.add(k);
      keys.push(k);
    }
  };
  const present = new Set();
  for (const r of records) for (const k of Object.keys(r)) present.add(k);
  for (const k of Object.keys(known)) if (present.has(k)) add(k);
  if (!only) for (const r of records) for (const k of Object.keys(r)) add(k);
  return keys.map((key) => ({ key, label: labelFor(key, known) }));
}

/** Today (local) as YYYY-MM-DD, shifted by `days`. */
export function isoDay(days = 0) {
  const d = new Date();
  d.setDate(d.getDate() + days);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
