'use strict';
/**
 * Frames of the Flowfn runtime protocol v2 (sdk/PROTOCOL.md):
 * `u32 length of the rest | u8 type | u32 header length | header (JSON, UTF-8) | body`; the header
 * of INVOKE_COMPACT is binary instead (decoded to the same object as INVOKE's JSON header).
 * @module @flowfn/sdk/protocol
 */

/** Protocol version this SDK speaks (sent in HELLO). */
const PROTOCOL_VERSION = 2;

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
  INVOKE_COMPACT: 0x91,
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
  if (type === Type.INVOKE_COMPACT) return encodeCompactInvoke(header, body);
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
    header = type === Type.INVOKE_COMPACT
      ? decodeCompactInvoke(frame, 9, 9 + headerLength)
      : JSON.parse(frame.toString('utf8', 9, 9 + headerLength));
  } catch (e) {
    if (e instanceof ProtocolError) throw e;
    throw new ProtocolError(`header of a ${NAMES[type] || type} frame is not JSON: ${e.message}`);
  }
  if (header === null || typeof header !== 'object' || Array.isArray(header)) {
    throw new ProtocolError(`header of a ${NAMES[type] || type} frame is not a JSON object`);
  }
  // Copy the body so it does not pin the (possibly large) read buffer it came from.
  return { type, header, body: Buffer.from(frame.subarray(9 + headerLength)) };
}

/** INVOKE_COMPACT's fixed fields: version, attempt, memoryMb, deadline, time, flags, strings. */
const COMPACT_FIXED = 4 + 4 + 4 + 8 + 8 + 1 + 4;

/** A signed 64-bit big-endian integer as a Number (exact up to 2^53). */
function int64(buf, at) {
  return buf.readInt32BE(at) * 4294967296 + buf.readUInt32BE(at + 4);
}

/**
 * The binary header of an INVOKE_COMPACT in `buf[start, end)`, as the object INVOKE's JSON header
 * parses to (PROTOCOL.md, "INVOKE_COMPACT").
 * @throws {ProtocolError} when its strings do not add up to its length
 */
function decodeCompactInvoke(buf, start, end) {
  if (end - start < COMPACT_FIXED) {
    throw new ProtocolError(`INVOKE_COMPACT header of ${end - start} bytes is under ${COMPACT_FIXED}`);
  }
  const flags = buf[start + 28];
  const n = buf.readUInt32BE(start + 29);
  const wanted = 5 + ((flags >> 1) & 1) + ((flags >> 2) & 1);
  let at = start + COMPACT_FIXED;
  if (n < wanted || (n - wanted) % 2 !== 0 || at + 4 * n > end) {
    throw new ProtocolError(`INVOKE_COMPACT header has ${n} strings; its flags need ${wanted} and then name-value pairs, in its ${end - start} bytes`);
  }
  const lengths = new Array(n);
  let total = 0;
  for (let i = 0; i < n; i++, at += 4) total += lengths[i] = buf.readUInt32BE(at);
  if (at + total !== end) {
    throw new ProtocolError(`INVOKE_COMPACT strings take ${total} bytes; its header has ${end - at} for them`);
  }
  const strings = new Array(n);
  if (flags & 8) { // every string ASCII: one decode, cut by the lengths
    const text = buf.toString('latin1', at, end);
    for (let i = 0, o = 0; i < n; o += lengths[i], i++) strings[i] = text.substring(o, o + lengths[i]);
  } else {
    for (let i = 0; i < n; at += lengths[i], i++) strings[i] = buf.toString('utf8', at, at + lengths[i]);
  }
  let next = 5;
  const subject = flags & 2 ? strings[next++] : null;
  const datacontenttype = flags & 4 ? strings[next++] : null;
  const extensions = {};
  for (; next < n; next += 2) extensions[strings[next]] = strings[next + 1];
  return {
    id: strings[0], function: strings[1], version: buf.readUInt32BE(start), attempt: buf.readUInt32BE(start + 4),
    deadline: int64(buf, start + 12), memoryMb: buf.readUInt32BE(start + 8),
    event: {
      id: strings[2], source: strings[3], type: strings[4], subject, time: int64(buf, start + 20),
      datacontenttype, sourceIdentity: (flags & 1) !== 0, extensions,
    },
  };
}

/**
 * Encodes an INVOKE_COMPACT frame from an INVOKE header object (what the job sends a worker of
 * protocol 2; for tests and tools).
 * @param {object} header as INVOKE's JSON header
 * @param {Buffer|Uint8Array} [body]
 * @returns {Buffer}
 */
function encodeCompactInvoke(header, body) {
  const e = header.event;
  const strings = [header.id, header.function, e.id, e.source, e.type];
  let flags = e.sourceIdentity ? 1 : 0;
  if (e.subject != null) { strings.push(e.subject); flags |= 2; }
  if (e.datacontenttype != null) { strings.push(e.datacontenttype); flags |= 4; }
  for (const [k, v] of Object.entries(e.extensions || {})) strings.push(k, v);
  if (strings.every((s) => /^[\x00-\x7f]*$/.test(s))) flags |= 8;
  const data = strings.map((s) => Buffer.from(s, 'utf8'));
  const fixed = Buffer.alloc(COMPACT_FIXED + 4 * data.length);
  fixed.writeUInt32BE(header.version, 0);
  fixed.writeUInt32BE(header.attempt ?? 1, 4);
  fixed.writeUInt32BE(header.memoryMb ?? 0, 8);
  fixed.writeBigInt64BE(BigInt(header.deadline), 12);
  fixed.writeBigInt64BE(BigInt(e.time), 20);
  fixed.writeUInt8(flags, 28);
  fixed.writeUInt32BE(data.length, 29);
  data.forEach((d, i) => fixed.writeUInt32BE(d.length, COMPACT_FIXED + 4 * i));
  const h = Buffer.concat([fixed, ...data]);
  const b = body && body.length ? body : Buffer.alloc(0);
  const prefix = Buffer.alloc(9);
  prefix.writeUInt32BE(5 + h.length + b.length, 0);
  prefix.writeUInt8(Type.INVOKE_COMPACT, 4);
  prefix.writeUInt32BE(h.length, 5);
  return Buffer.concat([prefix, h, b]);
}

/** @returns {string} the name of a message type, or its hex code when unknown */
function typeName(type) {
  return NAMES[type] || `0x${type.toString(16)}`;
}

module.exports = { PROTOCOL_VERSION, MAX_FRAME, Type, ProtocolError, encodeFrame, encodeCompactInvoke, decodeFrame, FrameDecoder, typeName };
