'use strict';
// The worker end to end: this test plays the job. It listens on a real Unix socket, spawns
// `node bin/flowfn-worker.js`, and speaks protocol v2 to it.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const os = require('node:os');
const net = require('node:net');
const path = require('node:path');
const { spawn } = require('node:child_process');
const { once } = require('node:events');
const { Type, encodeFrame, FrameDecoder, typeName } = require('../lib/frames');

const PKG = path.join(__dirname, '..');

// The function under test, as a user would write it; it requires its own bundled copy of the SDK.
const HANDLER = `
const { Result, OutgoingEvent } = require('@flowfn/sdk');
console.log('loading with GREETING=' + process.env.GREETING);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let running = 0;
let maxRunning = 0;
exports.handler = async (event, context) => {
  const op = event.type;
  if (op === 'work') {
    const { n } = event.json();
    console.log('working on', n);
    context.logger.warn('careful');
    context.progress(0.5, 'half way');
    await sleep(5);
    context.emit(OutgoingEvent.json('work.done', event.subject, { n }));
    context.emit(OutgoingEvent.record('readings', 'k' + n, Buffer.from([n])));
    context.progress('wrapping up');
    return { doubled: n * 2, greeting: process.env.GREETING, fromContext: context.env.GREETING, attempt: context.attempt };
  }
  if (op === 'text') return event.text().toUpperCase();
  if (op === 'bytes') return Buffer.from(event.data).reverse();
  if (op === 'result') return Result.text('teapot').withStatus(418).withHeader('x-brew', 'no');
  if (op === 'throw') throw new TypeError('x is undefined');
  if (op === 'bad') return 42;
  if (op === 'hog') {
    const hoard = []; // run it only under a heap limit (--max-old-space-size)
    for (;;) hoard.push(new Array(1e5).fill(hoard.length));
  }
  if (op === 'slow') {
    running++;
    maxRunning = Math.max(maxRunning, running);
    await sleep(Number(event.text()));
    running--;
    return { maxRunning };
  }
  throw new Error('unknown op ' + op);
};
`;

