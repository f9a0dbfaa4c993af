package com.leakedkeybot;

import com.leakedkeybot.approval.Approvers;
import com.leakedkeybot.approval.HeldSteps;
import com.leakedkeybot.approval.StepApproval;
import com.leakedkeybot.approval.StepLease;
import com.leakedkeybot.approval.StepRecovery;
import com.leakedkeybot.approval.StepRunner;
import com.leakedkeybot.aws.AccountNames;
import com.leakedkeybot.aws.AttackerResourceRemoval;
import com.leakedkeybot.aws.AwsClients;
import com.leakedkeybot.aws.AwsKeyInspector;
import com.leakedkeybot.aws.AwsTarget;
import com.leakedkeybot.aws.CloudTrailLookup;
import com.leakedkeybot.aws.DynamoDbIncidentStore;
import com.leakedkeybot.aws.EnabledRegions;
import com.leakedkeybot.aws.IamAccessKeys;
import com.leakedkeybot.aws.IamInlinePolicies;
import com.leakedkeybot.aws.IamKeyRotation;
import com.leakedkeybot.aws.IamOldKeys;
import com.leakedkeybot.aws.IamPolicySimulation;
import com.leakedkeybot.aws.IamPolicyVersions;
import com.leakedkeybot.aws.IamRoles;
import com.leakedkeybot.aws.IamUserQuarantine;
import com.leakedkeybot.aws.IntakeQueue;
import com.leakedkeybot.aws.KeyAccountLookup;
import com.leakedkeybot.aws.KeyOwnerLookup;
import com.leakedkeybot.aws.MemberAccounts;
import com.leakedkeybot.aws.OrganizationsAccounts;
import com.leakedkeybot.aws.OwnerPolicyCollection;
import com.leakedkeybot.aws.RootSessions;
import com.leakedkeybot.aws.S3ObjectVersions;
import com.leakedkeybot.aws.SecretsManagerVault;
import com.leakedkeybot.aws.TrailLogFiles;
import com.leakedkeybot.blastradius.AccessLevels;
import com.leakedkeybot.blastradius.BlastRadiusAnalysis;
import com.leakedkeybot.blastradius.QuarantinePolicies;
import com.leakedkeybot.config.Settings;
import com.leakedkeybot.github.GitHubAlerts;
import com.leakedkeybot.github.GitHubWebhook;
import com.leakedkeybot.github.WebhookSignature;
import com.leakedkeybot.incident.CachedIncidentStore;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.intake.Intake;
import com.leakedkeybot.investigation.CloudTrailInvestigation;
import com.leakedkeybot.investigation.RegionSource;
import com.leakedkeybot.remediation.AnalysePermissionsStep;
import com.leakedkeybot.remediation.CleanUpStep;
import com.leakedkeybot.remediation.CloseIncidentStep;
import com.leakedkeybot.remediation.DeactivateKeyStep;
import com.leakedkeybot.remediation.DeleteOldKeyStep;
import com.leakedkeybot.remediation.DeleteRootKeyStep;
import com.leakedkeybot.remediation.LiftQuarantineStep;
import com.leakedkeybot.remediation.PolicyRevertPlanner;
import com.leakedkeybot.remediation.QuarantineStep;
import com.leakedkeybot.remediation.ReactivateKeyStep;
import com.leakedkeybot.remediation.RemediationStep;
import com.leakedkeybot.remediation.Responder;
import com.leakedkeybot.remediation.Responders;
import com.leakedkeybot.remediation.RestoreObjectsStep;
import com.leakedkeybot.remediation.RevertPolicyStep;
import com.leakedkeybot.remediation.RevokeRoleSessionsStep;
import com.leakedkeybot.remediation.RevokeSessionsStep;
import com.leakedkeybot.remediation.RotateKeyStep;
import com.leakedkeybot.runbook.IncidentInvestigation;
import com.leakedkeybot.runbook.IncidentOpening;
import com.leakedkeybot.runbook.IncidentTimelines;
import com.leakedkeybot.runbook.IncidentWatch;
import com.leakedkeybot.runbook.OpenIncidents;
import com.leakedkeybot.runbook.ReportLimit;
import com.leakedkeybot.runbook.Runbook;
import com.leakedkeybot.runbook.SourceMarking;
import com.leakedkeybot.server.BotServer;
import com.leakedkeybot.slack.ButtonClick;
import com.leakedkeybot.slack.ChannelPacer;
import com.leakedkeybot.slack.LeakedKeyCommand;
import com.leakedkeybot.slack.RateLimitRetry;
import com.leakedkeybot.slack.SlackBot;
import com.leakedkeybot.slack.SlackIncidentChannel;
import com.leakedkeybot.slack.SocketModeConnection;
import com.leakedkeybot.slack.blocks.IncidentMessages;
import com.leakedkeybot.slack.blocks.InvestigationMessages;
import com.leakedkeybot.state.IncidentJson;
import com.leakedkeybot.state.JournalIncidentStore;
import com.leakedkeybot.state.Retention;
import com.slack.api.Slack;
import com.slack.api.bolt.App;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The composition root: wires the domain to its Slack, AWS and state adapters, and owns their lifecycles. */
public final class LeakedKeyBot implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(LeakedKeyBot.class);
    /** Regions scanned at once; each is paced to CloudTrail's per-region rate on its own. */
    private static final int SCAN_REGIONS_AT_ONCE = 32;
    /** An app assuming a role every 15 minutes mints thousands of keys, and each costs a lookup per region. */
    private static final int DERIVED_KEYS_FOLLOWED = 100;
    /** Clicks are few and short; the bound only keeps a forged flood of them from exhausting memory. */
    private static final int CLICKS_QUEUED = 1_000;
    /** With the journal no other process writes, so cached incidents never go stale; size alone evicts them. */
    private static final Duration EXCLUSIVE_CACHE_FRESHNESS = Duration.ofDays(365);

    private final List<AutoCloseable> resources;
    private final BotServer server;

    private LeakedKeyBot(List<AutoCloseable> resources, BotServer server) {
        this.resources = resources;
        this.server = server;
    }

    /** The packaged bot: AWS is reached the SDK's own way (default credential, region and endpoint chains). */
    public static LeakedKeyBot start(Settings settings) throws Exception {
        return start(settings, AwsTarget.defaultChain());
    }

    public static LeakedKeyBot start(Settings settings, AwsTarget awsTarget) throws Exception {
        // Closed in reverse order of opening: the ways in (server, socket) first, the state last.
        List<AutoCloseable> resources = new ArrayList<>();
        try {
            return start(settings, awsTarget, resources);
        } catch (Exception e) {
            closeAll(resources);
            throw e;
        }
    }

    private static LeakedKeyBot start(Settings settings, AwsTarget awsTarget, List<AutoCloseable> resources)
            throws Exception {
        Settings.Tuning tuning = settings.tuning();
        Clock clock = tuning.clock();
        AwsClients aws = AwsClients.at(awsTarget);
        resources.add(aws);
        IncidentJson json = new IncidentJson();
        Retention retention = Retention.ofClosedIncidents(settings.stateRetention());
        boolean shared = settings.stateTable().isPresent();
        IncidentStore durable;
        if (shared) {
            durable = new DynamoDbIncidentStore(aws.dynamoDb(), settings.stateTable().get(), json, retention);
        } else {
            JournalIncidentStore journal = JournalIncidentStore.open(settings.stateDir(), json, retention, clock);
            resources.add(journal);
            durable = journal;
        }
        IncidentStore store = new CachedIncidentStore(durable, tuning.cachedIncidents(),
                shared ? tuning.sharedCacheFreshness() : EXCLUSIVE_CACHE_FRESHNESS);
        // The journal's directory lock means no other process can be alive on this state: a step another process
        // left in flight is abandoned at once.
        StepLease lease = new StepLease(newProcessId(), shared ? tuning.sharedLease() : Duration.ZERO);

        Slack slack = SlackBot.slackFor(settings);
        resources.add(slack);
        // Investigations take minutes; on a pool of their own they can never delay a containment click. Opened
        // first, so that it is closed last: work still draining may hand it an investigation.
        ExecutorService investigations = workers("incident-investigation-", tuning.investigators(),
                tuning.queuedWork(), resources);
        ExecutorService work = workers("incident-work-", tuning.workers(), tuning.queuedWork(), resources);
        // Clicks on a pool of their own: a flood of reports can never delay a containment click.
        ExecutorService clicks = workers("incident-click-", tuning.clickWorkers(), CLICKS_QUEUED, resources);
        IncidentMessages messages = new IncidentMessages();
        SlackIncidentChannel channel = new SlackIncidentChannel(slack.methods(settings.botToken()), messages,
                new InvestigationMessages(), settings.incidentChannel(),
                new RateLimitRetry(tuning.slackRateLimitAttempts(), tuning.slackRateLimitMaxWait()),
                new ChannelPacer(tuning.slackPostInterval(), tuning.slackPostBurst()));
        KeyAccountLookup accounts = new KeyAccountLookup(aws.sts());
        CloudTrailLookup cloudTrail = new CloudTrailLookup(awsTarget, tuning.cloudTrailRequestsPerSecond());
        resources.add(cloudTrail);
        MemberAccounts members = new MemberAccounts(awsTarget, aws.sts(), settings.members(), accounts::self,
                tuning.cloudTrailRequestsPerSecond());
        resources.add(members);
        // Root sessions are opened by the bot itself: only the management or a delegated administrator account may.
        RootSessions rootSessions = new RootSessions(aws.sts(), awsTarget);
        Responders responders = Responders.byAccount(
                responder(settings, aws, cloudTrail, accounts, aws, accounts::ownAccount, rootSessions, store, channel,
                        clock),
                account -> {
                    MemberAccounts.Account member = members.account(account);
                    return responder(settings, member.clients(), member.cloudTrail(),
                            new KeyAccountLookup(member.clients().sts()), aws, () -> account, rootSessions, store,
                            channel, clock);
                });
        Runbook runbook = new Runbook(store, channel, responders, settings.cloudTrailLogs().isPresent(), clock);
        IamAccessKeys keys = new IamAccessKeys(aws.iam());
        OrganizationsAccounts organizations = new OrganizationsAccounts(awsTarget);
        resources.add(organizations);
        IncidentOpening opening = new IncidentOpening(store, new AwsKeyInspector(accounts,
                new KeyOwnerLookup(aws.iam()), keys, members, new AccountNames(organizations::nameOf)), channel,
                runbook, clock);
        IncidentInvestigation investigation = new IncidentInvestigation(store, channel, responders, runbook,
                Duration.ofDays(settings.cloudTrailLookbackDays()), tuning.scanProgressInterval(),
                tuning.trailDeliveryDelay(), clock);
        // A replica keeps the watches it read last while it reads within the lease, so replicas never read twice.
        IncidentWatch watch = new IncidentWatch(store, channel, runbook, responders, new StepLease(lease.holder(),
                shared ? tuning.trailWatchInterval().plus(tuning.sharedLease()) : Duration.ZERO),
                tuning.trailDeliveryDelay(), clock);
        HeldSteps held = new HeldSteps(store, lease);
        StepRunner runner = new StepRunner(channel, responders, clock, held, runbook);
        StepRecovery recovery = new StepRecovery(store, clock, held, runner);
        Approvers approvers = new Approvers(settings.approvers(), settings.twoPersonRule());
        StepApproval approval = new StepApproval(store, channel, approvers, clock, held, runner, recovery);
        App app = SlackBot.build(settings, slack, new LeakedKeyCommand(opening, investigation, messages,
                        new IncidentTimelines(store, approvers), new OpenIncidents(store, approvers),
                        new ReportLimit(tuning.reportsAtOnce(), tuning.oneMoreReportEvery(), clock), channel, work,
                        investigations),
                List.of(ButtonClick.onSteps(approval, channel, messages, clicks),
                        ButtonClick.onSources(new SourceMarking(store, channel, approvers, runbook, clock), channel,
                                messages, clicks)), clock);

        BotServer server = new BotServer(settings.socketMode() ? Optional.empty() : Optional.of(app),
                settings.bindAddress(), settings.port());
        Settings.AutomaticIntake reach = settings.intake();
        Intake intake = new Intake(opening, investigation, channel, approval, investigations,
                reach.deactivateConfirmed(), clock);
        reach.gitHubWebhookSecret().ifPresent(secret -> server.serve(GitHubWebhook.PATH, new GitHubWebhook(
                new WebhookSignature(secret), new GitHubAlerts(reach.gitHubApiUrl(), reach.gitHubToken().orElseThrow()),
                intake, work)));
        server.start();
        resources.add(server);
        if (settings.socketMode()) {
            resources.add(SocketModeConnection.open(settings.appToken().get(), app));
        }
        reach.queueUrl().ifPresent(queue ->
                resources.add(IntakeQueue.start(aws.sqsFor(queue), queue, intake)));
        LOG.info("Bot process {} started ({} state)", lease.holder(),
                shared ? "DynamoDB table " + settings.stateTable().get() : "journal in " + settings.stateDir());
        work.execute(recovery::recoverAbandoned);
        // On a thread of its own, and through the scan's per-region pace: it never delays a click or an opening.
        ScheduledExecutorService watching = Executors.newSingleThreadScheduledExecutor(threads("trail-watch-"));
        resources.add(() -> stop(watching));
        long every = tuning.trailWatchInterval().toMillis();
        watching.scheduleWithFixedDelay(watch::watchAll, every, every, TimeUnit.MILLISECONDS);
        if (shared) {
            ScheduledExecutorService leases = Executors.newSingleThreadScheduledExecutor(threads("step-leases-"));
            resources.add(leases::shutdownNow);
            long quarter = tuning.sharedLease().toMillis() / 4;
            leases.scheduleAtFixedRate(() -> held.renewAll(clock.instant()), quarter, quarter, TimeUnit.MILLISECONDS);
            // Another replica may die at any time: its steps are re-checked here once its lease has run out.
            leases.scheduleAtFixedRate(() -> work.execute(recovery::recoverAbandoned), tuning.sharedLease().toMillis(),
                    quarter, TimeUnit.MILLISECONDS);
        }
        return new LeakedKeyBot(resources, server);
    }

    /**
     * Every step, the blast radius and the CloudTrail reads for one account, as {@code aws}'s credentials. The trail's
     * log bucket is read as the bot itself ({@code home}), under the account's own {@code AWSLogs/<account>/}.
     */
    private static Responder responder(Settings settings, AwsClients aws, CloudTrailLookup cloudTrail,
                                       KeyAccountLookup self, AwsClients home, Supplier<String> account,
                                       RootSessions rootSessions, IncidentStore store, SlackIncidentChannel channel,
                                       Clock clock) {
        IamAccessKeys keys = new IamAccessKeys(aws.iam());
        RegionSource regions = settings.cloudTrailRegions().isEmpty() ? new EnabledRegions(aws.ec2())
                : RegionSource.fixed(settings.cloudTrailRegions());
        TrailLogFiles logFiles = settings.cloudTrailLogs().map(logs -> new TrailLogFiles(
                home.s3In(home.homeRegion()), logs.bucket(), logs.prefix(), account)).orElse(null);
        IamInlinePolicies inlinePolicies = new IamInlinePolicies(aws.iam());
        IamRoles roles = new IamRoles(aws.iam());
        AnalysePermissionsStep permissions = new AnalysePermissionsStep(new OwnerPolicyCollection(aws.iam()),
                BlastRadiusAnalysis.standard(), store, channel, clock);
        IamUserQuarantine quarantine = new IamUserQuarantine(aws.iam());
        List<RemediationStep> steps = List.of(permissions, new DeactivateKeyStep(keys), new ReactivateKeyStep(keys),
                new RevokeSessionsStep(inlinePolicies), new RevokeRoleSessionsStep(inlinePolicies, roles),
                new QuarantineStep(quarantine, QuarantinePolicies.standard(AccessLevels.standard())),
                new LiftQuarantineStep(quarantine, keys),
                new RotateKeyStep(new IamKeyRotation(aws.iam()), new SecretsManagerVault(aws.secretsManager(),
                        self::self), new IamPolicySimulation(aws.iam()), quarantine, channel, clock),
                new DeleteOldKeyStep(keys, new IamOldKeys(aws.iam(), keys)),
                new CleanUpStep(new AttackerResourceRemoval(aws.iam(), aws::ec2In, aws::lambdaIn)),
                new RestoreObjectsStep(new S3ObjectVersions(aws::s3In)),
                new RevertPolicyStep(inlinePolicies, roles, new IamPolicyVersions(aws.iam())),
                new DeleteRootKeyStep(rootSessions), new CloseIncidentStep(store, channel, clock));
        return new Responder(steps, new CloudTrailInvestigation(cloudTrail, regions, SCAN_REGIONS_AT_ONCE,
                DERIVED_KEYS_FOLLOWED, clock, logFiles), new PolicyRevertPlanner(cloudTrail));
    }

    public int port() {
        return server.port();
    }

    public void join() throws InterruptedException {
        server.join();
    }

    @Override
    public void close() throws Exception {
        closeAll(resources);
    }

    private static void closeAll(List<AutoCloseable> resources) {
        for (int i = resources.size() - 1; i >= 0; i--) {
            try {
                resources.get(i).close();
            } catch (Exception e) {
                LOG.warn("Unclean shutdown: {}", e.toString());
            }
        }
        resources.clear();
    }

    /**
     * A fixed pool with a bounded queue, drained (for up to 10 s) when the bot stops. A full queue refuses work
     * ({@link java.util.concurrent.RejectedExecutionException}) and the caller answers "busy".
     */
    private static ExecutorService workers(String prefix, int size, int queued, List<AutoCloseable> resources) {
        ExecutorService pool = new ThreadPoolExecutor(size, size, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(queued), threads(prefix));
        resources.add(() -> {
            pool.shutdown();
            if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
                LOG.warn("Stopping with {} {}tasks still queued", pool.shutdownNow().size(), prefix);
            }
        });
        return pool;
    }

    /** Lets a round under way finish (its position is then stored), for up to 10 s. */
    private static void stop(ExecutorService pool) throws InterruptedException {
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.SECONDS)) {
            pool.shutdownNow();
        }
    }

    /** Names this process's claims on steps; random per start, so a restarted bot is a different runner. */
    private static String newProcessId() {
        byte[] random = new byte[3];
        new SecureRandom().nextBytes(random);
        return "pid" + ProcessHandle.current().pid() + "-" + HexFormat.of().formatHex(random);
    }

    private static java.util.concurrent.ThreadFactory threads(String prefix) {
        AtomicInteger count = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + count.incrementAndGet());
            thread.setDaemon(true);
            thread.setUncaughtExceptionHandler((t, e) -> LOG.error("Work failed on {}", t.getName(), e));
            return thread;
        };
    }
}
