'use strict';
// The shared vectors (sdk/protocol/vectors.json) and incremental decoding of a byte stream.
const test = require('node:test');
const assert = require('node:assert/strict');
const path = require('node:path');
const fs = require('node:fs');
const { Type, encodeFrame, decodeFrame, FrameDecoder, ProtocolError, typeName } = require('../lib/frames');

const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'protocol', 'vectors.json'), 'utf8'));

test('the vectors are protocol 2 and cover every message type', () => {
  assert.equal(vectors.protocol, 2);
  const seen = new Set([...vectors.vectors, ...vectors.compact].map((v) => v.type));
  for (const [name, type] of Object.entries(Type)) assert.ok(seen.has(type), `no vector for ${name}`);
});

for (const v of vectors.vectors) {
  test(`vector ${v.name}: decodes to its type, header and body, and re-encodes byte for byte`, () => {
    const bytes = Buffer.from(v.frameHex, 'hex');
    const frame = decodeFrame(bytes);
    assert.equal(frame.type, v.type, typeName(frame.type));
    assert.deepEqual(frame.header, v.header);
    assert.equal(frame.body.toString('hex'), v.bodyHex);
    assert.equal(encodeFrame(frame.type, frame.header, frame.body).toString('hex'), v.frameHex);
    assert.equal(encodeFrame(v.type, v.header, Buffer.from(v.bodyHex, 'hex')).toString('hex'), v.frameHex);
  });
}

for (const v of vectors.compact) {
  test(`compact vector ${v.name}: decodes to the header of the same INVOKE, and re-encodes byte for byte`, () => {
    const f = v.invoke;
    const header = {
      id: f.id, function: f.function, version: f.version, attempt: f.attempt, deadline: f.deadline, memoryMb: f.memoryMb,
      event: { id: f.eventId, source: f.source, type: f.type, subject: f.subject, time: f.time, datacontenttype: f.datacontenttype, sourceIdentity: f.sourceIdentity, extensions: f.extensions },
    };
    const frame = decodeFrame(Buffer.from(v.frameHex, 'hex'));
    assert.equal(frame.type, Type.INVOKE_COMPACT);
    assert.deepEqual(frame.header, header);
    assert.equal(frame.body.toString('hex'), v.bodyHex);
    assert.equal(encodeFrame(Type.INVOKE_COMPACT, header, Buffer.from(v.bodyHex, 'hex')).toString('hex'), v.frameHex);
  });
}

test('a compact header whose strings do not add up is a protocol error', () => {
  const bytes = Buffer.from(vectors.compact[0].frameHex, 'hex');
  bytes[9 + 33 + 3] = 200; // the id's length runs past the header
  assert.throws(() => decodeFrame(bytes), (e) => e instanceof ProtocolError && /INVOKE_COMPACT strings take/.test(e.message));
});

const all = Buffer.concat(vectors.vectors.map((v) => Buffer.from(v.frameHex, 'hex')));

test('the decoder parses a stream fed one byte at a time', () => {
  const d = new FrameDecoder();
  const frames = [];
  for (let i = 0; i < all.length; i++) frames.push(...d.push(all.subarray(i, i + 1)));
  assert.deepEqual(frames.map((f) => f.header), vectors.vectors.map((v) => v.header));
  assert.equal(d.pending, 0);
});

test('the decoder parses many frames per chunk, and chunks cut anywhere', () => {
  const d = new FrameDecoder();
  assert.equal(d.push(all).length, vectors.vectors.length);
  for (const cut of [1, 5, 9, 10, 77, all.length - 1]) {
    const d2 = new FrameDecoder();
    const frames = [...d2.push(all.subarray(0, cut)), ...d2.push(all.subarray(cut))];
    assert.deepEqual(frames.map((f) => f.body.toString('hex')), vectors.vectors.map((v) => v.bodyHex), `cut at ${cut}`);
  }
});

test('the decoder holds a partial frame until the rest arrives', () => {
  const one = Buffer.from(vectors.vectors[0].frameHex, 'hex');
  const d = new FrameDecoder();
  assert.deepEqual(d.push(one.subarray(0, one.length - 1)), []);
  assert.equal(d.pending, one.length - 1);
  assert.equal(d.push(one.subarray(one.length - 1)).length, 1);
});

test('the decoder refuses a frame over 64 MiB, and a header that is not a JSON object', () => {
  const huge = Buffer.alloc(9);
  huge.writeUInt32BE(64 * 1024 * 1024 + 1, 0);
  assert.throws(() => new FrameDecoder().push(huge), /67108865 exceeds the protocol limit/);
  assert.throws(() => decodeFrame(encodeRaw(Type.PING, '[1]')), ProtocolError);
  assert.throws(() => decodeFrame(encodeRaw(Type.PING, '{nope')), /header of a PING frame is not JSON/);
});

test('body bytes pass through untouched, never as JSON', () => {
  const body = Buffer.from([0, 0xff, 0x10, 0x7b]);
  const f = decodeFrame(encodeFrame(Type.EMIT, { id: 'x' }, body));
  assert.deepEqual(f.body, body);
});

function encodeRaw(type, headerText) {
  const h = Buffer.from(headerText);
  const b = Buffer.alloc(9);
  b.writeUInt32BE(5 + h.length, 0);
  b.writeUInt8(type, 4);
  b.writeUInt32BE(h.length, 5);
  return Buffer.concat([b, h]);
}
