package dev.leasehold.testkit.netns;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Removal of lab namespaces and the host-side files that go with them: for a lab being closed,
 * and for labs whose JVM died before it could close them (kill -9, a crashed surefire fork).
 */
final class StaleLabs {

    private static final Duration IP_TIMEOUT = Duration.ofSeconds(10);
    /** dhcpcd keeps pid, socket and lease files here, named after the interface. */
    private static final List<Path> DHCPCD_DIRECTORIES = List.of(Path.of("/run/dhcpcd"), Path.of("/var/lib/dhcpcd"));

    private StaleLabs() {
    }

    /** Removes every lab namespace whose owning JVM no longer runs; returns how many namespaces went. */
    static int removeAbandoned() {
        Set<LabNames> abandoned = new LinkedHashSet<>();
        List<String> namespaces = listNamespaces();
        for (String namespace : namespaces) {
            LabNames.ofNamespace(namespace)
                    .filter(names -> ProcessHandle.of(names.ownerPid()).map(h -> !h.isAlive()).orElse(true))
                    .ifPresent(abandoned::add);
        }
        int removed = 0;
        for (LabNames names : abandoned) {
            List<String> own = namespaces.stream().filter(n -> n.startsWith(names.id() + "-")).toList();
            removeNamespaces(own);
            removeHostFiles(names);
            removeWorkDirectories(names);
            removed += own.size();
        }
        return removed;
    }

    static List<String> listNamespaces() {
        CommandResult list = Commands.run(IP_TIMEOUT, "ip", "netns", "list");
        if (!list.succeeded()) {
            return List.of();
        }
        // Lines look like "name" or "name (id: 3)".
        return list.output().lines().map(l -> l.split("\\s+")[0]).filter(s -> !s.isBlank()).toList();
    }

    /**
     * Kills every process left in the namespaces (daemons that forked away from the process we
     * started), then deletes them; deleting a namespace deletes its veths and their peers.
     * Returns the namespaces that could not be deleted.
     */
    static List<String> removeNamespaces(List<String> namespaces) {
        for (String namespace : namespaces) {
            killAll(namespace);
        }
        List<String> failed = new ArrayList<>();
        for (String namespace : namespaces) {
            CommandResult del = Commands.run(IP_TIMEOUT, "ip", "netns", "del", namespace);
            if (!del.succeeded() && listNamespaces().contains(namespace)) {
                failed.add(namespace + ": " + del.output().strip());
            }
            deleteRecursively(Path.of("/etc/netns", namespace));
        }
        return failed;
    }

    private static void killAll(String namespace) {
        CommandResult pids = Commands.run(IP_TIMEOUT, "ip", "netns", "pids", namespace);
        if (!pids.succeeded()) {
            return;
        }
        List<ProcessHandle> processes = pids.output().lines()
                .filter(l -> l.strip().matches("\\d+"))
                .flatMap(l -> ProcessHandle.of(Long.parseLong(l.strip())).stream())
                .toList();
        processes.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (processes.stream().anyMatch(ProcessHandle::isAlive) && System.nanoTime() < deadline) {
            Await.sleep(Duration.ofMillis(20));
        }
    }

    static void removeHostFiles(LabNames names) {
        String prefix = names.interfaceName("");
        for (Path directory : DHCPCD_DIRECTORIES) {
            if (!Files.isDirectory(directory)) {
                continue;
            }
            try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, prefix + "*")) {
                for (Path file : files) {
                    deleteRecursively(file);
                }
            } catch (IOException ignored) {
                // best effort: a leftover dhcpcd file cannot collide with a later lab's unique names
            }
        }
    }

    private static void removeWorkDirectories(LabNames names) {
        Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(tmp, names.id() + "*")) {
            for (Path dir : dirs) {
                deleteRecursively(dir);
            }
        } catch (IOException ignored) {
            // best effort, as above
        }
    }

    static void deleteRecursively(Path path) {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (var walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException ignored) {
            // best effort: temp files only
        }
    }
}
