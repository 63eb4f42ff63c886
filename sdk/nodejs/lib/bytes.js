'use strict';
// Internal helpers shared by the model classes.

/** @returns {string} a short, readable rendering of a bad value for error messages */
function describe(value) {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'string') return `'${value.length > 60 ? value.slice(0, 57) + '...' : value}'`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return String(value);
  if (typeof value === 'function') return `a function${value.name ? ` (${value.name})` : ''}`;
  if (Array.isArray(value)) return 'an array';
  const name = value.constructor && value.constructor.name;
  return name && name !== 'Object' ? `a ${name}` : 'an object';
}

/**
 * Copies bytes given as a Buffer, Uint8Array or string (UTF-8) into a new Buffer.
 * @throws {TypeError} naming `what` and the bad value otherwise
 */
function toBuffer(value, what) {
  if (typeof value === 'string') return Buffer.from(value, 'utf8');
  if (value instanceof Uint8Array) return Buffer.from(value); // copies, also for a Buffer
  throw new TypeError(`${what} must be a Buffer, Uint8Array or string, got ${describe(value)}`);
}

/** JSON.stringify that fails with a message saying what could not be encoded. */
function toJson(value, what) {
  let text;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    throw new TypeError(`${what} cannot be encoded as JSON: ${e.message}`);
  }
  if (text === undefined) {
    throw new TypeError(`${what} cannot be encoded as JSON: got ${describe(value)}`);
  }
  return text;
}

function requireString(value, what) {
  if (typeof value !== 'string') throw new TypeError(`${what} must be a string, got ${describe(value)}`);
  return value;
}

function optionalString(value, what) {
  return value === null || value === undefined ? null : requireString(value, what);
}

module.exports = { describe, toBuffer, toJson, requireString, optionalString };

/**
 * Makes `instanceof cls` true for instances made by any copy of this package. A function's code
 * bundles its own `@flowfn/sdk` while the worker runs another copy, so a plain prototype check
 * would refuse a Result or OutgoingEvent made by the function's copy.
 */
function brand(cls) {
  const mark = Symbol.for(`@flowfn/sdk.${cls.name}`);
  Object.defineProperty(cls.prototype, mark, { value: true });
  Object.defineProperty(cls, Symbol.hasInstance, {
    value(v) {
      // Subclasses (TestContext) inherit this method; for them, the ordinary prototype check.
      if (this !== cls) return Function.prototype[Symbol.hasInstance].call(this, v);
      return v !== null && typeof v === 'object' && v[mark] === true;
    },
  });
  return cls;
}

module.exports.brand = brand;
