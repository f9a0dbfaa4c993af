package com.leakedkeybot;

import com.leakedkeybot.config.InvalidSettingException;
import com.leakedkeybot.config.Settings;
import com.leakedkeybot.sandbox.SandboxCommand;
import java.util.Arrays;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code java -jar leaked-key-bot.jar}: reads the environment, starts the server, stops cleanly on SIGTERM.
 * {@code java -jar leaked-key-bot.jar sandbox}: the sandbox instead, which reads nothing of the environment.
 */
public final class Main {

    private static final Logger LOG = LoggerFactory.getLogger(Main.class);

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        // The sandbox is its own command: the bot's normal start below never reaches it.
        if (args.length > 0 && args[0].equals("sandbox")) {
            SandboxCommand.main(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        Settings settings;
        try {
            settings = Settings.fromEnvironment(System.getenv());
        } catch (InvalidSettingException e) {
            System.err.println("Configuration error: " + e.getMessage());
            System.exit(2);
            return;
        }
        LeakedKeyBot bot = LeakedKeyBot.start(settings);
        LOG.info("Leaked Key Bot {} on {}:{} ({} approvers{})",
                settings.socketMode() ? "in Socket Mode, health check" : "listening", settings.bindAddress(), bot.port(),
                settings.approvers().size(),
                ", incident channel " + settings.incidentChannel());
        if (settings.approvers().isEmpty()) {
            LOG.warn("APPROVERS is empty: nobody can approve remediation steps");
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                bot.close();
            } catch (Exception e) {
                LOG.warn("Unclean shutdown: {}", e.toString());
            }
        }, "shutdown"));
        bot.join();
    }
}
