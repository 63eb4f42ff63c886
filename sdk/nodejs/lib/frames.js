'use strict';
/**
 * Frames of the Flowfn runtime protocol v1 (sdk/PROTOCOL.md):
 * `u32 length of the rest | u8 type | u32 header length | header (JSON, UTF-8) | body`.
 * @module @flowfn/sdk/protocol
 */

/** Protocol version this SDK speaks (sent in HELLO). */
const PROTOCOL_VERSION = 1;

/** Largest value of the leading length field (64 MiB). */
const MAX_FRAME = 64 * 1024 * 1024;

/** Message types, by name. */
const Type = Object.freeze({
  HELLO: 0x01,
  LOADED: 0x02,
  LOAD_FAILED: 0x03,
  RESULT: 0x10,
  EMIT: 0x11,
  LOG: 0x12,
  PROGRESS: 0x13,
  PONG: 0x20,
  LOAD: 0x81,
  INVOKE: 0x90,
  PING: 0xa0,
  STOP: 0xa1,
});

const NAMES = Object.fromEntries(Object.entries(Type).map(([k, v]) => [v, k]));

/** A frame that breaks the protocol (too large, inconsistent lengths, a header that is not a JSON object). */
class ProtocolError extends Error {
  constructor(message) {
    super(message);
    this.name = 'ProtocolError';
  }
}

/**
 * Encodes one frame.
 * @param {number} type message type (see {@link Type})
 * @param {object} header JSON-encodable object; keys are written in insertion order
 * @param {Buffer|Uint8Array} [body] raw bytes, empty by default
 * @returns {Buffer}
 */
function encodeFrame(type, header, body) {
  const h = Buffer.from(JSON.stringify(header), 'utf8');
  const b = body && body.length ? body : Buffer.alloc(0);
  const rest = 1 + 4 + h.length + b.length;
  if (rest > MAX_FRAME) {
    throw new ProtocolError(`frame of ${rest} bytes exceeds the protocol limit of ${MAX_FRAME} (64 MiB)`);
  }
  const prefix = Buffer.alloc(9);
  prefix.writeUInt32BE(rest, 0);
  prefix.writeUInt8(type, 4);
  prefix.writeUInt32BE(h.length, 5);
  return Buffer.concat([prefix, h, b]);
}

/**
 * Parses frames incrementally from a byte stream: feed it chunks as they arrive (a chunk may hold
 * part of a frame or many frames) and get back the frames completed so far.
 */
class FrameDecoder {
  constructor() {
    /** @type {Buffer[]} */
    this.chunks = [];
    this.buffered = 0;
  }

  /**
   * @param {Buffer} chunk
   * @returns {{type: number, header: object, body: Buffer}[]} the frames completed by this chunk
   * @throws {ProtocolError} on a frame that cannot be valid; the stream is unusable afterwards
   */
  push(chunk) {
    if (chunk.length) {
      this.chunks.push(chunk);
      this.buffered += chunk.length;
    }
    const frames = [];
    while (this.buffered >= 4) {
      const head = this.peek(4);
      const rest = head.readUInt32BE(0);
      if (rest > MAX_FRAME) {
        throw new ProtocolError(`frame length ${rest} exceeds the protocol limit of ${MAX_FRAME} (64 MiB)`);
      }
      if (rest < 5) {
        throw new ProtocolError(`frame length ${rest} is too short for a type and a header length`);
      }
      if (this.buffered < 4 + rest) break;
      frames.push(decodeFrame(this.take(4 + rest)));
    }
    return frames;
  }

  /** Bytes of an incomplete frame still waiting for the rest. */
  get pending() {
    return this.buffered;
  }

  peek(n) {
    if (this.chunks[0].length < n) this.chunks = [Buffer.concat(this.chunks)];
    return this.chunks[0].subarray(0, n);
  }

  take(n) {
    const all = this.chunks.length === 1 ? this.chunks[0] : Buffer.concat(this.chunks);
    const out = all.subarray(0, n);
    const left = all.subarray(n);
    this.chunks = left.length ? [left] : [];
    this.buffered = left.length;
    return out;
  }
}

/**
 * Decodes exactly one complete frame.
 * @param {Buffer} frame
 * @returns {{type: number, header: object, body: Buffer}}
 */
function decodeFrame(frame) {
  if (frame.length < 9 || frame.readUInt32BE(0) !== frame.length - 4) {
    throw new ProtocolError(`not one complete frame (${frame.length} bytes)`);
  }
  const type = frame.readUInt8(4);
  const headerLength = frame.readUInt32BE(5);
  if (9 + headerLength > frame.length) {
    throw new ProtocolError(`header length ${headerLength} of a ${NAMES[type] || type} frame runs past the frame's end`);
  }
  let header;
  try {
    header = JSON.parse(frame.toString('utf8', 9, 9 + headerLength));
  } catch (e) {
    throw new ProtocolError(`header of a ${NAMES[type] || type} frame is not JSON: ${e.message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new ProtocolError(`header of a ${NAMES[type] || type} frame is not a JSON object`);
  }
  // Copy the body so it does not pin the (possibly large) read buffer it came from.
  return { type, header, body: Buffer.from(frame.subarray(9 + headerLength)) };
}

/** @returns {string} the name of a message type, or its hex code when unknown */
function typeName(type) {
  return NAMES[type] || `0x${type.toString(16)}`;
}

module.exports = { PROTOCOL_VERSION, MAX_FRAME, Type, ProtocolError, encodeFrame, decodeFrame, FrameDecoder, typeName };
