package dev.flowfn.job.testfns;

/** A class that does not implement Handler. */
public class NotAHandler {
    public String handle(String in) {
        return in;
    }
}
