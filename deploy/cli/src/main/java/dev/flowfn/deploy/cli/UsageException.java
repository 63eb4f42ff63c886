package dev.flowfn.deploy.cli;

/**
 * A bad or missing option value found after parsing: reported as {@code error: <message>} with exit
 * code 2 (bad usage), without picocli's whole usage text.
 */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
