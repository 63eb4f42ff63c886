package dev.flowfn.deploy.cli;

import java.io.PrintWriter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * A {@code flowfn} subcommand: it prints through picocli's writers ({@link #out()}, {@link
 * #err()}), never {@code System.out}, so a caller of {@link FlowfnCli#run} (a test, an embedding
 * tool) sees everything the command says.
 */
abstract class CliCommand {

    @Spec CommandSpec spec;

    /** The command's result: what scripts read. */
    PrintWriter out() {
        return spec.commandLine().getOut();
    }

    /** Progress, warnings and errors: what a person reads. */
    PrintWriter err() {
        return spec.commandLine().getErr();
    }
}
