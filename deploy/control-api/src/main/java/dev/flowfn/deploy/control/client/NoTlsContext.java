package dev.flowfn.deploy.control.client;

import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * The TLS context of an {@code http://} server: none. {@link java.net.http.HttpClient} builds the
 * default {@link SSLContext} when it is given none, even if it never speaks TLS, and that set-up
 * (security providers, the CA trust store, cipher suites) was about a third of a short CLI
 * command's time. Any use of this context fails, naming the cause.
 */
final class NoTlsContext {

    /** Given with {@link #CONTEXT}, so the client does not ask the context for its defaults. */
    static SSLParameters parameters() {
        return new SSLParameters();
    }

    static final SSLContext CONTEXT =
            new SSLContext(
                    new Refusing(), new Provider("flowfn-no-tls", "1", "no TLS") {}, "none") {};

    private static final class Refusing extends SSLContextSpi {
        private static IllegalStateException refused() {
            return new IllegalStateException(
                    "TLS was not set up: the control server URL starts with http://");
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom random) {
            throw refused();
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            throw refused();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            throw refused();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            throw refused();
        }
    }

    private NoTlsContext() {}
}
