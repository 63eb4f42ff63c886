'use strict';
/**
 * The Node.js worker: the process the Flowfn job starts to run Node.js functions. It speaks the
 * runtime protocol v2 (sdk/PROTOCOL.md) over the socket the job names in its environment.
 *
 * Threads: there is one (Node's event loop). Frames are read and PINGs answered between the
 * handlers' awaits, so a handler that computes for long without awaiting delays PONG (and the job
 * may then kill the worker, as it does one that misses its deadline).
 * @module @flowfn/sdk/worker
 */
const net = require('node:net');
const { format } = require('node:util');
const { AsyncLocalStorage } = require('node:async_hooks');
const { Type, PROTOCOL_VERSION, ProtocolError, FrameDecoder, encodeFrame, typeName } = require('./frames');
const { Event } = require('./event');
const { Context } = require('./context');
const { toResult } = require('./result');
const { loadHandler } = require('./load');
const SDK_VERSION = require('../package.json').version;
/** Frames queued in one turn of the event loop that are written at once, before the turn ends. */
const FLUSH_FRAMES = 32;

/** The invocation (or LOAD) the running code belongs to: `{ env, log(level, message) }`. */
const current = new AsyncLocalStorage();

/**
 * Reads the worker's settings from the environment the job starts it with.
 * @param {Object<string,string|undefined>} [env]
 * @returns {{socketPath?: string, host?: string, port?: number, concurrency: number}}
 * @throws {Error} naming the variable to fix
 */
function optionsFromEnv(env = process.env) {
  const concurrencyText = env.FLOWFN_WORKER_CONCURRENCY;
  const concurrency = concurrencyText === undefined || concurrencyText === '' ? 16 : Number(concurrencyText);
  if (!Number.isInteger(concurrency) || concurrency < 1) {
    throw new Error(`FLOWFN_WORKER_CONCURRENCY '${concurrencyText}' must be a positive integer (16 when unset)`);
  }
  if (env.FLOWFN_WORKER_SOCKET) return { socketPath: env.FLOWFN_WORKER_SOCKET, concurrency };
  const address = env.FLOWFN_WORKER_ADDRESS;
  if (address) {
    const colon = address.lastIndexOf(':');
    const port = Number(address.slice(colon + 1));
    if (colon < 1 || !Number.isInteger(port) || port < 1 || port > 65535) {
      throw new Error(`FLOWFN_WORKER_ADDRESS '${address}' must be host:port, e.g. 127.0.0.1:7070`);
    }
    return { host: address.slice(0, colon).replace(/^\[(.*)\]$/, '$1'), port, concurrency };
  }
  throw new Error(
    'set FLOWFN_WORKER_SOCKET (a Unix socket path) or FLOWFN_WORKER_ADDRESS (host:port); ' +
      'the Flowfn job starts this worker with one of them'
  );
}

/**
 * One worker session: connects to the job, says HELLO, then serves LOAD, INVOKE, PING and STOP
 * until STOP or end-of-file, when it calls `exit(0)`.
 */
class Worker {
  /**
   * @param {{socketPath?: string, host?: string, port?: number, concurrency?: number}} options
   * @param {{exit?: function(number): void, stderr?: {write(s: string): void}}} [io] for embedding and tests
   */
  constructor(options, io = {}) {
    this.options = { concurrency: 16, ...options };
    const exit = io.exit || ((code) => process.exit(code));
    /** Exits after handing the frames still queued to the socket. */
    this.exit = (code) => {
      this.flush();
      exit(code);
    };
    this.stderr = io.stderr || process.stderr;
    this.decoder = new FrameDecoder();
    /** @type {Map<string, Promise<{handler: function, env: object, memoryMb: number}>>} by `function@version` */
    this.functions = new Map();
    /** The versions whose load finished well, by `function@version`: their INVOKEs start at once. */
    this.loaded = new Map();
    this.running = 0;
    /** INVOKEs beyond `concurrency` (the job sends up to 32x for a fast function): queued, in order. */
    this.waiting = [];
    this.socket = null;
    /** Frames sent in this turn of the event loop: they go out once it ends, or FLUSH_FRAMES at a time. */
    this.outgoing = [];
    this.flushScheduled = false;
  }

  /** Connects and sends HELLO. @returns {this} */
  start() {
    installConsoleAndEnv();
    const { socketPath, host, port } = this.options;
    this.socket = socketPath ? net.createConnection(socketPath) : net.createConnection({ host, port });
    this.socket.on('connect', () => {
      this.send(Type.HELLO, {
        protocol: PROTOCOL_VERSION,
        runtime: 'nodejs',
        sdk: SDK_VERSION,
        pid: process.pid,
        concurrency: this.options.concurrency,
      });
    });
    this.socket.on('data', (chunk) => this.onData(chunk));
    this.socket.on('end', () => this.exit(0)); // end-of-file: a worker never outlives its job
    this.socket.on('error', (e) => {
      this.stderr.write(`flowfn-worker: socket ${socketPath || `${host}:${port}`}: ${e.message}\n`);
      this.exit(1);
    });
    return this;
  }

