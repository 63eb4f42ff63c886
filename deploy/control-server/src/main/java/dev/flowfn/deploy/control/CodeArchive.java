package dev.flowfn.deploy.control;

import dev.flowfn.schemas.FunctionRuntime;
import dev.flowfn.schemas.FunctionSpecRules;
import dev.flowfn.schemas.InvalidSpecException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The code archive of a {@code nodejs} or {@code python} function: a zip whose top is the
 * function's folder. {@link #check} is what both the CLI (before it uploads) and the control server
 * (before it stores) require of one, so a mistake shows at deploy time and names the fix rather
 * than as a {@code CODE_LOAD} dead letter: readable, at most {@link #MAX_BYTES} zipped and {@link
 * #MAX_UNPACKED_BYTES} unpacked, every entry relative and inside the archive (so the job can unpack
 * it as it is), and the handler's file present.
 *
 * <p>Stateless; any thread.
 */
public final class CodeArchive {

    /** The largest code archive a deploy takes, zipped: 64 MiB. */
    public static final long MAX_BYTES = 64L * 1024 * 1024;

    /** The most a code archive may unpack to: 512 MiB. */
    public static final long MAX_UNPACKED_BYTES = 512L * 1024 * 1024;

    private static final int SHOWN = 8;

    /** Folders where a file named like the handler's is a library's, not the function's. */
    private static final List<String> LIBRARIES = List.of("node_modules", ".deps", "site-packages");

    /**
     * Checks the zip {@code archive} of a function of {@code runtime} whose handler is {@code
     * handler} (already checked by {@link FunctionSpecRules#handler(FunctionRuntime, String)}).
     *
     * @throws InvalidSpecException naming what is wrong and the fix
     */
    public static void check(byte[] archive, FunctionRuntime runtime, String handler) {
        check(archive, runtime, handler, MAX_UNPACKED_BYTES);
    }

    /** {@link #check} with another unpacked limit (tests). */
    static void check(byte[] archive, FunctionRuntime runtime, String handler, long maxUnpacked) {
        checkSize(archive.length);
        String file = FunctionSpecRules.handlerFile(runtime, handler);
        List<String> files = files(archive, maxUnpacked);
        if (files.contains(file)) {
            return;
        }
        throw new InvalidSpecException(missing(file, handler, files));
    }

    /**
     * @throws InvalidSpecException when {@code bytes} is over {@link #MAX_BYTES}
     */
    public static void checkSize(long bytes) {
        if (bytes > MAX_BYTES) {
            throw new InvalidSpecException(
                    "the code archive is "
                            + mib(bytes)
                            + " zipped, over the limit of "
                            + mib(MAX_BYTES)
                            + "; leave out what the function does not need at run time (npm"
                            + " install --omit=dev; no tests, caches or build output)");
        }
    }

    /** The files of the archive (not its folders), after checking every entry; in zip order. */
    private static List<String> files(byte[] archive, long maxUnpacked) {
        List<String> files = new ArrayList<>();
        long unpacked = 0;
        byte[] buffer = new byte[64 * 1024];
        try (ZipInputStream zip = new ZipInputStream(new ByteArrayInputStream(archive))) {
            for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
                String name = e.getName();
                checkEntryName(name);
                // count what it really unpacks to: the sizes in the headers are the zip's word
                for (int n = zip.read(buffer); n >= 0; n = zip.read(buffer)) {
                    unpacked += n;
                    if (unpacked > maxUnpacked) {
                        throw new InvalidSpecException(
                                "the code archive unpacks to more than "
                                        + mib(maxUnpacked)
                                        + "; leave out what the function does not need at run"
                                        + " time");
                    }
                }
                if (!e.isDirectory()) {
                    files.add(name);
                }
            }
        } catch (InvalidSpecException e) {
            throw e;
        } catch (IOException | IllegalArgumentException e) { // ZipInputStream: a malformed name
            throw new InvalidSpecException(
                    "the code archive is not a readable zip file ("
                            + e.getMessage()
                            + "); give --code the function's folder (flowfn zips it) or a .zip"
                            + " made with zip -r");
        }
        if (files.isEmpty()) {
            throw new InvalidSpecException(
                    "the code archive has no files (is it a zip?); give --code the function's"
                            + " folder (flowfn zips it) or a .zip made with zip -r");
        }
        return files;
    }

    private static void checkEntryName(String name) {
        boolean outside =
                name.isEmpty()
                        || name.startsWith("/")
                        || name.contains("\\")
                        || name.contains(":")
                        || List.of(name.split("/")).contains("..");
        if (outside) {
            throw new InvalidSpecException(
                    "the code archive has the entry '"
                            + name
                            + "', which is not a relative path inside it (absolute, '..', '\\' or"
                            + " a drive); make the zip from inside the function's folder (cd DIR"
                            + " && zip -r ../code.zip .), or give --code the folder");
        }
    }

    private static String missing(String file, String handler, List<String> files) {
        StringBuilder message =
                new StringBuilder(file)
                        .append(" is not in the code archive, so handler '")
                        .append(handler)
                        .append("' cannot load; ");
        // the usual mistake: a zip of the folder (myfn/index.js) rather than of its contents
        String nested =
                files.stream()
                        .filter(f -> f.endsWith("/" + file))
                        .filter(f -> f.indexOf('/') == f.length() - file.length() - 1)
                        .filter(f -> !LIBRARIES.contains(f.substring(0, f.indexOf('/'))))
                        .findFirst()
                        .orElse(null);
        if (nested != null) {
            String folder = nested.substring(0, nested.length() - file.length() - 1);
            return message.append("the archive has ")
                    .append(nested)
                    .append(": zip the folder's contents, not the folder (cd ")
                    .append(folder)
                    .append(" && zip -r ../code.zip .), or give --code the folder")
                    .toString();
        }
        TreeSet<String> top = new TreeSet<>();
        for (String f : files) {
            int slash = f.indexOf('/');
            top.add(slash < 0 ? f : f.substring(0, slash + 1));
        }
        String shown =
                String.join(", ", top.stream().limit(SHOWN).toList())
                        + (top.size() > SHOWN ? ", ..." : "");
        return message.append("check --handler (FILE.EXPORT or module.function names ")
                .append(file)
                .append(") or the code you gave (its top has: ")
                .append(shown)
                .append(")")
                .toString();
    }

    /** e.g. {@code 64 MiB}, {@code 70.3 MiB}. */
    static String mib(long bytes) {
        double mib = bytes / (1024.0 * 1024.0);
        return mib == Math.rint(mib)
                ? String.format(Locale.ROOT, "%d MiB", (long) mib)
                : String.format(Locale.ROOT, "%.1f MiB", mib);
    }

    private CodeArchive() {}
}
