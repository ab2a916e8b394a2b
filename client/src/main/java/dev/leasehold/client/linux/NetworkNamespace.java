package dev.leasehold.client.linux;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Which Linux network namespace this process runs in, so that per-interface state (lease file,
 * control socket) of {@code eth0} in one namespace is never taken for that of {@code eth0} in
 * another: the file system is shared across namespaces, interface names are not.
 *
 * @param inode the namespace's inode ({@code /proc/self/ns/net → net:[4026531840]}), 0 if unknown
 * @param name  how it is named in file names: its {@code ip netns} name (as {@code ip netns identify}
 *              finds it), {@code ns<inode>} for an unnamed namespace other than the host's, or empty
 *              for the host's namespace (or when it cannot be told)
 */
public record NetworkNamespace(long inode, Optional<String> name) {

    /** The host's namespace as far as anyone can tell. */
    public static final NetworkNamespace UNKNOWN = new NetworkNamespace(0, Optional.empty());

    /** The namespace of this process. */
    public static NetworkNamespace current() {
        return of(Path.of("/proc/self/ns/net"), Path.of("/proc/1/ns/net"), Path.of("/run/netns"));
    }

    /** The namespace {@code ip netns add NAME} made (its /run/netns/NAME), as a process inside it sees itself. */
    public static NetworkNamespace named(String name) {
        return of(Path.of("/run/netns", name), Path.of("/proc/1/ns/net"), Path.of("/run/netns"));
    }

    static NetworkNamespace of(Path self, Path init, Path named) {
        long inode = inode(self);
        if (inode == 0) {
            return UNKNOWN;
        }
        if (Files.isDirectory(named)) {
            try (DirectoryStream<Path> names = Files.newDirectoryStream(named)) {
                for (Path n : names) {
                    if (inode(n) == inode) {
                        return new NetworkNamespace(inode, Optional.of(n.getFileName().toString()));
                    }
                }
            } catch (IOException | RuntimeException e) {
                // unreadable: fall through to the unnamed forms
            }
        }
        long initInode = inode(init);
        if (initInode == 0 || initInode == inode) {
            return new NetworkNamespace(inode, Optional.empty());
        }
        return new NetworkNamespace(inode, Optional.of("ns" + inode));
    }

    /** "IFACE" in the host's namespace, "IFACE@NAME" in another: what a person reads in a log line. */
    public String qualify(String interfaceName) {
        return name.map(n -> interfaceName + "@" + n).orElse(interfaceName);
    }

    private static long inode(Path p) {
        try {
            Object ino = Files.getAttribute(p, "unix:ino");
            return ino instanceof Long l ? l : 0;
        } catch (IOException | RuntimeException e) {
            return 0;
        }
    }
}
