/**
 * The records the control server's REST API exchanges, mapped by Jackson. The server writes its
 * answers from them and {@link dev.flowfn.deploy.control.client.ControlClient} reads them, so both
 * sides agree on one shape. Every record ignores fields it does not know, so an older client reads
 * a newer server's answers.
 */
package dev.flowfn.deploy.control.api;
