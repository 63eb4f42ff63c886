'use strict';
// The test kit, used the way a function author would.
const test = require('node:test');
const assert = require('node:assert/strict');
const sdk = require('..');
const { TestContext, TestEvent, invoke } = require('../lib/testing');
const { Result, OutgoingEvent } = sdk;

// A handler as a user writes it.
async function thumbnail(event, context) {
  const { key } = event.json();
  const size = Number(context.env.THUMB_SIZE || 100);
  context.logger.info(`resizing ${key} to ${size}`);
  context.progress(0.5, 'half way');
  context.emit(OutgoingEvent.json('thumbnail.created', `thumbs/${key}`, { size }));
  context.progress('done');
  return { key, size };
}

test('a handler runs against TestContext and TestEvent; logs, emits and progress are recorded', async () => {
  const ctx = new TestContext({ env: { THUMB_SIZE: '200' } });
  const result = await invoke(thumbnail, TestEvent.json({ key: 'cat.jpg' }), ctx);
  assert.equal(result.text(), '{"key":"cat.jpg","size":200}');
  assert.equal(result.contentType, 'application/json');
  assert.deepEqual(ctx.logLines(), ['INFO resizing cat.jpg to 200']);
  assert.deepEqual(ctx.logs(), [{ level: 'INFO', message: 'resizing cat.jpg to 200' }]);
  assert.deepEqual(ctx.progressReports(), [{ fraction: 0.5, message: 'half way' }, { fraction: null, message: 'done' }]);
  assert.equal(ctx.emitted().length, 1);
  assert.equal(ctx.emitted()[0].subject, 'thumbs/cat.jpg');
  assert.equal(ctx.emitted()[0].text(), '{"size":200}');
});

test('TestContext defaults mirror Java and its recordings are copies', () => {
  const ctx = TestContext.create();
  assert.deepEqual(
    [ctx.functionName, ctx.functionVersion, ctx.invocationId, ctx.attempt, ctx.memoryMb],
    ['test', 1, 'test-invocation', 1, 256]
  );
  assert.ok(ctx.remainingMs() > 29000);
  ctx.logger.error('x');
  ctx.logLines().push('forged');
  assert.deepEqual(ctx.logLines(), ['ERROR x']);
  assert.ok(ctx instanceof sdk.Context);
  assert.throws(() => new TestContext({ env: { N: 5 } }), /env N must be a string, got 5/);
  assert.equal(new TestContext({ timeoutMs: 0 }).remainingMs(), 0);
});

test('TestContext validates as the worker does', () => {
  const ctx = TestContext.create();
  assert.throws(() => ctx.progress(2, 'x'), /progress fraction 2 is outside 0..1/);
  assert.throws(() => ctx.emit('event'), /emit takes an OutgoingEvent/);
  assert.deepEqual(ctx.progressReports(), []);
});

test('TestEvent builder sets every attribute and has defaults', () => {
  const d = TestEvent.builder().build();
  assert.equal(d.type, 'flowfn.invoke');
  assert.equal(d.source, 'test://flowfn');
  assert.match(d.id, /^[0-9a-f-]{36}$/);
  assert.equal(d.data.length, 0);
  const time = new Date(1767225599000);
  const e = TestEvent.builder()
    .id('e-1').source('minio:photos').type('s3:ObjectCreated:Put').subject('a/b.jpg').time(time)
    .dataContentType('image/jpeg').data(Buffer.from([0xff, 0xd8])).extension('s3bucket', 'photos').sourceIdentity(true)
    .build();
  assert.deepEqual(
    [e.id, e.source, e.type, e.subject, e.time, e.dataContentType, e.data.toString('hex'), e.extensions, e.sourceIdentity],
    ['e-1', 'minio:photos', 's3:ObjectCreated:Put', 'a/b.jpg', time, 'image/jpeg', 'ffd8', { s3bucket: 'photos' }, true]
  );
  assert.equal(TestEvent.of({ type: 'mqtt.message', data: 'on' }).text(), 'on');
  assert.throws(() => TestEvent.of({ colour: 'red' }), /unknown attribute 'colour'/);
  assert.throws(() => TestEvent.builder().extension('n', 1), /extension n must be a string, got 1/);
});

test('invoke reports a bad return value as the worker would', async () => {
  await assert.rejects(invoke(async () => undefined, TestEvent.json({})), (e) => e.code === 'BAD_RESULT' && /returned undefined/.test(e.message));
  assert.equal((await invoke(() => Result.empty(), TestEvent.json({}))).status, 200);
  assert.equal((await invoke(() => 'sync', TestEvent.json({}))).text(), 'sync');
});

test('the test kit is also sdk.testing', () => {
  assert.equal(sdk.testing.TestContext, TestContext);
  assert.equal(require('@flowfn/sdk/testing').TestEvent, TestEvent);
});
