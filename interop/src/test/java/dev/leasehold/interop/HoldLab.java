package dev.leasehold.interop;

import dev.leasehold.testkit.netns.NetnsLab;

/**
 * Child-JVM main for {@link LabCleanupAfterCrashTest}: builds a lab, prints its id, and waits to
 * be killed (at most five minutes, so a lost child cannot linger). It never closes the lab itself.
 */
public final class HoldLab {

    private HoldLab() {
    }

    public static void main(String[] args) throws InterruptedException {
        NetnsLab lab = NetnsLab.create(1);
        System.out.println("lab " + lab.id());
        System.out.flush();
        Thread.sleep(300_000);
    }
}
