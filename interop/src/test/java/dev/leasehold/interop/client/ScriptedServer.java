package dev.leasehold.interop.client;

import dev.leasehold.testkit.netns.LabException;
import dev.leasehold.testkit.netns.LabProcess;
import dev.leasehold.testkit.netns.NetnsLab;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Assumptions;

/**
 * The scripted DHCP server (scripted_server.py, scapy) in the lab's server namespace: it answers
 * with exactly the yiaddr, mask, lease and options it is told, however wrong, and logs one line
 * per message it receives ("1733150000.123456 REQUEST 02:… max-size 1472").
 */
final class ScriptedServer {

    private static final String PYTHON = "/usr/bin/python3"; // Debian's, with python3-scapy (DESIGN.md §5)

    private ScriptedServer() {
    }

    static void assumeScapy() {
        boolean present = false;
        if (Files.isExecutable(Path.of(PYTHON))) {
            try {
                Process p = new ProcessBuilder(PYTHON, "-c", "import scapy.all").redirectErrorStream(true)
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                present = p.waitFor(30, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0;
            } catch (IOException e) {
                present = false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Assumptions.assumeTrue(present, "skipped: " + PYTHON + " with python3-scapy is not installed");
    }

    /** Starts the server on the lab's server veth with {@code args} (see the script's --help). */
    static LabProcess start(NetnsLab lab, String... args) {
        Path script = lab.workDir().resolve("scripted_server.py");
        try (InputStream in = ScriptedServer.class.getResourceAsStream("scripted_server.py")) {
            Files.write(script, in.readAllBytes());
        } catch (IOException | NullPointerException e) {
            throw new LabException("cannot copy scripted_server.py", e);
        }
        List<String> command = new ArrayList<>(List.of(PYTHON, "-u", script.toString(), "--iface",
                lab.server().interfaceName(), "--seconds", "90"));
        command.addAll(List.of(args));
        return lab.start("scripted-server", lab.server().namespace(), command);
    }

    /** How many messages of {@code type} (DISCOVER, REQUEST, …) the server has received. */
    static long count(LabProcess server, String type) {
        return server.output().lines().filter(l -> l.matches("^\\d+\\.\\d+ " + type + " .*")).count();
    }
}
