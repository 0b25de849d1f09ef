// A value from the command line or the environment as every message of the `cube` command
// shows it — the rules of the engine's own messages (src/errors/quote.rs): quoted, invisible
// characters escaped (a terminal never gets a raw escape sequence), a URL without its
// user-info, query and fragment, and cut to a few dozen characters with the value's length.

/** At most this many characters of a value are shown. */
export const SHOWN_CHARS = 80;

const ESCAPES = { '"': '\\"', '\\': '\\\\', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\0': '\\0' };
const INVISIBLE = /[\p{C}\p{Z}]/u;

// `url` from `start` (after `scheme://`) with everything up to its last `@` as `…@` (a
// password may hold `/`, `?` or `#`), and its query or fragment as `?…` / `#…`.
function withoutSecrets(url, start) {
  let out = url.slice(0, start);
  let rest = url.slice(start);
  const at = rest.lastIndexOf('@');
  if (at >= 0) {
    out += '…@';
    rest = rest.slice(at + 1);
  }
  const q = rest.search(/[?#]/);
  return q >= 0 ? `${out}${rest.slice(0, q + 1)}…` : out + rest;
}

const escape = (c) => ESCAPES[c] ?? (c !== ' ' && INVISIBLE.test(c) ? `\\u{${c.codePointAt(0).toString(16)}}` : c);

/**
 * `"acme"`; `"xxxx…" (100,000 characters)` when long. `url: true` for a value meant as a URL
 * (its `?` and `@` are cut even without `scheme://`); a value with `://` is always shown as one.
 */
export function quote(value, { url = false, max = SHOWN_CHARS } = {}) {
  let text = String(value);
  const scheme = text.indexOf('://');
  if (scheme >= 0 || url) text = withoutSecrets(text, scheme >= 0 ? scheme + 3 : 0);
  let shown = '';
  let width = 0;
  for (const c of text) {
    const piece = escape(c);
    width += [...piece].length;
    if (width > max) return `"${shown}…" (${[...text].length.toLocaleString('en-US')} characters)`;
    shown += piece;
  }
  return `"${shown}"`;
}

/** A file name as messages show it: like `quote`, but long paths keep up to 300 characters. */
export const quotePath = (name) => quote(name, { max: 300 });
