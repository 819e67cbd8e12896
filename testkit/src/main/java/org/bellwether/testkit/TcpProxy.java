package org.bellwether.testkit;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A TCP forwarder on 127.0.0.1 that a test puts between two processes to break the path between them on demand: a
 * node's etcd client, a replica's WAL receiver, a peer's REST probe.
 *
 * <p>Two ways to break it, because the two look different to the client. {@link #cut()} is a path that fails fast:
 * new connections are refused and open ones are reset, as when a process dies or a firewall rejects. {@link
 * #blackhole()} is a partition: new connections are accepted and open ones stay open, but nothing passes in either
 * direction, so the client learns about it only from its own timeouts. {@link #restore()} forwards again; connections
 * that were blackholed are closed then, since bytes were dropped mid-stream.
 */
public final class TcpProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(TcpProxy.class);

    /** What the proxy does with traffic. */
    public enum State {
        FORWARDING,
        CUT,
        BLACKHOLE
    }

    private final String name;
    private final int port;
    private final int targetPort;
    private final List<Socket> open = new ArrayList<>();
    private ServerSocket listener;
    private Thread acceptor;
    private volatile State state = State.FORWARDING;
    private boolean closed;

    private TcpProxy(String name, int port, int targetPort) {
        this.name = name;
        this.port = port;
        this.targetPort = targetPort;
    }

    /** A proxy on a free loopback port forwarding to {@code 127.0.0.1:targetPort}. */
    public static TcpProxy start(String name, int targetPort) {
        TcpProxy proxy = new TcpProxy(name, FreePorts.next(), targetPort);
        proxy.listen();
        return proxy;
    }

    public int port() {
        return port;
    }

    public int targetPort() {
        return targetPort;
    }

    public State state() {
        return state;
    }

    /** Refuses new connections and resets the open ones; returns once the port refuses. */
    public void cut() {
        Thread stopping;
        synchronized (this) {
            state = State.CUT;
            stopping = acceptor;
            closeListener();
            closeOpenConnections();
        }
        // A thread blocked in accept() keeps the kernel's listening socket alive until it returns, so connections
        // can still complete for a moment after close(): the port refuses only once that thread is gone.
        awaitExit(stopping);
        LOG.info("proxy {} (:{} -> :{}) cut", name, port, targetPort);
    }

    /** Accepts connections but lets nothing through, in either direction, on new and open connections alike. */
    public synchronized void blackhole() {
        if (state == State.CUT) {
            listen();
        }
        state = State.BLACKHOLE;
        LOG.info("proxy {} (:{} -> :{}) blackholed", name, port, targetPort);
    }

    /** Forwards again. Connections opened or stalled while the path was broken are closed first. */
    public synchronized void restore() {
        if (state == State.FORWARDING) {
            return;
        }
        closeOpenConnections();
        if (listener == null) {
            listen();
        }
        state = State.FORWARDING;
        LOG.info("proxy {} (:{} -> :{}) restored", name, port, targetPort);
    }

    @Override
    public void close() {
        Thread stopping;
        synchronized (this) {
            closed = true;
            stopping = acceptor;
            closeListener();
            closeOpenConnections();
        }
        awaitExit(stopping);
    }

    private static void awaitExit(Thread thread) {
        if (thread == null) {
            return;
        }
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private synchronized void listen() {
        if (closed) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            // The port is reopened after a cut; TIME_WAIT remnants of the old connections must not block it.
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
            listener = socket;
            acceptor = daemon("proxy-" + name + "-accept", () -> accept(socket));
            acceptor.start();
        } catch (IOException e) {
            throw new UncheckedIOException("proxy " + name + ": listening on 127.0.0.1:" + port, e);
        }
    }

    private void accept(ServerSocket socket) {
        while (!socket.isClosed()) {
            Socket client;
            try {
                client = socket.accept();
            } catch (IOException e) {
                return;
            }
            if (!register(client)) {
                quietlyClose(client);
                continue;
            }
            if (state == State.BLACKHOLE) {
                // Held open and never read: the client's bytes go nowhere and no answer comes.
                continue;
            }
            connectUpstream(client);
        }
    }

    private void connectUpstream(Socket client) {
        Socket upstream = new Socket();
        try {
            upstream.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2000);
        } catch (IOException e) {
            // The target is down: the client sees what it would see without the proxy, a closed connection.
            quietlyClose(upstream);
            quietlyClose(client);
            return;
        }
        if (!register(upstream)) {
            quietlyClose(upstream);
            quietlyClose(client);
            return;
        }
        daemon("proxy-" + name + "-up", () -> pump(client, upstream)).start();
        daemon("proxy-" + name + "-down", () -> pump(upstream, client)).start();
    }

    /** Copies bytes from one socket to the other; drops them while blackholed; closes both at the end. */
    private void pump(Socket from, Socket to) {
        byte[] buffer = new byte[16 * 1024];
        try {
            InputStream in = from.getInputStream();
            OutputStream out = to.getOutputStream();
            int n;
            while ((n = in.read(buffer)) >= 0) {
                if (state == State.FORWARDING) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            }
        } catch (SocketException e) {
            // Reset or closed by the other pump or by cut(): the normal end of a connection here.
        } catch (IOException e) {
            LOG.debug("proxy {}: {}", name, e.getMessage());
        } finally {
            quietlyClose(from);
            quietlyClose(to);
            unregister(from);
            unregister(to);
        }
    }

    private synchronized boolean register(Socket socket) {
        if (closed || state == State.CUT) {
            return false;
        }
        open.add(socket);
        return true;
    }

    private synchronized void unregister(Socket socket) {
        open.remove(socket);
    }

    private synchronized void closeListener() {
        if (listener != null) {
            quietlyClose(listener);
            listener = null;
        }
    }

    /** Resets rather than closes (SO_LINGER 0), so the peer gets an error at once, as from a dead host's kernel. */
    private synchronized void closeOpenConnections() {
        for (Socket socket : List.copyOf(open)) {
            try {
                socket.setSoLinger(true, 0);
            } catch (SocketException e) {
                // Already closed.
            }
            quietlyClose(socket);
        }
        open.clear();
    }

    private static void quietlyClose(AutoCloseable c) {
        try {
            c.close();
        } catch (Exception e) {
            // Nothing left to do with it.
        }
    }

    private static Thread daemon(String name, Runnable body) {
        Thread t = new Thread(body, name);
        t.setDaemon(true);
        return t;
    }
}
