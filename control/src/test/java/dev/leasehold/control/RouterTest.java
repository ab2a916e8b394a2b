package dev.leasehold.control;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RouterTest {

    private final Router.Endpoint a = req -> null;
    private final Router.Endpoint b = req -> null;
    private final Router router = new Router()
            .add("GET", "/leases/{address}", a)
            .add("DELETE", "/leases/{address}", a)
            .add("POST", "/leases/wipe", b);

    @Test
    void captureIsHandedToTheEndpoint() {
        assertThat(router.match("GET", "/leases/10.0.0.1"))
                .isEqualTo(new Router.Match.Found(a, Map.of("address", "10.0.0.1")));
    }

    @Test
    void literalSegmentWinsOverCapture() {
        assertThat(router.match("POST", "/leases/wipe")).isEqualTo(new Router.Match.Found(b, Map.of()));
        assertThat(router.match("GET", "/leases/wipe")).isEqualTo(new Router.Match.WrongMethod(List.of("POST")));
    }

    @Test
    void wrongMethodListsTheAllowedOnes() {
        assertThat(router.match("PUT", "/leases/10.0.0.1")).isEqualTo(new Router.Match.WrongMethod(List.of("DELETE", "GET")));
    }

    @Test
    void unknownPathsAndEmptyCapturesMatchNothing() {
        assertThat(router.match("GET", "/leases")).isEqualTo(new Router.Match.NoPath());
        assertThat(router.match("GET", "/leases//")).isEqualTo(new Router.Match.NoPath());
        assertThat(router.match("GET", "/leases/1/2")).isEqualTo(new Router.Match.NoPath());
    }
}
