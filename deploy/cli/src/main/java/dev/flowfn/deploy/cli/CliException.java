package dev.flowfn.deploy.cli;

/** A failure the CLI reports as {@code error: <message>} and exit code 1. */
public final class CliException extends RuntimeException {
    CliException(String message) {
        super(message);
    }
}
