// The demo page: the cube-integration package's web build, used through its public API only.

import { state, emit } from './js/state.js';
import { $, describeError } from './js/ui.js';
import { initConnect } from './js/connect.js';
import { initCampaigns } from './js/campaigns.js';
import { initCustomers } from './js/customers.js';
import { initOutcomes } from './js/outcomes.js';
import { initChanges } from './js/changes.js';
import { initUpdateFiles } from './js/update-files.js';
import { initExport } from './js/export.js';

initConnect();
initCampaigns();
initCustomers();
initOutcomes();
initChanges();
initUpdateFiles();
initExport();

const boot = $('boot');
try {
  // Imported here, not statically, so that a missing package shows a message.
  const cube = await import('/pkg/web/index.js');
  await cube.ready();
  state.cube = cube;
  emit('ready', cube);
  $('connect-btn').disabled = false;
  // Section 4 needs the streaming sync (Pager.prototype.sync) and updateFile, section 5 the file writers.
  const missing = [
    ...(typeof cube.Pager?.prototype?.sync === 'function' ? [] : ['customers().sync()']),
    ...['updateFile', 'toCsv', 'toXlsx'].filter((name) => typeof cube[name] !== 'function').map((name) => `${name}()`),
  ];
  if (missing.length) {
    boot.textContent = `Package loaded. Not in this build yet: ${missing.join(', ')} — sections 4 and 5 will say so.`;
  } else {
    boot.hidden = true;
  }
  document.documentElement.dataset.ready = 'true';
} catch (err) {
  const { text, facts } = describeError(err);
  boot.className = 'error';
  boot.setAttribute('role', 'alert');
  boot.textContent = `Could not load the cube-integration package from /pkg/web/: ${text}${facts ? ` (${facts})` : ''}`;
  $('connect-btn').disabled = true;
  document.documentElement.dataset.ready = 'error';
}
