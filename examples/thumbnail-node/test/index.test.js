'use strict';
// node --test test/  (with @flowfn/sdk on NODE_PATH: see the README). Needs no node_modules:
// the key mapping, the settings and a real ImageMagick run on a real JPEG.
const test = require('node:test');
const assert = require('node:assert/strict');
const { execFileSync } = require('node:child_process');
const { TestContext, TestEvent, invoke } = require('@flowfn/sdk/testing');
const { thumbKey, thumbSize, format, scale } = require('../thumbs');
const { handler } = require('../index');

const CONVERT = process.env.CONVERT || '/usr/bin/convert';

/** A real JPEG of w x h pixels, made by ImageMagick. */
function jpeg(w, h) {
  return execFileSync(CONVERT, ['-size', `${w}x${h}`, 'gradient:red-blue', 'jpg:-']);
}

/** Width and height from a JPEG's SOF marker. */
function jpegSize(buf) {
  assert.equal(buf.readUInt16BE(0), 0xffd8, 'a JPEG starts with SOI');
  let i = 2;
  while (i < buf.length) {
    const marker = buf.readUInt16BE(i);
    const length = buf.readUInt16BE(i + 2);
    if (marker >= 0xffc0 && marker <= 0xffcf && ![0xffc4, 0xffc8, 0xffcc].includes(marker)) {
      return { height: buf.readUInt16BE(i + 5), width: buf.readUInt16BE(i + 7) };
    }
    i += 2 + length;
  }
  throw new Error('no SOF marker');
}

test('keeps the upload folder in the thumbnail key', () => {
  assert.equal(thumbKey('uploads/a/b.jpg'), 'thumbs/a/b.jpg');
  assert.equal(thumbKey('uploads/cat.jpg'), 'thumbs/cat.jpg');
  assert.equal(thumbKey('elsewhere/cat.jpg'), 'thumbs/elsewhere/cat.jpg');
  assert.equal(thumbKey('in/x/y.png', 'in/', 'small/'), 'small/x/y.png');
  assert.equal(thumbKey('thumbs/a/b.jpg'), null, 'no thumbnail of a thumbnail');
  assert.throws(() => thumbKey('uploads/a/'), /does not name a file/);
});

test('THUMB_SIZE and the output format', () => {
  assert.equal(thumbSize(), 200);
  assert.equal(thumbSize(' 64 '), 64);
  assert.throws(() => thumbSize('big'), /THUMB_SIZE 'big' must be a number of pixels/);
  assert.throws(() => thumbSize('0'), RangeError);
  assert.equal(format('a/b.PNG'), 'png');
  assert.equal(format('a/b.gif'), 'gif');
  assert.equal(format('a/b.jpeg'), 'jpg');
});

test('convert scales a real JPEG to the long side, keeping the aspect ratio', async () => {
  const original = jpeg(640, 480);
  const thumb = await scale(original, 100, 'jpg', { convert: CONVERT });
  assert.deepEqual(jpegSize(thumb), { width: 100, height: 75 });
  assert.ok(thumb.length < original.length);
});

test('a small image is not enlarged', async () => {
  const thumb = await scale(jpeg(40, 80), 200, 'jpg', { convert: CONVERT });
  assert.deepEqual(jpegSize(thumb), { width: 40, height: 80 });
});

test('bytes that are not an image fail with a reason', async () => {
  await assert.rejects(
    scale(Buffer.from('a shopping list, not a photo\n'), 100, 'jpg', { convert: CONVERT }),
    /not an image ImageMagick can read \(29 bytes\)/,
  );
});

test('the handler refuses an event that is not from an s3 trigger', async () => {
  const ctx = new TestContext();
  await assert.rejects(
    invoke(handler, TestEvent.json({ hello: 'world' }), ctx),
    /is not an object-storage event \(no s3bucket\/s3key\)/,
  );
});

test('the handler skips its own thumbnails without touching the store', async () => {
  const ctx = new TestContext();
  const event = TestEvent.builder()
    .type('s3.object.created')
    .subject('thumbs/a/b.jpg')
    .extension('s3bucket', 'photos')
    .extension('s3key', 'thumbs/a/b.jpg')
    .build();
  const result = await invoke(handler, event, ctx);
  assert.deepEqual(JSON.parse(result.data), { skipped: 'thumbs/a/b.jpg' });
  assert.deepEqual(ctx.logLines(), ['INFO skipping s3://photos/thumbs/a/b.jpg: already a thumbnail']);
});
