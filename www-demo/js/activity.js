// The activity panel: what the client reports through onRequest / onResponse / onRetry.
// Retries are what a user should notice: they also go to the live status line.

import { $, el } from './ui.js';

const MAX_ENTRIES = 200;

function shortUrl(url) {
  try {
    const u = new URL(url);
    return u.pathname + u.search;
  } catch {
    return url;
  }
}

function add(kind, text) {
  const log = $('activity-log');
  const time = new Date().toLocaleTimeString('en-GB');
  log.prepend(el('li', { className: `log-${kind}` }, el('time', {}, time), ' ', text));
  while (log.children.length > MAX_ENTRIES) log.lastElementChild.remove();
}

/** Client options that feed the panel. */
export const clientHooks = {
  onRequest(e) {
    add('request', `${e.method} ${shortUrl(e.url)}${e.attempt ? ` (attempt ${e.attempt + 1})` : ''}`);
  },
  onResponse(e) {
    add(e.status === 200 ? 'ok' : 'fail', `${e.status} ${shortUrl(e.url)} · ${Math.round(e.durationMs)} ms · ${e.bytes} bytes`);
    if (e.status === 200 && e.attempt > 0) {
      const text = `Recovered: ${e.method} ${shortUrl(e.url)} answered after ${e.attempt} ${e.attempt === 1 ? 'retry' : 'retries'}.`;
      add('ok', text);
      $('activity-last').textContent = text;
    }
  },
  onRetry(e) {
    const why = e.status ? `HTTP ${e.status}` : e.code;
    const text = `Retrying ${e.method} ${shortUrl(e.url)} after ${why} (retry ${e.retry}, waiting ${Math.round(e.delayMs)} ms)…`;
    add('retry', text);
    $('activity-last').textContent = text;
    if (current?.node.isConnected) {
      current.node.textContent = `${current.text} The server answered ${why}: retry ${e.retry}…`;
    }
  },
};

// The status line of what the user is waiting for, to show retries where they look.
let current = null;

/** Show `text` in `node` while `fn` runs; retries are added to it. */
export async function waitingFor(node, text, fn) {
  const mine = { node, text };
  current = mine;
  node.textContent = text;
  try {
    return await fn();
  } finally {
    if (current === mine) current = null;
  }
}

export function note(text) {
  add('note', text);
  $('activity-last').textContent = text;
}
