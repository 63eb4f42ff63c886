'use strict';
// The parts of the function that need no object store: where a thumbnail goes, and making one
// with ImageMagick. No npm dependency here, so the unit test runs without `npm install`.
const { execFile } = require('node:child_process');

/**
 * The thumbnail's key for an upload's key, keeping its folder: `uploads/a/b.jpg` -> `thumbs/a/b.jpg`.
 * A key outside `sourcePrefix` keeps its whole path under `thumbPrefix`. Returns null for a key
 * already under `thumbPrefix`: never a thumbnail of a thumbnail, even with a too-wide trigger.
 */
function thumbKey(key, sourcePrefix = 'uploads/', thumbPrefix = 'thumbs/') {
  if (typeof key !== 'string' || key === '' || key.endsWith('/')) {
    throw new TypeError(`object key ${JSON.stringify(key)} does not name a file`);
  }
  if (key.startsWith(thumbPrefix)) {
    return null;
  }
  const rest = key.startsWith(sourcePrefix) ? key.slice(sourcePrefix.length) : key;
  return thumbPrefix + rest;
}

/** The long side in pixels from THUMB_SIZE (1-10000, default 200); a bad value names itself. */
function thumbSize(text = '200') {
  const size = Number(String(text).trim());
  if (!Number.isInteger(size) || size < 1 || size > 10000) {
    throw new RangeError(`THUMB_SIZE '${text}' must be a number of pixels from 1 to 10000, e.g. 200`);
  }
  return size;
}

/** ImageMagick's output format for a key: PNG and GIF stay, anything else becomes JPEG. */
function format(key) {
  const ext = key.slice(key.lastIndexOf('.') + 1).toLowerCase();
  return ext === 'png' || ext === 'gif' ? ext : 'jpg';
}

/**
 * Scales `image` (a Buffer) to at most `size` pixels on its long side, never enlarging it, with
 * `convert` (ImageMagick) reading stdin and writing stdout. Rejects with convert's own message for
 * bytes that are not an image.
 */
function scale(image, size, fmt = 'jpg', { convert = '/usr/bin/convert', timeoutMs = 30000 } = {}) {
  return new Promise((resolve, reject) => {
    const child = execFile(
      convert,
      ['-', '-auto-orient', '-thumbnail', `${size}x${size}>`, '-strip', `${fmt}:-`],
      { encoding: 'buffer', maxBuffer: 64 * 1024 * 1024, timeout: timeoutMs },
      (error, stdout, stderr) => {
        if (error) {
          const why = stderr.toString('utf8').trim() || error.message;
          reject(new Error(`not an image ImageMagick can read (${image.length} bytes): ${why}`));
        } else {
          resolve(stdout);
        }
      },
    );
    child.stdin.on('error', () => {}); // convert may exit before reading all; its status says why
    child.stdin.end(image);
  });
}

module.exports = { thumbKey, thumbSize, format, scale };
