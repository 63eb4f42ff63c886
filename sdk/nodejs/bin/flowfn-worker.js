#!/usr/bin/env node
'use strict';
// The Node.js worker the Flowfn job starts (FLOWFN_WORKER_SOCKET or FLOWFN_WORKER_ADDRESS).
require('../lib/worker').main();
