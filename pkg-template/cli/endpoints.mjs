// The endpoint commands, made from the engine's endpoint table (the same table the client
// checks its calls against): one command per client method, one flag per parameter. A new
// endpoint in the engine is a new command here without another list to keep in step.

import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const engine = require('../node/cube_integration.js');

/** `[{ method, params, shape, http }]`, straight from the engine. */
export const ENDPOINTS = Object.freeze(JSON.parse(engine.endpointTable()));

// Names people type, where the method's kebab-case name is long or unusual.
const COMMAND_NAMES = { whoAmI: 'whoami', callOutcomes: 'outcomes', productRegistrations: 'products' };

// Flags whose name is not the parameter's kebab-case name.
const FLAG_NAMES = {
  dataOwnerId: 'data-owner',
  crmType: 'crm',
  campaignId: 'campaign',
  assignmentId: 'assignment',
  customerId: 'id',
  customer: 'data',
};

const PARAM_HELP = {
  dataOwnerId: 'ID     data owner id (with --crm)',
  crmType: 'TYPE   B2C or B2B',
  campaignId: 'ID     campaign id',
  callState: 'NAME   only customers in this call state (e.g. Ready)',
  from: 'DATE   first day, YYYY-MM-DD (with --to; neither: today)',
  to: 'DATE   last day, YYYY-MM-DD',
  customerId: 'ID     the customer id (text: 000417 stays 000417)',
  assignmentId: 'ID     the assignment (campaign) id',
  page: 'N      start at page N (resume a failed read)',
  customer: 'FILE   the new customer as a JSON object, `-` for stdin',
};

const SUMMARY = {
  whoAmI: 'who the credentials belong to',
  campaigns: 'every campaign (internal users)',
  clientAccessCampaigns: 'the campaigns an external user may see',
  customers: "a CRM's customers",
  customer: 'one customer of a CRM',
  customFields: "a CRM's custom fields (labels of crm__custom_info__N)",
  callflowCustomers: 'call status of each customer, in a campaign or a CRM',
  callOutcomes: 'call outcomes: all, of a CRM, or of a campaign',
  productRegistrations: 'product registrations of a CRM or a campaign',
  legacyCustomers: 'legacy: the customers of an assignment',
  legacyResponses: 'legacy: the responses of a campaign (needs --from)',
  legacyCreateCustomer: 'legacy: create a customer (POST)',
};

const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** The flag of a parameter: `dataOwnerId` → `data-owner`. */
export const flagOf = (param) => FLAG_NAMES[param] ?? kebab(param);

export const paramHelp = (param) => PARAM_HELP[param] ?? 'VALUE';

/** `[{ name, aliases, method, params, shape, http, summary }]`, in the engine's order. */
export const COMMANDS = Object.freeze(
  ENDPOINTS.map((e) => {
    const long = kebab(e.method);
    const name = COMMAND_NAMES[e.method] ?? long;
    return Object.freeze({
      ...e,
      // A request body is one more flag (`--data FILE`), read as JSON.
      params: e.body ? [...e.params, e.body] : e.params,
      name,
      aliases: name === long ? [] : [long],
      summary: SUMMARY[e.method] ?? `${e.http} ${e.method}`,
    });
  }),
);

/** The endpoint command called `name` (or one of its aliases), or undefined. */
export function findCommand(name) {
  return COMMANDS.find((c) => c.name === name || c.aliases.includes(name));
}

/** Parameters of the list endpoints (the flags `sync` accepts besides its own). */
export const LIST_PARAMS = [
  ...new Set(COMMANDS.filter((c) => c.shape === 'pages').flatMap((c) => c.params).filter((p) => p !== 'page')),
];
