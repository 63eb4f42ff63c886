package dev.flowfn.deploy.control;

import dev.flowfn.deploy.control.api.AlertView;
import dev.flowfn.deploy.control.api.AliasView;
import dev.flowfn.deploy.control.api.FunctionSummary;
import dev.flowfn.deploy.control.api.FunctionView;
import dev.flowfn.deploy.control.api.KeyEntry;
import dev.flowfn.deploy.control.api.ResultView;
import dev.flowfn.schemas.Alert;
import dev.flowfn.schemas.Alias;
import dev.flowfn.schemas.FunctionKey;
import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.FunctionVersions;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Trigger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeMap;

/** The API's views ({@code dev.flowfn.deploy.control.api} records) of the platform's records. */
final class SpecJson {

    /** The function as list and describe show it (no schemas, warnings or progress). */
    static FunctionView spec(FunctionSpec s) {
        return new FunctionView(
                s.getName(),
                s.getVersion(),
                s.getRuntime(),
                s.getHandler(),
                s.getMemoryMb(),
                human(Duration.ofMillis(s.getTimeoutMs())),
                s.getMaxConcurrency(),
                s.getRetry().getMaxAttempts() - 1,
                s.getTriggers().stream().map(Trigger::getText).toList(),
                // names only: values may be credentials
                new ArrayList<>(new TreeMap<>(s.getEnv()).keySet()),
                s.getAlerts(),
                s.getAlertWebhook(),
                s.getOutputs(),
                s.getCodeUri(),
                s.getCodeSha256(),
                s.getDeployedAt().toString(),
                null,
                null,
                null,
                aliases(s),
                FunctionVersions.keptNumbers(s));
    }

    /** The function as {@code flowfn list} shows it: a row of its table. */
    static FunctionSummary summary(FunctionSpec s) {
        return new FunctionSummary(
                s.getName(),
                s.getVersion(),
                s.getMemoryMb(),
                human(Duration.ofMillis(s.getTimeoutMs())),
                s.getHandler(),
                s.getTriggers().stream().map(Trigger::getText).toList());
    }

    static List<AliasView> aliases(FunctionSpec head) {
        return head.getAliases().stream().map(SpecJson::alias).toList();
    }

    static AliasView alias(Alias a) {
        return new AliasView(
                a.getName(),
                a.getVersion(),
                a.getCanaryVersion(),
                a.getCanaryWeight(),
                a.getRollbackOn(),
                a.getPreviousVersion(),
                a.getMovedAt().toString());
    }

    static ResultView result(InvocationResult r) {
        String type = r.getContentType();
        byte[] data = bytes(r.getData());
        boolean text = isText(type);
        boolean failed = !r.getSuccess();
        return new ResultView(
                r.getInvocationId(),
                r.getFunction(),
                r.getVersion(),
                r.getSuccess(),
                text ? new String(data, StandardCharsets.UTF_8) : null,
                text ? null : Base64.getEncoder().encodeToString(data),
                type,
                failed ? String.valueOf(r.getFailureKind()) : null,
                failed ? r.getError() : null,
                r.getStatus(),
                r.getAttempts(),
                r.getDurationMicros() / 1000.0);
    }

    static KeyEntry key(FunctionKey k) {
        return new KeyEntry(k.getKeyId(), k.getFunction(), k.getCreatedAt().toString());
    }

    static AlertView alert(Alert a) {
        return new AlertView(
                a.getFunction(),
                a.getVersion(),
                a.getRule(),
                a.getState().toString(),
                a.getValue(),
                a.getWindowStart().toString(),
                a.getWindowEnd().toString());
    }

    static boolean isText(String contentType) {
        if (contentType == null) {
            return true;
        }
        String t = contentType.toLowerCase();
        return t.startsWith("text/")
                || t.contains("json")
                || t.contains("xml")
                || t.contains("yaml")
                || t.startsWith("application/x-www-form-urlencoded");
    }

    static String human(Duration d) {
        if (d.toMillis() % 3_600_000 == 0) {
            return d.toHours() + "h";
        }
        if (d.toMillis() % 60_000 == 0) {
            return d.toMinutes() + "m";
        }
        if (d.toMillis() % 1000 == 0) {
            return d.toSeconds() + "s";
        }
        return d.toMillis() + "ms";
    }

    private static byte[] bytes(ByteBuffer b) {
        ByteBuffer d = b.duplicate();
        byte[] out = new byte[d.remaining()];
        d.get(out);
        return out;
    }

    private SpecJson() {}
}