  onData(chunk) {
    let frames;
    try {
      frames = this.decoder.push(chunk);
    } catch (e) {
      return this.protocolError(e);
    }
    for (const { type, header, body } of frames) {
      switch (type) {
        case Type.LOAD:
          this.load(header);
          break;
        case Type.INVOKE:
        case Type.INVOKE_COMPACT:
          this.invoke(header, body);
          break;
        case Type.PING:
          this.send(Type.PONG, { nonce: header.nonce });
          break;
        case Type.STOP:
          return this.exit(0);
        default:
          return this.protocolError(new ProtocolError(`unexpected message type ${typeName(type)} from the job`));
      }
    }
  }

  protocolError(e) {
    this.stderr.write(`flowfn-worker: protocol error: ${e.message}\n`);
    this.socket.destroy();
    this.exit(2);
  }

  /**
   * Queues a frame. The frames of one turn of the event loop (every RESULT of the INVOKEs of one
   * read, say) leave in one write when the turn ends, not in a write each; in writes of
   * FLUSH_FRAMES when there are more.
   */
  send(type, header, body) {
    if (!this.socket || this.socket.destroyed) return;
    this.outgoing.push(encodeFrame(type, header, body));
    if (this.outgoing.length >= FLUSH_FRAMES) {
      this.flush(); // the job refills its window while the rest of this turn runs
      return;
    }
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes the queued frames. */
  flush() {
    this.flushScheduled = false;
    const frames = this.outgoing;
    if (!frames.length) return;
    this.outgoing = [];
    if (this.socket && !this.socket.destroyed) this.socket.write(frames.length === 1 ? frames[0] : Buffer.concat(frames));
  }

  /** LOAD: answers LOADED or LOAD_FAILED; INVOKEs of this version wait for the load to finish. */
  load(h) {
    const started = process.hrtime.bigint();
    const env = Object.freeze({ ...(h.env || {}) });
    const stderrLog = (level, message) => this.stderr.write(`[${h.function}@${h.version} load] ${level} ${message}\n`);
    const loading = current.run({ env, log: stderrLog }, () => loadHandler(h.handler, h.codeDir));
    const entry = loading.then((handler) => ({ handler, env, memoryMb: h.memoryMb }));
    entry.catch(() => {}); // a failed load is answered below and by each INVOKE of it
    this.functions.set(key(h.function, h.version), entry);
    this.loaded.delete(key(h.function, h.version));
    loading.then(
      () => this.send(Type.LOADED, { function: h.function, version: h.version, loadUs: sinceUs(started) }),
      (e) => this.send(Type.LOAD_FAILED, { function: h.function, version: h.version, kind: 'CODE_LOAD', message: e.message })
    );
  }

  invoke(h, body) {
    if (this.running >= this.options.concurrency) {
      this.waiting.push([h, body]);
      return;
    }
    this.running++;
    const pending = this.run(h, body);
    if (pending) {
      pending.finally(() => this.ran());
    } else {
      this.ran();
    }
  }

  /** One invocation has ended: the next waiting one starts. */
  ran() {
    this.running--;
    if (this.waiting.length) this.invoke(...this.waiting.shift());
  }

  /**
   * Runs one invocation: its LOG, PROGRESS and EMIT frames, then its RESULT. A loaded version's
   * handler runs at once, and one that returns a plain value (no promise) ends here and now,
   * without a turn through the microtask queue.
   * @returns {Promise<void>|undefined} a promise while the invocation is still running
   */
  run(h, body) {
    const started = process.hrtime.bigint();
    const loaded = this.loaded.get(key(h.function, h.version));
    if (loaded) return this.execute(h, body, loaded, started);
    const entry = this.functions.get(key(h.function, h.version));
    if (!entry) {
      this.fail(h.id, started, 'UNKNOWN_FUNCTION', `function ${h.function} version ${h.version} is not loaded in this worker; the job sends LOAD before INVOKE`);
      return undefined;
    }
    return entry.then(
      (fn) => {
        this.loaded.set(key(h.function, h.version), fn);
        return this.execute(h, body, fn, started);
      },
      (e) => this.fail(h.id, started, 'UNKNOWN_FUNCTION', `function ${h.function} version ${h.version} failed to load: ${e.message}`)
    );
  }

  fail(id, started, kind, message, stack = null) {
    this.send(Type.RESULT, { id, ok: false, kind, message, stack, durationUs: sinceUs(started) });
  }

  /** Calls the handler; a promise it returns is awaited (then this returns one too). */
  execute(h, body, fn, started) {
    const id = h.id;
    let event;
    try {
      event = eventOf(h.event, body);
    } catch (e) {
      this.protocolError(new ProtocolError(`INVOKE ${id}: ${e.message}`));
      return undefined;
    }

    let finished = false;
    const late = (what) => this.stderr.write(`flowfn-worker: invocation ${id} has finished; dropped its late ${what}\n`);
    const sink = {
      log: (level, message) =>
        finished ? late(`${level} log: ${message}`) : this.send(Type.LOG, { id, level, message, time: Date.now() }),
      emit: (e) => {
        if (finished) throw new Error(`invocation ${id} has finished; emit before the handler returns (await the work)`);
        this.send(Type.EMIT, { id, type: e.type, subject: e.subject, contentType: e.contentType, topic: e.topic, key: e.key }, e.data);
      },
      progress: (fraction, message) =>
        finished ? late(`progress: ${message}`) : this.send(Type.PROGRESS, { id, fraction, message, time: Date.now() }),
    };
    const context = new Context(
      {
        functionName: h.function,
        functionVersion: h.version,
        invocationId: id,
        attempt: h.attempt,
        memoryMb: h.memoryMb ?? fn.memoryMb,
        deadline: new Date(h.deadline),
        env: fn.env,
      },
      sink
    );
    const threw = (e) => {
      finished = true;
      this.fail(id, started, 'HANDLER_ERROR', errorMessage(e), stackOf(e));
    };
    const returned = (value) => {
      finished = true;
      let result;
      try {
        result = toResult(value);
      } catch (e) {
        this.fail(id, started, 'BAD_RESULT', e.message);
        return;
      }
      this.send(
        Type.RESULT,
        { id, ok: true, contentType: result.contentType, status: result.status, headers: result.headers, durationUs: sinceUs(started) },
        result.data
      );
    };

    let value;
    try {
      value = current.run({ env: fn.env, log: sink.log }, () => fn.handler(event, context));
    } catch (e) {
      threw(e);
      return undefined;
    }
    if (value !== null && (typeof value === 'object' || typeof value === 'function') && typeof value.then === 'function') {
      return Promise.resolve(value).then(returned, threw);
    }
    returned(value);
    return undefined;
  }
}

function key(fn, version) {
  return `${fn}@${version}`;
}

function sinceUs(started) {
  return Number((process.hrtime.bigint() - started) / 1000n);
}

function eventOf(e, data) {
  if (!e || typeof e !== 'object') throw new TypeError('header has no event');
  return new Event({
    id: e.id,
    source: e.source,
    type: e.type,
    subject: e.subject ?? null,
    time: new Date(e.time),
    dataContentType: e.datacontenttype ?? null,
    data,
    extensions: e.extensions || {},
    sourceIdentity: e.sourceIdentity,
  });
}

function errorMessage(e) {
  if (e instanceof Error) return `${e.name}: ${e.message}`;
  return `the handler threw a non-Error: ${format('%o', e)}`;
}

function stackOf(e) {
  if (!(e instanceof Error) || typeof e.stack !== 'string') return null;
  const frames = e.stack.split('\n').filter((l) => /^\s+at /.test(l)).map((l) => l.trim());
  return frames.length ? frames.join('\n') : null;
}

let installed = false;

/**
 * Routes console output of a running invocation to LOG frames (outside one, to stderr), and makes
 * `process.env` show the function's env to its own code (at LOAD and in its invocations), over
 * the worker's environment. Both follow the async context, so concurrent invocations of
 * different functions each see their own.
 */
function installConsoleAndEnv() {
  if (installed) return;
  installed = true;
  const levels = { debug: 'DEBUG', log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR' };
  for (const [method, level] of Object.entries(levels)) {
    console[method] = (...args) => {
      const store = current.getStore();
      if (store) store.log(level, format(...args));
      else process.stderr.write(format(...args) + '\n');
    };
  }
  const base = process.env;
  const own = (k) => {
    const store = current.getStore();
    return store && typeof k === 'string' && Object.prototype.hasOwnProperty.call(store.env, k) ? store.env : null;
  };
  process.env = new Proxy(base, {
    get: (t, k) => (own(k) ? own(k)[k] : Reflect.get(t, k)),
    has: (t, k) => Boolean(own(k)) || Reflect.has(t, k),
    ownKeys: (t) => {
      const store = current.getStore();
      return [...new Set([...Reflect.ownKeys(t), ...(store ? Object.keys(store.env) : [])])];
    },
    getOwnPropertyDescriptor: (t, k) =>
      own(k) ? { value: own(k)[k], writable: true, enumerable: true, configurable: true } : Reflect.getOwnPropertyDescriptor(t, k),
  });
}

/** Starts a worker from the environment (the `flowfn-worker` command). */
function main() {
  let options;
  try {
    options = optionsFromEnv(process.env);
  } catch (e) {
    process.stderr.write(`flowfn-worker: ${e.message}\n`);
    process.exit(2);
  }
  return new Worker(options).start();
}

module.exports = { Worker, optionsFromEnv, main };
