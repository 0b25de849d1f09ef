// Screen 3: call outcomes and product registrations of a campaign for a date range.

import { $, busy, columnsFor, fmt, isoDay, renderTable, setStatus, showError } from './ui.js';
import { state, on, setView } from './state.js';
import { waitingFor } from './activity.js';

// Known fields first, in this order; campaign-specific ones (`call_outcome__extra__*`,
// `product__extra__*`, `product__<CODE>`) follow, labelled by their last part.
const OUTCOME_LABELS = {
  crm__customer_id: 'Customer id',
  crm__standard_info__name: 'Name',
  call_outcome__type: 'Type',
  call_outcome__subtype: 'Subtype',
  call_outcome__comment: 'Comment',
  product__code: 'Product code',
  product__title: 'Product',
  product__price: 'Price',
  call_outcome__report_as__submitted_when: 'Submitted',
  call_outcome__report_as__submitted_by: 'Submitted by',
  call_outcome__report_as__submitted_in_team: 'Team',
  crm__standard_info__phone_1: 'Phone 1',
  segment__name: 'Segment',
  campaign__id: 'Campaign id',
  campaign__name: 'Campaign',
  campaign__crm_type: 'CRM type',
  service__id: 'Service id',
  service__name: 'Service',
  data_owner__id: 'Data owner id',
  data_owner__name: 'Data owner',
  call_outcome__report_as__submitted_when_timestamp: 'Submitted (timestamp)',
};

const KINDS = {
  outcomes: { method: 'callOutcomes', noun: 'call outcomes', title: 'Call outcomes', file: 'call-outcomes' },
  products: { method: 'productRegistrations', noun: 'product registrations', title: 'Product registrations', file: 'product-registrations' },
};

async function show(event) {
  event.preventDefault();
  const form = $('outcomes-form');
  const kind = KINDS[event.submitter?.value] ?? KINDS.outcomes;
  const campaignId = form.elements.campaign.value;
  const from = form.elements.from.value;
  const to = form.elements.to.value;
  const errorBox = $('outcomes-error');
  showError(errorBox, null);
  if (!campaignId) {
    showError(errorBox, new Error('Pick a campaign first.'));
    return;
  }
  if (!from || !to) {
    showError(errorBox, new Error('Give both dates (From and To).'));
    (from ? form.elements.to : form.elements.from).focus();
    return;
  }
  if (from > to) {
    showError(errorBox, new Error('“From” is after “To”.'));
    form.elements.from.focus();
    return;
  }
  const campaign = state.campaigns.find((c) => String(c.campaign__id) === campaignId);
  const campaignName = campaign?.campaign__name ?? `campaign ${campaignId}`;
  const table = $('outcomes-table');
  table.setAttribute('aria-busy', 'true');
  await busy(event.submitter ?? $('outcomes-show'), async () => {
    try {
      const records = await waitingFor($('outcomes-status'), `Loading ${kind.noun}…`,
        () => state.client[kind.method]({ campaignId: Number(campaignId), from, to }).toArray());
      const columns = columnsFor(records, OUTCOME_LABELS);
      const title = `${kind.title} of ${campaignName}, ${from} – ${to}`;
      renderTable(table, records, columns, {
        caption: `${title} (${fmt.format(records.length)})`,
        empty: `No ${kind.noun} in this period.`,
      });
      setStatus($('outcomes-status'), `${fmt.format(records.length)} ${kind.noun}.`);
      setView('outcomes', {
        title,
        fileName: `${kind.file}-${campaignId}-${from}-${to}`,
        records,
        columns: columns.length ? columns : Object.keys(OUTCOME_LABELS).map((key) => ({ key, label: OUTCOME_LABELS[key] })),
      });
    } catch (err) {
      setStatus($('outcomes-status'), '');
      showError(errorBox, err, `Could not load ${kind.noun}`);
    } finally {
      table.removeAttribute('aria-busy');
    }
  });
}

export function initOutcomes() {
  const form = $('outcomes-form');
  form.elements.from.value = isoDay(-30);
  form.elements.to.value = isoDay(0);
  form.addEventListener('submit', show);
  on('connected', () => setView('outcomes', null));
}