/** A job: a Unix socket server with one spawned worker connected to it. */
class FakeJob {
  static async start(env = {}) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'flowfn-worker-test-'));
    const job = new FakeJob(dir);
    const server = net.createServer();
    server.listen(job.socketPath);
    await once(server, 'listening');
    job.server = server;
    job.child = spawn(process.execPath, [path.join(PKG, 'bin', 'flowfn-worker.js')], {
      env: { ...process.env, FLOWFN_WORKER_SOCKET: job.socketPath, GREETING: 'from-platform', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    job.child.stdout.on('data', (d) => (job.stdout += d));
    job.child.stderr.on('data', (d) => (job.stderr += d));
    job.exited = once(job.child, 'exit');
    [job.conn] = await once(server, 'connection');
    const decoder = new FrameDecoder();
    job.conn.on('data', (chunk) => {
      for (const f of decoder.push(chunk)) job.received.push(f);
      job.changed();
    });
    return job;
  }

  constructor(dir) {
    this.dir = dir;
    this.socketPath = path.join(dir, 'job.sock');
    this.received = [];
    this.stdout = '';
    this.stderr = '';
    this.waiters = [];
  }

  changed() {
    this.waiters = this.waiters.filter((w) => !w());
  }

  /** Resolves with cond's value once it is truthy; fails after a while, showing what arrived. */
  waitFor(what, cond, timeoutMs = 5000) {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const got = this.received.map((f) => `${typeName(f.type)} ${JSON.stringify(f.header)}`).join('\n');
        reject(new Error(`timed out waiting for ${what}; received:\n${got}\nworker stderr:\n${this.stderr}`));
      }, timeoutMs);
      const check = () => {
        const v = cond(this.received);
        if (v) {
          clearTimeout(timer);
          resolve(v);
        }
        return Boolean(v);
      };
      if (!check()) this.waiters.push(check);
    });
  }

  frame(type, pred = () => true) {
    return this.waitFor(`a ${typeName(type)}`, (fs) => fs.find((f) => f.type === type && pred(f.header)));
  }

  result(id) {
    return this.frame(Type.RESULT, (h) => h.id === id);
  }

  /** Writes frames in one write, or split in two writes in the middle of a frame. */
  send(frames, { split = false } = {}) {
    const bytes = Buffer.concat(frames.map(([t, h, b]) => encodeFrame(t, h, b)));
    if (!split) return this.conn.write(bytes);
    const cut = Math.floor(bytes.length / 2) + 3;
    this.conn.write(bytes.subarray(0, cut));
    setTimeout(() => this.conn.write(bytes.subarray(cut)), 20);
  }

  codeDir(name, files) {
    const dir = path.join(this.dir, name);
    fs.mkdirSync(dir);
    for (const [file, text] of Object.entries(files)) fs.writeFileSync(path.join(dir, file), text);
    return dir;
  }

  /** The code of a function that bundles its own copy of @flowfn/sdk, as a deployed one does. */
  functionCode(name, files) {
    const dir = this.codeDir(name, files);
    const sdk = path.join(dir, 'node_modules', '@flowfn', 'sdk');
    fs.mkdirSync(sdk, { recursive: true });
    for (const f of ['package.json', 'index.js', 'lib']) fs.cpSync(path.join(PKG, f), path.join(sdk, f), { recursive: true });
    return dir;
  }

  async close() {
    this.conn.destroy();
    this.server.close();
    if (this.child.exitCode === null) this.child.kill();
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

let seq = 0;
function invoke(fn, version, type, data, extra = {}) {
  const id = `inv-${++seq}`;
  const header = {
    id,
    function: fn,
    version,
    attempt: 1,
    deadline: Date.now() + 10000,
    memoryMb: 128,
    event: { id: `e-${seq}`, source: 'test://job', type, subject: `s-${seq}`, time: 1767225599000, datacontenttype: null, sourceIdentity: false, extensions: {} },
    ...extra,
  };
  const { compact, ...rest } = header;
  return [compact ? Type.INVOKE_COMPACT : Type.INVOKE, rest, Buffer.from(data)];
}

const load = (fn, version, handler, codeDir, env = {}) => [Type.LOAD, { function: fn, version, handler, codeDir, memoryMb: 128, env }];

test('a worker session: HELLO, LOAD, a batch of INVOKEs with their logs, progress and emits, errors, PING, EOF', { timeout: 30000 }, async (t) => {
  const job = await FakeJob.start({ FLOWFN_WORKER_CONCURRENCY: '3' });
  t.after(() => job.close());

  const hello = await job.frame(Type.HELLO);
  assert.deepEqual(hello.header, { protocol: 2, runtime: 'nodejs', sdk: require('../package.json').version, pid: job.child.pid, concurrency: 3 });

  await t.test('LOAD -> LOADED, with the function env visible to its top-level code', async () => {
    const dir = job.functionCode('fn', { 'index.js': HANDLER });
    job.send([load('fn', 1, 'index.handler', dir, { GREETING: 'from-deploy' })]);
    const loaded = await job.frame(Type.LOADED);
    assert.equal(loaded.header.function, 'fn');
    assert.equal(loaded.header.version, 1);
    assert.ok(Number.isInteger(loaded.header.loadUs) && loaded.header.loadUs > 0);
    await job.waitFor('the load-time console line on stderr', () => job.stderr.includes('INFO loading with GREETING=from-deploy'));
  });

  await t.test('a batch of INVOKEs (split mid-frame) -> RESULTs, each after its LOG, PROGRESS and EMIT frames', async () => {
    const batch = [
      invoke('fn', 1, 'work', '{"n":21}', { attempt: 2 }),
      invoke('fn', 1, 'text', 'héllo ✓', { compact: true }), // as the job sends a worker of protocol 2
      invoke('fn', 1, 'bytes', Buffer.from([0, 1, 2, 255]), { compact: true }),
      invoke('fn', 1, 'result', ''),
    ];
    job.send(batch, { split: true });
    const [work, text, bytes, teapot] = await Promise.all(batch.map(([, h]) => job.result(h.id)));

    assert.equal(work.header.ok, true, JSON.stringify(work.header));
    assert.equal(work.header.contentType, 'application/json');
    assert.equal(work.header.status, 200);
    assert.deepEqual(work.header.headers, {});
    assert.ok(Number.isInteger(work.header.durationUs) && work.header.durationUs >= 5000, `durationUs ${work.header.durationUs}`);
    assert.deepEqual(JSON.parse(work.body), { doubled: 42, greeting: 'from-deploy', fromContext: 'from-deploy', attempt: 2 });

    const id = batch[0][1].id;
    const mine = job.received.filter((f) => f.header.id === id);
    assert.deepEqual(mine.map((f) => typeName(f.type)), ['LOG', 'LOG', 'PROGRESS', 'EMIT', 'EMIT', 'PROGRESS', 'RESULT']);
    const [log1, log2, p1, e1, e2, p2] = mine;
    assert.deepEqual([log1.header.level, log1.header.message], ['INFO', 'working on 21']);
    assert.deepEqual([log2.header.level, log2.header.message], ['WARN', 'careful']);
    assert.ok(Math.abs(log1.header.time - Date.now()) < 10000);
    assert.deepEqual([p1.header.fraction, p1.header.message], [0.5, 'half way']);
    assert.deepEqual([p2.header.fraction, p2.header.message], [null, 'wrapping up']);
    assert.deepEqual(e1.header, { id, type: 'work.done', subject: batch[0][1].event.subject, contentType: 'application/json', topic: null, key: null });
    assert.equal(e1.body.toString(), '{"n":21}');
    assert.deepEqual(e2.header, { id, type: 'kafka.record', subject: null, contentType: null, topic: 'readings', key: 'k21' });
    assert.deepEqual([...e2.body], [21]);

    assert.deepEqual([text.header.contentType, text.body.toString()], ['text/plain', 'HÉLLO ✓']);
    assert.deepEqual([bytes.header.contentType, [...bytes.body]], ['application/octet-stream', [255, 2, 1, 0]]);
    assert.deepEqual([teapot.header.status, teapot.header.headers, teapot.body.toString()], [418, { 'x-brew': 'no' }, 'teapot']);
  });

  await t.test('a throwing handler -> HANDLER_ERROR with its message and stack; a bad return -> BAD_RESULT', async () => {
    const thrower = invoke('fn', 1, 'throw', '');
    const bad = invoke('fn', 1, 'bad', '');
    job.send([thrower, bad]);
    const err = await job.result(thrower[1].id);
    assert.equal(err.header.ok, false);
    assert.equal(err.header.kind, 'HANDLER_ERROR');
    assert.equal(err.header.message, 'TypeError: x is undefined');
    assert.match(err.header.stack, /index\.js:\d+:\d+/);
    assert.equal(err.body.length, 0);
    const b = await job.result(bad[1].id);
    assert.equal(b.header.kind, 'BAD_RESULT');
    assert.match(b.header.message, /returned 42; return a Result \(Result.empty\(\) when there is nothing\), a string \(text\), a Buffer \(bytes\) or a plain object \(JSON\)/);
  });

  await t.test('an INVOKE of a version not loaded -> UNKNOWN_FUNCTION', async () => {
    const unknown = invoke('fn', 2, 'text', 'x');
    job.send([unknown]);
    const r = await job.result(unknown[1].id);
    assert.equal(r.header.kind, 'UNKNOWN_FUNCTION');
    assert.match(r.header.message, /function fn version 2 is not loaded in this worker/);
  });

  await t.test('LOAD_FAILED (CODE_LOAD) names the fix: missing export, missing file, a module that throws', async () => {
    const dir = job.codeDir('broken', { 'index.js': 'exports.main = () => 1;', 'boom.js': "throw new Error('no config');" });
    job.send([load('broken', 1, 'index.handler', dir), load('broken', 2, 'lambda.handler', dir), load('broken', 3, 'boom.handler', dir)]);
    const failed = (v) => job.frame(Type.LOAD_FAILED, (h) => h.version === v).then((f) => f.header);
    const [noExport, noFile, throws] = await Promise.all([failed(1), failed(2), failed(3)]);
    assert.deepEqual(noExport, { function: 'broken', version: 1, kind: 'CODE_LOAD', message: "index.js exports no function 'handler'; check --handler (its functions: main)" });
    assert.match(noFile.message, /^lambda\.js not found in the function's code \(.*\); check --handler/);
    assert.match(throws.message, /^boom\.js threw while loading: Error: no config; fix the module/);
    const r = invoke('broken', 1, 'text', '');
    job.send([r]);
    assert.equal((await job.result(r[1].id)).header.kind, 'UNKNOWN_FUNCTION');
  });

  await t.test('PING -> PONG while a slow handler runs', async () => {
    const slow = invoke('fn', 1, 'slow', '400');
    job.send([slow]);
    await new Promise((r) => setTimeout(r, 50));
    job.send([[Type.PING, { nonce: 99 }]]);
    await job.frame(Type.PONG, (h) => h.nonce === 99);
    assert.equal(job.received.some((f) => f.type === Type.RESULT && f.header.id === slow[1].id), false, 'the slow RESULT came before PONG');
    await job.result(slow[1].id);
  });

  await t.test('never more than `concurrency` (3) invocations run at once, even when the job sends more', async () => {
    const batch = Array.from({ length: 10 }, () => invoke('fn', 1, 'slow', '60'));
    job.send(batch);
    const results = await Promise.all(batch.map(([, h]) => job.result(h.id)));
    const maxima = results.map((r) => JSON.parse(r.body).maxRunning);
    assert.equal(Math.max(...maxima), 3, `maxRunning seen: ${maxima}`);
  });

  await t.test('end-of-file on the socket -> the worker exits 0 at once, even with a handler running', async () => {
    job.send([invoke('fn', 1, 'slow', '20000')]); // its timer alone would keep a process alive
    await new Promise((r) => setTimeout(r, 50));
    const closed = Date.now();
    job.conn.end();
    const [code] = await job.exited;
    assert.ok(Date.now() - closed < 3000, `exited ${Date.now() - closed} ms after end-of-file`);
    assert.equal(code, 0, job.stderr);
    assert.equal(job.stdout, '', 'the worker wrote to stdout');
  });
});

test('STOP -> the worker exits 0 at once, even with a handler running', { timeout: 10000 }, async (t) => {
  const job = await FakeJob.start();
  t.after(() => job.close());
  const hello = await job.frame(Type.HELLO);
  assert.equal(hello.header.concurrency, 16);
  const dir = job.functionCode('fn', { 'index.js': HANDLER });
  job.send([load('fn', 1, 'index.handler', dir), invoke('fn', 1, 'slow', '5000')]);
  await job.frame(Type.LOADED);
  job.send([[Type.STOP, { reason: 'idle' }]]);
  const [code] = await job.exited;
  assert.equal(code, 0, job.stderr);
});

// Node has no exit status of its own for this: V8 aborts the process. The job gives the worker
// --max-old-space-size=<memoryMb> and reads this exit as "out of memory" (sdk/PROTOCOL.md).
test('out of heap under --max-old-space-size -> SIGABRT and "JavaScript heap out of memory" on stderr', { timeout: 30000 }, async (t) => {
  const job = await FakeJob.start({ NODE_OPTIONS: '--max-old-space-size=32' });
  t.after(() => job.close());
  await job.frame(Type.HELLO);
  const dir = job.functionCode('fn', { 'index.js': HANDLER });
  job.send([load('fn', 1, 'index.handler', dir), invoke('fn', 1, 'hog', '')]);
  const [code, signal] = await job.exited;
  assert.deepEqual([code, signal], [null, 'SIGABRT'], job.stderr.slice(0, 2000));
  assert.match(job.stderr, /^FATAL ERROR: .*JavaScript heap out of memory$/m);
});

test('a bad FLOWFN_WORKER_CONCURRENCY stops the worker with a message naming it', { timeout: 10000 }, async () => {
  const child = spawn(process.execPath, [path.join(PKG, 'bin', 'flowfn-worker.js')], {
    env: { ...process.env, FLOWFN_WORKER_SOCKET: '/nonexistent.sock', FLOWFN_WORKER_CONCURRENCY: 'lots' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const [code] = await once(child, 'exit');
  assert.equal(code, 2);
  assert.match(stderr, /FLOWFN_WORKER_CONCURRENCY 'lots' must be a positive integer/);
});
