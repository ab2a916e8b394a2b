package dev.leasehold.control;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leasehold.client.Binding;
import dev.leasehold.client.ClientMessages;
import dev.leasehold.client.RelayPathClient;
import dev.leasehold.client.load.LoadGenerator;
import dev.leasehold.client.load.LoadPlan;
import dev.leasehold.client.load.LoadReport;
import dev.leasehold.wire.HardwareAddress;
import dev.leasehold.wire.Ipv4Address;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.random.RandomGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (headless chromium) against a whole server on loopback whose
 * leases were made by the load generator ({@code leasehold client --simulate}). Each test saves
 * a screenshot under target/dashboard-screenshots/.
 */
class DashboardBrowserTest {

    private static final int SIMULATED = 30;
    private static final String PRINTER_MAC = "02:00:00:00:aa:01";
    private static final String LAPTOP_MAC = "02:00:00:00:aa:02";
    private static final String VIEWER_TOKEN = "viewer-token-0123456789abcdef";

    @TempDir
    static Path dir;
    private static RunningServer server;
    private static Binding printer;
    private static Binding laptop;
    /** One browser for the class (starting one costs seconds); each test starts from a blank tab state. */
    private static HeadlessChromium chromium;
    private WebDriver page;
    private WebDriverWait wait;

    @BeforeAll
    static void startServerWithSimulatedClients() throws Exception {
        String missing = HeadlessChromium.missing();
        Assumptions.assumeTrue(missing == null, () -> "browser tests skipped: " + missing);
        Path tokens = dir.resolve("token");
        Files.writeString(tokens, "operator read-write " + RunningServer.TOKEN + "\nviewer read-only " + VIEWER_TOKEN + "\n");
        Files.setPosixFilePermissions(tokens, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
        // Limits loose enough for the simulated clients, shown by the Limits panel.
        server = RunningServer.start(dir, RunningServer.config(dir, """
                limits:
                  new-clients: {rate: 1000/s, burst: 1000, per: relay}
                  max-leases: {per-circuit-id: 100}
                  unknown-offer-share: 50%
                  trusted-relays: [127.0.0.1]"""));
        LoadReport report = new LoadGenerator(new LoadPlan(server.server.localAddress(), Ipv4Address.parse("127.0.0.1"),
                SIMULATED, 8, Duration.ofSeconds(5), false, false, 16, 0)).run();
        assertThat(report.leases()).isEqualTo(SIMULATED);
        printer = server.lease(PRINTER_MAC, "printer-3f").orElseThrow();
        laptop = server.lease(LAPTOP_MAC, "laptop-9").orElseThrow();
        chromium = HeadlessChromium.start(1280, 900);
    }

    @AfterAll
    static void stopServer() {
        if (chromium != null) {
            chromium.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void blankTab() {
        page = chromium.driver;
        // The live pages re-render their tables every few seconds: an element found a moment ago
        // may be gone by the time it is read, so waits look it up again.
        wait = new WebDriverWait(page, Duration.ofSeconds(10));
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class);
        page.manage().window().setSize(new org.openqa.selenium.Dimension(1280, 900));
        page.get(server.url() + "/");
        chromium.driver.executeScript("sessionStorage.clear(); localStorage.clear();");
        page.get("about:blank");
    }

    private WebElement visible(String id) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    private void logIn() {
        logIn(RunningServer.TOKEN);
    }

    private void logIn(String token) {
        page.get(server.url() + "/");
        visible("token").sendKeys(token);
        page.findElement(By.id("login-button")).click();
        visible("overview");
        wait.until(d -> !d.findElement(By.id("status-version")).getText().equals("…"));
    }

    private void go(String hash) {
        page.findElement(By.cssSelector("#nav a[href='#" + hash + "']")).click();
        visible(hash);
    }

    @Test
    void wrongTokenIsRefusedAndTheRightOneShowsTheOverview() throws Exception {
        page.get(server.url() + "/");
        visible("token").sendKeys("not-the-token-at-all");
        page.findElement(By.id("login-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("login-error"), "not accepted"));
        assertThat(page.findElement(By.id("nav")).isDisplayed()).isFalse();

        page.findElement(By.id("token")).clear();
        logIn();
        // Traffic while the charts sample: more clients than the pool has room for, so some are
        // dropped as pool-exhausted; every lease obtained is released again at the end.
        Thread traffic = Thread.ofPlatform().name("traffic").start(() -> {
            try {
                new LoadGenerator(new LoadPlan(server.server.localAddress(), Ipv4Address.parse("127.0.0.1"), 24, 4,
                        Duration.ofMillis(500), false, true, 17, 6)).run();
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        JsonNode status = server.call("GET", "/status").json();
        assertThat(page.findElement(By.id("config-hash")).getAttribute("title"))
                .isEqualTo(status.path("config").path("sha256").asText());
        assertThat(page.findElement(By.id("durability")).getText()).isEqualTo(status.path("durability").asText());
        assertThat(page.findElement(By.id("caller")).getText()).isEqualTo("operator (read-write)");
        // The token lives in this tab's session storage, never in the address bar.
        assertThat(page.getCurrentUrl()).doesNotContain(RunningServer.TOKEN);
        Object stored = chromium.driver.executeScript("return sessionStorage.getItem('leasehold-token')");
        assertThat(stored).isEqualTo(RunningServer.TOKEN);
        // Live charts: a second sample gives a line for packets received.
        wait.until(d -> !d.findElements(By.cssSelector("#chart-packets polyline[data-series='received']")).isEmpty());
        traffic.join(30_000);
        wait.until(d -> !d.findElements(By.cssSelector("#chart-drops polyline[data-series='pool-exhausted']")).isEmpty());
        chromium.screenshot("overview");
    }

    @Test
    void leaseSearchByMacShowsTheLeaseAndReleasesItAfterConfirmation() throws Exception {
        logIn();
        go("leases");
        new Select(page.findElement(By.id("search-by"))).selectByValue("mac");
        page.findElement(By.id("search-value")).sendKeys(LAPTOP_MAC);
        page.findElement(By.id("search-button")).click();
        visible("lease-detail");
        assertThat(page.findElement(By.cssSelector("#detail-fields dd[data-field='hostname']")).getText()).isEqualTo("laptop-9");
        assertThat(page.findElement(By.cssSelector("#detail-fields dd[data-field='address']")).getText())
                .isEqualTo(laptop.address().toString());
        chromium.screenshot("lease-detail");

        page.findElement(By.id("release-button")).click();
        visible("confirm");
        assertThat(page.findElement(By.id("confirm-text")).getText()).contains(laptop.address().toString());
        page.findElement(By.id("confirm-cancel")).click();
        assertThat(server.call("GET", "/leases/" + laptop.address()).json().path("state").asText()).isEqualTo("active");

        page.findElement(By.id("release-button")).click();
        visible("confirm");
        page.findElement(By.id("confirm-ok")).click();
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#detail-fields dd[data-field='state']"), "released"));
        assertThat(server.call("GET", "/leases/" + laptop.address()).json().path("state").asText()).isEqualTo("released");
    }

    @Test
    void poolPageShowsTheUtilisationTheServerReports() throws Exception {
        logIn();
        go("pools");
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#pools-table tr[data-subnet='7']")));
        JsonNode subnet = server.call("GET", "/statistics").json().path("subnets").get(0);
        assertThat(row.findElement(By.cssSelector("td.assigned")).getText()).isEqualTo(subnet.path("assigned").asText());
        assertThat(row.findElement(By.cssSelector("td.free")).getText()).isEqualTo(subnet.path("free").asText());
        assertThat(row.findElement(By.cssSelector("td.total")).getText()).isEqualTo("50");
        long used = 50 - subnet.path("free").asLong();
        assertThat(row.findElement(By.cssSelector(".bar")).getAttribute("aria-label"))
                .startsWith(Math.round(100.0 * used / 50) + "% used");
        assertThat(page.findElement(By.cssSelector("#pools-table tr.pool[data-pool='192.0.2.100-192.0.2.149'] td.total"))
                .getText()).isEqualTo("50");

        // A warning threshold below the use turns the row to a warning.
        WebElement warnAt = page.findElement(By.id("warn-at"));
        warnAt.clear();
        warnAt.sendKeys("10");
        page.findElement(By.cssSelector("#threshold-form button")).click();
        wait.until(d -> d.findElement(By.cssSelector("#pools-table tr[data-subnet='7']")).getAttribute("class").contains("warn"));
        chromium.screenshot("pools");
    }

    @Test
    void limitsPanelShowsTheLimitsInForceAndWhatTheyRefused() throws Exception {
        // A host posing as a relay (giaddr set, from an address that is not a trusted relay): dropped.
        try (RelayPathClient poser = RelayPathClient.open(Ipv4Address.parse("127.0.0.2"), server.server.localAddress(),
                new ClientMessages(HardwareAddress.parseEthernet("02:00:00:00:bb:01"), null, "poser",
                        ClientMessages.RelayFields.NONE), RandomGenerator.of("L64X128MixRandom"), Clock.systemUTC())) {
            assertThat(poser.exchange(poser.messages().discover(poser.newXid(), null, false), Duration.ofMillis(500)))
                    .isEmpty();
        }
        JsonNode limits = server.call("GET", "/statistics").json().path("limits");
        long untrusted = limits.path("dropped-since-start").path("relay-untrusted").asLong();
        assertThat(untrusted).isPositive();

        logIn();
        go("pools");
        WebElement row = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#limits-table tr[data-subnet='7']")));
        assertThat(row.findElement(By.cssSelector("td.from")).getText()).isEqualTo("top-level");
        assertThat(row.findElement(By.cssSelector("td.new-clients")).getText()).isEqualTo("1000/s, burst 1000, per relay");
        assertThat(row.findElement(By.cssSelector("td.max-leases")).getText()).isEqualTo("100 per circuit id");
        assertThat(row.findElement(By.cssSelector("td.unknown-offer-share")).getText()).isEqualTo("50%");
        assertThat(row.findElement(By.cssSelector("td.declines")).getText()).isEqualTo("none");
        assertThat(row.findElement(By.cssSelector("td.trusted-relays")).getText()).isEqualTo("127.0.0.1");
        assertThat(row.findElement(By.cssSelector("td.option-82")).getText()).isEqualTo("use");
        assertThat(page.findElement(By.cssSelector("#limit-drops tr[data-reason='relay-untrusted'] td.dropped")).getText())
                .isEqualTo(Long.toString(untrusted));
        assertThat(page.findElements(By.cssSelector("#limit-drops tbody tr"))).hasSize(5);
        chromium.screenshot("limits");
    }

    @Test
    void historyTimelineShowsWhoHeldAnAddress() throws Exception {
        logIn();
        page.get(server.url() + "/#history?address=" + printer.address());
        visible("history");
        WebElement bar = wait.until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#timeline svg g.holding")));
        assertThat(bar.getAttribute("data-mac")).isEqualTo(PRINTER_MAC);
        assertThat(page.findElement(By.cssSelector("#timeline ol.holdings li")).getText()).contains("printer-3f");

        page.findElement(By.id("holder-button")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("holder-answer"), "held by " + PRINTER_MAC));
        chromium.screenshot("history");
    }

    @Test
    void reloadOfABrokenConfigurationShowsTheProblemByFileAndLine() throws Exception {
        String good = Files.readString(server.configFile);
        try {
            // Line 3 of the file: valid-lifetime is not a duration.
            Files.writeString(server.configFile, good.replace("valid-lifetime: 600", "valid-lifetime: forever"));
            logIn();
            go("config");
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("config-disk"), "differs"));
            page.findElement(By.id("reload-button")).click();
            WebElement problem = visible("reload-problems").findElement(By.tagName("li"));
            wait.until(d -> problem.getText().contains("valid-lifetime"));
            assertThat(problem.findElement(By.tagName("code")).getText()).isEqualTo(server.configFile + ":3");
            assertThat(page.findElement(By.id("reload-result")).getText()).startsWith("Refused");
            // The running configuration is still shown, and still in force.
            assertThat(page.findElement(By.id("config-text")).getText()).contains("valid-lifetime: 600");
            chromium.screenshot("config-reload-refused");
        } finally {
            Files.writeString(server.configFile, good);
        }
    }

    @Test
    void aReadOnlyTokenSeesEverythingAndCanChangeNothing() throws Exception {
        logIn(VIEWER_TOKEN);
        assertThat(page.findElement(By.id("caller")).getText()).isEqualTo("viewer (read-only)");
        go("config");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("config-text"), "subnets:"));
        assertThat(page.findElement(By.id("reload-button")).isEnabled()).isFalse();
        go("leases");
        new Select(page.findElement(By.id("search-by"))).selectByValue("address");
        page.findElement(By.id("search-value")).sendKeys(printer.address().toString());
        page.findElement(By.id("search-button")).click();
        visible("lease-detail");
        assertThat(page.findElement(By.id("delete-button")).isEnabled()).isFalse();
        assertThat(page.findElement(By.id("release-button")).isEnabled()).isFalse();
    }

    @Test
    void pagesFitAPhoneScreenAndEveryFieldHasALabel() throws Exception {
        page.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
        logIn();
        for (String hash : List.of("overview", "pools", "leases", "history", "config")) {
            page.get(server.url() + "/#" + hash);
            visible(hash);
            Object overflow = chromium.driver.executeScript(
                    "return document.documentElement.scrollWidth - document.documentElement.clientWidth");
            assertThat(((Number) overflow).intValue()).as("horizontal overflow of #" + hash).isLessThanOrEqualTo(0);
        }
        Object unlabelled = chromium.driver.executeScript("return [...document.querySelectorAll('input, select')]"
                + ".filter(e => e.labels.length === 0 && !e.getAttribute('aria-label')).map(e => e.id)");
        assertThat((List<?>) unlabelled).isEmpty();
        page.get(server.url() + "/#pools");
        visible("pools");
        wait.until(d -> !d.findElements(By.cssSelector("#pools-table tr[data-subnet='7']")).isEmpty());
        chromium.screenshot("phone-pools");
    }
}
