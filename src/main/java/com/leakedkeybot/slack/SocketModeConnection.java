package com.leakedkeybot.slack;

import com.slack.api.bolt.App;
import com.slack.api.bolt.socket_mode.SocketModeApp;
import com.slack.api.socket_mode.SocketModeClient;

/**
 * Slack's traffic over Socket Mode, for deployments without a public URL: Bolt opens a WebSocket with
 * {@code apps.connections.open} (app-level token, scope {@code connections:write}), acknowledges each envelope on it,
 * and opens a new connection when one drops or Slack asks it to move.
 */
public final class SocketModeConnection implements AutoCloseable {

    private final SocketModeApp socketMode;

    private SocketModeConnection(SocketModeApp socketMode) {
        this.socketMode = socketMode;
    }

    /** Connects and returns; Bolt's own threads handle envelopes and reconnection from then on. */
    public static SocketModeConnection open(String appToken, App app) throws Exception {
        SocketModeApp socketMode = new SocketModeApp(appToken, SocketModeClient.Backend.JavaWebSocket, app);
        socketMode.startAsync();
        return new SocketModeConnection(socketMode);
    }

    @Override
    public void close() throws Exception {
        socketMode.close();
    }
}
