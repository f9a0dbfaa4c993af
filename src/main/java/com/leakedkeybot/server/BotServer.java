package com.leakedkeybot.server;

import com.slack.api.bolt.App;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import jakarta.servlet.http.HttpServlet;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.SizeLimitHandler;

/**
 * Jetty 12 serving {@code GET /health} and, in HTTP mode, {@code POST /slack/events} (Bolt). In Socket Mode Slack's
 * traffic arrives over the WebSocket, and only the health check is served.
 *
 * <p>Every request is size-limited before anything reads it, so no request thread can be made to allocate without
 * bound (Bolt reads the whole body into one string before the signature is checked).
 */
public final class BotServer implements AutoCloseable {

    public static final String EVENTS_PATH = "/slack/events";
    public static final String HEALTH_PATH = "/health";

    /**
     * Largest request body, on every route; larger ones are answered 413 unread: by their Content-Length, or, when
     * chunked, as soon as what was read passes it. Slack's requests are small: a slash command is a dozen form fields,
     * and a click carries the clicked message, which for the bot's step messages (the only ones with buttons) is at
     * most about 12,000 characters (three text blocks of 3,000, the 2,000-character button value twice): 36 KB even
     * if form encoding turned every character into three bytes.
     */
    private static final int MAX_REQUEST_BODY = 64 * 1024;
    /** Request line and headers together (Jetty's default, made explicit): Slack sends a few short ones; else 431. */
    private static final int MAX_REQUEST_HEADERS = 8 * 1024;
    /** Form fields Jetty parses if a servlet asks for parameters (ours do not): Slack's forms have about a dozen. */
    private static final int MAX_FORM_KEYS = 100;

    private final Server server;
    private final ServerConnector connector;
    private final ServletContextHandler context;

    /** @param events the app answering Slack's HTTP requests; empty in Socket Mode */
    public BotServer(Optional<App> events, String bindAddress, int port) {
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setRequestHeaderSize(MAX_REQUEST_HEADERS);
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost(bindAddress);
        connector.setPort(port);
        server.addConnector(connector);
        context = new ServletContextHandler();
        context.setMaxFormContentSize(MAX_REQUEST_BODY);
        context.setMaxFormKeys(MAX_FORM_KEYS);
        events.ifPresent(app -> context.addServlet(new ServletHolder(new SlackAppServlet(app)), EVENTS_PATH));
        context.addServlet(new ServletHolder(new HealthServlet()), HEALTH_PATH);
        SizeLimitHandler limits = new SizeLimitHandler(MAX_REQUEST_BODY, -1); // responses are the bot's own
        limits.setHandler(context);
        server.setHandler(limits);
    }

    /** Serves one more route, behind the same size limits; before {@link #start}. */
    public void serve(String path, HttpServlet servlet) {
        context.addServlet(new ServletHolder(servlet), path);
    }

    public void start() throws Exception {
        server.start();
    }

    /** The bound port (useful when started on port 0). */
    public int port() {
        return connector.getLocalPort();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
