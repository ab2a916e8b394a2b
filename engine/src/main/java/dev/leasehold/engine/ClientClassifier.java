package dev.leasehold.engine;

import dev.leasehold.config.ClassMatch;
import dev.leasehold.config.ClientClassConfig;
import dev.leasehold.wire.DhcpMessage;
import dev.leasehold.wire.OptionCode;
import dev.leasehold.wire.RelayAgentInformation;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Puts a request into the configured client classes, in configuration order, by evaluating each
 * class's {@link ClassMatch} on the decoded request.
 */
final class ClientClassifier {

    private final List<ClientClassConfig> classes;

    ClientClassifier(List<ClientClassConfig> classes) {
        this.classes = List.copyOf(classes);
    }

    List<ClientClassConfig> classify(DhcpMessage request) {
        if (classes.isEmpty()) {
            return List.of();
        }
        List<ClientClassConfig> out = new ArrayList<>(2);
        for (ClientClassConfig c : classes) {
            if (matches(c.match(), request)) {
                out.add(c);
            }
        }
        return out;
    }

    private static boolean matches(ClassMatch match, DhcpMessage request) {
        return switch (match) {
            case ClassMatch.VendorClassPrefix(byte[] prefix) ->
                    startsWith(request.options().getUnsafe(OptionCode.VENDOR_CLASS_IDENTIFIER), prefix);
            case ClassMatch.UserClass(byte[] userClass) ->
                    containsUserClass(request.options().getUnsafe(OptionCode.USER_CLASS), userClass);
            case ClassMatch.MacPrefix(byte[] prefix) ->
                    request.hlen() >= prefix.length && Arrays.equals(request.chaddr(), 0, prefix.length, prefix, 0, prefix.length);
            case ClassMatch.CircuitId(byte[] id) -> relay(request, RelayAgentInformation.CIRCUIT_ID).filter(v -> Arrays.equals(v, id)).isPresent();
            case ClassMatch.RemoteId(byte[] id) -> relay(request, RelayAgentInformation.REMOTE_ID).filter(v -> Arrays.equals(v, id)).isPresent();
            case ClassMatch.AllOf(List<ClassMatch> all) -> all.stream().allMatch(m -> matches(m, request));
            case ClassMatch.AnyOf(List<ClassMatch> any) -> any.stream().anyMatch(m -> matches(m, request));
            case ClassMatch.Not(ClassMatch negated) -> !matches(negated, request);
            // The decoder has joined split instances and overloaded fields (RFC 3396 §6): one value per code.
            case ClassMatch.OptionValue(int code, ClassMatch.ValueTest test) -> test.holdsFor(request.options().getUnsafe(code));
            case ClassMatch.RelaySubOption(int code, ClassMatch.ValueTest test) -> test.holdsFor(relay(request, code).orElse(null));
        };
    }

    /** Option 82 of a relayed request (RFC 3046); a client cannot smuggle it in without a relay. */
    private static java.util.Optional<byte[]> relay(DhcpMessage request, int subOption) {
        return request.giaddr().isAny() ? java.util.Optional.empty() : request.relaySubOption(subOption);
    }

    private static boolean startsWith(byte[] data, byte[] prefix) {
        return data != null && data.length >= prefix.length
                && Arrays.equals(data, 0, prefix.length, prefix, 0, prefix.length);
    }

    /**
     * Option 77 is a list of length-prefixed user classes (RFC 3004 §4); some clients send one
     * bare string instead, so both forms match.
     */
    private static boolean containsUserClass(byte[] option, byte[] wanted) {
        if (option == null) {
            return false;
        }
        if (Arrays.equals(option, wanted)) {
            return true;
        }
        int i = 0;
        while (i < option.length) {
            int len = option[i] & 0xFF;
            if (i + 1 + len > option.length) {
                return false;
            }
            if (Arrays.equals(option, i + 1, i + 1 + len, wanted, 0, wanted.length)) {
                return true;
            }
            i += 1 + len;
        }
        return false;
    }
}
