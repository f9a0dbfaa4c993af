package com.leakedkeybot.investigation;

import java.util.List;

/** The regions to scan. */
public interface RegionSource {

    List<String> regions() throws TrailLookupException;

    /** A configured list, for accounts where region discovery is not allowed. */
    static RegionSource fixed(List<String> regions) {
        List<String> copy = List.copyOf(regions);
        return () -> copy;
    }
}
