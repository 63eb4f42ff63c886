'use strict';
// Event, Result, OutgoingEvent, Context: values validate when built and name the bad value.
const test = require('node:test');
const assert = require('node:assert/strict');
const { Event, Result, OutgoingEvent, Context, toResult } = require('..');

const event = (over = {}) =>
  new Event({ id: 'e-1', source: 'kafka://words/0', type: 'kafka.record', time: new Date(1767225599000), data: Buffer.from('{"n":1}'), ...over });

test('Event reads its payload as text and JSON, and is read-only', () => {
  const e = event({ dataContentType: 'application/json', extensions: { a: '1' } });
  assert.equal(e.text(), '{"n":1}');
  assert.deepEqual(e.json(), { n: 1 });
  assert.equal(e.subject, null);
  assert.equal(e.sourceIdentity, false);
  assert.throws(() => { 'use strict'; e.type = 'x'; }, TypeError);
  assert.throws(() => { 'use strict'; e.extensions.b = '2'; }, TypeError);
});

test('Event.json names the event when the data is not JSON', () => {
  assert.throws(() => event({ data: Buffer.from('oops') }).json(), /data of event e-1 \(no content type\) is not JSON/);
});

test('Event refuses a bad time or data', () => {
  assert.throws(() => event({ time: 1767225599000 }), /event time must be a valid Date, got 1767225599000/);
  assert.throws(() => event({ data: 'text' }), /event data must be a Buffer, got 'text'/);
  assert.throws(() => event({ id: 7 }), /event id must be a string, got 7/);
});

test('Result factories set data and content type', () => {
  assert.equal(Result.text('hé').contentType, 'text/plain');
  assert.deepEqual(Result.text('hé').data, Buffer.from('hé'));
  assert.equal(Result.json({ a: [1] }).text(), '{"a":[1]}');
  assert.equal(Result.json({ a: 1 }).contentType, 'application/json');
  assert.equal(Result.ok(Buffer.from([1, 2])).contentType, 'application/octet-stream');
  assert.equal(Result.ok('<b>hi</b>', 'text/html').text(), '<b>hi</b>');
  const empty = Result.empty();
  assert.equal(empty.data.length, 0);
  assert.equal(empty.contentType, null);
  assert.equal(empty.status, 200);
});

test('Result copies the bytes it is given', () => {
  const bytes = Buffer.from('abc');
  const r = Result.ok(bytes);
  bytes[0] = 0x7a;
  assert.equal(r.text(), 'abc');
});

test('Result.withStatus and withHeader return validated copies', () => {
  const r = Result.json({ error: 'no such user' }).withStatus(404).withHeader('x-trace', 't1');
  assert.equal(r.status, 404);
  assert.deepEqual(r.headers, { 'x-trace': 't1' });
  assert.deepEqual(Result.empty().headers, {});
  assert.throws(() => r.withStatus(700), /HTTP status 700 is not an integer in 100..599/);
  assert.throws(() => r.withStatus(200.5), /HTTP status 200.5/);
  assert.throws(() => r.withHeader('bad name', 'v'), /header name 'bad name' is not a valid HTTP token/);
  assert.throws(() => r.withHeader('x-a', 'v\r\nset-cookie: x'), /header x-a has a line break in its value/);
});

test('Result factories name the bad value', () => {
  assert.throws(() => Result.ok(42), /Result.ok data must be a Buffer, Uint8Array or string, got 42/);
  assert.throws(() => Result.ok('x', ' '), /contentType must not be blank/);
  assert.throws(() => Result.text(Buffer.from('x')), /Result.text text must be a string, got a Buffer/);
  assert.throws(() => Result.json(undefined), /Result.json value cannot be encoded as JSON: got undefined/);
  const loop = {};
  loop.self = loop;
  assert.throws(() => Result.json(loop), /Result.json value cannot be encoded as JSON: .*circular/i);
});

test('toResult turns strings, bytes and plain objects into Results', () => {
  assert.equal(toResult('hi').contentType, 'text/plain');
  assert.equal(toResult(Buffer.from([1])).contentType, 'application/octet-stream');
  assert.equal(toResult(new Uint8Array([1, 2])).data.length, 2);
  assert.equal(toResult({ a: 1 }).text(), '{"a":1}');
  assert.equal(toResult([1, 2]).text(), '[1,2]');
  const r = Result.empty();
  assert.equal(toResult(r), r);
});

test('toResult refuses anything else with a BAD_RESULT saying what to return', () => {
  for (const [value, shown] of [[undefined, 'undefined'], [null, 'null'], [42, '42'], [new Map(), 'a Map'], [() => 1, 'a function']]) {
    assert.throws(
      () => toResult(value),
      (e) => e.code === 'BAD_RESULT' && e.message.includes(`returned ${shown};`) && e.message.includes('return a Result (Result.empty() when there is nothing)'),
      shown
    );
  }
});

test('OutgoingEvent.of and json', () => {
  const e = OutgoingEvent.of('thumbnail.created', 'a.jpg', 'x', 'text/plain');
  assert.deepEqual([e.type, e.subject, e.text(), e.contentType, e.topic, e.key], ['thumbnail.created', 'a.jpg', 'x', 'text/plain', null, null]);
  const j = OutgoingEvent.json('word.counted', null, { n: 2 });
  assert.equal(j.text(), '{"n":2}');
  assert.equal(j.contentType, 'application/json');
  assert.throws(() => OutgoingEvent.of(' ', null, ''), /event type must not be blank/);
  assert.throws(() => OutgoingEvent.of('t', null, 5), /event data must be a Buffer, Uint8Array or string, got 5/);
  assert.throws(() => OutgoingEvent.json('t', null, undefined), /data of event 't' cannot be encoded as JSON/);
});

