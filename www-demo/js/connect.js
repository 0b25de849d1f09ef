// Screen 1: base URL + Basic or Token credentials → who-am-i.

import { $, busy, setStatus, showError } from './ui.js';
import { clientHooks, note, waitingFor } from './activity.js';
import { state, emit } from './state.js';

function scheme() {
  return $('connect-form').elements.scheme.value;
}

function showScheme() {
  const token = scheme() === 'token';
  $('basic-fields').hidden = token;
  $('token-fields').hidden = !token;
}

function whoName(w) {
  return w.name || [w.first_name, w.last_name].filter(Boolean).join(' ') || '(no name given)';
}

function showWhoAmI(w) {
  $('whoami-name').textContent = whoName(w);
  const user = [w.email, w.username].filter((v, i, a) => v && a.indexOf(v) === i).join(' / ');
  $('whoami-user').textContent = user || '(not given)';
  $('whoami-tenant').textContent = w.tenant || '(not given)';
  const ids = Array.isArray(w.data_owner_ids) ? w.data_owner_ids : [];
  $('whoami-owners').textContent = ids.length ? ids.join(', ') : '(not given)';
  $('whoami').hidden = false;
}

async function connect(event) {
  event.preventDefault();
  const form = $('connect-form');
  const baseUrl = form.elements.baseUrl.value.trim();
  const auth = scheme() === 'token'
    ? { token: form.elements.token.value.trim() }
    : { username: form.elements.username.value.trim(), password: form.elements.password.value };

  showError($('connect-error'), null);
  $('whoami').hidden = true;
  await busy($('connect-btn'), async () => {
    try {
      const client = new state.cube.CubeClient({
        baseUrl,
        auth,
        // A demo should not keep a user waiting: fewer, shorter retries than the defaults.
        maxRetries: 3,
        retryDelayMs: 200,
        timeoutMs: 15000,
        ...clientHooks,
      });
      const who = await waitingFor($('connect-status'), 'Connecting…', () => client.whoAmI());
      state.client = client;
      state.whoami = who;
      showWhoAmI(who);
      setStatus($('connect-status'), `Connected to ${client.baseUrl}`);
      note(`Signed in as ${whoName(who)}`);
      emit('connected', { client, whoami: who });
    } catch (err) {
      state.client = null;
      setStatus($('connect-status'), '');
      showError($('connect-error'), err, 'Could not connect');
      emit('disconnected');
    }
  });
}

export function initConnect() {
  const form = $('connect-form');
  form.elements.baseUrl.value = location.origin;
  for (const radio of form.elements.scheme) radio.addEventListener('change', showScheme);
  showScheme();
  form.addEventListener('submit', connect);
}
