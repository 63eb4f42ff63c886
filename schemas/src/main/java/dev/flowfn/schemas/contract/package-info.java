/**
 * The event contract in one place: the type names, extension names, sources and id rules every
 * producer of a Flowfn {@link dev.flowfn.schemas.Event} and the job that matches it agree on. The
 * repository's {@code CONTRACTS.md} describes the same contract for producers in other languages; a
 * name changes here and there together, never as a literal elsewhere.
 */
package dev.flowfn.schemas.contract;
