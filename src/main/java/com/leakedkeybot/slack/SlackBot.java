package com.leakedkeybot.slack;

import com.leakedkeybot.config.Settings;
import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.bolt.App;
import com.slack.api.bolt.AppConfig;
import com.slack.api.bolt.middleware.builtin.SingleTeamAuthorization;
import java.time.Clock;
import java.util.List;

/** Builds the Bolt app: our strict signature check first, then Bolt's single-workspace authorization. */
public final class SlackBot {

    private SlackBot() {
    }

    /** One Slack instance per app: each instance owns HTTP client threads. */
    public static Slack slackFor(Settings settings) {
        SlackConfig config = new SlackConfig();
        config.setMethodsEndpointUrlPrefix(settings.slackApiUrl().toString());
        return Slack.getInstance(config);
    }

    public static App build(Settings settings, Slack slack, LeakedKeyCommand command, List<ButtonClick> clicks,
                            Clock clock) {
        AppConfig config = AppConfig.builder()
                .singleTeamBotToken(settings.botToken())
                .signingSecret(settings.signingSecret())
                .requestVerificationEnabled(false) // replaced by StrictRequestVerification
                .slack(slack)
                .build();
        App app = new App(config, slack, List.of(
                new StrictRequestVerification(new SlackRequestSignature(settings.signingSecret()),
                        new SeenSignatures(SeenSignatures.CAPACITY, clock), clock),
                new SingleTeamAuthorization(config, null)));
        app.command(LeakedKeyCommand.COMMAND, command);
        clicks.forEach(click -> app.blockAction(click.actionIds(), click));
        return app;
    }
}
