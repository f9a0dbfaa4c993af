package com.leakedkeybot.investigation;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which key minted which: the investigated keys are the roots, every derived key hangs under the key that minted it.
 * Thread-safe; a key is recorded once, so chains that loop back are cut at the first repeat.
 */
public final class CredentialChain {

    private final Set<String> roots;
    private final Map<String, DerivedCredential> derived = new LinkedHashMap<>();

    public CredentialChain(Collection<String> rootKeys) {
        this.roots = new LinkedHashSet<>(rootKeys);
    }

    /** Records a derived key; false if the key was already known (as a root or derived key). */
    public synchronized boolean add(DerivedCredential credential) {
        String key = credential.accessKeyId();
        if (roots.contains(key) || derived.containsKey(key)) {
            return false;
        }
        derived.put(key, credential);
        return true;
    }

    /** Root keys first, then derived keys in the order they were found. */
    public synchronized List<String> keys() {
        List<String> keys = new ArrayList<>(roots);
        keys.addAll(derived.keySet());
        return keys;
    }

    public synchronized List<DerivedCredential> derived() {
        return List.copyOf(derived.values());
    }
}
