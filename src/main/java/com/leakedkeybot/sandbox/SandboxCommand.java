package com.leakedkeybot.sandbox;

import java.io.IOException;
import java.net.BindException;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

/**
 * {@code java -jar leaked-key-bot.jar sandbox [--port N] [--scenario NAME]} and {@code sandbox --list-scenarios}: a
 * whole incident in the browser, with no Slack workspace and no AWS account.
 */
public final class SandboxCommand {

    private static final String USAGE = "usage: sandbox [--port N] [--scenario NAME] | sandbox --list-scenarios";

    private SandboxCommand() {
    }

    /** Runs until Ctrl-C; the exit code on a usage error or missing moto is 2. */
    public static void main(String[] args) throws Exception {
        int port = 3000;
        String scenarioName = Scenario.ALL.get(0).name();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--list-scenarios" -> {
                    Scenario.ALL.forEach(s -> System.out.println(s.name() + " — " + s.summary()));
                    return;
                }
                case "--port" -> port = parsePort(i + 1 < args.length ? args[++i] : "");
                case "--scenario" -> scenarioName = i + 1 < args.length ? args[++i] : "";
                default -> fail(USAGE);
            }
        }
        Optional<Scenario> scenario = Scenario.named(scenarioName);
        if (scenario.isEmpty()) {
            fail("No scenario named '" + scenarioName + "': see sandbox --list-scenarios");
        }
        Sandbox sandbox;
        try {
            sandbox = Sandbox.start(port, scenario.get());
        } catch (MotoServer.Missing e) {
            fail("The sandbox needs moto: " + MotoServer.INSTALL);
            return;
        } catch (IOException e) {
            if (e.getCause() instanceof BindException) {
                fail("Port " + port + " is in use: choose another with --port N");
            }
            throw e;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            sandbox.close();
            stopped.countDown();
        }, "sandbox-shutdown"));
        System.out.println("Sandbox ready: " + sandbox.url() + " — drill " + sandbox.scenario() + ", leaked key "
                + sandbox.leakedKeyId() + " (Ctrl-C stops it)");
        stopped.await();
    }

    private static int parsePort(String text) {
        try {
            int port = Integer.parseInt(text);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // Falls through to the usage line.
        }
        fail("--port must be a TCP port number (0-65535)");
        return -1;
    }

    private static void fail(String line) {
        System.err.println(line);
        System.exit(2);
    }
}
