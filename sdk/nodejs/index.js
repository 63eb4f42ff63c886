'use strict';
/**
 * The Flowfn SDK for Node.js: the model a handler sees (`Event`, `Context`), what it returns
 * (`Result`) and emits (`OutgoingEvent`), and the test kit (`testing`).
 *
 * @example
 * const { Result, OutgoingEvent } = require('@flowfn/sdk');
 * exports.handler = async (event, context) => {
 *   context.logger.info('got', event.subject);
 *   context.emit(OutgoingEvent.json('word.counted', event.subject, { n: 1 }));
 *   return Result.json({ ok: true });
 * };
 * @module @flowfn/sdk
 */
const { Event } = require('./lib/event');
const { Context } = require('./lib/context');
const { Result, toResult } = require('./lib/result');
const { OutgoingEvent } = require('./lib/outgoing-event');

module.exports = {
  Event,
  Context,
  Result,
  OutgoingEvent,
  toResult,
  get testing() {
    return require('./lib/testing');
  },
  version: require('./package.json').version,
};
