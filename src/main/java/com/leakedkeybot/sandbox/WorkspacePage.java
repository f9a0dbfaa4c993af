package com.leakedkeybot.sandbox;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The workspace page on 127.0.0.1: static HTML, script and style from the jar, and a small JSON API the script calls
 * to read the channel and to act as one of the drill's people. The API takes JSON only and checks the Host header, so
 * that another site open in the same browser can neither post to it nor reach it through DNS rebinding.
 */
final class WorkspacePage implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(WorkspacePage.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> FILES = Map.of(
            "/", "index.html", "/workspace.js", "workspace.js", "/workspace.css", "workspace.css");
    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8", "js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8");

    private final Server server;
    private final ServerConnector connector;

    private WorkspacePage(Server server, ServerConnector connector) {
        this.server = server;
        this.connector = connector;
    }

    static WorkspacePage start(int port, Sandbox sandbox) throws Exception {
        Server server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(port);
        server.addConnector(connector);
        server.setHandler(new Api(sandbox));
        try {
            server.start();
        } catch (Exception e) {
            server.stop();
            throw e;
        }
        return new WorkspacePage(server, connector);
    }

    URI url() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    @Override
    public void close() {
        try {
            server.stop();
        } catch (Exception e) {
            LOG.warn("The workspace page did not stop cleanly: {}", e.toString());
        }
    }

    private static final class Api extends Handler.Abstract {
        private final Sandbox sandbox;

        Api(Sandbox sandbox) {
            this.sandbox = sandbox;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String path = Request.getPathInContext(request);
            String host = String.valueOf(request.getHeaders().get(HttpHeader.HOST));
            if (!host.startsWith("127.0.0.1:") && !host.startsWith("localhost:")) {
                return answer(response, callback, HttpStatus.MISDIRECTED_REQUEST_421, "text/plain", "Wrong host");
            }
            if (request.getMethod().equals("GET") && FILES.containsKey(path)) {
                return file(response, callback, FILES.get(path));
            }
            if (request.getMethod().equals("GET") && path.equals("/api/view")) {
                String person = Optional.ofNullable(Request.extractQueryParameters(request).getValue("as"))
                        .orElse(People.RILEY.id());
                return json(response, callback, JSON.writeValueAsString(sandbox.view(person)));
            }
            if (!request.getMethod().equals("POST") || !path.startsWith("/api/")) {
                return answer(response, callback, HttpStatus.NOT_FOUND_404, "text/plain", "Not found");
            }
            if (!String.valueOf(request.getHeaders().get(HttpHeader.CONTENT_TYPE)).startsWith("application/json")) {
                return answer(response, callback, HttpStatus.UNSUPPORTED_MEDIA_TYPE_415, "text/plain", "JSON only");
            }
            JsonNode body = JSON.readTree(Content.Source.asString(request, StandardCharsets.UTF_8));
            try {
                switch (path) {
                    case "/api/message" -> sandbox.send(body.path("as").asText(), body.path("text").asText());
                    case "/api/click" -> sandbox.click(body.path("as").asText(), body);
                    case "/api/reset" -> sandbox.reset(Scenario.named(body.path("scenario").asText())
                            .orElseThrow(() -> new IllegalArgumentException("no such scenario")));
                    default -> {
                        return answer(response, callback, HttpStatus.NOT_FOUND_404, "text/plain", "Not found");
                    }
                }
            } catch (IllegalArgumentException e) {
                return answer(response, callback, HttpStatus.BAD_REQUEST_400, "text/plain", e.getMessage());
            } catch (IllegalStateException e) {
                return answer(response, callback, HttpStatus.CONFLICT_409, "text/plain", e.getMessage());
            }
            return json(response, callback, "{\"ok\":true}");
        }

        private static boolean file(Response response, Callback callback, String name) throws IOException {
            try (InputStream in = WorkspacePage.class.getResourceAsStream("/sandbox/page/" + name)) {
                response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                String type = TYPES.get(name.substring(name.lastIndexOf('.') + 1));
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
                response.write(true, ByteBuffer.wrap(in.readAllBytes()), callback);
                return true;
            }
        }

        private static boolean json(Response response, Callback callback, String body) {
            return answer(response, callback, HttpStatus.OK_200, "application/json", body);
        }

        private static boolean answer(Response response, Callback callback, int status, String type, String body) {
            response.setStatus(status);
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type + "; charset=utf-8");
            Content.Sink.write(response, true, body, callback);
            return true;
        }
    }
}
