package dev.leasehold.control;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;

/**
 * A file name from an API call, held to the configuration's directory: resolved against it, and
 * refused (403) unless its real path, every symbolic link followed, is inside the directory's
 * real path and is none of the secret files (the API token file, the TLS keystore and its
 * password). Names that cannot be used (no such directory, a directory, not a regular file) are
 * a 400 with the reason, never a server error.
 */
final class ConfinedPath {

    private final Path directory;
    private final Path realDirectory;
    private final List<Path> secrets;

    private ConfinedPath(Path directory, Path realDirectory, List<Path> secrets) {
        this.directory = directory;
        this.realDirectory = realDirectory;
        this.secrets = secrets;
    }

    static ConfinedPath besideOf(Path configFile, List<Path> secrets) {
        Path dir = configFile.toAbsolutePath().normalize().getParent();
        Path real;
        try {
            real = dir.toRealPath();
        } catch (IOException e) {
            throw new ApiException(503, "config-directory-unavailable", "the configuration's directory " + dir
                    + " cannot be resolved: " + describe(e));
        }
        List<Path> realSecrets = secrets.stream().map(p -> {
            Path abs = p.toAbsolutePath().normalize();
            try {
                return abs.toRealPath();
            } catch (IOException e) {
                return abs;
            }
        }).toList();
        return new ConfinedPath(dir, real, realSecrets);
    }

    /** An existing regular file to read. */
    Path existingFile(String name) {
        Path p = lexical(name);
        Path real;
        try {
            real = p.toRealPath();
        } catch (NoSuchFileException e) {
            throw ApiException.badRequest("no-such-file", "'" + name + "' does not exist in " + directory);
        } catch (IOException e) {
            throw ApiException.badRequest("unusable-path", "'" + name + "' cannot be resolved: " + describe(e));
        }
        inside(name, real);
        if (!Files.isRegularFile(real)) {
            throw ApiException.badRequest("not-a-file", "'" + name + "' is not a regular file");
        }
        return real;
    }

    /**
     * A file to create or replace: its directory must exist inside the configuration's; an
     * existing name that is a symbolic link is followed, and its target must be inside too.
     */
    Path writableFile(String name) {
        Path p = lexical(name);
        Path parent;
        try {
            parent = p.getParent().toRealPath();
        } catch (NoSuchFileException e) {
            throw ApiException.badRequest("no-such-directory", "the directory of '" + name + "' does not exist");
        } catch (IOException e) {
            throw ApiException.badRequest("unusable-path", "the directory of '" + name + "' cannot be resolved: "
                    + describe(e));
        }
        if (!Files.isDirectory(parent)) {
            throw ApiException.badRequest("no-such-directory", "the directory of '" + name + "' is not a directory");
        }
        if (!parent.startsWith(realDirectory)) {
            throw outside(name);
        }
        Path target = parent.resolve(p.getFileName());
        if (Files.isSymbolicLink(target)) {
            try {
                target = target.toRealPath();
            } catch (IOException e) {
                throw ApiException.badRequest("unusable-path", "'" + name + "' is a link that leads nowhere: "
                        + describe(e));
            }
        }
        inside(name, target);
        if (Files.isDirectory(target)) {
            throw ApiException.badRequest("not-a-file", "'" + name + "' is a directory");
        }
        if (Files.exists(target, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            throw ApiException.badRequest("not-a-file", "'" + name + "' is not a regular file");
        }
        return target;
    }

    private Path lexical(String name) {
        if (name.isEmpty() || name.indexOf('\0') >= 0) {
            throw ApiException.badRequest("bad-parameter", "'path' must name a file");
        }
        Path p;
        try {
            p = directory.resolve(name).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw ApiException.badRequest("bad-parameter", "'path' is not a file name: " + e.getMessage());
        }
        if (!p.startsWith(directory) || p.equals(directory)) {
            throw outside(name);
        }
        return p;
    }

    private void inside(String name, Path real) {
        if (!real.startsWith(realDirectory) || real.equals(realDirectory)) {
            throw outside(name);
        }
        if (secrets.contains(real)) {
            throw new ApiException(403, "secret-file", "'" + name + "' is one of the server's secrets (API tokens, TLS"
                    + " keystore or password); the API neither reads nor writes it");
        }
    }

    private ApiException outside(String name) {
        return new ApiException(403, "outside-config-directory", "'" + name + "' is not a file in " + directory
                + ", the configuration's directory (symbolic links followed); the API reads and writes nowhere else");
    }

    /**
     * Writes {@code text} to a fresh temporary file beside {@code target}, with the target's
     * permissions (or those of {@code modeOf} for a new file), then renames it over the target;
     * the temporary file is removed whatever fails.
     */
    static void replaceAtomically(Path target, String text, Path modeOf) throws IOException {
        Path temp = Files.createTempFile(target.getParent(), "." + target.getFileName() + ".", ".tmp");
        boolean moved = false;
        try {
            Files.writeString(temp, text, StandardCharsets.UTF_8);
            Path model = Files.exists(target) ? target : modeOf;
            if (Files.getFileAttributeView(temp, PosixFileAttributeView.class) != null && Files.exists(model)) {
                Set<PosixFilePermission> mode = Files.getPosixFilePermissions(model);
                Files.setPosixFilePermissions(temp, mode);
            }
            Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            moved = true;
        } finally {
            if (!moved) {
                Files.deleteIfExists(temp);
            }
        }
    }

    static String describe(IOException e) {
        return switch (e) {
            case NoSuchFileException n -> "no such file or directory";
            case AccessDeniedException a -> "permission denied";
            case FileSystemException f when f.getReason() != null -> f.getReason();
            default -> e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
        };
    }
}
