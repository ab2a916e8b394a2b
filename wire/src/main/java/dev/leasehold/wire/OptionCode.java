package dev.leasehold.wire;

/**
 * Option codes by name (RFC 2132 and the later RFCs each constant cites). The set is open: any
 * code 1–254 may appear in a message, these are the ones the software refers to by name.
 * {@link OptionDefinitions} gives every known code its configuration name and value type.
 */
public final class OptionCode {
    private OptionCode() {
    }

    public static final int PAD = 0;
    public static final int SUBNET_MASK = 1;             // RFC 2132 §3.3
    public static final int TIME_OFFSET = 2;             // RFC 2132 §3.4
    public static final int ROUTERS = 3;                 // RFC 2132 §3.5
    public static final int DOMAIN_NAME_SERVERS = 6;     // RFC 2132 §3.8
    public static final int HOST_NAME = 12;              // RFC 2132 §3.14
    public static final int DOMAIN_NAME = 15;            // RFC 2132 §3.17
    public static final int INTERFACE_MTU = 26;          // RFC 2132 §5.1
    public static final int BROADCAST_ADDRESS = 28;      // RFC 2132 §5.3
    public static final int STATIC_ROUTES = 33;          // RFC 2132 §5.8
    public static final int NTP_SERVERS = 42;            // RFC 2132 §8.3
    public static final int VENDOR_SPECIFIC = 43;        // RFC 2132 §8.4
    public static final int REQUESTED_ADDRESS = 50;      // RFC 2132 §9.1
    public static final int LEASE_TIME = 51;             // RFC 2132 §9.2
    public static final int OVERLOAD = 52;               // RFC 2132 §9.3
    public static final int MESSAGE_TYPE = 53;           // RFC 2132 §9.6
    public static final int SERVER_IDENTIFIER = 54;      // RFC 2132 §9.7
    public static final int PARAMETER_REQUEST_LIST = 55; // RFC 2132 §9.8
    public static final int MESSAGE = 56;                // RFC 2132 §9.9
    public static final int MAX_MESSAGE_SIZE = 57;       // RFC 2132 §9.10
    public static final int RENEWAL_TIME = 58;           // RFC 2132 §9.11 (T1)
    public static final int REBINDING_TIME = 59;         // RFC 2132 §9.12 (T2)
    public static final int VENDOR_CLASS_IDENTIFIER = 60; // RFC 2132 §9.13
    public static final int CLIENT_IDENTIFIER = 61;      // RFC 2132 §9.14, RFC 4361
    public static final int TFTP_SERVER_NAME = 66;       // RFC 2132 §9.4
    public static final int BOOTFILE_NAME = 67;          // RFC 2132 §9.5
    public static final int USER_CLASS = 77;             // RFC 3004
    public static final int RAPID_COMMIT = 80;           // RFC 4039
    public static final int CLIENT_FQDN = 81;            // RFC 4702
    public static final int RELAY_AGENT_INFORMATION = 82; // RFC 3046
    public static final int CLIENT_SYSTEM = 93;          // RFC 4578
    public static final int CLIENT_NDI = 94;             // RFC 4578
    public static final int UUID_GUID = 97;              // RFC 4578
    public static final int IPV6_ONLY_PREFERRED = 108;   // RFC 8925
    public static final int CAPTIVE_PORTAL = 114;        // RFC 8910
    public static final int SUBNET_SELECTION = 118;      // RFC 3011
    public static final int DOMAIN_SEARCH = 119;         // RFC 3397
    public static final int CLASSLESS_STATIC_ROUTES = 121; // RFC 3442
    public static final int VIVCO = 124;                 // RFC 3925
    public static final int VIVSO = 125;                 // RFC 3925
    public static final int END = 255;
}
