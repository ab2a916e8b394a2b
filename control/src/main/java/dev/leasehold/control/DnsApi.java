package dev.leasehold.control;

import dev.leasehold.lease.Lease;
import dev.leasehold.server.LeaseDns;
import dev.leasehold.server.LeaseholdServer;
import dev.leasehold.wire.Ipv4Address;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The DNS side of the lease calls, when the server runs the {@code ddns} add-on: each lease's DNS
 * state in its JSON ({@code "ddns"}), Kea's {@code lease4-resend-ddns} as
 * {@code POST /leases/{address}/resend-ddns}, and the add-on's figures in {@code /metrics}.
 */
final class DnsApi {

    private final LeaseholdServer server;

    DnsApi(LeaseholdServer server) {
        this.server = server;
    }

    void register(Router r) {
        r.add("POST", "/leases/{address}/resend-ddns", this::resend);
    }

    private Optional<LeaseDns> dns() {
        return server.addOn(LeaseDns.class);
    }

    /** The lease's JSON with its DNS state added when there is one. */
    Map<String, Object> lease(Lease lease) {
        Map<String, Object> m = LeaseJson.of(lease);
        dns().flatMap(d -> d.state(lease.address())).ifPresent(s -> m.put("ddns", json(s)));
        return m;
    }

    ApiResponse resend(ApiRequest req) {
        req.allowQuery().noBody();
        Ipv4Address address = Params.address("address", req.path("address"));
        LeaseDns dns = dns().orElseThrow(() -> new ApiException(409, "ddns-off",
                "dynamic DNS is not configured (no dhcp-ddns section)"));
        Lease lease = server.store().get(address).orElseThrow(() -> ApiException.notFound("no lease for " + address));
        try {
            return ApiResponse.ok(Map.of("address", address.toString(), "ddns", json(dns.resend(lease))));
        } catch (IllegalArgumentException e) {
            throw new ApiException(409, "not-registrable", e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(503, "ddns-busy", e.getMessage());
        }
    }

    void metrics(PrometheusText t) {
        dns().ifPresent(d -> d.metrics(new LeaseDns.MetricSink() {
            @Override
            public void family(String name, boolean counter, String help) {
                t.family(name, counter ? PrometheusText.Type.COUNTER : PrometheusText.Type.GAUGE, help);
            }

            @Override
            public void sample(String name, long value, String... labelsAndValues) {
                t.sample(name, value, labelsAndValues);
            }
        }));
    }

    private static Map<String, Object> json(LeaseDns.DnsState s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("fqdn", s.fqdn());
        m.put("forward", s.forward());
        m.put("reverse", s.reverse());
        m.put("status", s.status());
        if (!s.detail().isEmpty()) {
            m.put("detail", s.detail());
        }
        m.put("changed", s.changed().toString());
        return m;
    }
}
