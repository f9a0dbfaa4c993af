package com.leakedkeybot.server;

import com.slack.api.bolt.App;
import com.slack.api.bolt.jakarta_servlet.SlackAppServlet;
import java.util.Optional;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * Jetty 12 serving {@code GET /health} and, in HTTP mode, {@code POST /slack/events} (Bolt). In Socket Mode Slack's
 * traffic arrives over the WebSocket, and only the health check is served.
 */
public final class BotServer implements AutoCloseable {

    public static final String EVENTS_PATH = "/slack/events";
    public static final String HEALTH_PATH = "/health";

    private final Server server;
    private final ServerConnector connector;

    /** @param events the app answering Slack's HTTP requests; empty in Socket Mode */
    public BotServer(Optional<App> events, String bindAddress, int port) {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost(bindAddress);
        connector.setPort(port);
        server.addConnector(connector);
        ServletContextHandler context = new ServletContextHandler();
        events.ifPresent(app -> context.addServlet(new ServletHolder(new SlackAppServlet(app)), EVENTS_PATH));
        context.addServlet(new ServletHolder(new HealthServlet()), HEALTH_PATH);
        server.setHandler(context);
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
