'use strict';
const { format } = require('node:util');
const { describe, brand } = require('./bytes');
const { OutgoingEvent } = require('./outgoing-event');

/** Log levels, lowest first. */
const LEVELS = Object.freeze(['DEBUG', 'INFO', 'WARN', 'ERROR']);

/**
 * Checks a progress fraction the way the Java SDK does.
 * @param {number|null|undefined} fraction done so far, 0..1; null, undefined or NaN when unknown
 * @returns {number|null} the fraction, or null when unknown
 */
function checkFraction(fraction) {
  if (fraction === null || fraction === undefined || Number.isNaN(fraction)) return null;
  if (typeof fraction !== 'number') {
    throw new TypeError(`progress fraction ${describe(fraction)} must be a number in 0..1, or null when unknown`);
  }
  if (!(fraction >= 0 && fraction <= 1)) {
    throw new RangeError(`progress fraction ${fraction} is outside 0..1; pass done/total (e.g. 0.4 for 40%) or null`);
  }
  return fraction;
}

/**
 * What a handler knows about the invocation it is running, and what it can do besides return:
 * log, emit events, report progress. The platform creates it (the test kit's `TestContext` in tests).
 */
class Context {
  #sink;

  /**
   * @param {object} info
   * @param {string} info.functionName
   * @param {number} info.functionVersion the deployed version, monotonic per function
   * @param {string} info.invocationId the same for every attempt of an invocation
   * @param {number} info.attempt 1 for the first attempt, 2 for the first retry, ...
   * @param {number} info.memoryMb
   * @param {Date} info.deadline when the platform gives up on this attempt
   * @param {Object<string,string>} [info.env] the function's environment variables
   * @param {{log(level: string, message: string): void, emit(event: OutgoingEvent): void,
   *          progress(fraction: number|null, message: string): void}} sink where logs, emitted
   *          events and progress reports go
   */
  constructor({ functionName, functionVersion, invocationId, attempt, memoryMb, deadline, env = {} }, sink) {
    if (!(deadline instanceof Date)) throw new TypeError(`deadline must be a Date, got ${describe(deadline)}`);
    /** @type {string} */ this.functionName = functionName;
    /** @type {number} */ this.functionVersion = functionVersion;
    /** @type {string} */ this.invocationId = invocationId;
    /** @type {number} */ this.attempt = attempt;
    /** @type {number} */ this.memoryMb = memoryMb;
    /** @type {Date} */ this.deadline = deadline;
    /**
     * The function's environment variables (from `deploy --env K=V`), with those the platform
     * provides (such as `FLOWFN_S3_ENDPOINT`). Read-only. In the worker, `process.env` shows them too.
     * @type {Readonly<Object<string,string>>}
     */
    this.env = Object.freeze({ ...env });
    this.#sink = sink;
    const log = (level, ...args) => {
      if (!LEVELS.includes(level)) throw new TypeError(`log level ${describe(level)} is not one of ${LEVELS.join(', ')}`);
      this.#sink.log(level, format(...args));
    };
    /**
     * Lines logged here land on the platform's log topic, tagged with this invocation. Arguments are
     * formatted like console.log's.
     * @type {{log(level: string, ...args: any[]): void, debug(...args: any[]): void,
     *         info(...args: any[]): void, warn(...args: any[]): void, error(...args: any[]): void}}
     */
    this.logger = Object.freeze({
      log,
      debug: (...args) => log('DEBUG', ...args),
      info: (...args) => log('INFO', ...args),
      warn: (...args) => log('WARN', ...args),
      error: (...args) => log('ERROR', ...args),
    });
    // Subclasses (the test kit's TestContext) add their own fields first, then freeze.
    if (new.target === Context) Object.freeze(this);
  }

  /** @returns {number} milliseconds left until the deadline, never negative */
  remainingMs() {
    return Math.max(0, this.deadline.getTime() - Date.now());
  }

  /**
   * Emits a new event. Emitted events are published with the result, in the same exactly-once
   * transaction, and only if this attempt succeeds.
   * @param {OutgoingEvent} event made with OutgoingEvent.of, .json or .record
   */
  emit(event) {
    if (!(event instanceof OutgoingEvent)) {
      throw new TypeError(`emit takes an OutgoingEvent (OutgoingEvent.of, .json or .record), got ${describe(event)}`);
    }
    this.#sink.emit(event);
  }

  /**
   * Reports how far a long-running invocation has come, e.g. `progress(0.4, 'exported 40,000 of
   * 100,000 records')`, or `progress('cleaning up')` without a fraction. The platform publishes
   * it at once, while the handler still runs; the latest report shows in `flowfn describe NAME`.
   * @param {number|null|string} fraction done so far, 0..1, or null when unknown; or the message
   * @param {string} [message]
   * @throws {RangeError} if the fraction is outside 0..1
   */
  progress(fraction, message) {
    if (typeof fraction === 'string' && message === undefined) {
      message = fraction;
      fraction = null;
    }
    const checked = checkFraction(fraction);
    if (typeof message !== 'string') throw new TypeError(`progress message must be a string, got ${describe(message)}`);
    this.#sink.progress(checked, message);
  }
}

brand(Context);

module.exports = { Context, LEVELS, checkFraction };
