'use strict';
const { describe, requireString, optionalString, brand } = require('./bytes');

/**
 * An incoming event, shaped like a CloudEvents 1.0 event. Types follow the source's own names:
 * `s3:ObjectCreated:Put`, `mqtt.message`, `timer.tick`, `http.request`, `kafka.record`,
 * `flowfn.invoke`. Created by the platform (or {@link TestEvent} in tests); read-only.
 */
class Event {
  /**
   * @param {object} a
   * @param {string} a.id identifies the event; stable across redeliveries of the same source event
   * @param {string} a.source where the event came from, as a URI reference such as `kafka://words/0`
   * @param {string} a.type
   * @param {string|null} [a.subject] what the event is about (object key, device id, record key)
   * @param {Date} a.time
   * @param {string|null} [a.dataContentType] media type of `data`, such as `application/json`
   * @param {Buffer} [a.data] the payload; empty when the event carries none
   * @param {Object<string,string>} [a.extensions] CloudEvents extension attributes
   * @param {boolean} [a.sourceIdentity] whether `id` comes from the source itself (so stable across redeliveries)
   */
  constructor({ id, source, type, subject = null, time, dataContentType = null, data = Buffer.alloc(0), extensions = {}, sourceIdentity = false }) {
    if (!(time instanceof Date) || Number.isNaN(time.getTime())) {
      throw new TypeError(`event time must be a valid Date, got ${describe(time)}`);
    }
    if (!Buffer.isBuffer(data)) throw new TypeError(`event data must be a Buffer, got ${describe(data)}`);
    /** @type {string} */ this.id = requireString(id, 'event id');
    /** @type {string} */ this.source = requireString(source, 'event source');
    /** @type {string} */ this.type = requireString(type, 'event type');
    /** @type {string|null} */ this.subject = optionalString(subject, 'event subject');
    /** @type {Date} */ this.time = time;
    /** @type {string|null} */ this.dataContentType = optionalString(dataContentType, 'event dataContentType');
    /** @type {Buffer} */ this.data = data;
    /** @type {Readonly<Object<string,string>>} */ this.extensions = Object.freeze({ ...extensions });
    /** @type {boolean} */ this.sourceIdentity = Boolean(sourceIdentity);
    Object.freeze(this);
  }

  /** @returns {string} the payload decoded as UTF-8 */
  text() {
    return this.data.toString('utf8');
  }

  /**
   * @returns {*} the payload parsed as JSON
   * @throws {SyntaxError} naming the event when the payload is not JSON
   */
  json() {
    try {
      return JSON.parse(this.text());
    } catch (e) {
      throw new SyntaxError(`data of event ${this.id} (${this.dataContentType || 'no content type'}) is not JSON: ${e.message}`);
    }
  }

  toString() {
    return `Event{${this.type}, id=${this.id}, subject=${this.subject}, ${this.data.length} bytes}`;
  }
}

brand(Event);

module.exports = { Event };
