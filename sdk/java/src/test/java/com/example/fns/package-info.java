/**
 * Handlers as a user writes them, for the worker's tests: the tests put their classes in jars at
 * test time and load them the way the worker loads a deployed function, so the class-loader
 * isolation is tested for real. Outside {@code dev.flowfn.worker} on purpose.
 */
package com.example.fns;
