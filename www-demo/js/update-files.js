// Screen 4, continued: the last sync's changes back into the integrator's CRM. The package's
// `updateFile(changes, { mapping, customFields })` with a preset mapping writes that CRM's
// update file (one row per changed customer, keyed by the CRM's id, in its column names), and
// files for the customers added and removed in Cube; its summary says what it left out.

import { $, busy, el, fmt, setStatus, showError } from './ui.js';
import { note } from './activity.js';
import { on, feature } from './state.js';
import { customFieldsOf } from './customers.js';

/**
 * The presets offered, by the names `updateFile` and `mappingPreset` take. The package has no
 * list of its presets, so this is the demo's one list; each is shown with its own title
 * (`mappingPreset(name).title`), and one the package does not have is left out.
 */
export const PRESET_NAMES = ['dynamics365', 'salesforce', 'hubspot'];

/** The last sync's changes: { changes, crm }, or null. */
let offered = null;
/** The object URLs of the files listed, revoked when the list is replaced. */
let urls = [];

const plural = (n, one, many) => `${fmt.format(n)} ${n === 1 ? one : many}`;

/** Fill the CRM list from the package's presets. */
async function fillPresets() {
  const select = $('update-preset');
  const mappingPreset = feature('mappingPreset');
  const options = [];
  for (const name of PRESET_NAMES) {
    let title = name;
    if (mappingPreset) {
      try {
        title = (await mappingPreset(name)).title || name;
      } catch (err) {
        if (err?.code === 'invalid_argument') continue; // not a preset of this build
      }
    }
    options.push(el('option', { value: name }, title));
  }
  select.replaceChildren(...options);
  updateButton();
}

function updateButton() {
  $('update-file-btn').disabled = !offered || $('update-preset').options.length === 0;
}

function clearResult() {
  for (const url of urls) URL.revokeObjectURL(url);
  urls = [];
  setStatus($('update-files-status'), '');
  $('update-files-links').replaceChildren();
  $('update-files-messages').replaceChildren();
  showError($('update-files-error'), null);
}

/** Offer the update files of a sync's changes (of `crm`); none when nothing changed. */
export function offerUpdateFiles(changes, crm) {
  clearResult();
  const any = ['changed', 'added', 'removed'].some((k) => (changes?.[k]?.length ?? 0) > 0);
  offered = any ? { changes, crm } : null;
  $('update-files').hidden = !offered;
  updateButton();
}

export function withdrawUpdateFiles() {
  offerUpdateFiles(null, null);
}

async function makeFiles() {
  clearResult();
  const errorBox = $('update-files-error');
  if (!offered) return;
  const { changes, crm } = offered;
  const preset = $('update-preset').value;
  try {
    const updateFile = feature('updateFile');
    if (!updateFile) throw new Error('This build of the package has no updateFile() yet.');
    // The presets name the address by custom-field label (Address street, Postal code, City).
    const customFields = await customFieldsOf(crm);
    const { updates, created, removed, summary } = await updateFile(changes, { mapping: preset, customFields });
    const files = [
      { kind: 'updates', bytes: updates, rows: summary.updates, what: 'changed customers' },
      { kind: 'created', bytes: created, rows: summary.created, what: 'added in Cube' },
      { kind: 'removed', bytes: removed, rows: summary.removed, what: 'gone from Cube' },
    ].filter((f) => f.kind === 'updates' || f.rows > 0);
    const links = files.map((f) => {
      const name = `cube-${f.kind}-${preset}.csv`;
      const url = URL.createObjectURL(new Blob([f.bytes], { type: 'text/csv;charset=utf-8' }));
      urls.push(url);
      return {
        ...f,
        name,
        item: el('li', { dataset: { kind: f.kind, rows: String(f.rows) } },
          el('a', { href: url, download: name }, name), ` — ${plural(f.rows, 'row', 'rows')} (${f.what})`),
      };
    });
    $('update-files-links').replaceChildren(...links.map((l) => l.item));
    $('update-files-messages').replaceChildren(...summary.messages.map((m) => el('li', {}, m)));
    // The updates file downloads at once; the others are links beside it.
    links[0].item.querySelector('a').click();
    const others = links.slice(1).map((l) => l.name);
    setStatus($('update-files-status'), `Downloaded ${links[0].name}: ${plural(summary.updates, 'row', 'rows')} for ${summary.crm}.`
      + (others.length ? ` Also made: ${others.join(', ')}.` : ''));
    note(`updateFile (${preset}): ${summary.updates} updates, ${summary.created} created, ${summary.removed} removed`);
  } catch (err) {
    clearResult();
    showError(errorBox, err, 'Could not make the update file');
  }
}

export function initUpdateFiles() {
  $('update-files-form').addEventListener('submit', (e) => {
    e.preventDefault();
    busy($('update-file-btn'), makeFiles);
  });
  // A new preset: the files listed were another CRM's.
  $('update-preset').addEventListener('change', clearResult);
  on('ready', fillPresets);
  on('connected', withdrawUpdateFiles);
  withdrawUpdateFiles();
}
