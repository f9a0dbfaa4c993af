package com.leakedkeybot.aws;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.leakedkeybot.investigation.DataEventSource;
import com.leakedkeybot.investigation.TrailEvent;
import com.leakedkeybot.investigation.TrailLookupException;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Reads a trail's log files in S3 ({@code <prefix>/AWSLogs/<account>/CloudTrail/<region>/<yyyy>/<MM>/<dd>/*.json.gz},
 * each a gzipped {@code {"Records":[…]}}): day folder by day folder, one file and one record at a time, so memory
 * stays flat whatever the size of the trail.
 */
public final class TrailLogFiles implements DataEventSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyy/MM/dd");

    private final S3Client s3;
    private final String bucket;
    private final String prefix;
    private final Supplier<String> account;

    /**
     * @param prefix  what comes before {@code AWSLogs/} in the bucket ("" for none)
     * @param account the account whose logs are read: the one the bot runs in
     */
    public TrailLogFiles(S3Client s3, String bucket, String prefix, Supplier<String> account) {
        this.s3 = s3;
        this.bucket = bucket;
        this.prefix = prefix.isEmpty() || prefix.endsWith("/") ? prefix : prefix + "/";
        this.account = account;
    }

    @Override
    public String location() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public void eventsOfKeys(List<String> regions, Set<String> accessKeyIds, Instant from, Instant to,
                             Consumer<TrailEvent> sink) throws TrailLookupException {
        String base = prefix + "AWSLogs/" + account.get() + "/CloudTrail/";
        // A file is filed under the day it was delivered: events of a day's last minutes are in the next day's folder.
        LocalDate last = LocalDate.ofInstant(to, ZoneOffset.UTC).plusDays(1);
        try {
            for (String region : regions) {
                for (LocalDate day = LocalDate.ofInstant(from, ZoneOffset.UTC); !day.isAfter(last); day = day.plusDays(1)) {
                    String folder = base + region + "/" + DAY.format(day) + "/";
                    for (S3Object file : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(folder)).contents()) {
                        if (file.key().endsWith(".json.gz")) {
                            read(file.key(), accessKeyIds, from, to, sink);
                        }
                    }
                }
            }
        } catch (SdkException e) {
            throw new TrailLookupException(FailureReason.of(e), e);
        } catch (IOException | IllegalArgumentException e) {
            // Never the parser's message: it may quote the log, which holds other principals' activity.
            throw new TrailLookupException("log file not readable as CloudTrail records (" + e.getClass().getSimpleName()
                    + ")", e);
        }
    }

    private void read(String key, Set<String> accessKeyIds, Instant from, Instant to, Consumer<TrailEvent> sink)
            throws IOException {
        try (InputStream body = s3.getObject(r -> r.bucket(bucket).key(key));
             JsonParser parser = JSON.createParser(new GZIPInputStream(body))) {
            if (parser.nextToken() != JsonToken.START_OBJECT) {
                throw new IOException("not a JSON object");
            }
            while (parser.nextToken() == JsonToken.FIELD_NAME) {
                String field = parser.currentName();
                if (parser.nextToken() == JsonToken.START_ARRAY && field.equals("Records")) {
                    while (parser.nextToken() == JsonToken.START_OBJECT) {
                        accept(JSON.readTree(parser), accessKeyIds, from, to, sink);
                    }
                } else {
                    parser.skipChildren();
                }
            }
        }
    }

    private static void accept(JsonNode record, Set<String> accessKeyIds, Instant from, Instant to,
                               Consumer<TrailEvent> sink) {
        // Cheap test first: most records of a busy trail belong to other principals.
        if (!accessKeyIds.contains(record.path("userIdentity").path("accessKeyId").asText())) {
            return;
        }
        TrailEvent event = TrailEvent.of(record);
        if (!event.eventTime().isBefore(from) && !event.eventTime().isAfter(to)) {
            sink.accept(event);
        }
    }
}
