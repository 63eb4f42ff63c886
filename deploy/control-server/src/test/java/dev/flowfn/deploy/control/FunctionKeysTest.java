package dev.flowfn.deploy.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.flowfn.schemas.FunctionKey;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class FunctionKeysTest {

    private static final Instant NOW = Instant.parse("2026-03-01T10:15:30Z");

    private final InMemoryTable<FunctionKey> table = new InMemoryTable<>();
    private final FunctionKeys keys = new FunctionKeys(table, Clock.fixed(NOW, ZoneOffset.UTC));

    @Test
    void aCreatedKeyVerifiesForItsFunctionOnly() throws Exception {
        FunctionKeyStore.Created key = keys.create("upper");

        assertThat(key.key()).matches("ffk_[0-9a-f]{16}_[0-9a-f]{48}");
        assertThat(key.key()).startsWith("ffk_" + key.keyId() + "_");
        assertThat(keys.verify("upper", key.key())).isTrue();
        assertThat(keys.verify("lower", key.key())).isFalse();
    }

    @Test
    void onlyTheHashIsStoredNeverTheKey() throws Exception {
        FunctionKeyStore.Created key = keys.create("upper");

        FunctionKey stored = table.get(key.keyId()).orElseThrow();
        assertThat(stored.getFunction()).isEqualTo("upper");
        assertThat(stored.getCreatedAt()).isEqualTo(NOW);
        assertThat(stored.getSha256()).isEqualTo(FunctionKeys.sha256(key.key()));
        assertThat(stored.toString()).doesNotContain(key.key().substring(21));
        assertThat(key.toString()).doesNotContain(key.key());
    }

    @Test
    void aKeyWithAnotherSecretOrNoShapeDoesNotVerify() throws Exception {
        FunctionKeyStore.Created key = keys.create("upper");
        String tampered =
                key.key().substring(0, key.key().length() - 1)
                        + (key.key().endsWith("0") ? "1" : "0");

        assertThat(keys.verify("upper", tampered)).isFalse();
        assertThat(keys.verify("upper", null)).isFalse();
        assertThat(keys.verify("upper", "")).isFalse();
        assertThat(keys.verify("upper", "Bearer " + key.key())).isFalse();
        assertThat(keys.verify("upper", "ffk_" + key.keyId())).isFalse();
        assertThat(keys.verify("upper", "ffk_unknown_secret")).isFalse();
    }

    @Test
    void theKeyIdIsBetweenThePrefixAndTheSecret() {
        assertThat(FunctionKeys.keyId("ffk_abc_def")).contains("abc");
        assertThat(FunctionKeys.keyId("ffk__def")).contains("");
        assertThat(FunctionKeys.keyId("ffk_abc")).isEmpty();
        assertThat(FunctionKeys.keyId("xyz_abc_def")).isEmpty();
        assertThat(FunctionKeys.keyId(null)).isEmpty();
    }

    @Test
    void aRevokedKeyNoLongerVerifies() throws Exception {
        FunctionKeyStore.Created key = keys.create("upper");

        keys.revoke(key.keyId());

        assertThat(keys.verify("upper", key.key())).isFalse();
        assertThat(keys.get(key.keyId())).isEmpty();
    }

    @Test
    void listShowsTheKeysOfOneFunction() throws Exception {
        FunctionKeyStore.Created a = keys.create("upper");
        FunctionKeyStore.Created b = keys.create("upper");
        keys.create("lower");

        assertThat(keys.list("upper"))
                .extracting(FunctionKey::getKeyId)
                .containsExactlyInAnyOrder(a.keyId(), b.keyId());
        assertThat(keys.list("none")).isEmpty();
        assertThat(a.keyId()).isNotEqualTo(b.keyId());
    }
}
