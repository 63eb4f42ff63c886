package dev.flowfn.deploy.control.testfn;

/** A class in a jar that does not implement the Handler interface. */
public final class NotAHandler {}
