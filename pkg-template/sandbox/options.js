// `createSandbox(options)` → the flags of the sandbox's one flag table (the same as the
// `cube-sandbox` binary's and `npx cube-integration sandbox`'s): `pageSize: 50` is
// `--page-size 50`, `faults: ['status=503:0.1', { kind: 'reset', times: 1 }]` are `--fault`s.
// The CubeError class is the caller's: in Node the client's is node/errors.cjs, elsewhere
// js/errors.js; `instanceof CubeError` must hold with the class the program imported.

// Flags that only mean something for a server on a port.
const SERVER_ONLY = new Set(['host', 'port', 'static-dir', 'pkg-dir']);

const kebab = (name) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
const camel = (flag) => flag.replace(/-([a-z])/g, (_, c) => c.toUpperCase());

function refuse(CubeError, message, param) {
  return new CubeError(`createSandbox: ${message}`, { code: 'invalid_argument', param });
}

/** The option names `createSandbox` takes, from the flag table (JSON from the core). */
export function optionNames(flagsJson) {
  return JSON.parse(flagsJson)
    .map((f) => f.name)
    .filter((n) => !SERVER_ONLY.has(n))
    .map((n) => (n === 'fault' ? 'faults' : camel(n)));
}

export function argsOf(options, flagsJson, CubeError) {
  if (options === undefined || options === null) return [];
  if (typeof options !== 'object' || Array.isArray(options)) {
    throw refuse(CubeError, `options must be an object, got ${Array.isArray(options) ? 'an array' : typeof options}`);
  }
  const known = optionNames(flagsJson);
  const args = [];
  for (const [name, value] of Object.entries(options)) {
    if (value === undefined) continue;
    if (!known.includes(name)) {
      throw refuse(CubeError, `unknown option '${name}' (known: ${known.join(', ')})`, name);
    }
    if (name === 'faults') {
      if (!Array.isArray(value)) throw refuse(CubeError, 'faults must be an array of rules', name);
      for (const rule of value) {
        if (typeof rule === 'string') args.push('--fault', rule);
        else if (rule && typeof rule === 'object') args.push('--fault', JSON.stringify(rule));
        else throw refuse(CubeError, `faults: a rule is a string like 'status=503:0.1' or an object, got ${typeof rule}`, name);
      }
      continue;
    }
    if (typeof value !== 'string' && typeof value !== 'number') {
      throw refuse(CubeError, `${name} must be a string or a number, got ${typeof value}`, name);
    }
    args.push(`--${kebab(name)}`, String(value));
  }
  return args;
}

/**
 * A flag error of the core named as the option: the core's error carries the flag it is about
 * (`flag: 'page-size'`), which becomes `param` (`pageSize`); its message names options as
 * `createSandbox` calls them. An error without a flag is not the options' fault.
 */
export function optionError(e, CubeError) {
  const message = String(e?.message ?? e);
  const flag = typeof e?.flag === 'string' ? e.flag : undefined;
  if (flag === undefined) return refuse(CubeError, message, undefined);
  const option = (f) => (f === 'fault' ? 'faults' : camel(f));
  return refuse(CubeError, message.replace(/--([a-z-]+)/g, (_, f) => option(f)), option(flag));
}
