// `CubeClient` over the engine's `RawClient`, and its scoped handles, their methods made from
// the engine's endpoint table (endpoint-table.js): a new row is a new method, on the handles
// it names too. A runtime (`rt`: the engine, whether its wasm is ready, how to start it, the
// records module) is given by `createApi`, which binds it into the class users construct.

import { invalid, toCubeError } from './errors.js';
import { splitParams } from './inputs.js';
import { Pager } from './pager.js';
import { ENDPOINTS, HANDLES } from './endpoint-table.js';

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

  // internal: one call of the engine (the methods below are made from the table).
  _call(method, params, body) { return this.#call(method, params, body); }
}

// A client method from its row of the table: a list makes a Pager; a call with a body takes
// the body first (sent as JSON: the engine checks it), then the call options; any other call
// takes its parameters and call options in one object.
function clientMethod(row) {
  const { method, body } = row;
  if (row.shape === 'pages') return function list(params) { return new Pager(this, method, params); };
  if (body === null) return function call(params) { return this._call(method, params); };
  return function callWithBody(value, options = {}) {
    let json;
    try {
      json = JSON.stringify(value);
    } catch (e) {
      return Promise.reject(invalid(body, `${method}(): ${body} cannot be written as JSON (${e.message})`));
    }
    return this._call(method, options, json);
  };
}

for (const row of ENDPOINTS) {
  Object.defineProperty(Client.prototype, row.method, { value: clientMethod(row), writable: true, configurable: true });
}

// Every call of a handle is the client's own call with the handle's parameters added; a
// parameter given again at the call wins, so the engine's checks and messages apply as is.
class Scope {
  #client;
  #scope;

  // `handle`: its row of HANDLES; `check`: a method it offers, whose checks its parameters get.
  constructor(client, handle, check, values) {
    const scope = Object.fromEntries(handle.params.map((p, i) => [p, values[i]]));
    if (client._runtime().isReady()) client._check(check, scope);
    this.#client = client;
    this.#scope = scope;
    Object.assign(this, scope);
  }

  // internal: the client's parameters for a call of this handle.
  _with(params) { return { ...this.#scope, ...(params ?? {}) }; }
  _client() { return this.#client; }
}

// The handles' classes: one per handle, with the methods of the rows that name it.
function handleClass(name) {
  const Handle = { crm: class CrmScope extends Scope {}, campaign: class CampaignScope extends Scope {} }[name];
  for (const row of ENDPOINTS.filter((r) => r.handles.includes(name))) {
    const { method, positional } = row;
    const value = positional === null
      ? function scoped(params) { return this._client()[method](this._with(params)); }
      : function scopedWith(first, options) { return this._client()[method](this._with({ ...options, [positional]: first })); };
    Object.defineProperty(Handle.prototype, method, { value, writable: true, configurable: true });
  }
  return Handle;
}

// `cube.crm(dataOwnerId, crmType)`, `cube.campaign(campaignId)`: the handle's parameters in
// the table's order.
for (const handle of HANDLES) {
  const { name } = handle;
  const Handle = handleClass(name);
  const check = ENDPOINTS.find((row) => row.handles.includes(name)).method;
  const make = function scoped(...values) { return new Handle(this, handle, check, values); };
  Object.defineProperty(Client.prototype, name, { value: make, writable: true, configurable: true });
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
