package com.leakedkeybot.aws;

import com.leakedkeybot.remediation.port.ObjectVersions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.function.Function;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketVersioningStatus;
import software.amazon.awssdk.services.s3.model.ListObjectVersionsResponse;

/** S3's version history of an object key, in the bucket's region, and the two reversible ways to change the key. */
public final class S3ObjectVersions implements ObjectVersions {

    // S3 lists a key's versions and delete markers apart, each newest first; merged by time, the current one first.
    private static final Comparator<Version> NEWEST_FIRST =
            Comparator.comparing(Version::lastModified, Comparator.reverseOrder());

    private final Function<String, S3Client> s3InRegion;

    public S3ObjectVersions(Function<String, S3Client> s3InRegion) {
        this.s3InRegion = s3InRegion;
    }

    @Override
    public Versioning versioning(String region, String bucket) {
        try {
            BucketVersioningStatus status = s3InRegion.apply(region).getBucketVersioning(r -> r.bucket(bucket)).status();
            if (status == BucketVersioningStatus.ENABLED) {
                return Versioning.ENABLED;
            }
            return status == BucketVersioningStatus.SUSPENDED ? Versioning.SUSPENDED : Versioning.NEVER_ENABLED;
        } catch (SdkException e) {
            throw AwsFailures.of("s3:GetBucketVersioning", e);
        }
    }

    @Override
    public List<Version> history(String region, String bucket, String key) {
        Version latest = null;
        List<Version> older = new ArrayList<>();
        try {
            Iterator<ListObjectVersionsResponse> pages = s3InRegion.apply(region)
                    .listObjectVersionsPaginator(r -> r.bucket(bucket).prefix(key)).iterator();
            // Keys come in order: once a page ends past this key, later pages hold only longer keys it prefixes.
            boolean past = false;
            while (pages.hasNext() && !past) {
                ListObjectVersionsResponse page = pages.next();
                for (var version : page.versions()) {
                    past |= version.key().compareTo(key) > 0;
                    if (version.key().equals(key)) {
                        Version entry = new Version(version.versionId(), false, version.lastModified(), version.eTag());
                        latest = Boolean.TRUE.equals(version.isLatest()) ? entry : latest;
                        older.add(entry);
                    }
                }
                for (var marker : page.deleteMarkers()) {
                    past |= marker.key().compareTo(key) > 0;
                    if (marker.key().equals(key)) {
                        Version entry = new Version(marker.versionId(), true, marker.lastModified(), null);
                        latest = Boolean.TRUE.equals(marker.isLatest()) ? entry : latest;
                        older.add(entry);
                    }
                }
            }
        } catch (SdkException e) {
            throw AwsFailures.of("s3:ListBucketVersions", e);
        }
        older.sort(NEWEST_FIRST);
        if (latest != null) {
            // Two writes in one second tie on LastModified: S3's own IsLatest says which is current.
            older.remove(latest);
            older.add(0, latest);
        }
        return older;
    }

    @Override
    public void restore(String region, String bucket, String key, String versionId) {
        try {
            s3InRegion.apply(region).copyObject(r -> r.sourceBucket(bucket).sourceKey(key).sourceVersionId(versionId)
                    .destinationBucket(bucket).destinationKey(key));
        } catch (SdkException e) {
            throw AwsFailures.of("s3:PutObject", e);
        }
    }

    @Override
    public void hide(String region, String bucket, String key) {
        try {
            s3InRegion.apply(region).deleteObject(r -> r.bucket(bucket).key(key));
        } catch (SdkException e) {
            throw AwsFailures.of("s3:DeleteObject", e);
        }
    }
}
