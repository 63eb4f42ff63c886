'use strict';
const { describe, toBuffer, toJson, requireString, optionalString, brand } = require('./bytes');

const TOPIC = /^[a-zA-Z0-9._-]{1,249}$/;

/**
 * An event a handler emits through `context.emit`. It goes to the platform's event topic, where it
 * can trigger other functions (chaining); or, made with {@link OutgoingEvent.record}, as a plain
 * record to a Kafka topic of the user's. Either way it is published in the invocation's
 * exactly-once transaction, only if the attempt succeeds.
 */
class OutgoingEvent {
  /** @private use the static factories */
  constructor(type, subject, data, contentType, topic, key) {
    /** @type {string} */ this.type = type;
    /** @type {string|null} */ this.subject = subject;
    /** @type {Buffer} */ this.data = data;
    /** @type {string|null} */ this.contentType = contentType;
    /** @type {string|null} the Kafka topic of a record; null for an event on the platform's event topic */ this.topic = topic;
    /** @type {string|null} the Kafka key of a record */ this.key = key;
    Object.freeze(this);
  }

  /**
   * An event for the platform's event topic.
   * @param {string} type not blank, e.g. `thumbnail.created`
   * @param {string|null} subject what it is about, or null
   * @param {Buffer|Uint8Array|string} data its payload (a string is encoded as UTF-8)
   * @param {string|null} [contentType] media type of `data`
   */
  static of(type, subject, data, contentType = null) {
    requireString(type, 'event type');
    if (!type.trim()) throw new TypeError('event type must not be blank');
    return new OutgoingEvent(
      type,
      optionalString(subject, 'event subject'),
      toBuffer(data, 'event data'),
      optionalString(contentType, 'event contentType'),
      null,
      null
    );
  }

  /** An event whose data is `value` encoded with JSON.stringify (`application/json`). */
  static json(type, subject, value) {
    return OutgoingEvent.of(type, subject, toJson(value, `data of event ${describe(type)}`), 'application/json');
  }

  /**
   * A plain record for Kafka topic `topic` (key and value as given, no event envelope). The topic
   * must exist (or the brokers create topics on first use).
   * @param {string} topic a Kafka topic name of the user's (not `flowfn.*` or `__*`)
   * @param {string|null} key
   * @param {Buffer|Uint8Array|string} value
   * @throws {TypeError} for a name Kafka refuses or a topic of the platform's own
   */
  static record(topic, key, value) {
    requireString(topic, 'topic');
    if (!TOPIC.test(topic) || topic === '.' || topic === '..') {
      throw new TypeError(`topic '${topic}' is not a valid Kafka topic name ([a-zA-Z0-9._-], at most 249, not '.' or '..')`);
    }
    if (topic.startsWith('flowfn.') || topic.startsWith('__')) {
      throw new TypeError(
        `topic '${topic}' is internal to Flowfn or Kafka; emit to a topic of your own, or use OutgoingEvent.of(...) for the event topic`
      );
    }
    return new OutgoingEvent('kafka.record', null, toBuffer(value, 'record value'), null, topic, optionalString(key, 'record key'));
  }

  /** @returns {string} the data decoded as UTF-8 */
  text() {
    return this.data.toString('utf8');
  }

  toString() {
    return `OutgoingEvent{${this.topic === null ? this.type : 'record to ' + this.topic}, subject=${this.subject}, ${this.data.length} bytes}`;
  }
}

brand(OutgoingEvent);

module.exports = { OutgoingEvent };
