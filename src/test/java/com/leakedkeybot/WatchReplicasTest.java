package com.leakedkeybot;

import com.leakedkeybot.approval.StepLease;
import com.leakedkeybot.aws.DynamoDbIncidentStore;
import com.leakedkeybot.incident.CachedIncidentStore;
import com.leakedkeybot.incident.Incident;
import com.leakedkeybot.incident.IncidentChannel;
import com.leakedkeybot.incident.IncidentStore;
import com.leakedkeybot.incident.TrailWatch;
import com.leakedkeybot.investigation.CloudTrailInvestigation;
import com.leakedkeybot.investigation.RegionSource;
import com.leakedkeybot.remediation.Responder;
import com.leakedkeybot.remediation.Responders;
import com.leakedkeybot.runbook.IncidentWatch;
import com.leakedkeybot.runbook.Runbook;
import com.leakedkeybot.sandbox.InMemoryTrail;
import com.leakedkeybot.sandbox.MotoServer;
import com.leakedkeybot.sandbox.TrailEvents;
import com.leakedkeybot.state.IncidentJson;
import com.leakedkeybot.state.Retention;
import com.leakedkeybot.testkit.AdjustableClock;
import com.leakedkeybot.testkit.AwsProxy;
import com.leakedkeybot.testkit.AwsTestClients;
import com.leakedkeybot.testkit.MockedSteps;
import com.leakedkeybot.testkit.SampleIncidents;
import com.leakedkeybot.testkit.SharedMoto;
import com.leakedkeybot.testkit.StateTables;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

/**
 * Two replicas sharing a DynamoDB table (on moto) watch the same incident: whoever claims it reads, the other leaves
 * it alone until the reader falls silent past the lease — also when both start their round at the same moment.
 */
class WatchReplicasTest {

    private static final Duration DELAY = Duration.ofMinutes(15);
    private static final Duration LEASE = Duration.ofMinutes(10);
    private static final String REGION = "us-east-1";

    private final AdjustableClock clock = AdjustableClock.at(Instant.parse("2026-11-28T16:05:00Z"));
    private final InMemoryTrail trail = new InMemoryTrail();
    private final IncidentChannel channel = mock(IncidentChannel.class);

    @Test
    void ofTwoReplicasStartingTogetherExactlyOneReadsAndPosts() throws Exception {
        try (AwsProxy oneAtATime = AwsProxy.oneAtATime(SharedMoto.get().endpoint());
             DynamoDbClient dynamo = AwsTestClients.dynamoDb(oneAtATime.endpoint())) {
            String table = StateTables.create(dynamo);
            IncidentStore first = replicaStore(dynamo, table);
            IncidentStore second = replicaStore(dynamo, table);
            Incident incident = SampleIncidents.offered(SampleIncidents.newId())
                    .withWatch(TrailWatch.from(Instant.parse("2026-11-28T16:00:00Z"), List.of()));
            first.create(incident);
            trail.add(REGION, TrailEvents.event("r1", Instant.parse("2026-11-28T16:02:00Z"), REGION,
                    SampleIncidents.KEY.value(), "iam.amazonaws.com", "ListUsers").readOnly(true).json());
            IncidentWatch one = watch(first, "pid1-aaaaaa");
            IncidentWatch other = watch(second, "pid2-bbbbbb");

            CountDownLatch go = new CountDownLatch(1);
            ExecutorService replicas = Executors.newFixedThreadPool(2);
            try {
                List<Future<?>> rounds = List.of(replicas.submit(() -> awaitThen(go, one)),
                        replicas.submit(() -> awaitThen(go, other)));
                go.countDown();
                for (Future<?> round : rounds) {
                    round.get();
                }
            } finally {
                replicas.shutdown();
            }

            assertEquals(1, trail.lookups(SampleIncidents.KEY.value()), "one replica read, once: " + trail.calls());
            verify(channel, times(1)).postWatchedActivity(any(), any());
            String watcher = first.find(incident.id()).orElseThrow().watch().watcher();

            clock.advance(LEASE.plusMinutes(1));
            (watcher.equals("pid1-aaaaaa") ? other : one).watchAll();
            assertEquals(2, trail.lookups(SampleIncidents.KEY.value()), "taken over past the lease");
            verify(channel, times(1)).postWatchedActivity(any(), any());
        }
    }

    private static void awaitThen(CountDownLatch go, IncidentWatch watch) {
        try {
            go.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        watch.watchAll();
    }

    /** A replica's store as the bot builds it: the shared table behind a cache of its own. */
    private static IncidentStore replicaStore(DynamoDbClient dynamo, String table) {
        return new CachedIncidentStore(new DynamoDbIncidentStore(dynamo, table, new IncidentJson(),
                Retention.ofClosedIncidents(Duration.ofDays(90))), 1_000, Duration.ofSeconds(30));
    }

    private IncidentWatch watch(IncidentStore store, String holder) {
        Responders responders = Responders.only(new Responder(MockedSteps.every(store, channel, clock,
                mock(com.leakedkeybot.remediation.port.ObjectVersions.class)),
                new CloudTrailInvestigation(trail, RegionSource.fixed(List.of(REGION)), 4, 100, clock, null), null));
        return new IncidentWatch(store, channel, new Runbook(store, channel, responders, false, clock), responders,
                new StepLease(holder, LEASE), DELAY, clock);
    }
}
