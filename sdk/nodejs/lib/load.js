'use strict';
// Loads a handler named like `index.handler` from a function's unpacked code (the LOAD message).
const fs = require('node:fs');
const path = require('node:path');
const { pathToFileURL } = require('node:url');

const HANDLER = /^(.+)\.([A-Za-z_$][\w$]*)$/;

/** A handler that cannot be loaded; the message names the fix (it becomes LOAD_FAILED's message). */
class CodeLoadError extends Error {
  constructor(message) {
    super(message);
    this.name = 'CodeLoadError';
  }
}

/**
 * Loads `MODULE.EXPORT` from `codeDir`: requires `<codeDir>/MODULE.js` (or imports it when it is
 * an ES module) and returns its export EXPORT, which must be a function.
 * @param {string} handler e.g. `index.handler`, `src/app.main`
 * @param {string} codeDir absolute path of the function's code
 * @returns {Promise<function>}
 * @throws {CodeLoadError}
 */
async function loadHandler(handler, codeDir) {
  const m = typeof handler === 'string' ? HANDLER.exec(handler) : null;
  if (!m) {
    throw new CodeLoadError(`handler '${handler}' is not MODULE.EXPORT (e.g. index.handler for export 'handler' of index.js); check --handler`);
  }
  const [, moduleName, exportName] = m;
  if (typeof codeDir !== 'string' || !path.isAbsolute(codeDir)) {
    throw new CodeLoadError(`codeDir '${codeDir}' is not an absolute path; the job must send the unpacked code's directory`);
  }
  const file = path.resolve(codeDir, `${moduleName}.js`);
  const relative = path.relative(codeDir, file);
  if (relative.startsWith('..') || path.isAbsolute(relative)) {
    throw new CodeLoadError(`handler '${handler}' points outside the function's code; check --handler`);
  }
  if (!fs.existsSync(file)) {
    throw new CodeLoadError(
      `${relative} not found in the function's code (${codeDir}); check --handler (MODULE.EXPORT loads MODULE.js) or the code you deployed`
    );
  }
  let exported;
  try {
    delete require.cache[file]; // a LOAD runs the module afresh
    exported = require(file);
  } catch (e) {
    if (e && e.code === 'ERR_REQUIRE_ESM') {
      try {
        exported = await import(pathToFileURL(file).href);
      } catch (e2) {
        throw threw(relative, e2);
      }
    } else {
      throw threw(relative, e);
    }
  }
  const fn = exported == null ? undefined : exported[exportName];
  if (typeof fn !== 'function') {
    const names = exported == null ? [] : Object.keys(exported).filter((k) => typeof exported[k] === 'function');
    const has = names.length ? ` (its functions: ${names.join(', ')})` : '';
    throw new CodeLoadError(`${relative} exports no function '${exportName}'; check --handler${has}`);
  }
  return fn;
}

function threw(relative, e) {
  const what = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  return new CodeLoadError(`${relative} threw while loading: ${what}; fix the module (its top-level code runs at LOAD)`);
}

module.exports = { loadHandler, CodeLoadError };
