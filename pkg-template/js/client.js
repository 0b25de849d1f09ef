// `CubeClient` over the engine's `RawClient`, and its scoped handles. A runtime (`rt`: the
// engine, whether its wasm is ready, how to start it, the records module) is given by
// `createApi`, which binds it into the class users construct.

import { invalid, toCubeError } from './errors.js';
import { splitParams } from './inputs.js';
import { Pager } from './pager.js';

class Client {
  #rt;
  #options;
  #raw = null;

  constructor(rt, options) {
    this.#rt = rt;
    // A copy, so that later changes to the caller's object change nothing; anything but an
    // object goes to the engine as it is, which says what is wrong.
    this.#options = options !== null && typeof options === 'object' ? { ...options } : options;
    if (rt.isReady()) this.#make();
  }

  #make() {
    if (this.#raw === null) {
      try {
        this.#raw = new this.#rt.engine.RawClient(this.#options);
      } catch (e) {
        throw toCubeError(e);
      }
    }
    return this.#raw;
  }

  // internal: the runtime; the options as given (the records module makes its own session).
  _runtime() { return this.#rt; }
  _options() { return this.#options; }

  // internal: the engine, started if needed.
  async _engine() {
    await this.#rt.whenReady();
    return this.#make();
  }

  _check(method, params, body) {
    try {
      this.#make().check(method, params, body);
    } catch (e) {
      throw toCubeError(e);
    }
  }

  // The base URL as the engine normalized it; undefined until the web or workerd build's
  // wasm has loaded (`await ready()`).
  get baseUrl() {
    return this.#rt.isReady() ? this.#make().baseUrl : undefined;
  }

  async #call(method, params, body) {
    const split = splitParams(method, params);
    const raw = await this._engine();
    try {
      return await raw.call(method, split.params, body, split.signal);
    } catch (e) {
      throw toCubeError(e);
    }
  }

  whoAmI(options) { return this.#call('whoAmI', options); }
  campaigns(options) { return this.#call('campaigns', options); }
  clientAccessCampaigns(options) { return this.#call('clientAccessCampaigns', options); }
  customer(params) { return this.#call('customer', params); }
  customFields(params) { return this.#call('customFields', params); }

  legacyCreateCustomer(customer, options = {}) {
    if (customer === null || typeof customer !== 'object' || Array.isArray(customer)) {
      return Promise.reject(invalid('customer', 'legacyCreateCustomer(): customer must be an object with customer_id and assignment_id'));
    }
    return this.#call('legacyCreateCustomer', { ...options, customer: true }, JSON.stringify(customer));
  }

  // Scoped handles: the data owner and CRM type (or the campaign) given once.
  crm(dataOwnerId, crmType) { return new CrmScope(this, dataOwnerId, crmType); }
  campaign(campaignId) { return new CampaignScope(this, campaignId); }

  customers(params) { return new Pager(this, 'customers', params); }
  callflowCustomers(params) { return new Pager(this, 'callflowCustomers', params); }
  callOutcomes(params) { return new Pager(this, 'callOutcomes', params); }
  productRegistrations(params) { return new Pager(this, 'productRegistrations', params); }
  legacyCustomers(params) { return new Pager(this, 'legacyCustomers', params); }
  legacyResponses(params) { return new Pager(this, 'legacyResponses', params); }
}

// Every call of a scope is the client's own call with the scope's parameters added; a
// parameter given again at the call wins, so the engine's checks and messages apply as is.
const scoped = (scope) => (params) => ({ ...scope, ...(params ?? {}) });

class CrmScope {
  #client;
  #with;

  constructor(client, dataOwnerId, crmType) {
    const scope = { dataOwnerId, crmType };
    if (client._runtime().isReady()) client._check('customFields', scope);
    this.#client = client;
    this.#with = scoped(scope);
    this.dataOwnerId = dataOwnerId;
    this.crmType = crmType;
  }

  customers(params) { return this.#client.customers(this.#with(params)); }
  customer(customerId, options) { return this.#client.customer(this.#with({ ...options, customerId })); }
  customFields(options) { return this.#client.customFields(this.#with(options)); }
  callflowCustomers(params) { return this.#client.callflowCustomers(this.#with(params)); }
  callOutcomes(params) { return this.#client.callOutcomes(this.#with(params)); }
  productRegistrations(params) { return this.#client.productRegistrations(this.#with(params)); }
}

class CampaignScope {
  #client;
  #with;

  constructor(client, campaignId) {
    const scope = { campaignId };
    if (client._runtime().isReady()) client._check('callflowCustomers', scope);
    this.#client = client;
    this.#with = scoped(scope);
    this.campaignId = campaignId;
  }

  callflowCustomers(params) { return this.#client.callflowCustomers(this.#with(params)); }
  callOutcomes(params) { return this.#client.callOutcomes(this.#with(params)); }
  productRegistrations(params) { return this.#client.productRegistrations(this.#with(params)); }
}

// The class users construct (`new CubeClient(options)`), bound to one runtime.
function bindClient(rt) {
  return class CubeClient extends Client {
    constructor(options) {
      super(rt, options);
    }
  };
}

export { bindClient };
