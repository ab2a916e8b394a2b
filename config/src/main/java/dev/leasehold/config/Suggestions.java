package dev.leasehold.config;

import java.util.Collection;
import java.util.Optional;

/** Finds the known word an operator most likely meant, for "did you mean" hints on typos. */
final class Suggestions {
    private Suggestions() {
    }

    /**
     * The candidate nearest to {@code typed} in edit distance, ignoring case and '_' versus '-',
     * when it is close enough to be a typo (two edits, three for long words); else one that
     * contains the typed word or is contained in it ({@code dns-servers} for {@code servers}).
     */
    static Optional<String> nearest(String typed, Collection<String> candidates) {
        String wanted = typed.toLowerCase().replace('_', '-');
        String best = null;
        int bestDistance = wanted.length() > 10 ? 4 : 3;
        for (String candidate : candidates) {
            int d = distance(wanted, candidate);
            if (d < bestDistance) {
                best = candidate;
                bestDistance = d;
            }
        }
        if (best != null) {
            return Optional.of(best);
        }
        int bestGap = Integer.MAX_VALUE;
        for (String candidate : candidates) {
            if (wanted.length() >= 3 && (candidate.contains(wanted) || wanted.contains(candidate))) {
                int gap = Math.abs(candidate.length() - wanted.length());
                if (gap < bestGap) {
                    best = candidate;
                    bestGap = gap;
                }
            }
        }
        return Optional.ofNullable(best);
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
