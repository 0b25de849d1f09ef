// Screen 5: download what is on screen as CSV or Excel (.xlsx), made by the package.

import { $, busy, el, fmt, setStatus, showError } from './ui.js';
import { state, on, feature } from './state.js';

const ORDER = ['customers', 'outcomes', 'changes', 'campaigns'];

/** Refill the "What" list; the view just shown becomes the selected one. */
function fillSources(change) {
  const select = $('export-source');
  const previous = change?.shown ? change.id : select.value;
  const ids = ORDER.filter((id) => state.views.has(id));
  select.replaceChildren(...ids.map((id) => {
    const v = state.views.get(id);
    return el('option', { value: id }, `${v.title} — ${fmt.format(v.records.length)} rows`);
  }));
  if (ids.includes(previous)) select.value = previous;
  const none = ids.length === 0;
  if (none) select.append(el('option', { value: '' }, 'Nothing shown yet'));
  select.disabled = none;
  $('export-csv').disabled = none;
  $('export-xlsx').disabled = none;
}

function download(bytesOrText, fileName, type) {
  const blob = new Blob([bytesOrText], { type });
  const url = URL.createObjectURL(blob);
  const a = el('a', { href: url, download: fileName, hidden: true });
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

/**
 * The package's columns ({ field, header }) for what the table shows. Columns no record has
 * are left out: the package refuses a field that is in none of the records (a typo guard).
 */
function columnsOf(view) {
  const present = new Set();
  for (const r of view.records) for (const k of Object.keys(r)) present.add(k);
  return view.columns
    .filter(({ key }) => view.records.length === 0 || present.has(key))
    .map(({ key, label }) => ({ field: key, header: label }));
}

async function exportAs(kind) {
  const errorBox = $('export-error');
  showError(errorBox, null);
  const view = state.views.get($('export-source').value);
  if (!view) return;
  const status = $('export-status');
  try {
    if (kind === 'csv') {
      const toCsv = feature('toCsv');
      if (!toCsv) throw new Error('This build of the package has no toCsv() yet.');
      const delimiter = $('export-delimiter').value;
      const csv = await toCsv(view.records, { columns: columnsOf(view), delimiter, bom: $('export-bom').checked });
      const name = `${view.fileName}.csv`;
      download(csv, name, 'text/csv;charset=utf-8');
      setStatus(status, `Downloaded ${name}: ${fmt.format(view.records.length)} rows.`);
    } else {
      const toXlsx = feature('toXlsx');
      if (!toXlsx) throw new Error('This build of the package has no toXlsx() yet.');
      const bytes = await toXlsx(view.records, { columns: columnsOf(view), sheetName: view.fileName.slice(0, 31) });
      const name = `${view.fileName}.xlsx`;
      download(bytes, name, 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
      setStatus(status, `Downloaded ${name}: ${fmt.format(view.records.length)} rows.`);
    }
  } catch (err) {
    setStatus(status, '');
    showError(errorBox, err, 'Could not export');
  }
}

export function initExport() {
  $('export-csv').addEventListener('click', (e) => busy(e.currentTarget, () => exportAs('csv')));
  $('export-xlsx').addEventListener('click', (e) => busy(e.currentTarget, () => exportAs('xlsx')));
  on('views', fillSources);
  fillSources();
}
