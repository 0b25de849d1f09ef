// Screen 2a: the campaigns table, and the data owners / campaigns to pick from.

import { $, busy, cellText, el, fmt, renderTable, setStatus, showError } from './ui.js';
import { state, on, emit, setView } from './state.js';
import { waitingFor } from './activity.js';

export const CAMPAIGN_COLUMNS = [
  { key: 'campaign__id', label: 'Id', className: 'num' },
  { key: 'campaign__name', label: 'Campaign' },
  { key: 'service__name', label: 'Service' },
  { key: 'data_owner__name', label: 'Data owner' },
  { key: 'campaign__crm_type', label: 'CRM type' },
  { key: 'campaign__is_active', label: 'Active' },
  { key: 'campaign__start_date', label: 'Start' },
  { key: 'campaign__end_date', label: 'End' },
];

const columns = CAMPAIGN_COLUMNS.map((c) => c.key === 'campaign__is_active'
  ? { ...c, render: (r) => (r[c.key] === '' || r[c.key] === undefined ? '—' : cellText(r[c.key])) }
  : c);

/** Data owners from who-am-i's `data_owner_ids` and the campaigns' `data_owner__*`. */
function ownersFrom(whoami, campaigns) {
  const names = new Map();
  for (const id of whoami?.data_owner_ids ?? []) names.set(Number(id), null);
  for (const c of campaigns) {
    if (c.data_owner__id === undefined || c.data_owner__id === null || c.data_owner__id === '') continue;
    const id = Number(c.data_owner__id);
    if (!names.get(id)) names.set(id, c.data_owner__name || null);
  }
  return [...names].sort((a, b) => a[0] - b[0]).map(([id, name]) => ({ id, name }));
}

function fillOwners() {
  const select = $('owner');
  const previous = select.value;
  select.replaceChildren(...state.owners.map((o) =>
    el('option', { value: String(o.id) }, o.name ? `${o.name} (${o.id})` : `Data owner ${o.id}`)));
  if (state.owners.some((o) => String(o.id) === previous)) select.value = previous;
  pickCrmType();
}

/** Preselect the CRM type of the owner's first campaign. */
function pickCrmType() {
  const owner = Number($('owner').value);
  const c = state.campaigns.find((x) => Number(x.data_owner__id) === owner && (x.campaign__crm_type === 'B2C' || x.campaign__crm_type === 'B2B'));
  if (c) $('crm-type').value = c.campaign__crm_type;
}

function fillCampaignSelect() {
  const select = $('outcome-campaign');
  const previous = select.value;
  select.replaceChildren(...state.campaigns.map((c) =>
    el('option', { value: String(c.campaign__id) }, `${c.campaign__name} (${c.campaign__id})`)));
  if (state.campaigns.some((c) => String(c.campaign__id) === previous)) select.value = previous;
}

export async function loadCampaigns() {
  const table = $('campaigns-table');
  showError($('campaigns-error'), null);
  table.setAttribute('aria-busy', 'true');
  try {
    const campaigns = await waitingFor($('campaigns-status'), 'Loading campaigns…', () => state.client.campaigns());
    state.campaigns = campaigns;
    renderTable(table, campaigns, columns, { caption: `Campaigns (${fmt.format(campaigns.length)})`, empty: 'No campaigns.' });
    setStatus($('campaigns-status'), `${fmt.format(campaigns.length)} campaigns loaded.`);
    setView('campaigns', { title: 'Campaigns', fileName: 'campaigns', records: campaigns, columns: CAMPAIGN_COLUMNS });
  } catch (err) {
    state.campaigns = [];
    setStatus($('campaigns-status'), '');
    showError($('campaigns-error'), err, 'Could not load campaigns');
  } finally {
    table.removeAttribute('aria-busy');
  }
  state.owners = ownersFrom(state.whoami, state.campaigns);
  fillOwners();
  fillCampaignSelect();
  emit('campaigns', state.campaigns);
}

export function initCampaigns() {
  $('campaigns-reload').addEventListener('click', (e) => busy(e.currentTarget, loadCampaigns));
  $('owner').addEventListener('change', pickCrmType);
  // A failed (re)connect leaves no client: hide what needs one.
  on('disconnected', () => {
    for (const id of ['campaigns', 'outcomes', 'changes', 'export']) $(id).hidden = true;
  });
  on('connected', () => {
    for (const id of ['campaigns', 'outcomes', 'changes', 'export']) $(id).hidden = false;
    // who-am-i's data owners at once; their names come with the campaigns.
    state.campaigns = [];
    state.owners = ownersFrom(state.whoami, []);
    fillOwners();
    fillCampaignSelect();
    loadCampaigns();
  });
}
