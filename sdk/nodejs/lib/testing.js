'use strict';
/**
 * The test kit: run a handler in a unit test, without a worker or a platform.
 *
 * @example
 * const { TestContext, TestEvent } = require('@flowfn/sdk/testing');
 * const ctx = new TestContext({ env: { THUMB_SIZE: '200' } });
 * const result = await handler(TestEvent.json({ key: 'cat.jpg' }), ctx);
 * assert.deepStrictEqual(ctx.logLines(), ['INFO resized cat.jpg']);
 * @module @flowfn/sdk/testing
 */
const { Context } = require('./context');
const { Event } = require('./event');
const { toBuffer, toJson, describe } = require('./bytes');
const { toResult } = require('./result');

/**
 * A Context for unit tests: it records what the handler logs, emits and reports as progress.
 * Progress reports are recorded apart from the log lines (the worker sends them as their own
 * PROGRESS frames, not as log lines).
 */
class TestContext extends Context {
  #logs;
  #emitted;
  #progress;

  /**
   * @param {object} [options] every one has a default
   * @param {string} [options.functionName] `test`
   * @param {number} [options.functionVersion] 1
   * @param {string} [options.invocationId] `test-invocation`
   * @param {number} [options.attempt] 1
   * @param {number} [options.memoryMb] 256
   * @param {number} [options.timeoutMs] 30000: the deadline is this far from now
   * @param {Object<string,string>} [options.env] {}
   */
  constructor(options = {}) {
    const {
      functionName = 'test',
      functionVersion = 1,
      invocationId = 'test-invocation',
      attempt = 1,
      memoryMb = 256,
      timeoutMs = 30000,
      env = {},
    } = options;
    for (const [name, value] of Object.entries(env)) {
      if (typeof value !== 'string') throw new TypeError(`env ${name} must be a string, got ${describe(value)}`);
    }
    const logs = [];
    const emitted = [];
    const progress = [];
    super(
      { functionName, functionVersion, invocationId, attempt, memoryMb, env, deadline: new Date(Date.now() + timeoutMs) },
      {
        log: (level, message) => logs.push(Object.freeze({ level, message })),
        emit: (event) => emitted.push(event),
        progress: (fraction, message) => progress.push(Object.freeze({ fraction, message })),
      }
    );
    this.#logs = logs;
    this.#emitted = emitted;
    this.#progress = progress;
    Object.freeze(this);
  }

  /** A context with the defaults. */
  static create() {
    return new TestContext();
  }

  /** @returns {{level: string, message: string}[]} what the handler logged, in order */
  logs() {
    return [...this.#logs];
  }

  /** @returns {string[]} what the handler logged, as "LEVEL message" strings */
  logLines() {
    return this.#logs.map((l) => `${l.level} ${l.message}`);
  }

  /** @returns {import('./outgoing-event').OutgoingEvent[]} what the handler emitted, in order */
  emitted() {
    return [...this.#emitted];
  }

  /** @returns {{fraction: number|null, message: string}[]} the progress the handler reported, in order */
  progressReports() {
    return [...this.#progress];
  }
}

/**
 * Builds Events for unit tests; every attribute has a sensible default (a random id, source
 * `test://flowfn`, type `flowfn.invoke`, time now, no data).
 *
 * @example
 * const e = TestEvent.builder().type('kafka.record').subject('dev-7').data('"hello"').build();
 */
class TestEvent {
  constructor() {
    this.fields = {
      id: require('node:crypto').randomUUID(),
      source: 'test://flowfn',
      type: 'flowfn.invoke',
      subject: null,
      time: new Date(),
      dataContentType: null,
      data: Buffer.alloc(0),
      extensions: {},
      sourceIdentity: false,
    };
  }

  /** @returns {TestEvent} a new builder */
  static builder() {
    return new TestEvent();
  }

  /**
   * An Event from the given attributes (the others default); `data` may be a Buffer, Uint8Array or string.
   * @param {object} [fields]
   * @returns {Event}
   */
  static of(fields = {}) {
    const b = new TestEvent();
    for (const [name, value] of Object.entries(fields)) {
      if (typeof b[name] !== 'function' || name === 'build' || name === 'json') {
        throw new TypeError(`TestEvent.of: unknown attribute '${name}'`);
      }
      b[name](value);
    }
    return b.build();
  }

  /**
   * An event of type `flowfn.invoke` carrying `value` as JSON (`application/json`).
   * @returns {Event}
   */
  static json(value) {
    return new TestEvent().json(value).build();
  }

  /** @param {string} id */ id(id) { this.fields.id = id; return this; }
  /** @param {string} source */ source(source) { this.fields.source = source; return this; }
  /** @param {string} type */ type(type) { this.fields.type = type; return this; }
  /** @param {string|null} subject */ subject(subject) { this.fields.subject = subject; return this; }
  /** @param {Date} time */ time(time) { this.fields.time = time; return this; }
  /** @param {string|null} type */ dataContentType(type) { this.fields.dataContentType = type; return this; }
  /** @param {boolean} flag */ sourceIdentity(flag) { this.fields.sourceIdentity = flag; return this; }

  /** @param {Buffer|Uint8Array|string} data (a string is encoded as UTF-8) */
  data(data) {
    this.fields.data = toBuffer(data, 'TestEvent data');
    return this;
  }

  /** Sets the data to `value` as JSON and the content type to `application/json`. */
  json(value) {
    this.fields.data = Buffer.from(toJson(value, 'TestEvent json value'), 'utf8');
    this.fields.dataContentType = 'application/json';
    return this;
  }

  /** @param {string} name @param {string} value */
  extension(name, value) {
    if (typeof value !== 'string') throw new TypeError(`extension ${name} must be a string, got ${describe(value)}`);
    this.fields.extensions[name] = value;
    return this;
  }

  /** Several extensions at once. @param {Object<string,string>} map */
  extensions(map) {
    for (const [k, v] of Object.entries(map)) this.extension(k, v);
    return this;
  }

  /** @returns {Event} */
  build() {
    return new Event({ ...this.fields, data: Buffer.from(this.fields.data), extensions: { ...this.fields.extensions } });
  }
}

/**
 * Runs a handler the way the worker does: awaits it and turns what it returns into a Result
 * (throwing a TypeError with code BAD_RESULT for a value the worker would refuse).
 * @param {function} handler
 * @param {Event} event
 * @param {Context} [context] a new TestContext by default
 * @returns {Promise<import('./result').Result>}
 */
async function invoke(handler, event, context = new TestContext()) {
  return toResult(await handler(event, context));
}

module.exports = { TestContext, TestEvent, invoke };
