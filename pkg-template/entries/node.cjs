// Node.js (CommonJS `require`, and the ESM entry re-exports this one so both share one
// CubeError class).
'use strict';
const engine = require('./cube_integration.js');
const { createApi } = require('./api.cjs');

module.exports = createApi(engine, null, () => require('./cube_records.js'));
