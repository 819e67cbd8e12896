package org.bellwether.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class TcpProxyTest {
    private ServerSocket echo;
    private TcpProxy proxy;

    @BeforeEach
    void start() throws IOException {
        echo = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread server = new Thread(this::serveEcho, "echo");
        server.setDaemon(true);
        server.start();
        proxy = TcpProxy.start("echo", echo.getLocalPort());
    }

    @AfterEach
    void stop() throws IOException {
        proxy.close();
        echo.close();
    }

    @Test
    void forwardingProxy_passesBytesBothWays() throws IOException {
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "hello")).isEqualTo("hello");
        }
    }

    @Test
    void cut_refusesNewConnectionsAndResetsOpenOnes_restoreForwardsAgain() throws IOException {
        Socket open = connect();
        assertThat(roundTrip(open, "before")).isEqualTo("before");

        proxy.cut();

        assertThatThrownBy(this::connect).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> {
                    open.getOutputStream().write('x');
                    open.getOutputStream().flush();
                    if (open.getInputStream().read() < 0) {
                        throw new IOException("closed");
                    }
                })
                .isInstanceOf(IOException.class);
        open.close();

        proxy.restore();
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "after")).isEqualTo("after");
        }
    }

    @Test
    void blackhole_acceptsButAnswersNothing_restoreClosesStalledConnections() throws IOException {
        Socket open = connect();
        assertThat(roundTrip(open, "before")).isEqualTo("before");

        proxy.blackhole();

        open.setSoTimeout(300);
        assertThatThrownBy(() -> roundTrip(open, "lost")).isInstanceOf(SocketTimeoutException.class);
        try (Socket fresh = connect()) {
            fresh.setSoTimeout(300);
            assertThatThrownBy(() -> roundTrip(fresh, "lost")).isInstanceOf(SocketTimeoutException.class);
        }

        proxy.restore();
        open.setSoTimeout(2000);
        assertThatThrownBy(() -> {
                    if (open.getInputStream().read() < 0) {
                        throw new IOException("closed");
                    }
                })
                .isInstanceOf(IOException.class);
        open.close();
        try (Socket s = connect()) {
            assertThat(roundTrip(s, "after")).isEqualTo("after");
        }
    }

    private Socket connect() throws IOException {
        Socket s = new Socket(InetAddress.getLoopbackAddress(), proxy.port());
        s.setSoTimeout(2000);
        return s;
    }

    private static String roundTrip(Socket s, String text) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(text.getBytes());
        out.flush();
        InputStream in = s.getInputStream();
        byte[] buffer = new byte[text.length()];
        int read = 0;
        while (read < buffer.length) {
            int n = in.read(buffer, read, buffer.length - read);
            if (n < 0) {
                throw new IOException("closed");
            }
            read += n;
        }
        return new String(buffer);
    }

    private void serveEcho() {
        while (!echo.isClosed()) {
            try {
                Socket s = echo.accept();
                Thread t = new Thread(() -> {
                    try (s) {
                        s.getInputStream().transferTo(s.getOutputStream());
                    } catch (IOException e) {
                        // Client went away.
                    }
                });
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }
}