test('OutgoingEvent.record validates the topic as Java does', () => {
  const r = OutgoingEvent.record('readings', 'dev-7', Buffer.from([1, 2]));
  assert.deepEqual([r.type, r.subject, r.topic, r.key, r.data.toString('hex')], ['kafka.record', null, 'readings', 'dev-7', '0102']);
  assert.throws(() => OutgoingEvent.record('my topic', null, ''), /topic 'my topic' is not a valid Kafka topic name/);
  assert.throws(() => OutgoingEvent.record('..', null, ''), /topic '..' is not a valid Kafka topic name/);
  assert.throws(() => OutgoingEvent.record('x'.repeat(250), null, ''), /is not a valid Kafka topic name/);
  assert.throws(() => OutgoingEvent.record('flowfn.events', null, ''), /topic 'flowfn.events' is internal to Flowfn or Kafka; emit to a topic of your own/);
  assert.throws(() => OutgoingEvent.record('__consumer_offsets', null, ''), /is internal to Flowfn or Kafka/);
  assert.ok(OutgoingEvent.record('a.b-c_D9', null, ''));
});

function recordingContext() {
  const seen = [];
  const ctx = new Context(
    { functionName: 'f', functionVersion: 3, invocationId: 'inv-1', attempt: 2, memoryMb: 128, deadline: new Date(Date.now() + 5000), env: { A: '1' } },
    { log: (...a) => seen.push(['log', ...a]), emit: (e) => seen.push(['emit', e.type]), progress: (...a) => seen.push(['progress', ...a]) }
  );
  return { ctx, seen };
}

test('Context passes logs, emits and progress to its sink', () => {
  const { ctx, seen } = recordingContext();
  ctx.logger.info('resized %d images', 3);
  ctx.logger.warn('w');
  ctx.logger.log('DEBUG', 'd');
  ctx.emit(OutgoingEvent.of('t', null, ''));
  ctx.progress(0.4, '40 of 100');
  ctx.progress('cleaning up');
  ctx.progress(NaN, 'unknown');
  ctx.progress(1, 'done');
  assert.deepEqual(seen, [
    ['log', 'INFO', 'resized 3 images'],
    ['log', 'WARN', 'w'],
    ['log', 'DEBUG', 'd'],
    ['emit', 't'],
    ['progress', 0.4, '40 of 100'],
    ['progress', null, 'cleaning up'],
    ['progress', null, 'unknown'],
    ['progress', 1, 'done'],
  ]);
  assert.ok(ctx.remainingMs() > 4000 && ctx.remainingMs() <= 5000);
  assert.deepEqual(ctx.env, { A: '1' });
  assert.equal(Object.isFrozen(ctx.env), true);
});

test('Context validates like Java and names the bad value', () => {
  const { ctx, seen } = recordingContext();
  assert.throws(() => ctx.progress(1.5, 'x'), /progress fraction 1.5 is outside 0..1; pass done\/total \(e.g. 0.4 for 40%\) or null/);
  assert.throws(() => ctx.progress(-0.1, 'x'), /progress fraction -0.1 is outside 0..1/);
  assert.throws(() => ctx.progress('40%', 'x'), /progress fraction '40%' must be a number in 0..1, or null when unknown/);
  assert.throws(() => ctx.progress(0.5), /progress message must be a string, got undefined/);
  assert.throws(() => ctx.emit({ type: 't' }), /emit takes an OutgoingEvent \(OutgoingEvent.of, .json or .record\), got an object/);
  assert.throws(() => ctx.logger.log('TRACE', 'x'), /log level 'TRACE' is not one of DEBUG, INFO, WARN, ERROR/);
  assert.deepEqual(seen, []);
  const past = new Context({ functionName: 'f', functionVersion: 1, invocationId: 'i', attempt: 1, memoryMb: 1, deadline: new Date(0) }, {});
  assert.equal(past.remainingMs(), 0);
});

test('a Result or OutgoingEvent made by another copy of the SDK (the one a function bundles) is accepted', () => {
  const lib = require('node:path').join(__dirname, '..', 'lib');
  const mine = Object.keys(require.cache).filter((k) => k.startsWith(lib));
  const saved = mine.map((k) => [k, require.cache[k]]);
  mine.forEach((k) => delete require.cache[k]);
  const copy = { ...require('../lib/result'), ...require('../lib/outgoing-event') };
  saved.forEach(([k, m]) => (require.cache[k] = m));
  assert.notEqual(copy.Result, Result);
  assert.ok(copy.Result.text('x') instanceof Result);
  assert.equal(toResult(copy.Result.text('x')).contentType, 'text/plain');
  const { ctx, seen } = recordingContext();
  ctx.emit(copy.OutgoingEvent.of('t', null, ''));
  assert.deepEqual(seen, [['emit', 't']]);
  assert.ok(!({ data: Buffer.alloc(0) } instanceof Result));
  assert.ok(!(recordingContext().ctx instanceof require('../lib/testing').TestContext));
});
