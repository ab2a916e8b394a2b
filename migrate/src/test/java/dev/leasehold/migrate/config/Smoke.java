package dev.leasehold.migrate.config;
import java.nio.file.*;
class Smoke {
    public static void main(String[] a) throws Exception {
        var r = KeaConfigImporter.importText(Files.readString(Path.of(a[0])), a[0]);
        System.out.println(r.yaml());
        System.err.println(r.report().render());
    }
}
