package com.leakedkeybot;

import com.leakedkeybot.approval.Approvers;
import com.leakedkeybot.aws.AwsClients;
import com.leakedkeybot.aws.AwsKeyInspector;
import com.leakedkeybot.aws.CloudTrailLookup;
import com.leakedkeybot.aws.EnabledRegions;
import com.leakedkeybot.aws.OwnerPolicyCollection;
import com.leakedkeybot.blastradius.BlastRadiusAnalysis;
import com.leakedkeybot.incident.IncidentInvestigation;
import com.leakedkeybot.investigation.CloudTrailInvestigation;
import com.leakedkeybot.investigation.RegionSource;
import com.leakedkeybot.aws.IamAccessKeys;
import com.leakedkeybot.aws.KeyAccountLookup;
import com.leakedkeybot.aws.KeyOwnerLookup;
import com.leakedkeybot.config.Settings;
import com.leakedkeybot.incident.CachedIncidentStore;
import com.leakedkeybot.incident.IncidentOpening;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.remediation.DeactivateKeyStep;
import com.leakedkeybot.remediation.StepApproval;
import com.leakedkeybot.server.BotServer;
import com.leakedkeybot.slack.ChannelPacer;
import com.leakedkeybot.slack.LeakedKeyCommand;
import com.leakedkeybot.slack.RateLimitRetry;
import com.leakedkeybot.slack.SlackBot;
import com.leakedkeybot.slack.SlackIncidentChannel;
import com.leakedkeybot.slack.StepButtonClick;
import com.leakedkeybot.slack.blocks.IncidentMessages;
import com.leakedkeybot.slack.blocks.InvestigationMessages;
import com.slack.api.Slack;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: wires the domain to its Slack and AWS adapters, and owns their lifecycles. */
public final class LeakedKeyBot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeakedKeyBot.class);
    private static final int WORKERS = 8;

    private final ExecutorService work;
    private final Slack slack;
    private final AwsClients aws;
    private final CloudTrailLookup cloudTrail;
    private final BotServer server;

    private LeakedKeyBot(ExecutorService work, Slack slack, AwsClients aws, CloudTrailLookup cloudTrail,
                         BotServer server) {
        this.work = work;
        this.slack = slack;
        this.aws = aws;
        this.cloudTrail = cloudTrail;
        this.server = server;
    }

    public static LeakedKeyBot start(Settings settings) throws Exception {
        Clock clock = Clock.systemUTC();
        ExecutorService work = Executors.newFixedThreadPool(WORKERS, workerThreads());
        Slack slack = SlackBot.slackFor(settings);
        AwsClients aws = AwsClients.fromDefaultChain();
        IncidentMessages messages = new IncidentMessages();
        IncidentStore store = new CachedIncidentStore(100_000);
        SlackIncidentChannel channel = new SlackIncidentChannel(slack.methods(settings.botToken()), messages,
                new InvestigationMessages(), settings.incidentChannel(), new RateLimitRetry(5, Duration.ofSeconds(30)),
                new ChannelPacer(Duration.ofSeconds(1), 3));
        IamAccessKeys keys = new IamAccessKeys(aws.iam());
        IncidentOpening opening = new IncidentOpening(store,
                new AwsKeyInspector(new KeyAccountLookup(aws.sts()), new KeyOwnerLookup(aws.iam()), keys),
                channel, clock);
        CloudTrailLookup cloudTrail = CloudTrailLookup.withDefaults();
        RegionSource regions = settings.cloudTrailRegions().isEmpty() ? new EnabledRegions(aws.ec2())
                : RegionSource.fixed(settings.cloudTrailRegions());
        IncidentInvestigation investigation = new IncidentInvestigation(store, channel,
                new OwnerPolicyCollection(aws.iam()), BlastRadiusAnalysis.standard(),
                new CloudTrailInvestigation(cloudTrail, regions), Duration.ofDays(settings.cloudTrailLookbackDays()),
                clock);
        StepApproval approval = new StepApproval(store, channel, new Approvers(settings.approvers()),
                List.of(new DeactivateKeyStep(keys)), clock);
        var app = SlackBot.build(settings, slack,
                new LeakedKeyCommand(opening, investigation, messages, work),
                new StepButtonClick(approval, channel, messages, work), clock);
        BotServer server = new BotServer(app, settings.bindAddress(), settings.port());
        server.start();
        return new LeakedKeyBot(work, slack, aws, cloudTrail, server);
    }

    public int port() {
        return server.port();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        server.close();
        work.shutdown();
        if (!work.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("Stopping with {} incident tasks still queued", work.shutdownNow().size());
        }
        cloudTrail.close();
        aws.close();
        slack.close();
    }

    private static java.util.concurrent.ThreadFactory workerThreads() {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, "incident-work-" + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> LOG.error("Incident work failed on {}", t.getName(), e));
            return thread;
        };
    }
}
