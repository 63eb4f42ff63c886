package dev.flowfn.deploy.control;

import dev.flowfn.schemas.FunctionSpec;
import dev.flowfn.schemas.InvocationResult;
import dev.flowfn.schemas.Trigger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/** The API's JSON shapes of specs and results, as plain maps for Jackson. */
final class SpecJson {

    static Map<String, Object> spec(FunctionSpec s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.getName());
        m.put("version", s.getVersion());
        m.put("runtime", s.getRuntime());
        m.put("handler", s.getHandler());
        m.put("memoryMb", s.getMemoryMb());
        m.put("timeout", human(Duration.ofMillis(s.getTimeoutMs())));
        m.put("concurrency", s.getMaxConcurrency());
        m.put("retries", s.getRetry().getMaxAttempts() - 1);
        m.put("triggers", s.getTriggers().stream().map(Trigger::getText).toList());
        m.put("env", new TreeMap<>(s.getEnv()).keySet()); // names only: values may be credentials
        m.put("alerts", s.getAlerts());
        m.put("alertWebhook", s.getAlertWebhook());
        m.put("outputs", s.getOutputs());
        m.put("codeUri", s.getCodeUri());
        m.put("codeSha256", s.getCodeSha256());
        m.put("deployedAt", s.getDeployedAt().toString());
        return m;
    }

    static Map<String, Object> result(InvocationResult r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("invocationId", r.getInvocationId());
        m.put("function", r.getFunction());
        m.put("version", r.getVersion());
        m.put("success", r.getSuccess());
        String type = r.getContentType();
        byte[] data = bytes(r.getData());
        if (isText(type)) {
            m.put("data", new String(data, StandardCharsets.UTF_8));
        } else {
            m.put("dataBase64", Base64.getEncoder().encodeToString(data));
        }
        m.put("contentType", type);
        if (!r.getSuccess()) {
            m.put("failureKind", String.valueOf(r.getFailureKind()));
            m.put("error", r.getError());
        }
        m.put("status", r.getStatus());
        m.put("attempts", r.getAttempts());
        m.put("durationMs", r.getDurationMicros() / 1000.0);
        return m;
    }

    static Map<String, Object> key(dev.flowfn.schemas.FunctionKey k) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("keyId", k.getKeyId());
        m.put("function", k.getFunction());
        m.put("createdAt", k.getCreatedAt().toString());
        return m;
    }

    static Map<String, Object> alert(dev.flowfn.schemas.Alert a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("function", a.getFunction());
        m.put("version", a.getVersion());
        m.put("rule", a.getRule());
        m.put("state", a.getState().toString());
        m.put("value", a.getValue());
        m.put("windowStart", a.getWindowStart().toString());
        m.put("windowEnd", a.getWindowEnd().toString());
        return m;
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
