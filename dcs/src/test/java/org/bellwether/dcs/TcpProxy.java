package org.bellwether.dcs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP forwarder on 127.0.0.1 between one DCS client and one server, so that a test can cut or degrade that one link
 * while the server keeps serving everybody else.
 *
 * <ul>
 *   <li>{@link Mode#OPEN}: bytes flow both ways;
 *   <li>{@link Mode#SILENT}: a partition: connections stay open but every byte is dropped, both ways, and new
 *       connections are accepted and left hanging, so the client sees timeouts, not errors;
 *   <li>{@link Mode#DROP_REPLIES}: requests reach the server, its answers are dropped: writes are applied and the
 *       client cannot know.
 * </ul>
 *
 * Going back to {@code OPEN} closes every connection that lost bytes (its stream is out of step), so clients
 * reconnect at once, as after a partition long enough for TCP to give up.
 */
public final class TcpProxy implements AutoCloseable {
    public enum Mode {
        OPEN,
        SILENT,
        DROP_REPLIES
    }

    private static final AtomicInteger THREADS = new AtomicInteger();

    private final ServerSocket listener;
    private final InetSocketAddress target;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private volatile Mode mode = Mode.OPEN;
    private volatile boolean closed;

    private TcpProxy(InetSocketAddress target) throws IOException {
        this.target = target;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        daemon("tcp-proxy-accept-" + listener.getLocalPort(), this::acceptLoop).start();
    }

    /** A proxy on a free loopback port forwarding to {@code hostPort} ({@code 127.0.0.1:2181}). */
    public static TcpProxy to(String hostPort) {
        int colon = hostPort.lastIndexOf(':');
        try {
            return new TcpProxy(new InetSocketAddress(
                    hostPort.substring(0, colon), Integer.parseInt(hostPort.substring(colon + 1))));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a proxy to " + hostPort, e);
        }
    }

    /** {@code 127.0.0.1:<port>}, the address clients should use instead of the server's. */
    public String address() {
        return "127.0.0.1:" + listener.getLocalPort();
    }

    public synchronized void mode(Mode next) {
        mode = next;
        for (Link link : links) {
            if (next == Mode.OPEN) {
                if (link.tainted) {
                    link.close();
                }
            } else {
                link.tainted = true;
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException e) {
            // closing anyway
        }
        links.forEach(Link::close);
    }

    private void acceptLoop() {
        while (!closed) {
            try {
                Socket client = listener.accept();
                Link link = new Link(client);
                synchronized (this) {
                    link.tainted = mode != Mode.OPEN;
                    links.add(link);
                }
                link.start(mode != Mode.SILENT);
            } catch (IOException e) {
                if (!closed) {
                    sleep(10);
                }
            }
        }
    }

    /** One client connection and its connection to the server (none while it was accepted during a partition). */
    private final class Link {
        private final Socket client;
        private volatile Socket server;
        private volatile boolean tainted;

        Link(Socket client) {
            this.client = client;
        }

        void start(boolean connect) {
            if (connect) {
                try {
                    Socket s = new Socket();
                    s.connect(target, 1000);
                    s.setTcpNoDelay(true);
                    server = s;
                } catch (IOException e) {
                    close(); // the server is down: the client sees its connection closed, as it would without us
                    return;
                }
                daemon("tcp-proxy-down", () -> pump(server, client, false)).start();
            }
            daemon("tcp-proxy-up", () -> pump(client, server, true)).start();
        }

        private void pump(Socket from, Socket to, boolean request) {
            byte[] buffer = new byte[16 * 1024];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    int n = in.read(buffer);
                    if (n < 0) {
                        break;
                    }
                    Mode now = mode;
                    boolean forward = now == Mode.OPEN || (request && now == Mode.DROP_REPLIES);
                    Socket target = request ? server : to;
                    if (forward && target != null) {
                        OutputStream out = target.getOutputStream();
                        out.write(buffer, 0, n);
                        out.flush();
                    } else {
                        tainted = true;
                    }
                }
            } catch (IOException e) {
                // either side went away
            }
            close();
        }

        void close() {
            links.remove(this);
            closeQuietly(client);
            closeQuietly(server);
        }
    }

    private static void closeQuietly(Socket socket) {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // closing anyway
            }
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name + "-" + THREADS.incrementAndGet());
        t.setDaemon(true);
        return t;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
