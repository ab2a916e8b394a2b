package dev.leasehold.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.List;

/** Test helpers: parse text that must load, or text that must be refused. */
final class Configs {
    private Configs() {
    }

    static final String FILE = "test.yaml";

    /** A valid one-subnet file, for tests that add one thing to it. */
    static final String MINIMAL_SUBNET = """
            subnets:
              - id: 1
                subnet: 10.0.0.0/24
                pools: [{range: 10.0.0.100-10.0.0.199}]
            """;

    static ServerConfig load(String text) {
        try {
            return ConfigLoader.parse(text, FILE);
        } catch (ConfigException e) {
            return fail("expected the configuration to load, but:\n" + e.getMessage());
        }
    }

    static List<ConfigProblem> problems(String text) {
        try {
            ServerConfig config = ConfigLoader.parse(text, FILE);
            return fail("expected problems, but it loaded: " + config);
        } catch (ConfigException e) {
            assertThat(e.problems()).isNotEmpty();
            return e.problems();
        }
    }

    /** The only problem of a text that must have exactly one. */
    static ConfigProblem problem(String text) {
        List<ConfigProblem> problems = problems(text);
        assertThat(problems).as("problems").hasSize(1);
        return problems.getFirst();
    }
}
