package dev.leasehold.cli;

import dev.leasehold.config.ConfigException;
import dev.leasehold.config.ConfigLoader;
import dev.leasehold.config.ServerConfig;
import dev.leasehold.control.Operations;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code leasehold check-config FILE}: validates a configuration without serving. */
@Command(name = "check-config", description = "Validate a configuration file and exit (0 = valid).",
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"0:the file is valid", "2:the file is not valid: every problem is listed with its line and path"})
final class CheckConfigCommand implements Callable<Integer> {

    @Parameters(paramLabel = "FILE", description = "the configuration file (YAML or JSON)")
    Path file;

    @Override
    public Integer call() {
        try {
            ServerConfig config = ConfigLoader.load(file);
            // What serve would also refuse at start, beyond the file itself: the API's token file.
            Optional<String> refused = Operations.problemsOf(config);
            if (refused.isPresent()) {
                System.err.println(file + ": " + refused.get());
                return 2;
            }
            System.out.printf("%s: valid, %d subnet(s), %d client class(es)%n", file, config.subnets().size(),
                    config.clientClasses().size());
            return ExitCode.OK.value();
        } catch (ConfigException e) {
            System.err.println(e.getMessage());
            return ExitCode.USAGE.value();
        }
    }
}
