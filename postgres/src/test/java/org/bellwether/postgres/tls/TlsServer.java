package org.bellwether.postgres.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import org.bellwether.config.PemFiles;

/**
 * A TLS server on 127.0.0.1 for one handshake at a time, standing in for PostgreSQL's: it presents {@code cert}, asks
 * for a client certificate signed by {@code clientAuthority}, and tells whose certificate it got.
 */
final class TlsServer implements AutoCloseable {
    private final SSLServerSocket socket;

    TlsServer(Path cert, Path key, Path clientAuthority) throws GeneralSecurityException, IOException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(
                PemFiles.keyManagers(cert, Optional.of(key), Optional.empty()),
                PemFiles.trustManagers(clientAuthority),
                null);
        socket = (SSLServerSocket)
                context.getServerSocketFactory().createServerSocket(0, 5, InetAddress.getLoopbackAddress());
        socket.setWantClientAuth(true);
    }

    int port() {
        return socket.getLocalPort();
    }

    /** Accepts the next connection and completes with the client certificate's subject, or "none". */
    CompletableFuture<String> acceptOne() {
        // A thread of its own: the common pool may have a single thread on a small machine, busy elsewhere.
        return CompletableFuture.supplyAsync(
                () -> {
                    try (SSLSocket s = (SSLSocket) socket.accept()) {
                        s.setSoTimeout(10_000);
                        s.startHandshake();
                        try {
                            return s.getSession().getPeerPrincipal().getName();
                        } catch (SSLPeerUnverifiedException e) {
                            return "none";
                        }
                    } catch (IOException e) {
                        return "failed: " + e.getMessage();
                    }
                },
                task -> new Thread(task, "tls-server").start());
    }

    static String await(CompletableFuture<String> seen) throws Exception {
        return seen.get(20, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
