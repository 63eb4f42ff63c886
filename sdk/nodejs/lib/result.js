'use strict';
const { describe, toBuffer, toJson, requireString, brand } = require('./bytes');

/**
 * What a handler returns: a payload and its media type, and for functions behind an HTTP trigger a
 * status code and response headers. Immutable: the `with*` methods return copies.
 *
 * @example
 * return Result.ok(html, 'text/html; charset=utf-8');
 * return Result.json({ error: 'no such user' }).withStatus(404);
 */
class Result {
  /** @private use the static factories */
  constructor(data, contentType, status, headers) {
    /** @type {Buffer} */ this.data = data;
    /** @type {string|null} */ this.contentType = contentType;
    /** @type {number} the HTTP status an HTTP trigger answers with; 200 unless set */ this.status = status;
    /** @type {Readonly<Object<string,string>>} response headers for an HTTP trigger */ this.headers = Object.freeze(headers);
    Object.freeze(this);
  }

  /**
   * A result with a payload.
   * @param {Buffer|Uint8Array|string} data bytes (a string is encoded as UTF-8)
   * @param {string} [contentType] its media type; `application/octet-stream` by default
   */
  static ok(data, contentType = 'application/octet-stream') {
    const bytes = toBuffer(data, 'Result.ok data');
    requireString(contentType, 'Result.ok contentType');
    if (!contentType.trim()) throw new TypeError('Result.ok contentType must not be blank');
    return new Result(bytes, contentType, 200, {});
  }

  /** A text result (UTF-8, `text/plain`). @param {string} text */
  static text(text) {
    return Result.ok(requireString(text, 'Result.text text'), 'text/plain');
  }

  /** A JSON result: `value` encoded with JSON.stringify (`application/json`). @param {*} value */
  static json(value) {
    return Result.ok(toJson(value, 'Result.json value'), 'application/json');
  }

  /** A result with no payload. */
  static empty() {
    return EMPTY;
  }

  /** @returns {string} the payload decoded as UTF-8 */
  text() {
    return this.data.toString('utf8');
  }

  /**
   * This result with another HTTP status.
   * @param {number} status an integer in 100..599
   */
  withStatus(status) {
    if (!Number.isInteger(status) || status < 100 || status > 599) {
      throw new RangeError(`HTTP status ${describe(status)} is not an integer in 100..599`);
    }
    return new Result(this.data, this.contentType, status, { ...this.headers });
  }

  /**
   * This result with one more response header (name and value without line breaks).
   * @param {string} name an HTTP token
   * @param {string} value
   */
  withHeader(name, value) {
    requireString(name, 'header name');
    requireString(value, `header ${name}`);
    if (!/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(name)) {
      throw new TypeError(`header name ${describe(name)} is not a valid HTTP token`);
    }
    if (/[\r\n]/.test(value)) throw new TypeError(`header ${name} has a line break in its value`);
    return new Result(this.data, this.contentType, this.status, { ...this.headers, [name]: value });
  }

  toString() {
    return `Result{${this.status}, ${this.data.length} bytes, ${this.contentType}}`;
  }
}

const EMPTY = new Result(Buffer.alloc(0), null, 200, {});

function isPlainObject(value) {
  if (value === null || typeof value !== 'object') return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/**
 * Turns what a handler returned into a Result: a Result as is, a string as text, a Buffer or
 * Uint8Array as bytes, a plain object or array as JSON.
 * @returns {Result}
 * @throws {TypeError} (with `code` 'BAD_RESULT') for anything else, saying what to return
 */
function toResult(value) {
  if (value instanceof Result) return value;
  if (typeof value === 'string') return Result.text(value);
  if (value instanceof Uint8Array) return Result.ok(value);
  if (isPlainObject(value) || Array.isArray(value)) {
    try {
      return Result.json(value);
    } catch (e) {
      throw badResult(`the handler returned an object that ${e.message.replace(/^Result\.json value /, '')}`);
    }
  }
  throw badResult(
    `the handler returned ${describe(value)}; return a Result (Result.empty() when there is nothing), ` +
      'a string (text), a Buffer (bytes) or a plain object (JSON)'
  );
}

function badResult(message) {
  const e = new TypeError(message);
  e.code = 'BAD_RESULT';
  return e;
}

brand(Result);

module.exports = { Result, toResult };
