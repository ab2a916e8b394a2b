package dev.leasehold.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.leasehold.server.ServerComposition;
import org.junit.jupiter.api.Test;

/** The composition root finds the operations add-on through the class path, so the cli names no concrete class. */
class InstalledAddOnTest {

    @Test
    void theCompositionRootFindsTheOperationsAddOnOnTheClassPath() {
        assertThat(ServerComposition.installedAddOns()).hasAtLeastOneElementOfType(OperationsAddOn.class);
    }
}
